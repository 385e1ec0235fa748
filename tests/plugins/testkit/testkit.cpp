// testkit: one component of every kind, written with the C++ layer, used by
// the tests to drive the host through its whole ABI.
#include <ferry/plugin.hpp>

#include <atomic>
#include <fstream>
#include <mutex>

namespace {

// Emits `count` messages "<prefix><n>", one every interval_ms, and one more
// on each poll() when a schedule drives it.
class Counter : public ferry::Source {
 public:
  static constexpr const char* type = "testkit.counter";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Emits numbered test messages on a timer or on each poll";
  static constexpr std::array config_keys = {
      ferry::Key::integer("count").describe("Messages to emit on the timer (0: only on poll)").fallback("0").min(0),
      ferry::Key::integer("interval_ms").describe("Pause between timer messages").fallback("10").range(1, 60000),
      ferry::Key::string("prefix").describe("Content prefix").fallback("\"msg-\""),
      ferry::Key::string("content_type").describe("Content type").fallback("\"text/plain\""),
      ferry::Key::string("ack_log").describe("Append the content of every message the channel took (OK) here").fallback("\"\""),
      ferry::Key::integer("dedupe_modulo").describe("Set metadata dedupe_key to seq mod this (0: no key)").fallback("0").min(0),
  };

  Counter(ferry::Instance self, const ferry::Config& c)
      : Source(self),
        count_(c.integer("count")),
        interval_(c.integer("interval_ms")),
        prefix_(c.string("prefix")),
        content_type_(c.string("content_type")),
        dedupe_modulo_(c.integer("dedupe_modulo")) {
    const std::string ack_log = c.string("ack_log");
    if (!ack_log.empty()) {
      ack_log_.open(ack_log, std::ios::app);
      if (!ack_log_) throw ferry::Error("cannot open ack_log " + ack_log);
    }
  }

  void start() override {
    if (count_ > 0) timer_ = timer(interval_, interval_, [this] { tick(); });
  }
  void poll() override { emit_next(); }

 private:
  void tick() {
    if (emitted_ >= count_) {
      cancel_timer(timer_);
      return;
    }
    emit_next();
  }
  void emit_next() {
    const int64_t n = emitted_ + 1;
    auto m = ferry::Message::create(prefix_ + std::to_string(n), content_type_);
    m.set_meta("seq", std::to_string(n));
    if (dedupe_modulo_ > 0) m.set_meta("dedupe_key", "k" + std::to_string(n % dedupe_modulo_));
    const std::string content(m.content());
    const ferry_status_t s = emit(m, [this, n, content](ferry::EmitResult r) {
      self().count(r.status == FERRY_OK ? "acked" : "nacked");
      if (r.status == FERRY_OK && ack_log_.is_open()) {
        std::lock_guard lock(ack_mutex_);
        // A crash after this line must not lose the message. With a response
        // (channel response.from), it is logged too: "content|response".
        ack_log_ << content << (r.response ? "|" + std::string(r.response.content()) : std::string())
                 << (dedupe_modulo_ > 0 ? " id=" + std::to_string(r.message_id) + " " + std::string(r.error) : "")
                 << "\n" << std::flush;
      }
      if (r.status != FERRY_OK && r.status != FERRY_FILTERED)
        self().warn("message " + std::to_string(n) + " not accepted: " + std::string(r.error));
    });
    if (s == FERRY_OK) ++emitted_;  // on RETRY (backpressure) the same n is tried next tick
  }

  int64_t count_, interval_;
  std::string prefix_, content_type_;
  int64_t dedupe_modulo_;
  std::atomic<int64_t> emitted_{0};
  uint64_t timer_ = 0;
  std::mutex ack_mutex_;
  std::ofstream ack_log_;
};

// Fires every interval_ms, at most `limit` times (0: forever).
class Every : public ferry::Scheduler {
 public:
  static constexpr const char* type = "testkit.every";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Fires at a fixed interval";
  static constexpr std::array config_keys = {
      ferry::Key::integer("interval_ms").describe("Interval").required().range(1, 86400000),
      ferry::Key::integer("limit").describe("Stop after this many fires (0: never)").fallback("0").min(0),
  };
  Every(ferry::Instance self, const ferry::Config& c)
      : Scheduler(self), interval_(c.integer("interval_ms")), limit_(c.integer("limit")) {}
  std::optional<int64_t> next_fire(int64_t after_ms) override {
    if (limit_ > 0 && fired_ >= limit_) return std::nullopt;
    ++fired_;
    return after_ms + interval_;
  }

