#include "fakes/consul/filter/go_strconv.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "engine/text/go_utf8.hpp"

namespace baton::fakes::consul::filter {

using text::append_utf8;
using text::decode_rune;
using text::DecodedRune;
using text::valid_rune;

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

NumError syntax_error(std::string_view function, std::string_view text) {
  return {"strconv." + std::string(function) + ": parsing " + go_quote(text) + ": invalid syntax"};
}

NumError range_error(std::string_view function, std::string_view text) {
  return {"strconv." + std::string(function) + ": parsing " + go_quote(text) + ": value out of range"};
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// strconv.IsPrint, exact for Latin-1 and approximated above it: Go's tables call letters, marks,
// numbers, punctuation and symbols printable, and spaces other than U+0020, separators, format
// characters, private-use and non-characters not.
bool go_is_print(char32_t rune) {
  if (rune < 0x100) return (rune >= 0x20 && rune <= 0x7E) || (rune >= 0xA1 && rune != 0xAD);
  if (rune >= 0x2000 && rune <= 0x200F) return false;  // spaces, zero-width and direction marks
  if (rune >= 0x2028 && rune <= 0x202F) return false;  // line and paragraph separators, embeddings
  if (rune >= 0x2060 && rune <= 0x206F) return false;  // invisible operators and format controls
  if (rune == 0x3000 || rune == 0xFEFF || (rune >= 0xFFF9 && rune <= 0xFFFB)) return false;
  if (rune >= 0xE000 && rune <= 0xF8FF) return false;  // private use
  if ((rune & 0xFFFE) == 0xFFFE) return false;         // non-characters
  return valid_rune(rune);
}

void append_hex(std::string& out, std::string_view prefix, std::uint32_t value, int digits) {
  out += prefix;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kLowerHex[(value >> shift) & 0xF];
}

void append_escaped_rune(std::string& out, char32_t rune) {
  if (rune == '"' || rune == '\\') {
    out += '\\';
    out += char(rune);
    return;
  }
  if (go_is_print(rune)) return append_utf8(out, rune);
  switch (rune) {
    case '\a': out += "\\a"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\v': out += "\\v"; return;
    default: break;
  }
  if (rune < ' ' || rune == 0x7F) return append_hex(out, "\\x", rune, 2);
  if (rune < 0x10000) return append_hex(out, "\\u", rune, 4);
  append_hex(out, "\\U", rune, 8);
}

std::optional<int> hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (lower(c) >= 'a' && lower(c) <= 'f') return lower(c) - 'a' + 10;
  return std::nullopt;
}

// The value of a \x, \u or \U escape's `count` hex digits at the front of `rest`.
std::optional<char32_t> hex_escape(std::string_view& rest, int count) {
  if (rest.size() < std::size_t(count)) return std::nullopt;
  char32_t value = 0;
  for (int i = 0; i < count; ++i) {
    const auto digit = hex_digit(rest[std::size_t(i)]);
    if (!digit) return std::nullopt;
    value = (value << 4) | char32_t(*digit);
  }
  rest.remove_prefix(std::size_t(count));
  return value;
}

// A three-digit octal escape whose first digit is already taken; at most \377.
std::optional<char32_t> octal_escape(char first, std::string_view& rest) {
  if (rest.size() < 2) return std::nullopt;
  char32_t value = char32_t(first - '0');
  for (int i = 0; i < 2; ++i) {
    const char c = rest[std::size_t(i)];
    if (c < '0' || c > '7') return std::nullopt;
    value = (value << 3) | char32_t(c - '0');
  }
  rest.remove_prefix(2);
  if (value > 255) return std::nullopt;
  return value;
}

std::optional<char32_t> simple_escape(char c) {
  switch (c) {
    case 'a': return U'\a';
    case 'b': return U'\b';
    case 'f': return U'\f';
    case 'n': return U'\n';
    case 'r': return U'\r';
    case 't': return U'\t';
    case 'v': return U'\v';
    case '\\': return U'\\';
    case '"': return U'"';  // \' is not allowed inside a double-quoted literal
    default: return std::nullopt;
  }
}

// One backslash escape of a double-quoted literal, appended as strconv.unquote does: \x and
// octal escapes are single bytes, \u and \U are UTF-8 encoded runes.
bool unquote_escape(std::string_view& rest, std::string& out) {
  if (rest.size() < 2) return false;
  const char c = rest[1];
  rest.remove_prefix(2);
  if (const auto simple = simple_escape(c)) {
    out += char(*simple);
    return true;
  }
  if (c == 'x') {
    const auto value = hex_escape(rest, 2);
    if (value) out += char(*value);
    return value.has_value();
  }
  if (c == 'u' || c == 'U') {
    const auto value = hex_escape(rest, c == 'u' ? 4 : 8);
    if (!value || !valid_rune(*value)) return false;
    append_utf8(out, *value);
    return true;
  }
  if (c >= '0' && c <= '7') {
    const auto value = octal_escape(c, rest);
    if (value) out += char(*value);
    return value.has_value();
  }
  return false;
}

std::optional<std::string> unquote_raw(std::string_view body) {
  std::string out;
  for (char c : body) {
    if (c != '\r') out += c;  // Go drops carriage returns from raw strings
  }
  return out;
}

std::optional<std::string> unquote_double(std::string_view body) {
  std::string out;
  std::string_view rest = body;
  while (!rest.empty()) {
    if (rest.front() == '\n' || rest.front() == '"') return std::nullopt;
    if (rest.front() == '\\') {
      if (!unquote_escape(rest, out)) return std::nullopt;
      continue;
    }
    const DecodedRune decoded = decode_rune(rest, 0);
    if (decoded.rune < 0x80) {
      out += rest.front();
    } else {
      append_utf8(out, decoded.rune);  // an invalid byte becomes U+FFFD, as in Go
    }
    rest.remove_prefix(decoded.width);
  }
  return out;
}

bool underscores_ok(std::string_view text) {
  char saw = '^';  // ^ start, 0 digit or base prefix, _ underscore, ! anything else
  std::size_t i = 0;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  bool hex = false;
  if (text.size() >= 2 && text[0] == '0' && (lower(text[1]) == 'b' || lower(text[1]) == 'o' || lower(text[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(text[1]) == 'x';
  }
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
    } else if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
    } else {
      if (saw == '_') return false;
      saw = '!';
    }
  }
  return saw != '_';
}

// strconv.ParseUint(text, 0, 64) minus its error text, which ParseInt rewrites anyway.
enum class UintStatus { ok, syntax, range };

UintStatus parse_uint_base0(std::string_view text, std::uint64_t& value) {
  if (text.empty()) return UintStatus::syntax;
  const std::string_view whole = text;
  unsigned base = 10;
  if (text[0] == '0') {
    const char prefix = text.size() >= 3 ? lower(text[1]) : '\0';
    base = prefix == 'b' ? 2 : prefix == 'o' ? 8 : prefix == 'x' ? 16 : 8;
    text.remove_prefix(prefix == 'b' || prefix == 'o' || prefix == 'x' ? 2 : 1);
  }
  bool underscores = false;
  std::uint64_t n = 0;
  for (char c : text) {
    unsigned digit = 0;
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c >= '0' && c <= '9') {
      digit = unsigned(c - '0');
    } else if (lower(c) >= 'a' && lower(c) <= 'z') {
      digit = unsigned(lower(c) - 'a' + 10);
    } else {
      return UintStatus::syntax;
    }
    if (digit >= base) return UintStatus::syntax;
    if (n > (std::numeric_limits<std::uint64_t>::max() - digit) / base) return UintStatus::range;
    n = n * base + digit;
  }
  if (underscores && !underscores_ok(whole)) return UintStatus::syntax;
  value = n;
  return UintStatus::ok;
}

