#include "cli/test_diff.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "dryrun/render.hpp"

namespace ferry::cli {

namespace {

using dryrun::Line;

// Longest-common-subsequence tables grow with the product of the sizes;
// past this the middle is shown as one replaced block.
constexpr size_t kMaxTable = 4'000'000;
constexpr size_t kContext = 3;

bool same(const Line& a, const Line& b) { return a.text == b.text && a.end == b.end; }

enum class Op { keep, remove, add };
struct Edit {
  Op op;
  size_t a, b;  // line indexes (the one that applies)
};

std::vector<Edit> edits(const std::vector<Line>& a, const std::vector<Line>& b) {
  size_t head = 0;
  while (head < a.size() && head < b.size() && same(a[head], b[head])) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && same(a[a.size() - 1 - tail], b[b.size() - 1 - tail]))
    ++tail;
  const size_t n = a.size() - head - tail, m = b.size() - head - tail;
  std::vector<Edit> out;
  for (size_t i = 0; i < head; ++i) out.push_back({Op::keep, i, i});
  if (n * m > kMaxTable || n == 0 || m == 0) {
    for (size_t i = 0; i < n; ++i) out.push_back({Op::remove, head + i, head});
    for (size_t j = 0; j < m; ++j) out.push_back({Op::add, head + n, head + j});
  } else {
    // lcs[i][j]: common lines of a[head+i..] and b[head+j..].
    std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        lcs[i][j] = same(a[head + i], b[head + j]) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && same(a[head + i], b[head + j])) {
        out.push_back({Op::keep, head + i++, head + j++});
      } else if (j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
        out.push_back({Op::remove, head + i++, head + j});
      } else {
        out.push_back({Op::add, head + i, head + j++});
      }
    }
  }
  for (size_t k = 0; k < tail; ++k) out.push_back({Op::keep, a.size() - tail + k, b.size() - tail + k});
  return out;
}

std::string ending_name(std::string_view end) {
  if (end == "\r\n") return "\\r\\n";
  if (end == "\r") return "\\r";
  if (end == "\n") return "\\n";
  return "";
}

std::set<std::string_view> endings(const std::vector<Line>& lines) {
  std::set<std::string_view> out;
  for (const auto& l : lines) out.insert(l.end);
  return out;
}

}  // namespace

std::string unified_diff(std::string_view expected, std::string_view actual, std::string_view expected_label,
                         std::string_view actual_label) {
  if (expected == actual) return {};
  const auto a = dryrun::split_lines(expected);
  const auto b = dryrun::split_lines(actual);
  const bool show_endings = !a.empty() && !b.empty() && endings(a) != endings(b);
  auto render = [&](char mark, const Line& l) {
    return std::string(1, mark) + dryrun::visible(l.text) + (show_endings ? ending_name(l.end) : "") + "\n";
  };
  const auto script = edits(a, b);
  std::string out = "--- " + std::string(expected_label) + "\n+++ " + std::string(actual_label) + "\n";
  if (show_endings)
    out += "(the line endings differ: expected " + dryrun::line_summary(expected) + "; actual " +
           dryrun::line_summary(actual) + ")\n";
  size_t k = 0;
  while (k < script.size()) {
    if (script[k].op == Op::keep) {
      ++k;
      continue;
    }
    // A hunk: this change, with context, merged with changes closer than 2*context.
    const size_t start = k >= kContext ? k - kContext : 0;  // the lines before k are all kept
    size_t end = k;
    for (;;) {
      while (end < script.size() && script[end].op != Op::keep) ++end;
      size_t keeps = 0;
      while (end + keeps < script.size() && script[end + keeps].op == Op::keep) ++keeps;
      if (end + keeps < script.size() && keeps <= 2 * kContext) {
        end += keeps;
        continue;
      }
      end += std::min(keeps, kContext);
      break;
    }
    size_t a_count = 0, b_count = 0;
    for (size_t i = start; i < end; ++i) {
      a_count += script[i].op != Op::add;
      b_count += script[i].op != Op::remove;
    }
    const size_t a_first = script[start].a + (a_count > 0 ? 1 : 0);
    const size_t b_first = script[start].b + (b_count > 0 ? 1 : 0);
    out += "@@ -" + std::to_string(a_first) + "," + std::to_string(a_count) + " +" + std::to_string(b_first) + "," +
           std::to_string(b_count) + " @@\n";
    for (size_t i = start; i < end; ++i) {
      const Edit& e = script[i];
      out += e.op == Op::keep ? render(' ', a[e.a]) : e.op == Op::remove ? render('-', a[e.a]) : render('+', b[e.b]);
    }
    k = end;
  }
  return out;
}

}  // namespace ferry::cli
