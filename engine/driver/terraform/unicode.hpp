#pragma once
// The few Unicode rules the bytes of CTS's files depend on, each as the Go library that CTS v0.9.0
// runs implements it: UTF-8 decoding (Go's `range` over a string), unicode.IsPrint (what
// hclwrite escapes), hclsyntax.ValidIdentifier (bare or quoted object keys) and go-textseg's
// grapheme clusters (how hclwrite measures columns to align `=`).
#include <cstddef>
#include <string>
#include <string_view>

namespace baton::driver::terraform {

struct DecodedRune {
  char32_t rune;
  std::size_t size_bytes;  // 1 for invalid UTF-8, whose rune is U+FFFD, as in Go
};

// The first rune of a non-empty `text`.
DecodedRune decode_rune(std::string_view text);

void append_utf8(std::string& out, char32_t rune);

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020.
bool is_go_printable(char32_t rune);

// hclsyntax.ValidIdentifier: (ID_Start | '_') (ID_Continue | '-')*, Unicode 9.0 tables, after a
// leading byte order mark (which the scanner skips, so the mark stays in a bare key).
bool is_hcl_identifier(std::string_view text);

// Extended grapheme clusters in `text` (UAX #29 as of Unicode 13.0, go-textseg v13).
std::size_t grapheme_count(std::string_view text);

}  // namespace baton::driver::terraform
