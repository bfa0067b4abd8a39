#include "engine/text/go_utf8.hpp"

namespace baton::text {
namespace {

bool continuation(unsigned char byte, unsigned char low = 0x80, unsigned char high = 0xBF) {
  return byte >= low && byte <= high;
}

// The range the second byte must fall in, by first byte (Go's acceptRanges): it rules out
// overlong encodings, surrogates and values past U+10FFFF.
void second_byte_range(unsigned char first, unsigned char& low, unsigned char& high) {
  low = 0x80;
  high = 0xBF;
  if (first == 0xE0) low = 0xA0;
  if (first == 0xED) high = 0x9F;
  if (first == 0xF0) low = 0x90;
  if (first == 0xF4) high = 0x8F;
}

std::size_t sequence_length(unsigned char first) {
  if (first >= 0xC2 && first <= 0xDF) return 2;
  if (first >= 0xE0 && first <= 0xEF) return 3;
  if (first >= 0xF0 && first <= 0xF4) return 4;
  return 0;  // a continuation byte or a byte no UTF-8 sequence starts with
}

}  // namespace

DecodedRune decode_rune(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return {kRuneError, 0};
  const auto first = static_cast<unsigned char>(text[offset]);
  if (first < 0x80) return {char32_t(first), 1};
  const std::size_t length = sequence_length(first);
  if (length == 0 || offset + length > text.size()) return {kRuneError, 1};

  unsigned char low = 0;
  unsigned char high = 0;
  second_byte_range(first, low, high);
  const auto second = static_cast<unsigned char>(text[offset + 1]);
  if (!continuation(second, low, high)) return {kRuneError, 1};
  char32_t rune = first & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
  rune = (rune << 6) | (second & 0x3F);
  for (std::size_t i = 2; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[offset + i]);
    if (!continuation(next)) return {kRuneError, 1};
    rune = (rune << 6) | (next & 0x3F);
  }
  return {rune, length};
}

bool valid_rune(char32_t rune) { return rune <= 0x10FFFF && !(rune >= 0xD800 && rune <= 0xDFFF); }

void append_utf8(std::string& out, char32_t rune) {
  if (!valid_rune(rune)) rune = kRuneError;
  if (rune < 0x80) {
    out += char(rune);
  } else if (rune < 0x800) {
    out += char(0xC0 | (rune >> 6));
    out += char(0x80 | (rune & 0x3F));
  } else if (rune < 0x10000) {
    out += char(0xE0 | (rune >> 12));
    out += char(0x80 | ((rune >> 6) & 0x3F));
    out += char(0x80 | (rune & 0x3F));
  } else {
    out += char(0xF0 | (rune >> 18));
    out += char(0x80 | ((rune >> 12) & 0x3F));
    out += char(0x80 | ((rune >> 6) & 0x3F));
    out += char(0x80 | (rune & 0x3F));
  }
}

}  // namespace baton::text
