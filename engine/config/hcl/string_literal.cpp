#include "engine/config/hcl/string_literal.hpp"

#include "engine/config/hcl/utf8.hpp"

namespace baton::config::hcl {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Copies "${ ... }" from the start of `rest` through its matching brace; false when the braces
// do not balance or the section holds U+FFFD (Go's DecodeRune cannot tell it from bad UTF-8).
bool copy_interpolation(std::string_view& rest, std::string& out) {
  out.append("${");
  std::size_t offset = 2;
  int braces = 1;
  while (offset < rest.size() && braces > 0) {
    const utf8::Decoded decoded = utf8::decode(rest, offset);
    if (decoded.rune == utf8::kRuneError) return false;
    out.append(rest.substr(offset, decoded.size));
    offset += decoded.size;
    if (decoded.rune == '{') ++braces;
    if (decoded.rune == '}') --braces;
  }
  rest.remove_prefix(offset);
  return braces == 0;
}

// Reads the escape at the start of `rest` (a backslash and what follows) into `out`.
std::optional<UnquoteFailure> unescape(std::string_view& rest, std::string& out) {
  const UnquoteFailure invalid{"invalid escape sequence"};
  if (rest.size() < 2) return invalid;
  const char kind = rest[1];
  rest.remove_prefix(2);
  switch (kind) {
    case 'a': out.push_back('\a'); return std::nullopt;
    case 'b': out.push_back('\b'); return std::nullopt;
    case 'f': out.push_back('\f'); return std::nullopt;
    case 'n': out.push_back('\n'); return std::nullopt;
    case 'r': out.push_back('\r'); return std::nullopt;
    case 't': out.push_back('\t'); return std::nullopt;
    case 'v': out.push_back('\v'); return std::nullopt;
    case '\\': out.push_back('\\'); return std::nullopt;
    case '"': out.push_back('"'); return std::nullopt;
    default: break;
  }
  if (kind >= '0' && kind <= '7') {
    unsigned value = static_cast<unsigned>(kind - '0');
    for (int i = 0; i < 2; ++i) {
      if (rest.empty() || rest[0] < '0' || rest[0] > '7') return invalid;
      value = value * 8 + static_cast<unsigned>(rest[0] - '0');
      rest.remove_prefix(1);
    }
    if (value > 255) return UnquoteFailure{"octal escape value > 255"};
    out.push_back(static_cast<char>(value));
    return std::nullopt;
  }
  const std::size_t digits = kind == 'x' ? 2 : kind == 'u' ? 4 : kind == 'U' ? 8 : 0;
  if (digits == 0 || rest.size() < digits) return invalid;
  char32_t value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const int digit = hex_value(rest[i]);
    if (digit < 0) return invalid;
    value = (value << 4) | static_cast<char32_t>(digit);
  }
  rest.remove_prefix(digits);
  // Go accumulates the value in a rune, an int32: from 0x80000000 up it is negative, passes the
  // "above U+10FFFF" check, and is appended as one byte (its low byte), like \x.
  const bool wraps_negative = value > 0x7FFFFFFF;
  if (kind == 'x' || wraps_negative) {
    out.push_back(static_cast<char>(value & 0xFF));  // one raw byte, UTF-8 or not
    return std::nullopt;
  }
  if (value > utf8::kMaxRune) return UnquoteFailure{"escape value above U+10FFFF"};
  utf8::append(out, value);
  return std::nullopt;
}

}  // namespace

Unquoted unquote(std::string_view quoted) {
  Unquoted result;
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') {
    result.failure = UnquoteFailure{"string is not quoted"};
    return result;
  }
  std::string_view rest = quoted.substr(1, quoted.size() - 2);
  while (!rest.empty()) {
    if (rest.starts_with("${")) {
      if (!copy_interpolation(rest, result.value)) {
        result.failure = UnquoteFailure{"invalid interpolation section"};
        return result;
      }
    } else if (rest[0] == '\\') {
      if (auto failure = unescape(rest, result.value)) {
        result.failure = std::move(failure);
        return result;
      }
    } else if (rest[0] == '\n' || rest[0] == '"') {
      result.failure = UnquoteFailure{"unescaped newline or quote in string"};
      return result;
    } else {
      result.value.push_back(rest[0]);
      rest.remove_prefix(1);
    }
  }
  return result;
}

}  // namespace baton::config::hcl
