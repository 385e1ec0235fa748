// ferry messages list|search|show|reprocess|resend: the store from the
// command line, while the engine runs or offline.
#include <boost/program_options.hpp>

#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/store_access.hpp"
#include "store/admin.hpp"

namespace ferry::cli {

namespace po = boost::program_options;
using nlohmann::ordered_json;

namespace {

ordered_json meta_json(const store::Metadata& meta) {
  ordered_json j = ordered_json::object();
  for (const auto& [k, v] : meta) j[k] = v;
  return j;
}

ordered_json summary_json(const store::MessageRecord& m) {
  ordered_json j = {{"id", m.id},         {"channel", m.channel},           {"received_at", format_time(m.received_at)},
                    {"status", m.overall}, {"message_status", m.status},   {"content_type", m.content_type},
                    {"metadata", meta_json(m.meta)}};
  if (m.error) j["error"] = *m.error;
  return j;
}

ordered_json detail_json(const store::MessageRecord& m) {
  ordered_json j = summary_json(m);
  j["raw"] = m.raw ? ordered_json(*m.raw) : ordered_json(nullptr);
  j["transformed"] = m.transformed ? ordered_json(*m.transformed) : ordered_json(nullptr);
  if (m.transformed_type) j["transformed_type"] = *m.transformed_type;
  ordered_json ds = ordered_json::array();
  for (const auto& d : m.deliveries) {
    ordered_json dj = {{"destination", d.destination},
                       {"status", d.status},
                       {"attempts", d.attempts},
                       {"updated_at", format_time(d.updated_at)}};
    if (d.last_error) dj["last_error"] = *d.last_error;
    if (d.response) dj["response"] = *d.response;
    if (d.response_type) dj["response_type"] = *d.response_type;
    ds.push_back(dj);
  }
  j["destinations"] = ds;
  return j;
}

std::string dump(const ordered_json& j) {
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace);
}

// HL7 uses CR between segments; print them as line breaks.
std::string printable(const std::string& s) {
  std::string out = s;
  for (auto& c : out)
    if (c == '\r') c = '\n';
  return out;
}

int list(const std::vector<std::string>& args, bool search) {
  po::options_description opts(search ? "ferry messages search: find stored messages (newest first)"
                                      : "ferry messages list: stored messages, newest first");
  opts.add_options()("help,h", "show this help")("json", "print JSON")(
      "channel", po::value<std::string>(), "only this channel")(
      "status", po::value<std::string>(), "received|queued|sent|filtered|error")(
      "since", po::value<std::string>(), "received at or after (unix ms, YYYY-MM-DD[THH:MM:SS], or 30m/2h/7d ago)")(
      "until", po::value<std::string>(), "received before (same forms)")(
      "meta", po::value<std::vector<std::string>>(), "KEY=VALUE metadata match (repeatable), e.g. control_id=MSG0001")(
      "text", po::value<std::string>(), "raw or transformed content contains this text")(
      "limit", po::value<int64_t>()->default_value(50), "at most this many");
  add_store_options(opts);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << "Usage: ferry messages " << (search ? "search" : "list") << " [filters] [--json]\n" << opts;
    return 0;
  }
  store::MessageQuery q;
  if (vm.count("channel")) q.channel = vm["channel"].as<std::string>();
  if (vm.count("status")) q.status = vm["status"].as<std::string>();
  if (vm.count("text")) q.text = vm["text"].as<std::string>();
  q.limit = vm["limit"].as<int64_t>();
  for (const char* key : {"since", "until"}) {
    if (!vm.count(key)) continue;
    auto t = parse_time(vm[key].as<std::string>());
    if (!t) throw po::error(std::string("--") + key + ": cannot read time '" + vm[key].as<std::string>() + "'");
    (std::string(key) == "since" ? q.since_ms : q.until_ms) = t;
  }
  if (vm.count("meta"))
    for (const auto& kv : vm["meta"].as<std::vector<std::string>>()) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) throw po::error("--meta wants KEY=VALUE, got '" + kv + "'");
      q.meta.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
  if (search && !q.text && q.meta.empty() && !q.status && !q.channel && !q.since_ms && !q.until_ms)
    throw po::error("search needs at least one filter (--meta, --text, --status, --channel, --since, --until)");

  auto db = open_store(vm);
  const auto rows = store::list_messages(*db, q);
  if (vm.count("json")) {
    ordered_json out = ordered_json::array();
    for (const auto& m : rows) out.push_back(summary_json(m));
    std::cout << dump(out) << "\n";
    return 0;
  }
  std::cout << std::left << std::setw(8) << "ID" << std::setw(26) << "RECEIVED" << std::setw(20) << "CHANNEL"
            << std::setw(10) << "STATUS" << "METADATA\n";
  for (const auto& m : rows) {
    std::string meta;
    for (const auto& [k, v] : m.meta) meta += (meta.empty() ? "" : " ") + k + "=" + v;
    std::cout << std::setw(8) << m.id << std::setw(26) << format_time(m.received_at) << std::setw(20) << m.channel
              << std::setw(10) << m.overall << meta << "\n";
  }
  return 0;
}

