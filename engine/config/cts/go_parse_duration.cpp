#include "engine/config/cts/go_parse_duration.hpp"

#include <cstdint>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "engine/driver/terraform/unicode.hpp"

namespace baton::config::cts {
namespace {

constexpr std::uint64_t kOverflow = std::uint64_t{1} << 63;

// time's quote(): non-ASCII and control bytes as \xNN (a whole rune's bytes each), `"` and `\`
// escaped. Not strconv.Quote: printable non-ASCII runes are escaped too.
std::string time_quote(std::string_view s) {
  std::string out = "\"";
  while (!s.empty()) {
    const auto decoded = driver::terraform::decode_rune(s);
    const auto c = static_cast<unsigned char>(s[0]);
    if (c >= 0x80 || c < ' ') {
      for (std::size_t i = 0; i < decoded.size_bytes; ++i) {
        out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
      }
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += static_cast<char>(c);
    }
    s.remove_prefix(decoded.size_bytes);
  }
  return out + "\"";
}

std::optional<std::uint64_t> unit_ns(std::string_view unit) {
  static constexpr std::pair<std::string_view, std::uint64_t> kUnits[] = {
      {"ns", 1},
      {"us", 1'000},
      {"\xC2\xB5s", 1'000},  // U+00B5 micro sign
      {"\xCE\xBCs", 1'000},  // U+03BC Greek small letter mu
      {"ms", 1'000'000},
      {"s", 1'000'000'000},
      {"m", 60'000'000'000},
      {"h", 3'600'000'000'000},
  };
  for (const auto& [name, ns] : kUnits) {
    if (unit == name) return ns;
  }
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// leadingInt: the digits at the front; nullopt on overflow.
std::optional<std::uint64_t> leading_int(std::string_view& s) {
  std::uint64_t x = 0;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (x > kOverflow / 10) return std::nullopt;
    x = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (x > kOverflow) return std::nullopt;
  }
  s.remove_prefix(i);
  return x;
}

// leadingFraction: digits after '.', as value/scale, ignoring digits past what fits.
void leading_fraction(std::string_view& s, std::uint64_t& value, double& scale) {
  std::size_t i = 0;
  scale = 1;
  bool overflow = false;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (overflow) continue;
    if (value > (kOverflow - 1) / 10) {
      overflow = true;
      continue;
    }
    const std::uint64_t next = value * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (next > kOverflow) {
      overflow = true;
      continue;
    }
    value = next;
    scale *= 10;
  }
  s.remove_prefix(i);
}

}  // namespace

std::variant<Duration, std::string> go_parse_duration(std::string_view text) {
  const std::string invalid = "time: invalid duration " + time_quote(text);
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration::zero();
  if (s.empty()) return invalid;
  std::uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || is_digit(s[0]))) return invalid;
    const std::size_t before = s.size();
    const std::optional<std::uint64_t> whole = leading_int(s);
    if (!whole) return invalid;
    const bool pre = before != s.size();
    std::uint64_t fraction = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      const std::size_t at = s.size();
      leading_fraction(s, fraction, scale);
      post = at != s.size();
    }
    if (!pre && !post) return invalid;
    std::size_t unit_length = 0;
    while (unit_length < s.size() && s[unit_length] != '.' && !is_digit(s[unit_length])) ++unit_length;
    if (unit_length == 0) return "time: missing unit in duration " + time_quote(text);
    const std::string_view unit_text = s.substr(0, unit_length);
    s.remove_prefix(unit_length);
    const std::optional<std::uint64_t> unit = unit_ns(unit_text);
    if (!unit) return "time: unknown unit " + time_quote(unit_text) + " in duration " + time_quote(text);
    if (*whole > kOverflow / *unit) return invalid;
    std::uint64_t v = *whole * *unit;
    if (fraction > 0) {
      v += static_cast<std::uint64_t>(static_cast<double>(fraction) * (static_cast<double>(*unit) / scale));
      if (v > kOverflow) return invalid;
    }
    total += v;
    if (total > kOverflow) return invalid;
  }
  if (negative) return Duration(static_cast<std::int64_t>(~total + 1));
  if (total > kOverflow - 1) return invalid;
  return Duration(static_cast<std::int64_t>(total));
}

}  // namespace baton::config::cts
