#include "cli/test_checks.hpp"

#include <ferry/hl7/message.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

#include "cli/test_diff.hpp"
#include "dryrun/render.hpp"

namespace ferry::cli {

namespace {

using dryrun::quote;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string show(const ExpectedText& v) { return v ? quote(*v) : "(absent)"; }

std::string expected_actual(const std::string& expected, const std::string& actual) {
  return "expected: " + expected + "\nactual:   " + actual + "\n";
}

std::string channel_result(const dryrun::Outcome& o) {
  if (o.status == FERRY_OK) return "the message passed the channel transformers";
  return std::string(o.status == FERRY_FILTERED ? "filtered: " : "failed: ") + o.text;
}

// How the message ended on its way to this destination, in words.
std::string destination_result(const dryrun::Trace& t, const dryrun::DestinationTrace& d) {
  if (!d.reached)
    return std::string(t.channel.status == FERRY_FILTERED ? "not delivered, filtered by the channel: "
                                                          : "not delivered, failed in the channel: ") +
           t.channel.text;
  if (d.outcome.status == FERRY_FILTERED) return "not delivered, filtered: " + d.outcome.text;
  if (d.outcome.status != FERRY_OK) return "not delivered, failed: " + d.outcome.text;
  return "delivered";
}

std::string content_block(const dryrun::Snapshot& s) {
  std::ostringstream out;
  out << "actual content (" << dryrun::describe(s.content, s.content_type) << "):\n";
  dryrun::print_block(out, s.content, "  ");
  return out.str();
}

class Checker {
 public:
  Checker(const TestCase& c, const dryrun::Trace& t) : case_(c), trace_(t) {}

  std::vector<CheckFailure> run() {
    check_channel();
    for (const auto& d : trace_.destinations) check_destination(d);
    return std::move(failures_);
  }

 private:
  void fail(std::string where, std::string check, std::string detail) {
    failures_.push_back({std::move(where), std::move(check), std::move(detail)});
  }

  void check_channel() {
    const auto& ch = trace_.channel;
    if (case_.channel_filtered) {
      if (ch.status != FERRY_FILTERED || !contains(ch.text, *case_.channel_filtered))
        fail("channel", "expect_channel_filtered",
             expected_actual("filtered, with a reason containing " + quote(*case_.channel_filtered), channel_result(ch)));
    } else if (case_.channel_error) {
      if (ch.status != FERRY_ERROR || !contains(ch.text, *case_.channel_error))
        fail("channel", "expect_channel_error",
             expected_actual("failed, with an error containing " + quote(*case_.channel_error), channel_result(ch)));
    } else if (ch.status == FERRY_ERROR) {
      fail("channel", "no error",
           "unexpected error: " + ch.text + "\n(a case that means it sets \"expect_channel_error\")\n");
    }
  }

  void check_destination(const dryrun::DestinationTrace& d) {
    const DestinationExpect* e = nullptr;
    for (const auto& x : case_.expect)
      if (x.id == d.id) e = &x;
    const std::string where = "destination " + quote(d.id);
    const bool errored = d.reached && d.outcome.status == FERRY_ERROR;
    if (e == nullptr) {
      if (errored)
        fail(where, "no error", "unexpected error: " + d.outcome.text + "\n(a case that means it sets \"error\" for " + where + ")\n");
      return;
    }
    // Filtered or failed on the way here: by the channel or by this destination's own transformers.
    const dryrun::Outcome& end = d.reached ? d.outcome : trace_.channel;
    if (e->filtered) {
      if (end.status != FERRY_FILTERED || !contains(end.text, *e->filtered))
        fail(where, "filtered",
             expected_actual("filtered, with a reason containing " + quote(*e->filtered), destination_result(trace_, d)));
      return;
    }
    if (e->error) {
      if (end.status != FERRY_ERROR || !contains(end.text, *e->error))
        fail(where, "error",
             expected_actual("failed, with an error containing " + quote(*e->error), destination_result(trace_, d)));
      return;
    }
    const bool delivered = d.reached && d.outcome.status == FERRY_OK;
    if (!e->delivered) {
      if (delivered) fail(where, "delivered", expected_actual("not delivered", "delivered"));
      else if (errored)
        fail(where, "delivered",
             expected_actual("not delivered", destination_result(trace_, d)) +
                 "(an error, not a filter: a case that means it sets \"error\")\n");
      return;
    }
    if (!delivered) {
      fail(where, "delivered", expected_actual("delivered", destination_result(trace_, d)));
      return;
    }
    check_content(where, *e, d.received);
  }

  void check_content(const std::string& where, const DestinationExpect& e, const dryrun::Snapshot& r) {
    if (e.equals_file) {
      const std::string diff = unified_diff(e.equals_content, r.content, *e.equals_file + " (expected)",
                                            where + " (actual)");
      if (!diff.empty()) fail(where, "equals_file " + *e.equals_file, diff);
    }
    for (const auto& part : e.content_contains)
      if (!contains(r.content, part))
        fail(where, "content_contains", "expected the content to contain " + quote(part) + "\n" + content_block(r));
    if (e.content_type && *e.content_type != r.content_type)
      fail(where, "content_type", expected_actual(quote(*e.content_type), quote(r.content_type)));
    if (!e.hl7.empty()) check_hl7(where, e, r);
    if (!e.json.empty()) check_json(where, e, r);
    for (const auto& [key, want] : e.metadata) {
      ExpectedText got;
      for (const auto& [k, v] : r.meta)
        if (k == key) got = v;
      if (got != want) fail(where, "metadata " + key, expected_actual(show(want), show(got)));
    }
  }

  void check_hl7(const std::string& where, const DestinationExpect& e, const dryrun::Snapshot& r) {
    std::optional<hl7::Message> m;
    try {
      m = hl7::Message::parse(r.content);
    } catch (const std::exception& ex) {
      fail(where, "hl7", std::string("the content is not an HL7 v2 message: ") + ex.what() + "\n" + content_block(r));
      return;
    }
    for (const auto& [path, want] : e.hl7) {
      ExpectedText got;
      try {
        got = m->get(path);
      } catch (const std::exception& ex) {  // paths were checked when the file was read
        fail(where, "hl7 " + path, ex.what());
        continue;
      }
      if (got != want) fail(where, "hl7 " + path, expected_actual(show(want), show(got)));
    }
  }

  void check_json(const std::string& where, const DestinationExpect& e, const dryrun::Snapshot& r) {
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(r.content);
    } catch (const std::exception& ex) {
      fail(where, "json", std::string("the content is not JSON: ") + ex.what() + "\n" + content_block(r));
      return;
    }
    for (const auto& [pointer, want] : e.json) {
      const nlohmann::json::json_pointer p(pointer);
      const auto dump = [](const nlohmann::json& v) {
        return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      };
      if (!doc.contains(p)) fail(where, "json " + pointer, expected_actual(dump(want), "(absent)"));
      else if (doc.at(p) != want) fail(where, "json " + pointer, expected_actual(dump(want), dump(doc.at(p))));
    }
  }

  const TestCase& case_;
  const dryrun::Trace& trace_;
  std::vector<CheckFailure> failures_;
};

}  // namespace

std::vector<CheckFailure> check_case(const TestCase& c, const dryrun::Trace& trace) { return Checker(c, trace).run(); }

}  // namespace ferry::cli
