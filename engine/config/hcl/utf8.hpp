#pragma once
// The few UTF-8 and Unicode facts the scanners need, behaving as Go's unicode/utf8 and unicode
// packages do, since HCL1 and encoding/json are written with them.
#include <cstddef>
#include <string>
#include <string_view>

namespace baton::config::hcl::utf8 {

inline constexpr char32_t kRuneError = 0xFFFD;
inline constexpr char32_t kMaxRune = 0x10FFFF;

struct Decoded {
  char32_t rune = kRuneError;
  std::size_t size = 0;  // bytes consumed: 0 only at the end of the text
  bool valid = false;    // false for a malformed sequence, which then consumes one byte
};

// utf8.DecodeRune: overlong forms, surrogates and values above U+10FFFF are malformed.
Decoded decode(std::string_view text, std::size_t offset);

// utf8.EncodeRune: surrogates and values above U+10FFFF are written as U+FFFD.
void append(std::string& out, char32_t rune);

// Code points in [offset, end): what a column is made of.
int count_runes(std::string_view text);

// unicode.IsSpace: ASCII white space, U+0085, U+00A0 and the Unicode White_Space characters.
bool is_go_space(char32_t rune);

// An approximation of Go's unicode.IsLetter for code points above ASCII: we carry no Unicode
// tables, so everything above U+007F counts as a letter except spaces, the Latin-1 symbols,
// general punctuation, the arrows-to-shapes symbol blocks, U+FEFF and U+FFFD. HCL1 identifiers
// are ASCII in every CTS configuration we know of; README.md lists the difference.
bool is_non_ascii_letter(char32_t rune);

}  // namespace baton::config::hcl::utf8
