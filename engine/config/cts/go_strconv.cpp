#include "engine/config/cts/go_strconv.hpp"

#include <array>
#include <limits>
#include <optional>

#include "engine/config/cts/go_text.hpp"

namespace baton::config::cts {
namespace {

char lower(char c) { return static_cast<char>(c | 0x20); }

std::string num_error(std::string_view function, std::string_view text, std::string_view reason) {
  return "strconv." + std::string(function) + ": parsing " + go_quote(text) + ": " + std::string(reason);
}

// strconv's underscoreOK: `_` only between digits (a base prefix counts as a digit).
bool underscores_ok(std::string_view s) {
  char saw = '^';
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

enum class UintFailure { none, syntax, range };

struct UintReading {
  std::uint64_t value = 0;
  UintFailure failure = UintFailure::none;
};

// strconv.ParseUint(s, 0, 64) without its error text.
UintReading parse_uint_base0(std::string_view s) {
  if (s.empty()) return {0, UintFailure::syntax};
  const std::string_view whole = s;
  unsigned base = 10;
  if (s[0] == '0') {
    if (s.size() >= 3 && lower(s[1]) == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && lower(s[1]) == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && lower(s[1]) == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t cutoff = kMax / base + 1;
  std::uint64_t n = 0;
  bool underscores = false;
  for (const char c : s) {
    unsigned digit = 0;
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (lower(c) >= 'a' && lower(c) <= 'z') {
      digit = static_cast<unsigned>(lower(c) - 'a' + 10);
    } else {
      return {0, UintFailure::syntax};
    }
    if (digit >= base) return {0, UintFailure::syntax};
    if (n >= cutoff) return {kMax, UintFailure::range};
    n *= base;
    const std::uint64_t next = n + digit;
    if (next < n) return {kMax, UintFailure::range};
    n = next;
  }
  if (underscores && !underscores_ok(whole)) return {0, UintFailure::syntax};
  return {n, UintFailure::none};
}

}  // namespace

std::variant<std::int64_t, std::string> go_parse_int(std::string_view text) {
  if (text.empty()) return num_error("ParseInt", text, "invalid syntax");
  std::string_view s = text;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  const UintReading reading = parse_uint_base0(s);
  if (reading.failure == UintFailure::syntax) return num_error("ParseInt", text, "invalid syntax");
  constexpr std::uint64_t kCutoff = std::uint64_t{1} << 63;
  if (reading.failure == UintFailure::range || (!negative && reading.value >= kCutoff) ||
      (negative && reading.value > kCutoff)) {
    return num_error("ParseInt", text, "value out of range");
  }
  if (negative) return static_cast<std::int64_t>(~reading.value + 1);
  return static_cast<std::int64_t>(reading.value);
}

std::variant<bool, std::string> go_parse_bool(std::string_view text) {
  static constexpr std::array<std::string_view, 6> kTrue = {"1", "t", "T", "TRUE", "true", "True"};
  static constexpr std::array<std::string_view, 6> kFalse = {"0", "f", "F", "FALSE", "false", "False"};
  for (const std::string_view word : kTrue) {
    if (text == word) return true;
  }
  for (const std::string_view word : kFalse) {
    if (text == word) return false;
  }
  return num_error("ParseBool", text, "invalid syntax");
}

}  // namespace baton::config::cts
