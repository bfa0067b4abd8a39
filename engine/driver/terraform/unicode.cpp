#include "engine/driver/terraform/unicode.hpp"

#include <algorithm>
#include <cstdint>
#include <span>

#include "engine/driver/terraform/unicode_tables.hpp"

namespace baton::driver::terraform {
namespace {

using unicode_tables::CodePointRange;

constexpr char32_t kReplacement = 0xFFFD;

// 0 when `rune` is in no range of `table`, else the range's value.
std::uint8_t lookup(std::span<const CodePointRange> table, char32_t rune) {
  const auto after = std::upper_bound(table.begin(), table.end(), std::uint32_t{rune},
                                      [](std::uint32_t r, const CodePointRange& range) { return r < range.lo; });
  if (after == table.begin()) return 0;
  const CodePointRange& range = *(after - 1);
  return rune <= range.hi ? range.value : 0;
}

bool is_continuation(unsigned char byte, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
  return byte >= lo && byte <= hi;
}

// Bounds Go's utf8 package puts on the second byte of a sequence, by first byte.
struct Lead {
  std::size_t size;
  unsigned char second_lo;
  unsigned char second_hi;
};

Lead lead_of(unsigned char byte) {
  if (byte >= 0xC2 && byte <= 0xDF) return {2, 0x80, 0xBF};
  if (byte == 0xE0) return {3, 0xA0, 0xBF};
  if (byte == 0xED) return {3, 0x80, 0x9F};  // no surrogates
  if (byte >= 0xE1 && byte <= 0xEF) return {3, 0x80, 0xBF};
  if (byte == 0xF0) return {4, 0x90, 0xBF};
  if (byte >= 0xF1 && byte <= 0xF3) return {4, 0x80, 0xBF};
  if (byte == 0xF4) return {4, 0x80, 0x8F};  // nothing above U+10FFFF
  return {0, 0, 0};
}

}  // namespace

DecodedRune decode_rune(std::string_view text) {
  const auto first = static_cast<unsigned char>(text[0]);
  if (first < 0x80) return {first, 1};
  const Lead lead = lead_of(first);
  if (lead.size == 0 || text.size() < lead.size) return {kReplacement, 1};
  if (!is_continuation(static_cast<unsigned char>(text[1]), lead.second_lo, lead.second_hi)) return {kReplacement, 1};
  char32_t rune = first & (0xFF >> (lead.size + 1));
  for (std::size_t i = 1; i < lead.size; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (!is_continuation(byte)) return {kReplacement, 1};
    rune = (rune << 6) | (byte & 0x3F);
  }
  return {rune, lead.size};
}

void append_utf8(std::string& out, char32_t rune) {
  if (rune < 0x80) {
    out += static_cast<char>(rune);
  } else if (rune < 0x800) {
    out += static_cast<char>(0xC0 | (rune >> 6));
    out += static_cast<char>(0x80 | (rune & 0x3F));
  } else if (rune < 0x10000) {
    out += static_cast<char>(0xE0 | (rune >> 12));
    out += static_cast<char>(0x80 | ((rune >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (rune & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (rune >> 18));
    out += static_cast<char>(0x80 | ((rune >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((rune >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (rune & 0x3F));
  }
}

bool is_go_printable(char32_t rune) {
  if (rune < 0x80) return rune >= 0x20 && rune <= 0x7E;  // Go's ASCII fast path in IsPrint
  return lookup(unicode_tables::printable, rune) != 0;
}

bool is_hcl_identifier(std::string_view text) {
  // hclsyntax's scanner drops a leading byte order mark before it starts.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  bool first = true;
  while (!text.empty()) {
    const DecodedRune decoded = decode_rune(text);
    if (decoded.rune == kReplacement && decoded.size_bytes == 1) return false;
    const bool ok = first ? decoded.rune == U'_' || lookup(unicode_tables::id_start, decoded.rune) != 0
                          : decoded.rune == U'-' || lookup(unicode_tables::id_continue, decoded.rune) != 0;
    if (!ok) return false;
    first = false;
    text.remove_prefix(decoded.size_bytes);
  }
  return !first;
}

}  // namespace baton::driver::terraform
