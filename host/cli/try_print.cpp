#include "cli/try_print.hpp"

#include "dryrun/dry_run.hpp"
#include "dryrun/render.hpp"

namespace ferry::cli {

namespace {

using dryrun::Snapshot;

std::string result_word(ferry_status_t s) {
  return s == FERRY_OK ? "ok" : s == FERRY_FILTERED ? "FILTERED" : "ERROR";
}

// With `before`, only what changed is shown again.
void print_message(std::ostream& out, const Snapshot& s, const Snapshot* before, const char* indent) {
  const bool same_content =
      before != nullptr && s.content == before->content && s.content_type == before->content_type;
  out << indent << "content: " << (same_content ? "unchanged, " : "")
      << dryrun::describe(s.content, s.content_type) << (before != nullptr && !same_content ? " (changed)" : "")
      << "\n";
  if (!same_content) dryrun::print_block(out, s.content, indent);
  if (before != nullptr && s.meta == before->meta) out << indent << "metadata: unchanged\n";
  else dryrun::print_meta(out, s.meta, indent, before == nullptr ? nullptr : &before->meta);
}

// Each step with the message as it left it, compared with the message before.
void print_steps(std::ostream& out, const std::vector<dryrun::Step>& steps, size_t configured, const Snapshot& start) {
  const Snapshot* before = &start;
  for (const auto& s : steps) {
    out << "-- " << s.name << " (" << s.type << "): " << result_word(s.status);
    if (s.status != FERRY_OK) out << ": " << s.reason;
    out << "\n";
    print_message(out, s.after, before, "   ");
    before = &s.after;
  }
  if (steps.size() < configured) {
    const size_t left = configured - steps.size();
    out << "   (" << left << (left == 1 ? " later transformer was" : " later transformers were") << " not run)\n";
  }
}

std::string stopped(const dryrun::Outcome& o) {
  return std::string(o.status == FERRY_FILTERED ? "filtered by " : "failed in ") + o.text;
}

}  // namespace

void print_trace(std::ostream& out, const config::ChannelSpec& channel, const std::filesystem::path& config_file,
                 const dryrun::Trace& trace, bool content_type_guessed) {
  out << "Dry run of channel " << dryrun::quote(channel.id) << " in " << config_file.string() << "\n"
      << "Only transformers run: no source, destination, store or network. The message has id "
      << dryrun::kMessageId << ".\n\n";

  out << "== input" << (content_type_guessed ? " (content type guessed from the content)" : "") << "\n";
  print_message(out, trace.input, nullptr, "   ");

  out << "\n== channel transformers\n";
  if (channel.transformers.empty()) out << "   (none)\n";
  print_steps(out, trace.channel_steps, channel.transformers.size(), trace.input);
  const Snapshot& after_channel = trace.channel_steps.empty() ? trace.input : trace.channel_steps.back().after;
  if (trace.channel.status != FERRY_OK)
    out << "=> the message stops here (" << stopped(trace.channel) << "): no destination gets it\n";

  for (size_t i = 0; i < trace.destinations.size(); ++i) {
    const auto& d = trace.destinations[i];
    const auto& spec = channel.destinations[i];
    out << "\n== destination " << dryrun::quote(d.id) << " (" << d.type << ", not called)\n";
    if (!d.reached) {
      out << "   not reached: the channel transformers stopped the message\n";
      continue;
    }
    if (spec.transformers.empty()) out << "   (no transformers of its own)\n";
    print_steps(out, d.steps, spec.transformers.size(), after_channel);
    if (d.outcome.status == FERRY_OK && !d.steps.empty()) {
      out << "=> " << d.id << " would receive the message as its last transformer left it (above)\n";
    } else if (d.outcome.status == FERRY_OK) {
      out << "=> " << d.id << " would receive:\n";
      print_message(out, d.received, nullptr, "   ");
    } else {
      out << "=> not delivered: " << stopped(d.outcome) << "\n";
    }
  }

  out << "\n== summary\n";
  out << "   channel: "
      << (trace.channel.status == FERRY_OK ? "passed (" + std::to_string(channel.transformers.size()) + " transformer" +
                                                 (channel.transformers.size() == 1 ? ")" : "s)")
                                           : stopped(trace.channel))
      << "\n";
  for (const auto& d : trace.destinations) {
    out << "   destination " << dryrun::quote(d.id) << ": ";
    if (!d.reached) out << "not reached\n";
    else if (d.outcome.status == FERRY_OK)
      out << "would receive " << dryrun::describe(d.received.content, d.received.content_type) << "\n";
    else out << "not delivered, " << stopped(d.outcome) << "\n";
  }
}

}  // namespace ferry::cli
