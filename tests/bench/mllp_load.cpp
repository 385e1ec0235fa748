// ferry_mllp_load: a load generator for HL7 v2 over MLLP (any MLLP server,
// not only Ferry). It sends ADT^A01 messages (~0.9 KB, realistic segments,
// a unique MSH-10 each) over N connections, either synchronously (window 1:
// the next message only after the ACK) or pipelined (up to W messages of one
// connection awaiting their ACK), for a fixed count or a fixed duration,
// optionally paced to a total rate. Every ACK is checked: MSA-1 must be AA and
// MSA-2 the MSH-10 of the message it answers (ACKs come back in order on a
// connection). Any mismatch, NAK, stray ACK, timeout or dropped connection
// fails the run (exit status 1).
//
// It prints one readable block and then one JSON line (the last line of
// stdout) with: msg/s, latency percentiles (send to ACK), and, given the
// server's PID, the server's CPU seconds during the run (utime+stime from
// /proc/PID/stat) and its peak RSS (VmHWM from /proc/PID/status).
//
// Every loop is bounded: --count or --duration ends sending, --ack-timeout
// fails a connection that waits too long for an ACK, --max-seconds bounds the
// whole run. Single-threaded (one io_context), so `taskset -c 1` pins it.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cerrno>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr char SB = 0x0B, EB = 0x1C, CR = 0x0D;

// ---------------------------------------------------------------- options

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  int connections = 1;
  int window = 1;             // 1: synchronous
  uint64_t count = 0;         // total messages (0: use duration)
  double duration = 0;        // seconds of sending (0: use count)
  double rate = 0;            // total msg/s (0: as fast as the server answers)
  long pid = 0;               // server PID for CPU/RSS (0: none)
  double ack_timeout = 30;    // seconds without the awaited ACK: the connection fails
  double max_seconds = 900;   // hard bound on the whole run
  std::string label = "mllp";
  std::string delivered_file; // wait until this file grew by every payload byte sent
  double delivered_timeout = 300;
  bool nodelay = true;
  int server_cpu = -1;        // the CPU the server is pinned to: report what others used of it
};

[[noreturn]] void usage(const std::string& error) {
  if (!error.empty()) std::cerr << "ferry_mllp_load: " << error << "\n\n";
  std::cerr << R"(usage: ferry_mllp_load --port P [options]
  --host H              server address (default 127.0.0.1)
  --port P              server port (required)
  --connections N       parallel connections (default 1)
  --window W            messages in flight per connection; 1 = synchronous (default 1)
  --count C             send C messages in total, spread over the connections
  --duration S          or: send for S seconds (one of --count/--duration is required)
  --rate R              pace to R msg/s in total (default: as fast as ACKs allow)
  --pid PID             the server's PID: report its CPU seconds and peak RSS
  --ack-timeout S       fail a connection that waits S s for an ACK (default 30)
  --max-seconds S       hard bound on the whole run (default 900)
  --delivered-file F    after the last ACK, wait until F grew by every payload byte
                        sent (file.writer in append mode) and report delivered msg/s
  --delivered-timeout S bound on that wait (default 300)
  --label NAME          scenario name in the output
  --server-cpu N        the server is pinned to CPU N: report how busy N was
                        and how much of it other processes took
  --no-nodelay          leave Nagle's algorithm on for the client sockets
exit status: 0 all ACKs AA with the right MSA-2; 1 any failure; 2 usage
)";
  std::exit(2);
}

double to_double(const std::string& flag, const char* v) {
  char* end = nullptr;
  const double d = std::strtod(v, &end);
  if (end == v || *end != '\0' || !std::isfinite(d) || d < 0) usage(flag + ": expected a number >= 0, got \"" + v + "\"");
  return d;
}

uint64_t to_uint(const std::string& flag, const char* v, uint64_t lo, uint64_t hi) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long n = std::strtoull(v, &end, 10);
  if (end == v || *end != '\0' || errno != 0 || n < lo || n > hi || v[0] == '-')
    usage(flag + ": expected an integer " + std::to_string(lo) + ".." + std::to_string(hi) + ", got \"" + v + "\"");
  return n;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") usage("");
    if (a == "--no-nodelay") {
      o.nodelay = false;
      continue;
    }
    if (i + 1 >= argc) usage(a + ": missing value");
    const char* v = argv[++i];
    if (a == "--host") o.host = v;
    else if (a == "--port") o.port = static_cast<uint16_t>(to_uint(a, v, 1, 65535));
    else if (a == "--connections") o.connections = static_cast<int>(to_uint(a, v, 1, 10000));
    else if (a == "--window") o.window = static_cast<int>(to_uint(a, v, 1, 100000));
    else if (a == "--count") o.count = to_uint(a, v, 1, 1'000'000'000'000ULL);
    else if (a == "--duration") o.duration = to_double(a, v);
    else if (a == "--rate") o.rate = to_double(a, v);
    else if (a == "--pid") o.pid = static_cast<long>(to_uint(a, v, 1, 1u << 30));
    else if (a == "--ack-timeout") o.ack_timeout = to_double(a, v);
    else if (a == "--max-seconds") o.max_seconds = to_double(a, v);
    else if (a == "--delivered-file") o.delivered_file = v;
    else if (a == "--delivered-timeout") o.delivered_timeout = to_double(a, v);
    else if (a == "--label") o.label = v;
    else if (a == "--server-cpu") o.server_cpu = static_cast<int>(to_uint(a, v, 0, 4095));
    else usage("unknown option " + a);
  }
  if (o.port == 0) usage("--port is required");
  if ((o.count == 0) == (o.duration <= 0)) usage("give exactly one of --count and --duration");
  if (o.count != 0 && o.count < static_cast<uint64_t>(o.connections)) usage("--count must be at least --connections");
  if (o.ack_timeout <= 0 || o.max_seconds <= 0) usage("--ack-timeout and --max-seconds must be > 0");
  if (o.duration > 0 && o.duration + 1 > o.max_seconds) usage("--duration must end before --max-seconds");
  return o;
}

