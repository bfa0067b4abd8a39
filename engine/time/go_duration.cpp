#include "engine/time/go_duration.hpp"

#include <cstdint>
#include <limits>
#include <utility>

namespace baton {
namespace {

constexpr std::pair<std::string_view, std::int64_t> kUnits[] = {
    {"ns", 1},
    {"us", 1'000},
    {"\xC2\xB5s", 1'000},  // U+00B5 micro sign
    {"\xCE\xBCs", 1'000},  // U+03BC Greek mu
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
};

std::optional<std::int64_t> unit_ns(std::string_view& text) {
  // Longest match first: "ms" before "m".
  std::optional<std::int64_t> best;
  std::size_t best_length = 0;
  for (const auto& [name, ns] : kUnits) {
    if (text.substr(0, name.size()) == name && name.size() > best_length) {
      best = ns;
      best_length = name.size();
    }
  }
  text.remove_prefix(best_length);
  return best;
}

// Appends the fraction digits of `value / scale` without trailing zeros.
void append_fraction(std::string& out, std::uint64_t value, std::uint64_t scale) {
  std::string digits;
  for (std::uint64_t unit = scale / 10; unit > 0; unit /= 10) digits += char('0' + (value / unit) % 10);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (!digits.empty()) out += "." + digits;
}

}  // namespace

std::optional<Duration> parse_go_duration(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return Duration::zero();
  if (text.empty()) return std::nullopt;
  long double total_ns = 0;
  while (!text.empty()) {
    std::size_t digits = 0;
    long double whole = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') whole = whole * 10 + (text[digits++] - '0');
    long double fraction = 0, scale = 1;
    std::size_t fraction_digits = 0;
    if (digits < text.size() && text[digits] == '.') {
      std::size_t i = digits + 1;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        fraction = fraction * 10 + (text[i++] - '0');
        scale *= 10;
        ++fraction_digits;
      }
      if (digits == 0 && fraction_digits == 0) return std::nullopt;  // "." alone
      digits = i;
    } else if (digits == 0) {
      return std::nullopt;
    }
    text.remove_prefix(digits);
    const std::optional<std::int64_t> unit = unit_ns(text);
    if (!unit) return std::nullopt;  // a number needs a unit
    total_ns += (whole + fraction / scale) * (long double)*unit;
    if (total_ns > (long double)std::numeric_limits<std::int64_t>::max()) return std::nullopt;
  }
  const auto ns = std::int64_t(total_ns + 0.5L);
  return Duration(negative ? -ns : ns);
}

std::string format_go_duration(Duration duration) {
  std::int64_t ns = duration.count();
  if (ns == 0) return "0s";
  std::string out = ns < 0 ? "-" : "";
  const std::uint64_t magnitude = ns < 0 ? std::uint64_t(-(ns + 1)) + 1 : std::uint64_t(ns);
  if (magnitude < 1'000'000'000) {
    // Below a second Go picks the largest unit that keeps a whole part: ns, µs or ms.
    if (magnitude < 1'000) return out + std::to_string(magnitude) + "ns";
    const std::uint64_t scale = magnitude < 1'000'000 ? 1'000 : 1'000'000;
    out += std::to_string(magnitude / scale);
    append_fraction(out, magnitude % scale, scale);
    return out + (scale == 1'000 ? "\xC2\xB5s" : "ms");
  }
  const std::uint64_t hours = magnitude / 3'600'000'000'000;
  const std::uint64_t minutes = magnitude / 60'000'000'000 % 60;
  const std::uint64_t seconds_ns = magnitude % 60'000'000'000;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  out += std::to_string(seconds_ns / 1'000'000'000);
  append_fraction(out, seconds_ns % 1'000'000'000, 1'000'000'000);
  return out + "s";
}

}  // namespace baton
