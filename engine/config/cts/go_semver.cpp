#include "engine/config/cts/go_semver.hpp"

#include <algorithm>

#include "engine/config/cts/go_text.hpp"

namespace baton::config::cts {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '~';
}

// `ident+ ( '.' ident+ )*`, the shape of a pre-release and of build metadata; its length.
std::size_t dotted_identifiers(std::string_view s) {
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    while (i < s.size() && is_ident(s[i])) ++i;
    if (i == start) return start == 0 ? 0 : start - 1;  // drop a trailing '.'
    if (i >= s.size() || s[i] != '.') return i;
    ++i;
  }
}

int compare_segments(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t x = i < a.size() ? a[i] : 0;
    const std::int64_t y = i < b.size() ? b[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

}  // namespace

std::variant<SemVersion, std::string> parse_semver(std::string_view text) {
  const std::string malformed = "Malformed version: " + std::string(text);
  std::string_view s = text;
  if (!s.empty() && s.front() == 'v') s.remove_prefix(1);
  std::vector<std::string_view> numbers;
  while (true) {
    std::size_t i = 0;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == 0) return malformed;
    numbers.push_back(s.substr(0, i));
    s.remove_prefix(i);
    if (s.size() >= 2 && s[0] == '.' && is_digit(s[1])) {
      s.remove_prefix(1);
      continue;
    }
    break;
  }
  SemVersion version;
  if (!s.empty() && s.front() == '-') {
    const std::size_t length = dotted_identifiers(s.substr(1));
    if (length == 0) return malformed;
    version.prerelease = std::string(s.substr(1, length));
    s.remove_prefix(1 + length);
  }
  if (!s.empty() && s.front() == '+') {
    const std::size_t length = dotted_identifiers(s.substr(1));
    if (length == 0) return malformed;
    version.metadata = std::string(s.substr(1, length));
    s.remove_prefix(1 + length);
  }
  if (!s.empty()) return malformed;
  for (const std::string_view number : numbers) {
    std::int64_t value = 0;
    for (const char c : number) {
      if (value > (INT64_MAX - (c - '0')) / 10) {
        return "Error parsing version: strconv.ParseInt: parsing " + go_quote(number) + ": value out of range";
      }
      value = value * 10 + (c - '0');
    }
    version.segments.push_back(value);
  }
  version.written_segments = numbers.size();
  while (version.segments.size() < 3) version.segments.push_back(0);
  return version;
}

bool satisfies_terraform_constraint(const SemVersion& version) {
  if (!version.prerelease.empty()) return false;  // a constraint without one never matches one
  return compare_segments(version.segments, {0, 13, 0}) >= 0 && compare_segments(version.segments, {1, 14, 3}) <= 0;
}

}  // namespace baton::config::cts