// ---------------------------------------------------------------- messages

// ADT^A01 (admit) with the segments a real feed carries: MSH, EVN, PID, NK1,
// PV1, OBX, AL1, DG1. Fields vary with the sequence number (names, MRN,
// dates, address, vitals, diagnosis), so sizes spread over ~0.85-0.95 KB.
// Original acknowledgement mode (MSH-15/16 empty): the expected answer is AA.
class AdtGenerator {
 public:
  explicit AdtGenerator(std::string tag) : tag_(std::move(tag)) {}

  // Appends the MLLP frame of message `seq` of connection `conn` to `out`
  // and returns its control id (MSH-10).
  std::string append_frame(std::string& out, int conn, uint64_t seq) {
    static constexpr std::array<const char*, 12> last = {"DOE",    "SMITH",     "GARCIA",  "NGUYEN",
                                                         "OKAFOR", "JOHANSSON", "MUELLER", "ROSSI",
                                                         "TANAKA", "KOWALSKI",  "DUBOIS",  "O'BRIEN"};
    static constexpr std::array<const char*, 10> first = {"JANE",  "JOHN",  "MARIA", "WEI",    "AMARA",
                                                          "LARS",  "SOFIA", "LUCA",  "HIROSHI", "ELENA"};
    static constexpr std::array<const char*, 8> street = {"MAIN ST",   "OAK AVE",   "ELM STREET",  "PARK LANE",
                                                          "RIVER RD",  "CEDAR CT",  "HILLSIDE DR", "MARKET SQ"};
    static constexpr std::array<const char*, 6> city = {"SPRINGFIELD^IL^62701", "MADISON^WI^53703",
                                                        "SALEM^OR^97301",       "ALBANY^NY^12207",
                                                        "AUSTIN^TX^78701",      "DENVER^CO^80202"};
    static constexpr std::array<const char*, 5> dx = {"R07.9^Chest pain, unspecified^I10",
                                                      "J18.9^Pneumonia, unspecified organism^I10",
                                                      "I48.91^Unspecified atrial fibrillation^I10",
                                                      "K35.80^Unspecified acute appendicitis^I10",
                                                      "N39.0^Urinary tract infection, site not specified^I10"};
    const uint64_t h = mix(seq * 1315423911ULL + static_cast<uint64_t>(conn));
    const auto pick = [&](auto& arr, int shift) { return arr[(h >> shift) % arr.size()]; };
    const std::string id = tag_ + std::to_string(conn) + "." + std::to_string(seq);
    const std::string mrn = std::to_string(10000000 + (h % 89999999));
    const std::string ln = pick(last, 3), fn = pick(first, 9);
    const std::string dob = std::to_string(1930 + (h >> 13) % 90) + two(1 + (h >> 19) % 12) + two(1 + (h >> 23) % 28);
    const std::string addr = std::to_string(1 + (h >> 27) % 9999) + " " + pick(street, 31) + "^^" + pick(city, 35) + "^USA^H";
    const std::string phone = "^PRN^PH^^1^555^" + std::to_string(1000000 + (h >> 39) % 8999999);
    const std::string ts = "2026112" + std::to_string(1 + (h >> 41) % 8) + two((h >> 45) % 24) + two((h >> 50) % 60) + "00";
    const char* sex = (h >> 55) & 1 ? "F" : "M";

    const size_t start = out.size();
    out += SB;
    out += "MSH|^~\\&|EPICADT|NORTHGEN|FERRY|HIE|"; out += ts; out += "||ADT^A01^ADT_A01|"; out += id; out += "|P|2.5.1"; out += CR;
    out += "EVN|A01|"; out += ts; out += "|||JSMITH^SMITH^JOHN^^^^^^NORTHGEN^L|"; out += ts; out += CR;
    out += "PID|1||"; out += mrn; out += "^^^NORTHGEN^MR~"; out += std::to_string(100000000 + h % 899999999);
    out += "^^^USSSA^SS||"; out += ln; out += '^'; out += fn; out += "^Q^^^^L|"; out += pick(last, 5); out += "^^^^^^M|";
    out += dob; out += '|'; out += sex; out += "||2106-3^White^CDCREC|"; out += addr; out += "||"; out += phone;
    out += "||eng^English^ISO6392|M^Married^HL70002||ACCT"; out += mrn; out += "^^^NORTHGEN^AN|||N^Not Hispanic or Latino^HL70189"; out += CR;
    out += "NK1|1|"; out += ln; out += '^'; out += pick(first, 15); out += "^^^^^L|SPO^Spouse^HL70063||";
    out += phone; out += "||EC^Emergency Contact^HL70131"; out += CR;
    out += "PV1|1|I|4N^"; out += std::to_string(400 + (h >> 33) % 60); out += "^B^NORTHGEN^^^^MEDSURG|E|||1234567890^WELBY^MARCUS^^^DR^MD^^NPI|";
    out += "2345678901^CHEN^LISA^^^DR^MD^^NPI||MED||||7|||1234567890^WELBY^MARCUS^^^DR^MD^^NPI|IN|V"; out += mrn;
    out += "|BCBS||||||||||||||||||NORTHGEN||ADM|||"; out += ts; out += CR;
    out += "OBX|1|NM|8867-4^Heart rate^LN||"; out += std::to_string(55 + (h >> 21) % 60); out += "|/min^beats per minute^UCUM|60-100|N|||F"; out += CR;
    out += "AL1|1|DA|70618^Penicillin^RXNORM|MO|Hives|20150312"; out += CR;
    out += "DG1|1||"; out += pick(dx, 17); out += "|||A"; out += CR;
    out += EB;
    out += CR;
    const uint64_t n = out.size() - start - 3;
    payload_bytes_ += n;
    min_payload_ = std::min(min_payload_, n);
    max_payload_ = std::max(max_payload_, n);
    return id;
  }