// A decimal float's shape as Go's readFloat accepts it: digits with an optional point and
// exponent, at least one mantissa digit.
bool decimal_float_shape(std::string_view text) {
  auto is_digit = [&](std::size_t at) { return at < text.size() && text[at] >= '0' && text[at] <= '9'; };
  std::size_t i = 0;
  std::size_t mantissa_digits = 0;
  for (; is_digit(i); ++i) ++mantissa_digits;
  if (i < text.size() && text[i] == '.') {
    for (++i; is_digit(i); ++i) ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  if (i < text.size() && lower(text[i]) == 'e') {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t exponent_start = i;
    while (is_digit(i)) ++i;
    if (i == exponent_start) return false;
  }
  return i == text.size();
}

std::optional<double> special_float(std::string_view text) {
  bool negative = false;
  std::string_view rest = text;
  if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }
  if (equal_ignoring_case(rest, "inf") || equal_ignoring_case(rest, "infinity")) {
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  if (rest.size() == text.size() && equal_ignoring_case(rest, "nan")) return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

}  // namespace

std::string go_quote(std::string_view text) {
  std::string out = "\"";
  for (std::size_t offset = 0; offset < text.size();) {
    const DecodedRune decoded = decode_rune(text, offset);
    if (decoded.invalid()) {
      append_hex(out, "\\x", static_cast<unsigned char>(text[offset]), 2);
    } else {
      append_escaped_rune(out, decoded.rune);
    }
    offset += decoded.width;
  }
  return out + "\"";
}

std::optional<std::string> go_unquote(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != literal.back()) return std::nullopt;
  const std::string_view body = literal.substr(1, literal.size() - 2);
  if (literal.front() == '`') {
    if (body.find('`') != std::string_view::npos) return std::nullopt;
    return unquote_raw(body);
  }
  if (literal.front() == '"') return unquote_double(body);
  return std::nullopt;
}

