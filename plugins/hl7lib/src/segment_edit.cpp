#include "segment_edit.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "tokenize.hpp"

namespace ferry::hl7::detail {

namespace {

bool has_any(std::string_view s, char a, char b) {
  return s.find(a) != std::string_view::npos || s.find(b) != std::string_view::npos;
}

std::vector<std::string> split_padded(std::string_view s, char sep, size_t at_least) {
  std::vector<std::string> out;
  for (const auto piece : split(s, sep)) out.emplace_back(piece);
  if (out.size() < at_least) out.resize(at_least);
  return out;
}

std::string join(std::vector<std::string>& parts, char sep, bool trim) {
  if (trim) {
    while (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

std::string assign_in_field(std::string_view field, const Delimiters& d, const Path& p, std::string_view encoded,
                            bool trim) {
  auto reps = split_padded(field, d.repetition, p.repetition);
  std::string& rep = reps[p.repetition - 1];
  if (p.component == 0) {
    rep = encoded;
  } else {
    auto comps = split_padded(rep, d.component, p.component);
    std::string& comp = comps[p.component - 1];
    if (p.subcomponent == 0) {
      comp = encoded;
    } else {
      auto subs = split_padded(comp, d.subcomponent, p.subcomponent);
      subs[p.subcomponent - 1] = encoded;
      comp = join(subs, d.subcomponent, trim);
    }
    rep = join(comps, d.component, trim);
  }
  return join(reps, d.repetition, trim);
}

void check_limits(const Path& p, const Limits& limits) {
  const auto over = [&](size_t value, size_t limit, const char* what, const char* limit_name) {
    if (value > limit) {
      throw std::invalid_argument(p.segment + ": " + what + " " + std::to_string(value) + " is over the limit of " +
                                  std::to_string(limit) + " (" + limit_name + ")");
    }
  };
  over(p.field, limits.max_fields_per_segment, "field", "max_fields_per_segment");
  over(p.repetition, limits.max_repetitions, "repetition", "max_repetitions");
  over(p.component, limits.max_components, "component", "max_components");
  over(p.subcomponent, max_subcomponents(limits), "subcomponent", "max_components");
}

}  // namespace

std::optional<Node> locate(std::string_view text, bool header, const Delimiters& d, const Path& p) {
  const Fields fields(text, header, d.field);
  if (p.field == 0 || p.field > fields.count()) return std::nullopt;
  const std::string_view field = fields.get(p.field);
  if (header && p.field <= 2) {
    if (p.repetition == 1 && p.component <= 1 && p.subcomponent <= 1) return Node{field, Node::verbatim};
    return std::nullopt;
  }
  const auto reps = split(field, d.repetition);
  if (p.repetition > reps.size()) return std::nullopt;
  const std::string_view rep = reps[p.repetition - 1];
  if (p.component == 0) return Node{rep, has_any(rep, d.component, d.subcomponent) ? Node::composite : Node::leaf};
  const auto comps = split(rep, d.component);
  if (p.component > comps.size()) return std::nullopt;
  const std::string_view comp = comps[p.component - 1];
  if (p.subcomponent == 0) return Node{comp, comp.find(d.subcomponent) != std::string_view::npos ? Node::composite : Node::leaf};
  const auto subs = split(comp, d.subcomponent);
  if (p.subcomponent > subs.size()) return std::nullopt;
  return Node{subs[p.subcomponent - 1], Node::leaf};
}

std::string assign(std::string_view text, bool header, const Delimiters& d, const Path& p, std::string_view encoded,
                   const Limits& limits, bool trim) {
  if (p.field == 0) throw std::invalid_argument(p.segment + ": a field number is needed to set a value");
  if (header && p.field <= 2) {
    throw std::invalid_argument(p.segment + "-" + std::to_string(p.field) +
                                " holds the message's delimiters and cannot be changed");
  }
  check_limits(p, limits);
  const Fields fields(text, header, d.field);
  const std::string changed =
      assign_in_field(p.field <= fields.count() ? fields.get(p.field) : std::string_view(), d, p, encoded, trim);

  std::vector<std::string_view> values;  // from the first field that is data
  const size_t first = header ? 3 : 1;
  const size_t last = std::max(fields.count(), p.field);
  for (size_t n = first; n <= last; ++n) values.push_back(n == p.field ? std::string_view(changed) : fields.get(n));
  if (trim) {
    while (!values.empty() && values.back().empty()) values.pop_back();
  }
  std::string out(text.substr(0, header ? 4 + fields.get(2).size() : 3));
  for (const auto v : values) {
    out += d.field;
    out += v;
  }
  return out;
}

}  // namespace ferry::hl7::detail
