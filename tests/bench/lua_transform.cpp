// ferry_lua_bench: what lua.transform costs per message, without the rest
// of the engine. Runs N in-memory messages through the script engine that
// the lua plugin uses (Ferry::lua_engine: one Lua state reused across
// messages), for several scripts, and prints microseconds per message.
//
// Scenarios:
//   noop           transform(msg) that does nothing: the fixed cost per call
//   hl7-read       three HL7 fields read into metadata (parse, no write-back)
//   hl7-edit       a typical mapping: reads, sets, an OBX loop, a segment
//                  removed and one added, metadata (parse + serialize)
//   json-edit      msg.json read (~1 KB), three fields changed, written back
//   cxx-hl7-edit   hl7-edit done directly in C++ with Ferry's HL7 library:
//                  the floor a script cannot beat
//   fresh-state    a new Lua state per message (compile, sandbox, run the
//                  noop): what reusing the state saves
//   pool-2         hl7-edit on 2 threads, one state each (a state pool)
//   shared-2       hl7-edit on 2 threads sharing one state under a mutex
//                  (one instance with the host serializing its calls)
//
//   ferry_lua_bench [--messages N] [--repeats R] [--only a,b,...]
//
// Each scenario warms up, then runs N messages R times; it reports the
// median of the R runs (wall time per message, fastest and slowest run,
// and the process's CPU time per message). Each scenario also prints a
// JSON line. Bounded: N and R are capped.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <ferry/hl7/message.hpp>

#include "message_access.hpp"
#include "options.hpp"
#include "script.hpp"

namespace {

using ferry::lua::MessageAccess;
using ferry::lua::Options;
using ferry::lua::Outcome;
using ferry::lua::Script;
using Clock = std::chrono::steady_clock;

// About the size and shape of ferry_mllp_load's ADT^A01 (~0.9 KB).
const std::string kAdt =
    "MSH|^~\\&|ADT1|NORTHGEN|EHR|NORTHGEN|20260101120000||ADT^A01^ADT_A01|MSG00001|P|2.5|||AL|NE\r"
    "EVN|A01|20260101120000|||JSMITH^SMITH^JOHN^^^^^^NORTHGEN^L|20260101120000\r"
    "PID|1||123456^^^NORTHGEN^MR~987654321^^^USSSA^SS||DOE^JANE^Q^^^^L||19800101|F|||"
    "12 MAIN ST^^SPRINGFIELD^IL^62701^USA^H||^PRN^PH^^1^217^5551234|||M|CHR|A123456789|123-45-6789\r"
    "NK1|1|DOE^JOHN^^^^^L|SPO^Spouse^HL70063||^PRN^PH^^1^217^5555678\r"
    "PV1|1|I|4N^412^B^NORTHGEN^^^^MEDSURG|E|||1234567890^WELBY^MARCUS^^^DR^MD^^NPI|||MED||||7|||"
    "1234567890^WELBY^MARCUS^^^DR^MD^^NPI|IN|V0001^^^NORTHGEN^VN|||||||||||||||||||||||||20260101115500\r"
    "OBX|1|NM|8867-4^Heart rate^LN||72|/min^beats per minute^UCUM|60-100|N|||F\r"
    "OBX|2|NM|8480-6^Systolic blood pressure^LN||121|mm[Hg]^millimeter of mercury^UCUM|90-140|N|||F\r"
    "AL1|1|DA|70618^Penicillin^RXNORM|MO|Hives|20150312\r"
    "DG1|1||I10^Essential (primary) hypertension^I10|||A\r";

const std::string kJson =
    R"({"resourceType":"Patient","id":"p-123456","active":true,"identifier":[{"system":"urn:oid:1.2.3","value":"123456"},)"
    R"({"system":"urn:oid:2.16.840.1.113883.4.1","value":"123-45-6789"}],"name":[{"family":"Doe","given":["Jane","Q"]}],)"
    R"("telecom":[{"system":"phone","value":"217-555-1234","use":"home"}],"gender":"female","birthDate":"1980-01-01",)"
    R"("address":[{"line":["12 Main St"],"city":"Springfield","state":"IL","postalCode":"62701","country":"USA"}],)"
    R"("maritalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus","code":"M"}]},)"
    R"("contact":[{"relationship":[{"coding":[{"code":"SPO"}]}],"name":{"family":"Doe","given":["John"]}}],)"
    R"("meta":{"versionId":"1","lastUpdated":"2026-01-01T12:00:00Z","source":"northgen"}})";

const char* const kNoop = "function transform(msg) end";
const char* const kHl7Read = R"LUA(
function transform(msg)
  msg.meta.mrn = msg:get("PID-3.1")
  msg.meta.event = msg:get("MSH-9.2")
  msg.meta.family = msg:get("PID-5.1")
end)LUA";
const char* const kHl7Edit = R"LUA(
local sites = {NORTHGEN = "NG1", SOUTHGEN = "SG2"}
function transform(msg)
  msg.meta.mrn = msg:get("PID-3.1")
  msg:set("PID-5.1", msg:get("PID-5.1"):upper())
  msg:set("MSH-4", sites[msg:get("MSH-4")] or "UNKNOWN")
  for seg in msg:segments("OBX") do
    seg:set(5, seg:get(5) .. " (checked)")
  end
  msg:remove_segments("AL1")
  msg:add_segment("ZFE|" .. msg.id)
