#include "sim/scenario/duration_text.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "engine/time/go_duration.hpp"
#include "sim/scenario/words.hpp"

namespace baton::sim::scenario {
namespace {

constexpr std::string_view kUnitList = "ns, us, ms, s, m, h";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "12", "1.5", ".5", "3.": a decimal number without sign or exponent, as Go's ParseDuration
// reads one. Returns its length at the front of `text`, 0 when there is none.
std::size_t decimal_length(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  const std::size_t whole = i;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (whole == 0 && i == 1) return 0;  // "." alone
  }
  return i;
}

bool known_unit(std::string_view unit) {
  return unit == "ns" || unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs" || unit == "ms" || unit == "s" ||
         unit == "m" || unit == "h";
}

// Why Go's ParseDuration rejects `text` (unsigned, trimmed), in a user's terms.
std::string diagnose_fixed(std::string_view text) {
  const std::string prefix = "bad duration " + quote(text) + ": ";
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t number = decimal_length(rest);
    if (number == 0) break;
    rest.remove_prefix(number);
    std::size_t unit_length = 0;
    while (unit_length < rest.size() && !is_digit(rest[unit_length]) && rest[unit_length] != '.') ++unit_length;
    const std::string_view unit = rest.substr(0, unit_length);
    if (unit.empty()) return prefix + "missing unit (" + std::string(kUnitList) + ")";
    if (!known_unit(unit)) return prefix + "unknown unit " + quote(unit) + " (" + std::string(kUnitList) + ")";
    rest.remove_prefix(unit_length);
  }
  if (rest.empty()) return prefix + "out of range";
  return prefix + "expected a number and a unit (" + std::string(kUnitList) +
         ") such as 30s, 250ms, 1.5s or 1m30s, or a multiple of the session TTL such as 1.5x session_ttl";
}

// "1.5x session_ttl" -> the multiple and true; false when `text` does not end in an x and one
// of the TTL's names (it is then read as a fixed duration).
bool split_ttl_multiple(std::string_view text, std::string_view& number) {
  for (std::string_view name : {std::string_view("session_ttl"), std::string_view("ttl")}) {
    if (text.size() < name.size() || text.substr(text.size() - name.size()) != name) continue;
    std::string_view head = trim(text.substr(0, text.size() - name.size()));
    if (head.empty() || head.back() != 'x') continue;
    head.remove_suffix(1);
    number = trim(head);
    return true;
  }
  return false;
}

std::optional<DurationSpec> parse_ttl_multiple(std::string_view text, std::string_view number, std::string& error) {
  const std::string prefix = "bad duration " + quote(text) + ": ";
  if (number.empty() || decimal_length(number) != number.size()) {
    error = prefix + "expected a number before the x, as in 1.5x session_ttl";
    return std::nullopt;
  }
  // from_chars does not read "3." or ".5" the way people mean them; pad them.
  std::string padded(number);
  if (padded.front() == '.') padded.insert(padded.begin(), '0');
  if (padded.back() == '.') padded.push_back('0');
  double multiple = 0;
  const auto [end, failure] = std::from_chars(padded.data(), padded.data() + padded.size(), multiple);
  if (failure != std::errc() || end != padded.data() + padded.size() || !std::isfinite(multiple) ||
      multiple > kTtlMultipleMax) {
    error = prefix + "the multiple must be at most " + std::to_string(static_cast<int>(kTtlMultipleMax));
    return std::nullopt;
  }
  DurationSpec spec;
  spec.relative_to_ttl = true;
  spec.ttl_multiple = multiple;
  return spec;
}

}  // namespace

std::optional<DurationSpec> parse_duration(std::string_view raw, TtlMultiple ttl, std::string& error) {
  const std::string_view text = trim(raw);
  if (text.empty()) {
    error = "empty duration (write e.g. 30s, 250ms or 1.5x session_ttl)";
    return std::nullopt;
  }
  if (text.front() == '-' || text.front() == '+') {
    error = "bad duration " + quote(text) + ": a sign is not allowed here";
    return std::nullopt;
  }
  std::string_view number;
  if (split_ttl_multiple(text, number)) {
    if (ttl == TtlMultiple::rejected) {
      error = "bad duration " + quote(text) + ": a multiple of the session TTL is not allowed here";
      return std::nullopt;
    }
    return parse_ttl_multiple(text, number, error);
  }
  const std::optional<Duration> parsed = parse_go_duration(text);
  if (!parsed) {
    error = diagnose_fixed(text);
    return std::nullopt;
  }
  return DurationSpec{parsed->count()};
}

std::optional<std::int64_t> parse_signed_duration_ns(std::string_view raw, std::string& error) {
  const std::string_view text = trim(raw);
  std::string_view magnitude = text;
  bool negative = false;
  if (!magnitude.empty() && (magnitude.front() == '-' || magnitude.front() == '+')) {
    negative = magnitude.front() == '-';
    magnitude.remove_prefix(1);
  }
  const std::optional<DurationSpec> spec = parse_duration(magnitude, TtlMultiple::rejected, error);
  if (!spec) {
    // Name the text as written, sign included.
    const std::string written = "bad duration " + quote(magnitude);
    if (error.rfind(written, 0) == 0) error = "bad duration " + quote(text) + error.substr(written.size());
    return std::nullopt;
  }
  return negative ? -spec->ns : spec->ns;
}

std::optional<DurationRange> parse_duration_range(std::string_view raw, TtlMultiple ttl, std::string& error) {
  const std::string_view text = trim(raw);
  const std::size_t dots = text.find("..");
  if (dots == std::string_view::npos) {
    const std::optional<DurationSpec> one = parse_duration(text, ttl, error);
    if (!one) return std::nullopt;
    return DurationRange{*one, *one};
  }
  const std::optional<DurationSpec> min = parse_duration(text.substr(0, dots), ttl, error);
  if (!min) {
    error += " (in the range " + quote(text) + ")";
    return std::nullopt;
  }
  const std::optional<DurationSpec> max = parse_duration(text.substr(dots + 2), ttl, error);
  if (!max) {
    error += " (in the range " + quote(text) + ")";
    return std::nullopt;
  }
  const bool backwards = min->relative_to_ttl == max->relative_to_ttl &&
                         (min->relative_to_ttl ? min->ttl_multiple > max->ttl_multiple : min->ns > max->ns);
  if (backwards) {
    error = "bad range " + quote(text) + ": its minimum " + to_string(*min) + " is more than its maximum " +
            to_string(*max);
    return std::nullopt;
  }
  return DurationRange{*min, *max};
}

std::string to_string(const DurationSpec& duration) {
  if (!duration.relative_to_ttl) return format_go_duration(Duration(duration.ns));
  char buffer[64];
  const auto [end, failure] = std::to_chars(buffer, buffer + sizeof buffer, duration.ttl_multiple);
  const std::string number = failure == std::errc() ? std::string(buffer, end) : std::string("?");
  return number + "x session_ttl";
}

std::string to_string(const DurationRange& range) {
  const std::string min = to_string(range.min);
  const std::string max = to_string(range.max);
  return min == max ? min : min + ".." + max;
}

}  // namespace baton::sim::scenario