  uint64_t payload_bytes() const { return payload_bytes_; }
  uint64_t min_payload() const { return payload_bytes_ ? min_payload_ : 0; }
  uint64_t max_payload() const { return max_payload_; }

 private:
  static uint64_t mix(uint64_t x) {  // splitmix64 finaliser
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  static std::string two(uint64_t v) { return v < 10 ? "0" + std::to_string(v) : std::to_string(v); }

  std::string tag_;
  uint64_t payload_bytes_ = 0, min_payload_ = UINT64_MAX, max_payload_ = 0;
};

// ---------------------------------------------------------------- latency

// Log-linear histogram of nanoseconds: 128 sub-buckets per power of two
// (< 0.8 % error), exact below 256 ns. Exact min/max kept aside.
class Histogram {
 public:
  void add(uint64_t ns) {
    ++counts_[index(ns)];
    ++total_;
    max_ = std::max(max_, ns);
    min_ = std::min(min_, ns);
    sum_ += static_cast<double>(ns);
  }
  uint64_t count() const { return total_; }
  uint64_t max() const { return total_ ? max_ : 0; }
  uint64_t min() const { return total_ ? min_ : 0; }
  double mean() const { return total_ ? sum_ / static_cast<double>(total_) : 0; }
  // The value at quantile q (0..1): upper edge of the bucket holding it.
  uint64_t quantile(double q) const {
    if (total_ == 0) return 0;
    const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(total_))));
    uint64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(upper(i), max_);
    }
    return max_;
  }

 private:
  static size_t index(uint64_t v) {
    if (v < 256) return static_cast<size_t>(v);
    const int msb = 63 - std::countl_zero(v);
    const int shift = msb - 7;
    return static_cast<size_t>((shift + 1) * 128) + static_cast<size_t>((v >> shift) - 128);
  }
  static uint64_t upper(size_t i) {
    if (i < 256) return i;
    const size_t shift = i / 128 - 1;
    const uint64_t sub = i % 128 + 128;
    return ((sub + 1) << shift) - 1;
  }
  std::array<uint64_t, 64 * 128> counts_{};
  uint64_t total_ = 0, max_ = 0, min_ = UINT64_MAX;
  double sum_ = 0;
};

// ---------------------------------------------------------------- /proc

struct ProcSample {
  bool ok = false;
  double user_s = 0, sys_s = 0;
  uint64_t rss_kb = 0, hwm_kb = 0;
};

ProcSample sample_process(long pid) {
  ProcSample s;
  if (pid <= 0) return s;
  const std::string base = "/proc/" + std::to_string(pid);
  std::ifstream stat(base + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return s;
  const size_t paren = line.rfind(')');  // the command name may hold spaces and parens
  if (paren == std::string::npos) return s;
  std::istringstream in(line.substr(paren + 2));
  std::vector<std::string> f;
  for (std::string t; in >> t && f.size() < 16;) f.push_back(t);
  if (f.size() < 13) return s;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  s.user_s = std::stod(f[11]) / tick;  // field 14: utime
  s.sys_s = std::stod(f[12]) / tick;   // field 15: stime
  std::ifstream status(base + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) s.hwm_kb = std::stoull(line.substr(6));
    else if (line.rfind("VmRSS:", 0) == 0) s.rss_kb = std::stoull(line.substr(6));
  }
  s.ok = true;
  return s;
}

// Per-CPU times from /proc/stat (in ticks): busy (not idle/iowait) and steal.
struct CpuTimes {
  double busy = 0, steal = 0, total = 0;
};
std::vector<CpuTimes> sample_cpus() {
  std::vector<CpuTimes> out;
  std::ifstream in("/proc/stat");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("cpu", 0) != 0 || line.size() < 4 || line[3] < '0' || line[3] > '9') continue;
    std::istringstream f(line.substr(line.find(' ')));
    std::vector<double> v;
    for (double x; f >> x;) v.push_back(x);
    if (v.size() < 8) continue;
    // user nice system idle iowait irq softirq steal
    CpuTimes t;
    t.busy = v[0] + v[1] + v[2] + v[5] + v[6];
    t.steal = v[7];
    t.total = t.busy + v[3] + v[4] + t.steal;
    out.push_back(t);
  }
  return out;
}

double self_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// ---------------------------------------------------------------- the run

struct Totals {
  uint64_t sent = 0, acked_ok = 0;
  uint64_t nak = 0;          // MSA-1 other than AA
  uint64_t wrong_id = 0;     // MSA-2 is not the MSH-10 of the message answered
  uint64_t malformed = 0;    // no MSA segment
  uint64_t stray = 0;        // an ACK with no message waiting for one
  uint64_t timeouts = 0;     // messages whose ACK did not come within --ack-timeout
  uint64_t lost = 0;         // messages in flight when a connection failed
  uint64_t conn_errors = 0;  // connections that failed
  uint64_t late_sends = 0;   // paced mode: sends more than 1 ms behind schedule
  std::vector<std::string> samples;  // first few problems, for the report
  void note(std::string what) {
    if (samples.size() < 5) samples.push_back(std::move(what));
  }
  uint64_t errors() const { return nak + wrong_id + malformed + stray + timeouts + lost + conn_errors; }
};