end)LUA";
const char* const kJsonEdit = R"LUA(
function transform(msg)
  local p = msg.json
  p.active = false
  p.name[1].family = p.name[1].family:upper()
  p.meta.source = "ferry"
  msg.json = p
  msg.meta.patient = p.id
end)LUA";

// An in-memory message (what the host lends, minus the ABI).
class BenchMessage final : public MessageAccess {
 public:
  BenchMessage(const std::string& content, const char* type) : content_(content), type_(type) {}
  std::string_view content() const override { return content_; }
  std::string_view content_type() const override { return type_; }
  void set_content(std::string_view c) override { content_ = c; }
  void set_content_type(std::string_view t) override { type_ = t; }
  std::optional<std::string_view> meta(std::string_view key) const override {
    for (const auto& [k, v] : meta_)
      if (k == key) return std::string_view(v);
    return std::nullopt;
  }
  void set_meta(std::string_view key, std::string_view value) override {
    for (auto& [k, v] : meta_)
      if (k == key) {
        v = value;
        return;
      }
    meta_.emplace_back(key, value);
  }
  void remove_meta(std::string_view key) override {
    std::erase_if(meta_, [&](const auto& kv) { return kv.first == key; });
  }
  size_t meta_count() const override { return meta_.size(); }
  std::pair<std::string_view, std::string_view> meta_at(size_t i) const override { return meta_[i]; }
  int64_t id() const override { return 12345; }

 private:
  std::string content_, type_;
  std::vector<std::pair<std::string, std::string>> meta_;
};

Options script_options(const char* source) {
  Options o;
  o.source = source;
  o.chunk_name = "script";
  return o;
}

void check(const Outcome& o, const char* scenario) {
  if (o.kind != Outcome::Kind::ok) throw std::runtime_error(std::string(scenario) + ": " + o.text);
}

// One message through a script; the message is made fresh each time, as
// the host lends a fresh message.
void run_script(Script& s, const std::string& content, const char* type, const char* scenario) {
  BenchMessage m(content, type);
  check(s.run(m), scenario);
}

void cxx_hl7_edit(const std::string& content) {
  BenchMessage m(content, "application/hl7-v2");
  auto h = ferry::hl7::Message::parse(m.content());
  m.set_meta("mrn", h.get("PID-3.1").value_or(""));
  std::string family = h.get("PID-5.1").value_or("");
  std::transform(family.begin(), family.end(), family.begin(), [](unsigned char c) { return std::toupper(c); });
  h.set("PID-5.1", family);
  h.set("MSH-4", h.get("MSH-4").value_or("") == "NORTHGEN" ? "NG1" : "UNKNOWN");
  size_t occurrence = 0;
  for (size_t i = 0; i < h.segment_count(); ++i) {
    if (h.segment_name(i) != "OBX") continue;
    const std::string path = "OBX[" + std::to_string(++occurrence) + "]-5";
    h.set(path, h.get(path).value_or("") + " (checked)");
  }
  for (size_t i = h.segment_count(); i-- > 1;)
    if (h.segment_name(i) == "AL1") h.remove_segment(i);
  h.insert_segment("ZFE|" + std::to_string(m.id()));
  m.set_content(h.serialize());
}

struct Result {
  std::string name;
  size_t messages = 0;
  std::vector<double> us_per_msg;      // wall time, one per repeat
  std::vector<double> cpu_us_per_msg;  // CPU time of the process (all threads)
};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Time `batch(n)` (which handles n messages), R times after a warm-up.
Result measure(const std::string& name, size_t n, int repeats, const std::function<void(size_t)>& batch) {
  batch(std::max<size_t>(n / 10, 1));  // warm-up
  Result r{name, n, {}, {}};
  for (int i = 0; i < repeats; ++i) {
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    batch(n);
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    r.us_per_msg.push_back(us / static_cast<double>(n));
    r.cpu_us_per_msg.push_back((cpu_seconds() - cpu_start) * 1e6 / static_cast<double>(n));
  }
  return r;
}