std::variant<bool, NumError> go_parse_bool(std::string_view text) {
  for (std::string_view yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (text == yes) return true;
  }
  for (std::string_view no : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (text == no) return false;
  }
  return syntax_error("ParseBool", text);
}

std::variant<std::int64_t, NumError> go_parse_int(std::string_view text) {
  if (text.empty()) return syntax_error("ParseInt", text);
  std::string_view digits = text;
  const bool negative = digits[0] == '-';
  if (digits[0] == '+' || digits[0] == '-') digits.remove_prefix(1);
  std::uint64_t magnitude = 0;
  const UintStatus status = parse_uint_base0(digits, magnitude);
  if (status == UintStatus::syntax) return syntax_error("ParseInt", text);
  constexpr std::uint64_t cutoff = std::uint64_t(1) << 63;
  if (status == UintStatus::range || (!negative && magnitude >= cutoff) || (negative && magnitude > cutoff)) {
    return range_error("ParseInt", text);
  }
  if (negative) return magnitude == cutoff ? std::numeric_limits<std::int64_t>::min() : -std::int64_t(magnitude);
  return std::int64_t(magnitude);
}

std::variant<std::uint64_t, NumError> go_parse_uint(std::string_view text) {
  std::uint64_t value = 0;
  const UintStatus status = parse_uint_base0(text, value);
  if (status == UintStatus::syntax) return syntax_error("ParseUint", text);
  if (status == UintStatus::range) return range_error("ParseUint", text);
  return value;
}

std::variant<double, NumError> go_parse_float(std::string_view text) {
  if (const auto special = special_float(text)) return *special;
  std::string_view unsigned_part = text;
  if (!unsigned_part.empty() && (unsigned_part[0] == '+' || unsigned_part[0] == '-')) unsigned_part.remove_prefix(1);
  if (!decimal_float_shape(unsigned_part)) return syntax_error("ParseFloat", text);
  const std::string copy(text);  // strtod needs a terminated string
  errno = 0;
  const double value = std::strtod(copy.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(value)) return range_error("ParseFloat", text);
  return value;
}

}  // namespace baton::fakes::consul::filter