class Run;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Run& run, int index, uint64_t quota);
  void start(const tcp::endpoint& ep);
  void pump();
  void check_timeout(Clock::time_point now);
  bool done() const { return done_; }
  void abort(const std::string& why);
  bool more_to_send() const;

 private:
  struct InFlight {
    std::string control_id;
    Clock::time_point sent;
  };
  void read();
  void on_bytes(const char* p, size_t n, Clock::time_point now);
  void on_ack(std::string_view ack, Clock::time_point now);
  void finish_if_done();
  void fail(const std::string& why);

  Run& run_;
  int index_;
  uint64_t quota_;  // messages to send (UINT64_MAX: until the duration ends)
  uint64_t seq_ = 0;
  tcp::socket socket_;
  asio::steady_timer pace_timer_;
  bool pace_armed_ = false;
  std::deque<InFlight> in_flight_;
  std::string wbuf_;
  bool writing_ = false;
  std::array<char, 64 * 1024> rbuf_{};
  std::string frame_;  // the ACK being assembled
  bool in_frame_ = false;
  bool read_pending_ = false;
  bool done_ = false;
  Clock::time_point next_due_{};  // paced mode
  Clock::duration interval_{};
};

class Run {
 public:
  explicit Run(Options o) : opt_(std::move(o)), gen_(make_tag()), watchdog_(io_) {}

  int execute();

  asio::io_context& io() { return io_; }
  const Options& opt() const { return opt_; }
  AdtGenerator& gen() { return gen_; }
  Totals& totals() { return totals_; }
  Histogram& latency() { return latency_; }
  bool sending_allowed(Clock::time_point now) const { return !stop_sending_ && (opt_.duration <= 0 || now < send_until_); }
  Clock::time_point start_time() const { return start_; }
  void connection_done() {
    last_ack_ = Clock::now();
    if (++finished_ == conns_.size()) {
      watchdog_.cancel();
      io_.stop();
    }
  }
  void ack_seen(Clock::time_point now) { last_ack_ = now; }

 private:
  static std::string make_tag() {
    // 4 letters from time and pid: MSH-10 unique across runs into one store.
    uint64_t x = static_cast<uint64_t>(Clock::now().time_since_epoch().count()) ^ (static_cast<uint64_t>(getpid()) << 32);
    std::string t = "L";
    for (int i = 0; i < 4; ++i, x /= 26) t += static_cast<char>('A' + x % 26);
    return t;
  }
  void arm_watchdog();
  void report(double delivered_s, const ProcSample& cpu_delivered, uint64_t delivered_msgs, bool delivered_ok,
              const std::string& delivered_error);

  Options opt_;
  asio::io_context io_;
  AdtGenerator gen_;
  Totals totals_;
  Histogram latency_;
  std::vector<std::shared_ptr<Connection>> conns_;
  size_t finished_ = 0;
  asio::steady_timer watchdog_;
  Clock::time_point start_, send_until_, hard_deadline_, last_ack_;
  bool stop_sending_ = false;
  bool hard_timeout_ = false;
  ProcSample before_, after_;
  double elapsed_ = 0;
  uint64_t peak_rss_seen_kb_ = 0;
  double self_cpu_before_ = 0, self_cpu_after_ = 0;
  std::vector<CpuTimes> cpus_before_, cpus_after_;
};

Connection::Connection(Run& run, int index, uint64_t quota)
    : run_(run), index_(index), quota_(quota), socket_(run.io()), pace_timer_(run.io()) {
  if (run.opt().rate > 0) {
    // Each connection sends every N/R seconds, the connections interleaved.
    const double per_conn = run.opt().rate / run.opt().connections;
    interval_ = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / per_conn));
  }
}

void Connection::start(const tcp::endpoint& ep) {
  boost::system::error_code ec;
  socket_.connect(ep, ec);
  if (ec) return fail("connect to " + ep.address().to_string() + ":" + std::to_string(ep.port()) + ": " + ec.message());
  if (run_.opt().nodelay) socket_.set_option(tcp::no_delay(true), ec);
}

void Connection::pump() {
  if (done_ || writing_) return;
  const auto now = Clock::now();
  if (next_due_ == Clock::time_point{} && interval_.count() > 0)
    next_due_ = run_.start_time() + interval_ * index_ / run_.opt().connections;
  read();  // one read is always pending
  size_t room = static_cast<size_t>(run_.opt().window) - in_flight_.size();
  wbuf_.clear();
  while (room > 0 && seq_ < quota_ && run_.sending_allowed(now)) {
    if (interval_.count() > 0) {
      if (next_due_ > now) break;
      if (now - next_due_ > std::chrono::milliseconds(1)) ++run_.totals().late_sends;
      next_due_ += interval_;
    }
    ++seq_;
    in_flight_.push_back({run_.gen().append_frame(wbuf_, index_, seq_), now});
    ++run_.totals().sent;
    --room;
  }
  if (!wbuf_.empty()) {
    writing_ = true;
    asio::async_write(socket_, asio::buffer(wbuf_), [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
      self->writing_ = false;
      if (ec) return self->fail("write failed: " + ec.message());
      self->pump();
    });
    return;
  }
  // Nothing sent: paced and not due yet, or nothing left to send.
  if (interval_.count() > 0 && room > 0 && seq_ < quota_ && run_.sending_allowed(now) && !pace_armed_) {
    pace_armed_ = true;
    pace_timer_.expires_at(next_due_);
    pace_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      self->pace_armed_ = false;
      if (!ec) self->pump();
    });
  }
  finish_if_done();
}