// Two threads handling n messages between them.
void on_two_threads(size_t n, const std::function<void(int, size_t)>& work) {
  std::thread a(work, 0, n / 2), b(work, 1, n - n / 2);
  a.join();
  b.join();
}

// Wall time per message is what a caller waits; CPU time per message is
// what it costs (and what stays meaningful on a busy, shared machine).
void print(const Result& r) {
  const auto [lo, hi] = std::minmax_element(r.us_per_msg.begin(), r.us_per_msg.end());
  const double wall = median(r.us_per_msg), cpu = median(r.cpu_us_per_msg);
  std::printf("%-14s wall %9.2f us/msg (%8.0f msg/s; runs %.2f..%.2f)  cpu %9.2f us/msg  [%zu messages x %zu]\n",
              r.name.c_str(), wall, 1e6 / wall, *lo, *hi, cpu, r.messages, r.us_per_msg.size());
  std::printf("{\"scenario\":\"%s\",\"wall_us_per_msg\":%.3f,\"min_wall_us\":%.3f,\"max_wall_us\":%.3f,"
              "\"cpu_us_per_msg\":%.3f,\"messages\":%zu,\"repeats\":%zu}\n",
              r.name.c_str(), wall, *lo, *hi, cpu, r.messages, r.us_per_msg.size());
  std::fflush(stdout);
}

size_t to_count(const std::string& flag, const char* v, size_t lo, size_t hi) {
  char* end = nullptr;
  const unsigned long long x = std::strtoull(v, &end, 10);
  if (end == v || *end != 0 || x < lo || x > hi)
    throw std::invalid_argument(flag + " must be a number in " + std::to_string(lo) + ".." + std::to_string(hi));
  return static_cast<size_t>(x);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    size_t n = 100000;
    int repeats = 5;
    std::set<std::string> only;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (i + 1 >= argc) throw std::invalid_argument("usage: ferry_lua_bench [--messages N] [--repeats R] [--only a,b]");
      const char* v = argv[++i];
      if (a == "--messages") n = to_count(a, v, 100, 10'000'000);
      else if (a == "--repeats") repeats = static_cast<int>(to_count(a, v, 1, 100));
      else if (a == "--only") {
        std::stringstream list(v);
        for (std::string s; std::getline(list, s, ',');) only.insert(s);
      } else
        throw std::invalid_argument("unknown option " + a);
    }
    auto wanted = [&](const char* name) { return only.empty() || only.count(name) != 0; };

    struct Case {
      const char* name;
      const char* source;
      const std::string* content;
      const char* type;
    };
    const Case cases[] = {{"noop", kNoop, &kAdt, "application/hl7-v2"},
                          {"hl7-read", kHl7Read, &kAdt, "application/hl7-v2"},
                          {"hl7-edit", kHl7Edit, &kAdt, "application/hl7-v2"},
                          {"json-edit", kJsonEdit, &kJson, "application/json"}};
    for (const Case& c : cases) {
      if (!wanted(c.name)) continue;
      Script s(script_options(c.source), {});
      print(measure(c.name, n, repeats, [&](size_t k) {
        for (size_t i = 0; i < k; ++i) run_script(s, *c.content, c.type, c.name);
      }));
    }
    if (wanted("cxx-hl7-edit"))
      print(measure("cxx-hl7-edit", n, repeats, [&](size_t k) {
        for (size_t i = 0; i < k; ++i) cxx_hl7_edit(kAdt);
      }));
    if (wanted("fresh-state")) {
      const size_t fresh = std::max<size_t>(n / 50, 100);
      print(measure("fresh-state", fresh, repeats, [&](size_t k) {
        for (size_t i = 0; i < k; ++i) {
          Script s(script_options(kNoop), {});
          run_script(s, kAdt, "application/hl7-v2", "fresh-state");
        }
      }));
    }
    if (wanted("pool-2")) {
      Script a(script_options(kHl7Edit), {}), b(script_options(kHl7Edit), {});
      Script* pool[] = {&a, &b};
      print(measure("pool-2", n, repeats, [&](size_t k) {
        on_two_threads(k, [&](int t, size_t m) {
          for (size_t i = 0; i < m; ++i) run_script(*pool[t], kAdt, "application/hl7-v2", "pool-2");
        });
      }));
    }
    if (wanted("shared-2")) {
      Script s(script_options(kHl7Edit), {});
      std::mutex lock;
      print(measure("shared-2", n, repeats, [&](size_t k) {
        on_two_threads(k, [&](int, size_t m) {
          for (size_t i = 0; i < m; ++i) {
            BenchMessage msg(kAdt, "application/hl7-v2");  // made outside the lock, as the host does
            std::lock_guard guard(lock);
            check(s.run(msg), "shared-2");
          }
        });
      }));
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ferry_lua_bench: %s\n", e.what());
    return 1;
  }
}
