#include "engine/config/hcl/utf8.hpp"

namespace baton::config::hcl::utf8 {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The range the second byte of a sequence must fall in, by first byte (Go's acceptRanges):
// it is what rules out overlong forms, surrogates and values above U+10FFFF.
struct Accept {
  unsigned char low;
  unsigned char high;
};
Accept second_byte_range(unsigned char first) {
  if (first == 0xE0) return {0xA0, 0xBF};
  if (first == 0xED) return {0x80, 0x9F};
  if (first == 0xF0) return {0x90, 0xBF};
  if (first == 0xF4) return {0x80, 0x8F};
  return {0x80, 0xBF};
}

std::size_t sequence_length(unsigned char first) {
  if (first < 0x80) return 1;
  if (first >= 0xC2 && first <= 0xDF) return 2;
  if (first >= 0xE0 && first <= 0xEF) return 3;
  if (first >= 0xF0 && first <= 0xF4) return 4;
  return 0;  // a continuation byte, C0, C1 or F5..FF: never a valid first byte
}

}  // namespace

Decoded decode(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return Decoded{kRuneError, 0, false};
  const auto first = static_cast<unsigned char>(text[offset]);
  const std::size_t length = sequence_length(first);
  const Decoded malformed{kRuneError, 1, false};
  if (length == 0 || offset + length > text.size()) return malformed;
  if (length == 1) return Decoded{first, 1, true};

  const auto second = static_cast<unsigned char>(text[offset + 1]);
  const Accept accept = second_byte_range(first);
  if (second < accept.low || second > accept.high) return malformed;
  char32_t rune = first & (0xFF >> (length + 1));
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[offset + i]);
    if (!is_continuation(byte)) return malformed;
    rune = (rune << 6) | (byte & 0x3F);
  }
  return Decoded{rune, length, true};
}

void append(std::string& out, char32_t rune) {
  if (rune > kMaxRune || (rune >= 0xD800 && rune <= 0xDFFF)) rune = kRuneError;
  if (rune < 0x80) {
    out.push_back(static_cast<char>(rune));
  } else if (rune < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (rune >> 6)));
    out.push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  } else if (rune < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (rune >> 12)));
    out.push_back(static_cast<char>(0x80 | ((rune >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (rune >> 18)));
    out.push_back(static_cast<char>(0x80 | ((rune >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((rune >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  }
}

int count_runes(std::string_view text) {
  int runes = 0;
  for (std::size_t offset = 0; offset < text.size(); offset += decode(text, offset).size) ++runes;
  return runes;
}

bool is_go_space(char32_t rune) {
  switch (rune) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
      return true;
    default:
      return rune >= 0x2000 && rune <= 0x200A;
  }
}

bool is_non_ascii_letter(char32_t rune) {
  if (rune < 0x80 || is_go_space(rune)) return false;
  // Latin-1's symbols and punctuation, except the three letters among them (ª µ º).
  if (rune <= 0xBF) return rune == 0xAA || rune == 0xB5 || rune == 0xBA;
  if (rune == 0xD7 || rune == 0xF7) return false;                 // × ÷
  if (rune >= 0x2000 && rune <= 0x206F) return false;             // general punctuation
  if (rune >= 0x2190 && rune <= 0x2BFF) return false;             // arrows .. misc symbols
  return rune != 0xFEFF && rune != kRuneError;
}

}  // namespace baton::config::hcl::utf8