void Connection::read() {
  if (read_pending_ || done_) return;
  read_pending_ = true;
  socket_.async_read_some(asio::buffer(rbuf_), [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
    self->read_pending_ = false;
    if (self->done_) return;
    if (ec) {
      const bool expected = self->in_flight_.empty() && !self->more_to_send();
      if (!expected) self->fail(ec == asio::error::eof ? "server closed the connection" : "read failed: " + ec.message());
      return;
    }
    self->on_bytes(self->rbuf_.data(), n, Clock::now());
    if (self->done_) return;
    self->read();
    self->pump();
  });
}

void Connection::on_bytes(const char* p, size_t n, Clock::time_point now) {
  for (size_t i = 0; i < n; ++i) {
    const char c = p[i];
    if (!in_frame_) {
      if (c == SB) {
        in_frame_ = true;
        frame_.clear();
      }
      continue;  // bytes between frames (the CR after EB) are skipped
    }
    if (c == EB) {
      in_frame_ = false;
      on_ack(frame_, now);
      if (done_) return;
      continue;
    }
    // Copy the run up to the next EB at once.
    const void* e = std::memchr(p + i, EB, n - i);
    const size_t stop = e ? static_cast<size_t>(static_cast<const char*>(e) - p) : n;
    frame_.append(p + i, stop - i);
    i = stop - 1;
  }
}

void Connection::on_ack(std::string_view ack, Clock::time_point now) {
  auto& t = run_.totals();
  run_.ack_seen(now);
  if (in_flight_.empty()) {
    ++t.stray;
    t.note("connection " + std::to_string(index_) + ": an ACK with no message awaiting one: " +
           std::string(ack.substr(0, 120)));
    return;
  }
  InFlight m = std::move(in_flight_.front());
  in_flight_.pop_front();
  run_.latency().add(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now - m.sent).count()));
  // The field separator is the byte after "MSH" (ACKs keep the sender's).
  const char fs = ack.size() > 3 && ack.substr(0, 3) == "MSH" ? ack[3] : '|';
  std::string_view msa;
  for (size_t pos = 0; pos < ack.size();) {
    size_t end = ack.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = ack.size();
    const auto seg = ack.substr(pos, end - pos);
    if (seg.size() > 4 && seg.substr(0, 3) == "MSA" && seg[3] == fs) {
      msa = seg;
      break;
    }
    pos = end + 1;
  }
  if (msa.empty()) {
    ++t.malformed;
    t.note("message " + m.control_id + ": answer without MSA: " + std::string(ack.substr(0, 120)));
    return;
  }
  std::vector<std::string_view> f;
  for (size_t pos = 0;;) {
    const size_t end = msa.find(fs, pos);
    f.push_back(msa.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos || f.size() > 3) break;
    pos = end + 1;
  }
  const std::string_view code = f.size() > 1 ? f[1] : std::string_view();
  const std::string_view id = f.size() > 2 ? f[2] : std::string_view();
  if (code != "AA") {
    ++t.nak;
    t.note("message " + m.control_id + ": MSA-1 " + std::string(code) + ": " + std::string(msa.substr(0, 160)));
  } else if (id != m.control_id) {
    ++t.wrong_id;
    t.note("message " + m.control_id + ": MSA-2 is \"" + std::string(id) + "\"");
  } else {
    ++t.acked_ok;
  }
}

bool Connection::more_to_send() const { return seq_ < quota_ && run_.sending_allowed(Clock::now()); }

void Connection::finish_if_done() {
  if (done_ || writing_ || !in_flight_.empty() || more_to_send()) return;
  done_ = true;
  boost::system::error_code ec;
  pace_timer_.cancel();
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  run_.connection_done();
}

void Connection::check_timeout(Clock::time_point now) {
  if (done_ || in_flight_.empty()) return;
  const auto waited = std::chrono::duration<double>(now - in_flight_.front().sent).count();
  if (waited > run_.opt().ack_timeout) {
    run_.totals().timeouts += 1;
    fail("no ACK for message " + in_flight_.front().control_id + " within " +
         std::to_string(run_.opt().ack_timeout) + " s");
  }
}

void Connection::abort(const std::string& why) {
  if (!done_) fail(why);
}

void Connection::fail(const std::string& why) {
  if (done_) return;
  auto& t = run_.totals();
  ++t.conn_errors;
  t.lost += in_flight_.size();
  t.note("connection " + std::to_string(index_) + ": " + why);
  in_flight_.clear();
  done_ = true;
  boost::system::error_code ec;
  pace_timer_.cancel();
  socket_.close(ec);
  run_.connection_done();
}

void Run::arm_watchdog() {
  watchdog_.expires_after(std::chrono::milliseconds(100));
  watchdog_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    const auto now = Clock::now();
    if (opt_.pid > 0) {
      const auto s = sample_process(opt_.pid);
      if (s.ok) peak_rss_seen_kb_ = std::max(peak_rss_seen_kb_, s.rss_kb);
    }
    if (now >= hard_deadline_) {
      hard_timeout_ = true;
      stop_sending_ = true;
      for (auto& c : conns_) c->abort("the run hit --max-seconds");
      return;
    }
    for (auto& c : conns_) {
      c->check_timeout(now);
      if (!c->done()) c->pump();  // duration over: lets idle connections finish
    }
    if (finished_ < conns_.size()) arm_watchdog();
  });
}