 private:
  int64_t interval_, limit_, fired_ = 0;
};

// Tags, changes, filters or fails messages by content.
class Tag : public ferry::Transformer {
 public:
  static constexpr const char* type = "testkit.tag";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Sets metadata, appends text, filters or fails by content";
  static constexpr const char* const modes[] = {"append", "replace", nullptr};
  static constexpr std::array config_keys = {
      ferry::Key::string("key").describe("Metadata key to set").fallback("\"tag\""),
      ferry::Key::string("value").describe("Metadata value").fallback("\"yes\""),
      ferry::Key::string("suffix").describe("Text appended to the content").fallback("\"\""),
      ferry::Key::string("mode").describe("How suffix is applied").fallback("\"append\"").one_of(modes),
      ferry::Key::string("filter_if").describe("Filter messages whose content contains this").fallback("\"\""),
      ferry::Key::string("fail_if").describe("Fail messages whose content contains this").fallback("\"\""),
      ferry::Key::string("token").describe("A secret, only to test secret handling").fallback("\"\"").secret(),
  };
  Tag(ferry::Instance self, const ferry::Config& c)
      : Transformer(self),
        key_(c.string("key")),
        value_(c.string("value")),
        suffix_(c.string("suffix")),
        replace_(c.string("mode") == "replace"),
        filter_if_(c.string("filter_if")),
        fail_if_(c.string("fail_if")) {}
  void transform(ferry::Message& m) override {
    const std::string content(m.content());
    if (!filter_if_.empty() && content.find(filter_if_) != std::string::npos)
      throw ferry::Filtered("content contains '" + filter_if_ + "'");
    if (!fail_if_.empty() && content.find(fail_if_) != std::string::npos)
      throw ferry::Error("content contains '" + fail_if_ + "'");
    m.set_meta(key_, value_);
    if (!suffix_.empty()) m.set_content(replace_ ? suffix_ : content + suffix_);
  }

 private:
  std::string key_, value_, suffix_;
  bool replace_;
  std::string filter_if_, fail_if_;
};

// Appends "<content>|<meta k=v,...>" lines to a file; can answer "retry
// later" for the first N sends to exercise the retry path.
class Sink : public ferry::SyncDestination {
 public:
  static constexpr const char* type = "testkit.sink";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Appends each message as a line to a file";
  static constexpr std::array config_keys = {
      ferry::Key::string("path").describe("File to append to").required().min(1),
      ferry::Key::integer("retry_first").describe("Answer retry-later to the first N sends").fallback("0").min(0),
      ferry::Key::boolean("with_meta").describe("Append metadata to each line").fallback("false"),
      ferry::Key::string("retry_if").describe("Answer retry-later to every message whose content contains this").fallback("\"\""),
  };
  Sink(ferry::Instance self, const ferry::Config& c)
      : SyncDestination(self),
        path_(c.string("path")),
        retry_first_(c.integer("retry_first")),
        with_meta_(c.boolean("with_meta")),
        retry_if_(c.string("retry_if")) {}
  ferry::Message deliver(const ferry::Message& m) override {
    if (sends_++ < retry_first_) throw ferry::RetryLater("testkit.sink told to retry");
    if (!retry_if_.empty() && m.content().find(retry_if_) != std::string_view::npos)
      throw ferry::RetryLater("content contains '" + retry_if_ + "'");
    std::ofstream out(path_, std::ios::app);
    if (!out) throw ferry::RetryLater("cannot open " + path_);
    out << m.content();
    if (with_meta_) {
      out << "|";
      for (const auto& [k, v] : m.meta_all()) out << k << "=" << v << ";";
    }
    out << "\n";
    out.flush();
    if (!out) throw ferry::RetryLater("cannot write " + path_);
    self().count("written");
    return ferry::Message::create("written", "text/plain");
  }

 private:
  std::string path_;
  int64_t retry_first_;
  bool with_meta_;
  std::string retry_if_;
  int64_t sends_ = 0;
};

// A misbehaving destination: completes every delivery twice and then reads
// the stale handle, as a buggy third-party plugin might.
class Rogue : public ferry::Destination {
 public:
  static constexpr const char* type = "testkit.rogue";
  static constexpr const char* version = "1.0.0";
  static constexpr const char* description = "Completes each delivery twice (tests the host's defences)";
  Rogue(ferry::Instance self, const ferry::Config&) : Destination(self) {}
  void send(ferry::Delivery& d) override {
    ferry_delivery_t* raw = d.handle();
    d.complete(FERRY_OK);
    ferry::host().delivery_complete(raw, FERRY_ERROR, nullptr, "again", 5);
    if (ferry::host().delivery_message(raw) != nullptr) self().error("stale handle still gives a message");
  }
};

}  // namespace

FERRY_PLUGIN("testkit", "1.0.0", "Test components of every kind", ferry::component<Counter>(),
             ferry::component<Every>(), ferry::component<Tag>(), ferry::component<Sink>(), ferry::component<Rogue>());
