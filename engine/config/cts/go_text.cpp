#include "engine/config/cts/go_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "engine/driver/terraform/unicode.hpp"

namespace baton::config::cts {
namespace {

// The shortest decimal digits that read back as `value` (> 0), and the exponent of the first
// digit: value = 0.d1d2d3... x 10^decimal_point.
struct ShortestDigits {
  std::string digits;
  int decimal_point = 0;
};

ShortestDigits shortest_digits(double value) {
  char buffer[64];
  const auto written = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string_view text(buffer, static_cast<std::size_t>(written.ptr - buffer));
  const std::size_t e = text.find('e');
  ShortestDigits result;
  for (const char c : text.substr(0, e)) {
    if (c != '.') result.digits.push_back(c);
  }
  int exponent = 0;
  std::from_chars(text.data() + e + 1 + (text[e + 1] == '+' ? 1 : 0), text.data() + text.size(), exponent);
  while (result.digits.size() > 1 && result.digits.back() == '0') result.digits.pop_back();
  result.decimal_point = exponent + 1;
  return result;
}

std::string fixed_text(const ShortestDigits& d) {
  const int n = static_cast<int>(d.digits.size());
  if (d.decimal_point <= 0) return "0." + std::string(static_cast<std::size_t>(-d.decimal_point), '0') + d.digits;
  if (d.decimal_point >= n) return d.digits + std::string(static_cast<std::size_t>(d.decimal_point - n), '0');
  return d.digits.substr(0, static_cast<std::size_t>(d.decimal_point)) + "." +
         d.digits.substr(static_cast<std::size_t>(d.decimal_point));
}

std::string exponent_text(const ShortestDigits& d) {
  std::string out = d.digits.substr(0, 1);
  if (d.digits.size() > 1) out += "." + d.digits.substr(1);
  const int exponent = d.decimal_point - 1;
  return out + fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
}

std::string special_text(double value) {
  if (std::isnan(value)) return "NaN";
  return value > 0 ? "+Inf" : "-Inf";
}

void append_rune_escape(std::string& out, char32_t rune) {
  if (rune < 0x10000) {
    out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(rune));
  } else {
    out += fmt::format("\\U{:08x}", static_cast<std::uint32_t>(rune));
  }
}

}  // namespace

std::string go_quote(std::string_view text) {
  std::string out = "\"";
  while (!text.empty()) {
    const auto decoded = driver::terraform::decode_rune(text);
    const char32_t rune = decoded.rune;
    if (rune == 0xFFFD && decoded.size_bytes == 1 && static_cast<unsigned char>(text[0]) >= 0x80) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[0]));
    } else if (rune == '"' || rune == '\\') {
      out += '\\';
      out += static_cast<char>(rune);
    } else if (driver::terraform::is_go_printable(rune)) {
      out.append(text.substr(0, decoded.size_bytes));
    } else {
      switch (rune) {
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default:
          if (rune < ' ' || rune == 0x7F) {
            out += fmt::format("\\x{:02x}", static_cast<std::uint32_t>(rune));
          } else {
            append_rune_escape(out, rune);
          }
      }
    }
    text.remove_prefix(decoded.size_bytes);
  }
  return out + "\"";
}

std::string go_format_float_g(double value) {
  if (!std::isfinite(value)) return special_text(value);
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  const std::string sign = value < 0 ? "-" : "";
  const ShortestDigits d = shortest_digits(std::fabs(value));
  const int exponent = d.decimal_point - 1;
  // With the shortest digits strconv picks the exponent form as if the precision were 6.
  if (exponent < -4 || exponent >= 6) return sign + exponent_text(d);
  return sign + fixed_text(d);
}

std::string go_format_float_f(double value) {
  if (!std::isfinite(value)) return special_text(value);
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  const std::string sign = value < 0 ? "-" : "";
  return sign + fixed_text(shortest_digits(std::fabs(value)));
}

}  // namespace baton::config::cts