int Run::execute() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(opt_.host, ec);
  if (ec) usage("--host must be an IP address: " + ec.message());
  const tcp::endpoint ep(address, opt_.port);

  const uint64_t n = static_cast<uint64_t>(opt_.connections);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t quota = UINT64_MAX;
    if (opt_.count > 0) quota = opt_.count / n + (i < opt_.count % n ? 1 : 0);
    conns_.push_back(std::make_shared<Connection>(*this, static_cast<int>(i), quota));
  }
  for (auto& c : conns_) c->start(ep);  // connect all before the clock starts
  uint64_t delivered_base = 0;
  if (!opt_.delivered_file.empty()) {
    std::error_code fec;
    delivered_base = std::filesystem::exists(opt_.delivered_file, fec) ? std::filesystem::file_size(opt_.delivered_file, fec) : 0;
  }
  before_ = sample_process(opt_.pid);
  if (opt_.pid > 0 && !before_.ok) {
    std::cerr << "ferry_mllp_load: cannot read /proc/" << opt_.pid << "/stat\n";
    return 2;
  }
  self_cpu_before_ = self_cpu_seconds();
  cpus_before_ = sample_cpus();
  start_ = Clock::now();
  last_ack_ = start_;
  send_until_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt_.duration));
  hard_deadline_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt_.max_seconds));
  if (finished_ < conns_.size()) {
    arm_watchdog();
    for (auto& c : conns_) asio::post(io_, [c] { c->pump(); });
    io_.run();
  }
  const auto end = last_ack_;
  after_ = sample_process(opt_.pid);
  self_cpu_after_ = self_cpu_seconds();
  cpus_after_ = sample_cpus();
  if (after_.ok) peak_rss_seen_kb_ = std::max(peak_rss_seen_kb_, after_.rss_kb);
  elapsed_ = std::chrono::duration<double>(end - start_).count();

  // End to end: the destination file holds every message once it grew by
  // every payload byte sent (file.writer appends the content unchanged).
  double delivered_s = 0;
  uint64_t delivered_msgs = 0;
  bool delivered_ok = true;
  std::string delivered_error;
  ProcSample cpu_delivered;
  if (!opt_.delivered_file.empty()) {
    delivered_ok = false;
    const uint64_t want = delivered_base + gen_.payload_bytes();
    const auto limit = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt_.delivered_timeout));
    uint64_t size = 0;
    for (;;) {
      std::error_code fec;
      size = std::filesystem::exists(opt_.delivered_file, fec) ? std::filesystem::file_size(opt_.delivered_file, fec) : 0;
      const auto now = Clock::now();
      if (size >= want) {
        delivered_s = std::chrono::duration<double>(now - start_).count();
        cpu_delivered = sample_process(opt_.pid);
        if (cpu_delivered.ok) peak_rss_seen_kb_ = std::max(peak_rss_seen_kb_, cpu_delivered.rss_kb);
        break;
      }
      if (now >= limit) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (size < want) {
      delivered_error = "destination file has " + std::to_string(size - delivered_base) + " of " +
                        std::to_string(gen_.payload_bytes()) + " payload bytes after --delivered-timeout";
    } else {
      // Count the messages that arrived (each starts with "MSH|").
      std::ifstream in(opt_.delivered_file, std::ios::binary);
      in.seekg(static_cast<std::streamoff>(delivered_base));
      std::vector<char> buf(1 << 20);
      std::string carry;
      while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto got = static_cast<size_t>(in.gcount());
        if (got == 0) break;
        std::string chunk = carry + std::string(buf.data(), got);
        for (size_t pos = 0; (pos = chunk.find("MSH|^~\\&|", pos)) != std::string::npos; pos += 9) ++delivered_msgs;
        carry = chunk.size() > 8 ? chunk.substr(chunk.size() - 8) : chunk;
        // A match cannot lie wholly inside the 8 carried bytes (9 long), so none is counted twice.
      }
      delivered_ok = size == want && delivered_msgs == totals_.acked_ok;
      if (!delivered_ok)
        delivered_error = "destination file holds " + std::to_string(delivered_msgs) + " message(s) and " +
                          std::to_string(size - delivered_base) + " byte(s); expected " +
                          std::to_string(totals_.acked_ok) + " and " + std::to_string(gen_.payload_bytes());
    }
  }
  report(delivered_s, cpu_delivered, delivered_msgs, delivered_ok, delivered_error);
  const bool pass = totals_.errors() == 0 && !hard_timeout_ && totals_.acked_ok == totals_.sent &&
                    (opt_.count == 0 || totals_.acked_ok == opt_.count) && delivered_ok && totals_.sent > 0;
  return pass ? 0 : 1;
}

std::string json_escape(const std::string& s) {
  std::string o;
  for (const char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += c;
    else if (static_cast<unsigned char>(c) < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      o += b;
    } else o += c;
  }
  return o;
}

std::string fixed(double v, int digits) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(digits) << v;
  return o.str();
}