int show(const std::vector<std::string>& args) {
  po::options_description opts("ferry messages show: one stored message with its content and deliveries");
  opts.add_options()("help,h", "show this help")("json", "print JSON")("id", po::value<int64_t>(), "message id");
  add_store_options(opts);
  po::positional_options_description pos;
  pos.add("id", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help") || !vm.count("id")) {
    std::cout << "Usage: ferry messages show ID [--json]\n" << opts;
    return vm.count("help") ? 0 : 2;
  }
  auto db = open_store(vm);
  const auto m = store::find_message(*db, vm["id"].as<int64_t>());
  if (!m) {
    std::cerr << "no message " << vm["id"].as<int64_t>() << "\n";
    return 1;
  }
  if (vm.count("json")) {
    std::cout << dump(detail_json(*m)) << "\n";
    return 0;
  }
  std::cout << "message " << m->id << "  channel " << m->channel << "  received " << format_time(m->received_at)
            << "  status " << m->overall << " (" << m->status << ")\n";
  for (const auto& [k, v] : m->meta) std::cout << "  " << k << " = " << v << "\n";
  if (m->error) std::cout << "error: " << *m->error << "\n";
  if (m->raw) std::cout << "--- raw (" << m->content_type << ", " << m->raw->size() << " bytes)\n" << printable(*m->raw) << "\n";
  else std::cout << "--- raw: not kept (storage level)\n";
  if (m->transformed)
    std::cout << "--- transformed (" << m->transformed_type.value_or("") << ", " << m->transformed->size()
              << " bytes)\n"
              << printable(*m->transformed) << "\n";
  for (const auto& d : m->deliveries) {
    std::cout << "--- destination " << d.destination << ": " << d.status << ", " << d.attempts << " attempt(s), "
              << format_time(d.updated_at) << "\n";
    if (d.last_error) std::cout << "  last error: " << *d.last_error << "\n";
    if (d.response) std::cout << "  response (" << d.response_type.value_or("") << "):\n" << printable(*d.response) << "\n";
  }
  return 0;
}

int command(const std::vector<std::string>& args, const std::string& name) {
  po::options_description opts(name == "reprocess"
                                   ? "ferry messages reprocess: run stored messages through their channel again "
                                     "(as new messages)"
                                   : "ferry messages resend: put errored or queued deliveries back in their queue");
  opts.add_options()("help,h", "show this help")("ids", po::value<std::vector<int64_t>>(), "message ids")(
      "destination", po::value<std::vector<std::string>>(), "only this destination (repeatable)");
  add_store_options(opts);
  po::positional_options_description pos;
  pos.add("ids", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help") || !vm.count("ids")) {
    std::cout << "Usage: ferry messages " << name << " ID... [--destination D]...\n"
              << "The engine carries it out within engine.command_poll_ms if it runs, otherwise at its next\n"
              << "start; a command for a channel that is not running is dropped with a warning.\n"
              << opts;
    return vm.count("help") ? 0 : 2;
  }
  const auto destinations =
      vm.count("destination") ? vm["destination"].as<std::vector<std::string>>() : std::vector<std::string>{};
  auto db = open_store(vm);
  int status = 0;
  for (int64_t id : vm["ids"].as<std::vector<int64_t>>()) {
    const auto m = store::find_message(*db, id);
    if (!m) {
      std::cerr << "no message " << id << "\n";
      status = 1;
      continue;
    }
    if (name == "reprocess" && !m->raw) {
      std::cerr << "message " << id << ": raw content was not kept (storage level), cannot reprocess\n";
      status = 1;
      continue;
    }
    if (name == "resend" && !m->transformed) {
      // What the destinations got is gone (storage level): sending the raw
      // content instead would send something else.
      std::cerr << "message " << id << ": its transformed content was not kept (storage level), cannot resend"
                << (m->raw ? "; use `ferry messages reprocess` to run it through the channel again" : "") << "\n";
      status = 1;
      continue;
    }
    store::add_command(*db, name, id, destinations);
    std::cout << name << " " << id << " (channel " << m->channel << "): queued for the engine\n";
  }
  return status;
}

}  // namespace

int messages_command(const std::vector<std::string>& args) {
  const char* usage =
      "Usage: ferry messages <list|search|show|reprocess|resend> [options]\n"
      "  list       stored messages, newest first (filters: --channel --status --since --until --meta --text)\n"
      "  search     the same, with at least one filter\n"
      "  show ID    one message: metadata, raw and transformed content, each destination's status and response\n"
      "  reprocess  run stored messages through their channel again\n"
      "  resend     put errored or queued deliveries back in their queue\n"
      "Every subcommand takes -c FILE (default config/ferry.json) or --data-dir DIR, and --help.\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "list") return list(rest, false);
  if (args[0] == "search") return list(rest, true);
  if (args[0] == "show") return show(rest);
  if (args[0] == "reprocess" || args[0] == "resend") return command(rest, args[0]);
  std::cerr << "ferry messages: unknown subcommand '" << args[0] << "'\n" << usage;
  return 2;
}

}  // namespace ferry::cli
