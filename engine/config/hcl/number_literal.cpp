#include "engine/config/hcl/number_literal.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <system_error>

namespace baton::config::hcl {
namespace {

NumberReading refuse(std::string failure) { return NumberReading{std::nullopt, std::move(failure)}; }

// The decimal exponent of the leading significant digit: positive for values >= 1. Used only to
// tell overflow from underflow when from_chars reports the result out of range.
long magnitude(std::string_view text) {
  long integer_digits = 0;
  long leading_fraction_zeros = 0;
  bool seen_significant = false;
  bool in_fraction = false;
  std::size_t i = 0;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    const char c = text[i];
    if (c == '.') {
      in_fraction = true;
    } else if (c >= '0' && c <= '9') {
      seen_significant = seen_significant || c != '0';
      if (!in_fraction && seen_significant) ++integer_digits;
      if (in_fraction && !seen_significant) ++leading_fraction_zeros;
    }
  }
  long exponent = 0;
  if (i < text.size()) {
    const std::string_view digits = text.substr(i + 1);
    const bool negative = digits.starts_with('-');
    for (const char c : digits) {
      if (c >= '0' && c <= '9' && exponent < 1'000'000) exponent = exponent * 10 + (c - '0');
    }
    if (negative) exponent = -exponent;
  }
  return (integer_digits > 0 ? integer_digits : -leading_fraction_zeros) + exponent;
}

}  // namespace

NumberReading read_integer_literal(std::string_view text) {
  std::string_view digits = text;
  const bool negative = digits.starts_with('-');
  if (negative) digits.remove_prefix(1);
  int base = 10;
  if (digits.size() > 1 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  } else if (digits.size() > 1 && digits[0] == '0') {
    base = 8;
    digits.remove_prefix(1);
  }
  if (digits.empty()) return refuse("invalid syntax");
  // Accumulate the magnitude unsigned so that -9223372036854775808 fits.
  std::uint64_t magnitude_value = 0;
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), magnitude_value, base);
  if (error == std::errc::result_out_of_range) return refuse("value out of range");
  if (error != std::errc{} || end != digits.data() + digits.size()) return refuse("invalid syntax");
  const std::uint64_t limit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  if (magnitude_value > limit) return refuse("value out of range");
  Number number;
  number.text = std::string(text);
  number.is_integer = true;
  number.integer = negative ? static_cast<std::int64_t>(0 - magnitude_value)
                            : static_cast<std::int64_t>(magnitude_value);
  number.real = static_cast<double>(number.integer);
  return NumberReading{std::move(number), {}};
}

NumberReading read_float_literal(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size() || (error != std::errc{} &&
                                           error != std::errc::result_out_of_range)) {
    return refuse("invalid syntax");
  }
  if (error == std::errc::result_out_of_range) {
    if (magnitude(text) > 0) return refuse("value out of range");
    value = text.starts_with('-') ? -0.0 : 0.0;
  }
  if (!std::isfinite(value)) return refuse("value out of range");
  Number number;
  number.text = std::string(text);
  number.real = value;
  return NumberReading{std::move(number), {}};
}

NumberReading read_json_number(std::string_view text) {
  const bool integral = text.find_first_of(".eE") == std::string_view::npos;
  if (integral) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc{} && end == text.data() + text.size()) {
      Number number;
      number.text = std::string(text);
      number.is_integer = true;
      number.integer = value;
      number.real = static_cast<double>(value);
      return NumberReading{std::move(number), {}};
    }
  }
  return read_float_literal(text);
}

}  // namespace baton::config::hcl