void Run::report(double delivered_s, const ProcSample& cpu_delivered, uint64_t delivered_msgs, bool delivered_ok,
                 const std::string& delivered_error) {
  const auto& t = totals_;
  const double rate = elapsed_ > 0 ? static_cast<double>(t.acked_ok) / elapsed_ : 0;
  const auto ms = [&](double q) { return static_cast<double>(latency_.quantile(q)) / 1e6; };
  const double p50 = ms(0.50), p90 = ms(0.90), p99 = ms(0.99), p999 = ms(0.999);
  const double lmax = static_cast<double>(latency_.max()) / 1e6, lmin = static_cast<double>(latency_.min()) / 1e6;
  const double lmean = latency_.mean() / 1e6;
  const bool server = opt_.pid > 0 && before_.ok && after_.ok;
  const double user = server ? after_.user_s - before_.user_s : 0, sys = server ? after_.sys_s - before_.sys_s : 0;
  const double cpu = user + sys;
  const double us_per_msg = t.acked_ok ? cpu * 1e6 / static_cast<double>(t.acked_ok) : 0;
  const double self_cpu = self_cpu_after_ - self_cpu_before_;
  const double avg_payload = t.sent ? static_cast<double>(gen_.payload_bytes()) / static_cast<double>(t.sent) : 0;
  const bool delivered = !opt_.delivered_file.empty();
  const double delivered_rate = delivered && delivered_s > 0 ? static_cast<double>(delivered_msgs) / delivered_s : 0;
  const double delivered_cpu = delivered && server && cpu_delivered.ok
                                   ? cpu_delivered.user_s + cpu_delivered.sys_s - before_.user_s - before_.sys_s
                                   : 0;
  const bool pass = t.errors() == 0 && !hard_timeout_ && t.acked_ok == t.sent &&
                    (opt_.count == 0 || t.acked_ok == opt_.count) && delivered_ok && t.sent > 0;
  const std::string mode = opt_.window == 1 ? "synchronous" : "pipelined";

  std::ostringstream o;
  o << "== ferry_mllp_load: " << opt_.label << " ==\n";
  o << "target      " << opt_.host << ":" << opt_.port << ", " << opt_.connections << " connection(s), "
    << (opt_.window == 1 ? std::string("synchronous") : "pipelined, window " + std::to_string(opt_.window)) << ", "
    << (opt_.count ? std::to_string(opt_.count) + " messages" : fixed(opt_.duration, 1) + " s of sending")
    << (opt_.rate > 0 ? ", paced to " + fixed(opt_.rate, 0) + " msg/s" : ", unpaced") << "\n";
  o << "messages    " << t.sent << " sent, " << t.acked_ok << " ACKed AA with the right MSA-2, " << t.errors()
    << " error(s); payload " << fixed(avg_payload, 0) << " B average (" << gen_.min_payload() << ".."
    << gen_.max_payload() << ")\n";
  o << "elapsed     " << fixed(elapsed_, 3) << " s (first send to last ACK)\n";
  o << "throughput  " << fixed(rate, 0) << " msg/s";
  if (opt_.rate > 0) o << " (asked " << fixed(opt_.rate, 0) << "; " << t.late_sends << " send(s) >1 ms behind schedule)";
  o << "\n";
  o << "latency     send to ACK: p50 " << fixed(p50, 3) << " ms, p90 " << fixed(p90, 3) << " ms, p99 " << fixed(p99, 3)
    << " ms, p99.9 " << fixed(p999, 3) << " ms, max " << fixed(lmax, 3) << " ms (min " << fixed(lmin, 3) << ", mean "
    << fixed(lmean, 3) << ")\n";
  if (server) {
    o << "server      pid " << opt_.pid << ": CPU " << fixed(cpu, 2) << " s (user " << fixed(user, 2) << ", sys "
      << fixed(sys, 2) << ") = " << fixed(us_per_msg, 1) << " us/msg, " << fixed(elapsed_ > 0 ? 100 * cpu / elapsed_ : 0, 0)
      << "% of one core\n";
    o << "server RSS  peak (VmHWM) " << fixed(static_cast<double>(after_.hwm_kb) / 1024, 1) << " MiB, at end (VmRSS) "
      << fixed(static_cast<double>(after_.rss_kb) / 1024, 1) << " MiB, at start " << fixed(static_cast<double>(before_.rss_kb) / 1024, 1)
      << " MiB\n";
  } else if (opt_.pid > 0) {
    o << "server      pid " << opt_.pid << ": /proc not readable at the end (did it exit?)\n";
  }
  // How busy each CPU was during the run (the machine may be shared).
  std::vector<double> busy_pct, steal_pct;
  for (size_t i = 0; i < cpus_before_.size() && i < cpus_after_.size(); ++i) {
    const double total = cpus_after_[i].total - cpus_before_[i].total;
    busy_pct.push_back(total > 0 ? 100 * (cpus_after_[i].busy - cpus_before_[i].busy) / total : 0);
    steal_pct.push_back(total > 0 ? 100 * (cpus_after_[i].steal - cpus_before_[i].steal) / total : 0);
  }
  const double server_pct = elapsed_ > 0 ? 100 * cpu / elapsed_ : 0;
  const bool have_server_cpu = opt_.server_cpu >= 0 && static_cast<size_t>(opt_.server_cpu) < busy_pct.size();
  const double others_pct = have_server_cpu && server ? std::max(0.0, busy_pct[static_cast<size_t>(opt_.server_cpu)] - server_pct) : 0;
  if (!busy_pct.empty()) {
    o << "machine     CPU busy:";
    for (size_t i = 0; i < busy_pct.size(); ++i)
      o << (i ? "," : "") << " cpu" << i << " " << fixed(busy_pct[i], 0) << "% (steal " << fixed(steal_pct[i], 0) << "%)";
    if (have_server_cpu && server)
      o << "; on cpu" << opt_.server_cpu << " other processes took ~" << fixed(others_pct, 0) << "% besides the server";
    o << "\n";
  }
  o << "loadgen     CPU " << fixed(self_cpu, 2) << " s (" << fixed(elapsed_ > 0 ? 100 * self_cpu / elapsed_ : 0, 0)
    << "% of one core)\n";
  if (delivered) {
    if (delivered_s > 0)
      o << "delivered   " << delivered_msgs << " message(s) in " << opt_.delivered_file << " " << fixed(delivered_s, 3)
        << " s after the first send: " << fixed(delivered_rate, 0) << " msg/s end to end"
        << "\n";
    if (delivered_s > 0 && server && cpu_delivered.ok)
      o << "delivered   server CPU until then " << fixed(delivered_cpu, 2) << " s; RSS then " << fixed(static_cast<double>(cpu_delivered.rss_kb) / 1024, 1)
        << " MiB, peak (VmHWM) " << fixed(static_cast<double>(cpu_delivered.hwm_kb) / 1024, 1) << " MiB\n";
    if (!delivered_ok) o << "delivered   FAILED: " << delivered_error << "\n";
  }
  if (hard_timeout_) o << "problem     the run hit --max-seconds (" << fixed(opt_.max_seconds, 0) << " s)\n";
  if (t.errors()) {
    o << "errors      NAK " << t.nak << ", wrong MSA-2 " << t.wrong_id << ", no MSA " << t.malformed << ", stray ACK "
      << t.stray << ", ACK timeout " << t.timeouts << ", lost in flight " << t.lost << ", failed connections "
      << t.conn_errors << "\n";
  }
  for (const auto& s : t.samples) o << "problem     " << s << "\n";
  o << "result      " << (pass ? "PASS" : "FAIL") << "\n";
  std::cout << o.str();

  std::ostringstream j;
  j << "{\"label\":\"" << json_escape(opt_.label) << "\",\"host\":\"" << json_escape(opt_.host) << "\",\"port\":" << opt_.port
    << ",\"connections\":" << opt_.connections << ",\"window\":" << opt_.window << ",\"mode\":\"" << mode
    << "\",\"count\":" << opt_.count << ",\"duration_s\":" << opt_.duration << ",\"rate_asked\":" << opt_.rate
    << ",\"sent\":" << t.sent << ",\"acked_ok\":" << t.acked_ok << ",\"errors\":" << t.errors() << ",\"nak\":" << t.nak
    << ",\"wrong_id\":" << t.wrong_id << ",\"no_msa\":" << t.malformed << ",\"stray\":" << t.stray
    << ",\"timeouts\":" << t.timeouts << ",\"lost\":" << t.lost << ",\"failed_connections\":" << t.conn_errors
    << ",\"late_sends\":" << t.late_sends << ",\"avg_payload_bytes\":" << fixed(avg_payload, 1)
    << ",\"payload_bytes\":" << gen_.payload_bytes() << ",\"elapsed_s\":" << fixed(elapsed_, 6)
    << ",\"msgs_per_s\":" << fixed(rate, 1) << ",\"p50_ms\":" << fixed(p50, 4) << ",\"p90_ms\":" << fixed(p90, 4)
    << ",\"p99_ms\":" << fixed(p99, 4) << ",\"p999_ms\":" << fixed(p999, 4) << ",\"max_ms\":" << fixed(lmax, 4)
    << ",\"min_ms\":" << fixed(lmin, 4) << ",\"mean_ms\":" << fixed(lmean, 4);
  if (server) {
    j << ",\"server_pid\":" << opt_.pid << ",\"server_cpu_s\":" << fixed(cpu, 3) << ",\"server_user_s\":" << fixed(user, 3)
      << ",\"server_sys_s\":" << fixed(sys, 3) << ",\"server_cpu_us_per_msg\":" << fixed(us_per_msg, 2)
      << ",\"server_vmhwm_kb\":" << after_.hwm_kb << ",\"server_vmrss_kb\":" << after_.rss_kb
      << ",\"server_rss_start_kb\":" << before_.rss_kb << ",\"server_rss_max_seen_kb\":" << peak_rss_seen_kb_;
  }
  j << ",\"loadgen_cpu_s\":" << fixed(self_cpu, 3);
  j << ",\"cpu_busy_pct\":[";
  for (size_t i = 0; i < busy_pct.size(); ++i) j << (i ? "," : "") << fixed(busy_pct[i], 1);
  j << "],\"cpu_steal_pct\":[";
  for (size_t i = 0; i < steal_pct.size(); ++i) j << (i ? "," : "") << fixed(steal_pct[i], 1);
  j << "]";
  if (have_server_cpu && server) j << ",\"server_cpu_others_pct\":" << fixed(others_pct, 1);
  if (delivered) {
    j << ",\"delivered_msgs\":" << delivered_msgs << ",\"delivered_s\":" << fixed(delivered_s, 6)
      << ",\"delivered_msgs_per_s\":" << fixed(delivered_rate, 1) << ",\"delivered_ok\":" << (delivered_ok ? "true" : "false");
    if (server && cpu_delivered.ok)
      j << ",\"server_cpu_s_delivered\":" << fixed(delivered_cpu, 3) << ",\"server_vmhwm_kb_delivered\":" << cpu_delivered.hwm_kb
        << ",\"server_vmrss_kb_delivered\":" << cpu_delivered.rss_kb;
  }
  j << ",\"pass\":" << (pass ? "true" : "false") << "}";
  std::cout << j.str() << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Run run(parse_options(argc, argv));
    return run.execute();
  } catch (const std::exception& e) {
    std::cerr << "ferry_mllp_load: " << e.what() << "\n";
    return 1;
  }
}
