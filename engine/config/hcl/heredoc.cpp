#include "engine/config/hcl/heredoc.hpp"

#include <algorithm>
#include <cassert>
#include <vector>

namespace baton::config::hcl {
namespace {

// Go regexp's [[:space:]]: ASCII white space only.
bool is_posix_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (;;) {
    const auto newline = text.find('\n');
    lines.push_back(text.substr(0, newline));
    if (newline == std::string_view::npos) return lines;
    text.remove_prefix(newline + 1);
  }
}

// text[begin:end] as Go slices it. The scanner guarantees 0 <= begin <= end <= size for every
// heredoc it accepts (the closing line is at least as long as the anchor); the assertion
// documents that, and the clamp keeps a broken guarantee from reading out of bounds.
std::string_view go_slice(std::string_view text, std::size_t begin, std::size_t end) {
  assert(begin <= end && end <= text.size());
  end = std::min(end, text.size());
  begin = std::min(begin, end);
  return text.substr(begin, end - begin);
}

std::string trim_right_blanks(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

bool is_heredoc_terminator(std::string_view line, std::string_view anchor) {
  if (line.size() < anchor.size()) return false;
  const std::string_view name = anchor.substr(anchor.starts_with('-') ? 1 : 0);
  // Try each way of reading trailing '\r's as the \r* part (the name itself may end in '\r').
  std::string_view candidate = line;
  for (;;) {
    if (candidate.ends_with(name)) {
      const std::string_view indent = candidate.substr(0, candidate.size() - name.size());
      if (std::all_of(indent.begin(), indent.end(), is_posix_space)) return true;
    }
    if (!candidate.ends_with('\r')) return false;
    candidate.remove_suffix(1);
  }
}

std::string heredoc_value(std::string_view text) {
  // idx: the anchor line's newline. The slices below drop the closing line by assuming it is
  // as long as the anchor, exactly as HCL1 does (hence its quirks, listed in the header).
  const std::size_t idx = text.find('\n');
  assert(idx != std::string_view::npos && idx >= 2);
  const std::size_t size = text.size();
  const bool unindent = text.size() > 2 && text[2] == '-';
  if (!unindent) return std::string(go_slice(text, idx + 1, size + 1 - idx));

  const std::vector<std::string_view> lines = split_lines(go_slice(text, idx + 1, size + 2 - idx));
  const std::string_view prefix = lines.back();
  const bool indented = std::all_of(lines.begin(), lines.end(), [&](std::string_view line) {
    return starts_with(line, prefix);
  });
  if (!indented) return trim_right_blanks(go_slice(text, idx + 1, size + 1 - idx));

  std::string value;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    value.append(lines[i].substr(prefix.size()));
    value.push_back('\n');
  }
  return value;
}

}  // namespace baton::config::hcl
