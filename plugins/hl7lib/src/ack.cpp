// make_ack, make_reject_for_unparsable, read_ack.
#include "ferry/hl7/ack.hpp"

#include <iterator>
#include <string>
#include <vector>

#include "charset.hpp"
#include "control_id.hpp"
#include "delimiters.hpp"
#include "escape.hpp"
#include "message_impl.hpp"
#include "tokenize.hpp"

namespace ferry::hl7 {

namespace {

// "" is the HL7 null: explicitly empty, so it does not ask for enhanced mode.
bool valued(std::string_view v) { return !v.empty() && v != "\"\""; }

std::string ack_code(bool enhanced, AckOutcome outcome) {
  std::string code(1, enhanced ? 'C' : 'A');
  code += outcome == AckOutcome::accept ? 'A' : outcome == AckOutcome::error ? 'E' : 'R';
  return code;
}

// ERR (segment, code, severity, user message) exists from v2.5 on; older
// receivers would misread its fields, so they get MSA-3 only.
bool has_v25_err(std::string_view version) {
  size_t i = 0;
  const auto number = [&](int& out) {
    const size_t start = i;
    out = 0;
    while (i < version.size() && i - start < 4 && version[i] >= '0' && version[i] <= '9') {
      out = out * 10 + (version[i++] - '0');
    }
    return i > start;
  };
  int major = 0, minor = 0;
  if (!number(major)) return false;
  if (i < version.size() && version[i] == '.') {
    ++i;
    if (!number(minor)) return false;
  }
  return major > 2 || (major == 2 && minor >= 5);
}

// The first component of the first repetition, as encoded text.
std::string first_component(std::string_view field, const Delimiters& d, size_t component = 1) {
  const auto comps = detail::split(detail::split(field, d.repetition)[0], d.component);
  return std::string(component <= comps.size() ? comps[component - 1] : std::string_view());
}

struct AckFields {
  std::string msh3, msh4, msh5, msh6, trigger, control_id, msh11, msh12, msh18;  // encoded
  std::string msa2;                                                              // encoded
  std::string code;
  std::string text;  // the value, not yet encoded
};

// Assembles the ACK; every segment ends with CR, as ack.hpp promises.
std::string build(const Delimiters& d, const AckFields& a) {
  const char F = d.field;
  const char C = d.component;
  const std::string type = "ACK" + std::string(1, C) + a.trigger + C + "ACK";
  const std::string timestamp = detail::timestamp_now();
  const std::string_view msh[] = {a.msh3, a.msh4, a.msh5, a.msh6, timestamp, "", type,
                                  a.control_id, a.msh11, a.msh12, "", "", "", "", "", a.msh18};
  size_t fields = std::size(msh);
  while (fields > 0 && msh[fields - 1].empty()) --fields;
  const std::string text = detail::encode(detail::sanitize_utf8(a.text), d);
  std::string out;
  out.reserve(128 + text.size() * 2 + a.msa2.size());
  out.append("MSH").append(1, F).append(detail::encoding_characters(d));
  for (size_t i = 0; i < fields; ++i) out.append(1, F).append(msh[i]);
  out += '\r';
  out.append("MSA").append(1, F).append(a.code).append(1, F).append(a.msa2);
  if (!text.empty()) out.append(1, F).append(text);
  out += '\r';
  if (a.code[1] != 'A' && has_v25_err(first_component(a.msh12, d))) {
    out.append("ERR").append(3, F).append("207").append(1, C).append("Application internal error").append(1, C);
    out.append("HL70357").append(1, F).append("E").append(4, F).append(text) += '\r';
  }
  return out;
}

// Bytes copied from input we could not parse: printable ASCII only, so
// nothing in them can break the ACK, and short, so no limit is reached.
std::string salvage(std::string_view v) {
  std::string out;
  for (const char c : v.substr(0, 199)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  return out;
}

}  // namespace

std::string make_ack(const Message& original, AckOutcome outcome, const AckOptions& options) {
  const Delimiters& d = original.delimiters();
  const std::string msh = original.segment_text(0);
  const detail::Fields f(msh, true, d.field);
  const auto field = [&](size_t n) { return std::string(n <= f.count() ? f.get(n) : std::string_view()); };
  const auto encoded = [&](const std::string& value) { return detail::encode(detail::sanitize_utf8(value), d); };

  AckFields a;
  a.msh3 = options.sending_application.empty() ? field(5) : encoded(options.sending_application);
  a.msh4 = options.sending_facility.empty() ? field(6) : encoded(options.sending_facility);
  a.msh5 = field(3);
  a.msh6 = field(4);
  a.trigger = first_component(field(9), d, 2);
  a.control_id = options.control_id.empty() ? detail::new_control_id() : encoded(options.control_id);
  a.msh11 = field(11);
  a.msh12 = field(12);
  a.msh18 = field(18);
  a.msa2 = field(10);
  a.code = ack_code(valued(field(15)) || valued(field(16)), outcome);
  a.text = options.text;

  // Without MSH-18 the message is ASCII (read as UTF-8): nothing to convert.
  if (a.msh18.empty()) return detail::from_utf8_lossy(build(d, a), detail::Charset::ascii);
  std::string error;
  const auto cs = detail::charset_of_msh(msh, d, error);
  return detail::from_utf8_lossy(build(d, a), cs.value_or(detail::Charset::ascii));
}

std::string make_reject_for_unparsable(std::string_view raw, std::string_view reason) {
  Delimiters d;
  std::vector<std::string_view> fields;  // MSH-2, MSH-3, ... as in the input
  const size_t at = raw.find("MSH");
  if (at != std::string_view::npos) {
    std::string_view line = raw.substr(at);
    for (size_t i = 0; i < line.size(); ++i) {
      if (detail::is_segment_break(line[i])) {
        line = line.substr(0, i);
        break;
      }
    }
    if (line.size() > 4) {
      Delimiters found;
      found.field = line[3];
      const auto parts = detail::split(line.substr(4), found.field);
      const std::string_view enc = parts[0];
      if (enc.size() == 4 || enc.size() == 5) {
        found = {found.field, enc[0], enc[1], enc[2], enc[3], enc.size() == 5 ? enc[4] : '\0'};
      }
      // Without usable encoding characters the field separator alone still
      // finds the fields; the defaults then encode what we write.
      Delimiters with_defaults;
      with_defaults.field = line[3];
      if (!detail::delimiter_problem(found)) {
        d = found;
        fields = parts;
      } else if (!detail::delimiter_problem(with_defaults)) {
        d = with_defaults;
        fields = parts;
      }
    }
  }
  const auto field = [&](size_t n) { return n >= 2 && n - 2 < fields.size() ? salvage(fields[n - 2]) : std::string(); };

  AckFields a;
  a.msh3 = field(5);
  a.msh4 = field(6);
  a.msh5 = field(3);
  a.msh6 = field(4);
  a.trigger = first_component(field(9), d, 2);
  a.control_id = detail::new_control_id();
  a.msh11 = field(11);
  a.msh12 = field(12);
  a.msa2 = field(10);
  a.code = ack_code(valued(field(15)) || valued(field(16)), AckOutcome::reject);
  a.text = salvage(reason);
  return build(d, a);
}

std::optional<AckInfo> read_ack(std::string_view bytes) {
  std::optional<Message> m;
  try {
    m = Message::parse(bytes);
  } catch (const ParseError&) {
    return std::nullopt;
  }
  AckInfo info;
  info.code = m->get("MSA-1").value_or("");
  while (!info.code.empty() && info.code.back() == ' ') info.code.pop_back();
  if (info.code != "AA" && info.code != "AE" && info.code != "AR" && info.code != "CA" && info.code != "CE" &&
      info.code != "CR") {
    return std::nullopt;
  }
  info.control_id = m->get("MSA-2").value_or("");
  // The reason moved from MSA-3 (deprecated in v2.5) to ERR-8, and before
  // v2.5 could also sit in ERR-1's code text; take the first one present.
  for (const char* path : {"MSA-3", "ERR-8", "ERR-3.2", "ERR-1.4.2"}) {
    info.text = m->get(path).value_or("");
    if (!info.text.empty()) break;
  }
  return info;
}

}  // namespace ferry::hl7
