// Message: parse, serialize, and reading and changing values by path.
#include <stdexcept>
#include <utility>

#include "charset.hpp"
#include "delimiters.hpp"
#include "escape.hpp"
#include "message_impl.hpp"
#include "quote.hpp"
#include "segment_edit.hpp"
#include "tokenize.hpp"

namespace ferry::hl7 {

namespace detail {

std::optional<Charset> charset_of_msh(std::string_view msh_text, const Delimiters& d, std::string& error) {
  const Fields fields(msh_text, true, d.field);
  const std::string_view msh18 = fields.count() >= 18 ? fields.get(18) : std::string_view();
  // Names are compared decoded: "8859\P\1" (with '/' as truncation
  // character) is the same name as "8859/1", and JSON round trips write
  // the one where the input had the other.
  const auto reps = split(msh18, d.repetition);
  // MSH-18 repeats only for ISO 2022 code switching (e.g. "ASCII~ISO IR87"),
  // which needs escape-driven state this library does not implement.
  for (size_t i = 1; i < reps.size(); ++i) {
    if (decode(reps[i], d, Charset::ascii).find_first_not_of(' ') != std::string::npos) {
      error = "MSH-18 " + quote(msh18) + ": character set switching (more than one MSH-18 repetition) is not supported";
      return std::nullopt;
    }
  }
  return charset_named(decode(reps[0], d, Charset::ascii), error);
}

}  // namespace detail

namespace {

using detail::Charset;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view charset_label(Charset cs) {
  switch (cs) {
    case Charset::utf8: return "UTF-8";
    case Charset::latin1: return "ISO-8859-1";
    case Charset::ascii: break;
  }
  return "ASCII (read as UTF-8)";
}

// What set() and insert_segment() accept as text for a message in `cs`.
void check_text(std::string_view text, Charset cs, const char* what) {
  const size_t bad = detail::invalid_utf8_at(text);
  if (bad != std::string_view::npos) {
    throw std::invalid_argument(std::string(what) + " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  }
  if (cs == Charset::latin1 && !detail::from_utf8(text, cs)) {
    throw std::invalid_argument(std::string(what) +
                                " has characters that ISO-8859-1 (the message's MSH-18) cannot represent");
  }
}

}  // namespace

Message::Message() : impl_(new Impl) {}
Message::Message(const Message& other) : impl_(other.impl_ ? new Impl(*other.impl_) : nullptr) {}
Message::Message(Message&& other) noexcept : impl_(std::exchange(other.impl_, nullptr)) {}
Message& Message::operator=(const Message& other) {
  if (this != &other) {
    Message copy(other);
    std::swap(impl_, copy.impl_);
  }
  return *this;
}
Message& Message::operator=(Message&& other) noexcept {
  std::swap(impl_, other.impl_);
  return *this;
}
Message::~Message() { delete impl_; }

namespace {

// A moved-from Message has no Impl; using one is a caller bug, reported
// as an exception rather than a null dereference.
detail::MessageData& checked(detail::MessageData* impl) {
  if (!impl) throw std::logic_error("use of a moved-from ferry::hl7::Message");
  return *impl;
}

}  // namespace

Message Message::parse(std::string_view bytes, const Limits& limits) {
  if (bytes.size() > limits.max_message_bytes) {
    throw ParseError("message is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                         std::to_string(limits.max_message_bytes) + " (max_message_bytes)",
                     limits.max_message_bytes);
  }
  size_t start = bytes.substr(0, 3) == kUtf8Bom ? 3 : 0;
  while (start < bytes.size() && detail::is_segment_break(bytes[start])) ++start;
  if (start >= bytes.size()) throw ParseError("no message: the input is empty", start);
  if (bytes.substr(start, 3) != "MSH") {
    throw ParseError("offset " + std::to_string(start) + ": a message starts with MSH, not " +
                         detail::quote(bytes.substr(start, 3)),
                     start);
  }
  const Delimiters d = detail::read_delimiters(bytes, start);

  struct Raw {
    size_t offset;
    std::string_view text;
    std::string_view term;
  };
  std::vector<Raw> raws;
  for (size_t pos = start; pos < bytes.size();) {
    if (raws.size() == limits.max_segments) {
      throw ParseError("offset " + std::to_string(pos) + ": more than " + std::to_string(limits.max_segments) +
                           " segments (max_segments)",
                       pos);
    }
    size_t eol = pos;
    while (eol < bytes.size() && !detail::is_segment_break(bytes[eol])) ++eol;
    size_t next = eol;
    while (next < bytes.size() && detail::is_segment_break(bytes[next])) ++next;
    raws.push_back({pos, bytes.substr(pos, eol - pos), bytes.substr(eol, next - eol)});
    pos = next;
  }
  for (size_t i = 0; i < raws.size(); ++i) {
    detail::check_segment(raws[i].text, i + 1, i == 0, d, limits, raws[i].offset);
  }

  std::string error;
  const auto cs = detail::charset_of_msh(raws[0].text, d, error);
  if (!cs) throw ParseError("offset " + std::to_string(start) + ": " + error, start);

  Message m;
  detail::MessageData& im = *m.impl_;
  im.delimiters = d;
  im.charset = *cs;
  im.limits = limits;
  im.prefix = std::string(bytes.substr(0, start));
  im.segments.reserve(raws.size());
  for (const auto& raw : raws) {
    if (*cs != Charset::latin1) {
      const size_t bad = detail::invalid_utf8_at(raw.text);
      if (bad != std::string_view::npos) {
        const size_t at = raw.offset + bad;
        throw ParseError("offset " + std::to_string(at) + ": " +
                             detail::quote(raw.text.substr(bad, 1)) + " is not valid " +
                             std::string(charset_label(*cs)) +
                             " (declare ISO-8859-1 in MSH-18 as 8859/1 if that is what the sender writes)",
                         at);
      }
    }
    im.segments.push_back({detail::to_utf8(raw.text, *cs), std::string(raw.term)});
    im.text_bytes += im.segments.back().text.size();
  }
  im.trailing = !raws.back().term.empty();
  for (const auto& raw : raws) {
    if (raw.term.empty()) continue;
    im.style = raw.term.substr(0, 2) == "\r\n" ? "\r\n" : raw.term.substr(0, 1);
    break;
  }
  return m;
}

std::string Message::serialize() const {
  const detail::MessageData& im = checked(impl_);
  std::string out = im.prefix;
  out.reserve(im.prefix.size() + im.text_bytes + 2 * im.segments.size());
  for (size_t i = 0; i < im.segments.size(); ++i) {
    const auto& seg = im.segments[i];
    // Lossy conversion never loses anything here: every text was checked to
    // be representable when it entered the message.
    if (im.charset == Charset::latin1) {
      out += detail::from_utf8_lossy(seg.text, im.charset);
    } else {
      out += seg.text;
    }
    const bool last = i + 1 == im.segments.size();
    if (!last || im.trailing) out += seg.term.empty() ? im.style : seg.term;
  }
  return out;
}

const Delimiters& Message::delimiters() const { return checked(impl_).delimiters; }

size_t Message::segment_count() const { return checked(impl_).segments.size(); }

std::string Message::segment_name(size_t index) const { return segment_text(index).substr(0, 3); }

std::string Message::segment_text(size_t index) const {
  const detail::MessageData& im = checked(impl_);
  if (index >= im.segments.size()) {
    throw std::out_of_range("segment index " + std::to_string(index) + " out of range (the message has " +
                            std::to_string(im.segments.size()) + ")");
  }
  return im.segments[index].text;
}

namespace {

std::optional<size_t> find_segment(const detail::MessageData& im, const Path& p) {
  size_t seen = 0;
  for (size_t i = 0; i < im.segments.size(); ++i) {
    if (std::string_view(im.segments[i].text).substr(0, 3) == p.segment && ++seen == p.occurrence) return i;
  }
  return std::nullopt;
}

size_t count_segments(const detail::MessageData& im, std::string_view name) {
  size_t n = 0;
  for (const auto& seg : im.segments) n += std::string_view(seg.text).substr(0, 3) == name;
  return n;
}

// Bytes the message would have after replacing `removed` text bytes by
// `added` and adding `new_segments` segments; terminators count one byte.
void check_size(const detail::MessageData& im, size_t removed, size_t added, size_t new_segments) {
  if (im.segments.size() + new_segments > im.limits.max_segments) {
    throw std::invalid_argument("the message would have more than " + std::to_string(im.limits.max_segments) +
                                " segments (max_segments)");
  }
  const size_t size = im.text_bytes - removed + added + im.segments.size() + new_segments;
  if (size > im.limits.max_message_bytes) {
    throw std::invalid_argument("the message would be over the limit of " +
                                std::to_string(im.limits.max_message_bytes) + " bytes (max_message_bytes)");
  }
}

// Installs `text` as the new MSH, re-reading MSH-18: a change of character
// set must name a supported one that can represent the whole message.
void replace_msh(detail::MessageData& im, std::string text) {
  std::string error;
  const auto cs = detail::charset_of_msh(text, im.delimiters, error);
  if (!cs) throw std::invalid_argument(error);
  if (*cs == Charset::latin1 && im.charset != Charset::latin1) {
    for (size_t i = 1; i < im.segments.size(); ++i) {
      check_text(im.segments[i].text, *cs, ("segment " + std::to_string(i + 1)).c_str());
    }
    check_text(text, *cs, "MSH");
  }
  im.text_bytes = im.text_bytes - im.segments[0].text.size() + text.size();
  im.segments[0].text = std::move(text);
  im.charset = *cs;
}

void replace_segment(detail::MessageData& im, size_t index, std::string text) {
  if (index == 0) return replace_msh(im, std::move(text));
  im.text_bytes = im.text_bytes - im.segments[index].text.size() + text.size();
  im.segments[index].text = std::move(text);
}

}  // namespace

std::optional<std::string> Message::get(std::string_view path_text) const {
  const detail::MessageData& im = checked(impl_);
  const Path p = Path::parse(path_text);
  const auto index = find_segment(im, p);
  if (!index) return std::nullopt;
  const std::string& text = im.segments[*index].text;
  if (p.field == 0) return text;
  const auto node = detail::locate(text, *index == 0, im.delimiters, p);
  if (!node) return std::nullopt;
  if (node->kind == detail::Node::leaf) return detail::decode(node->raw, im.delimiters, im.charset);
  return std::string(node->raw);
}

void Message::set(std::string_view path_text, std::string_view value) {
  detail::MessageData& im = checked(impl_);
  const Path p = Path::parse(path_text);
  check_text(value, im.charset, "the value");
  const std::string encoded = detail::encode(value, im.delimiters);
  if (const auto index = find_segment(im, p)) {
    auto& seg = im.segments[*index];
    std::string text = detail::assign(seg.text, *index == 0, im.delimiters, p, encoded, im.limits, false);
    check_size(im, seg.text.size(), text.size(), 0);
    replace_segment(im, *index, std::move(text));
    return;
  }
  if (detail::is_envelope_segment(p.segment)) {
    throw std::invalid_argument(p.segment + ": a message has exactly one MSH and no batch segments");
  }
  // Everything is computed before anything changes, so a failed set()
  // leaves the message as it was.
  const size_t missing = p.occurrence - count_segments(im, p.segment);
  std::string text = detail::assign(p.segment, false, im.delimiters, p, encoded, im.limits, false);
  check_size(im, 0, text.size() + 3 * (missing - 1), missing);
  for (size_t i = 1; i < missing; ++i) im.segments.push_back({p.segment, {}});
  im.text_bytes += text.size() + 3 * (missing - 1);
  im.segments.push_back({std::move(text), {}});
}

void Message::clear(std::string_view path_text) {
  detail::MessageData& im = checked(impl_);
  const Path p = Path::parse(path_text);
  const auto index = find_segment(im, p);
  if (!index) return;
  const std::string& old = im.segments[*index].text;
  const bool header = *index == 0;
  if (p.field == 0) {
    const size_t keep = header ? 4 + detail::encoding_characters(im.delimiters).size() : 3;
    replace_segment(im, *index, old.substr(0, keep));
    return;
  }
  if (header && p.field <= 2) {
    throw std::invalid_argument(p.segment + "-" + std::to_string(p.field) +
                                " holds the message's delimiters and cannot be cleared");
  }
  if (!detail::locate(old, header, im.delimiters, p)) return;
  replace_segment(im, *index, detail::assign(old, header, im.delimiters, p, "", im.limits, true));
}

void Message::insert_segment(std::string_view text, std::optional<size_t> index) {
  detail::MessageData& im = checked(impl_);
  const size_t at = index.value_or(im.segments.size());
  if (at == 0) throw std::invalid_argument("insert_segment: nothing can go before the MSH");
  if (at > im.segments.size()) {
    throw std::out_of_range("insert_segment: index " + std::to_string(at) + " is past the end (" +
                            std::to_string(im.segments.size()) + " segments)");
  }
  for (const char c : text) {
    if (detail::is_segment_break(c)) {
      throw std::invalid_argument("insert_segment: the text holds a segment break (CR or LF); insert one segment at a time");
    }
  }
  check_text(text, im.charset, "the segment");
  try {
    detail::check_segment(text, at + 1, false, im.delimiters, im.limits, 0);
  } catch (const ParseError& e) {
    throw std::invalid_argument(std::string("insert_segment: ") + e.what());
  }
  check_size(im, 0, text.size(), 1);
  im.segments.insert(im.segments.begin() + static_cast<std::ptrdiff_t>(at), {std::string(text), {}});
  im.text_bytes += text.size();
}

void Message::remove_segment(size_t index) {
  detail::MessageData& im = checked(impl_);
  if (index == 0) throw std::invalid_argument("remove_segment: the MSH cannot be removed");
  if (index >= im.segments.size()) {
    throw std::out_of_range("remove_segment: index " + std::to_string(index) + " out of range (" +
                            std::to_string(im.segments.size()) + " segments)");
  }
  im.text_bytes -= im.segments[index].text.size();
  im.segments.erase(im.segments.begin() + static_cast<std::ptrdiff_t>(index));
}

std::string Message::control_id() const { return get("MSH-10").value_or(""); }

std::string Message::message_type() const {
  std::string type = get("MSH-9.1").value_or("");
  const std::string trigger = get("MSH-9.2").value_or("");
  if (!trigger.empty()) type += "^" + trigger;
  return type;
}

std::string Message::version() const { return get("MSH-12.1").value_or(""); }

}  // namespace ferry::hl7
