#pragma once
// UTF-8 decoding exactly as Go's unicode/utf8.DecodeRune does it: a byte that does not start a
// valid sequence is one rune of its own (U+FFFD, width 1). go-bexpr's parser walks a filter
// rune by rune, so fake-consul's error columns equal Consul's on any input; the Go regexp
// translation (go_regex.hpp) reads patterns the same way.
#include <cstddef>
#include <string>
#include <string_view>

namespace baton::text {

inline constexpr char32_t kRuneError = U'\uFFFD';

struct DecodedRune {
  char32_t rune;
  std::size_t width;  // 0 only at the end of the text

  // Go's test for "not valid UTF-8 here": RuneError that took exactly one byte.
  bool invalid() const { return rune == kRuneError && width == 1; }
};

// The rune starting at `offset` (offset <= text.size()).
DecodedRune decode_rune(std::string_view text, std::size_t offset);

// Go's utf8.ValidRune: a Unicode scalar value (no surrogates, at most U+10FFFF).
bool valid_rune(char32_t rune);

// Appends the UTF-8 encoding of `rune`; invalid runes are written as U+FFFD, as Go's
// utf8.AppendRune does.
void append_utf8(std::string& out, char32_t rune);

}  // namespace baton::text
