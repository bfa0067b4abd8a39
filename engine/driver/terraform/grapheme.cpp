// Extended grapheme cluster boundaries, UAX #29 as go-textseg v13 implements it (Unicode 13.0:
// no GB9c). hclwrite counts a token's columns in clusters when aligning `=` signs.
#include <algorithm>
#include <cstdint>

#include "engine/driver/terraform/unicode.hpp"
#include "engine/driver/terraform/unicode_tables.hpp"

namespace baton::driver::terraform {
namespace {

// The values tools/unicode_tables_gen.cpp writes into unicode_tables::grapheme_break.
enum class Break : std::uint8_t {
  other = 0, cr, lf, control, extend, zwj, regional_indicator, prepend, spacing_mark,
  l, v, t, lv, lvt, extended_pictographic,
};

Break break_of(char32_t rune) {
  const auto table = unicode_tables::grapheme_break;
  const auto after = std::upper_bound(table.begin(), table.end(), std::uint32_t{rune},
                                      [](std::uint32_t r, const auto& range) { return r < range.lo; });
  if (after == table.begin() || rune > (after - 1)->hi) return Break::other;
  return static_cast<Break>((after - 1)->value);
}

bool is_control(Break b) { return b == Break::cr || b == Break::lf || b == Break::control; }

// What the rules need to know of the runes before the candidate boundary.
struct Context {
  Break previous = Break::other;
  int regional_indicators = 0;  // consecutive RI runes ending at `previous`
  bool in_pictographic = false; // `previous` ends ExtPict Extend*
  bool pictographic_zwj = false;  // `previous` is a ZWJ ending ExtPict Extend* ZWJ
};

bool hangul_joins(Break before, Break after) {
  if (before == Break::l) return after == Break::l || after == Break::v || after == Break::lv || after == Break::lvt;
  if (before == Break::lv || before == Break::v) return after == Break::v || after == Break::t;
  if (before == Break::lvt || before == Break::t) return after == Break::t;
  return false;
}

bool is_boundary(const Context& c, Break next) {
  if (c.previous == Break::cr && next == Break::lf) return false;                       // GB3
  if (is_control(c.previous) || is_control(next)) return true;                          // GB4, GB5
  if (hangul_joins(c.previous, next)) return false;                                     // GB6-GB8
  if (next == Break::extend || next == Break::zwj || next == Break::spacing_mark) return false;  // GB9, GB9a
  if (c.previous == Break::prepend) return false;                                       // GB9b
  if (c.pictographic_zwj && next == Break::extended_pictographic) return false;         // GB11
  if (next == Break::regional_indicator && c.regional_indicators % 2 == 1) return false;  // GB12, GB13
  return true;                                                                          // GB999
}

Context advance(const Context& c, Break next) {
  Context n;
  n.previous = next;
  n.regional_indicators = next == Break::regional_indicator ? c.regional_indicators + 1 : 0;
  n.in_pictographic = next == Break::extended_pictographic || (c.in_pictographic && next == Break::extend);
  n.pictographic_zwj = next == Break::zwj && c.in_pictographic;
  return n;
}

// Printable ASCII (space to tilde) has no grapheme break property, so each such byte is a
// cluster of its own (GB999). Nearly every token hclwrite aligns is such text.
bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

}  // namespace

std::size_t grapheme_count(std::string_view text) {
  if (is_printable_ascii(text)) return text.size();
  std::size_t count = 0;
  Context context;
  bool first = true;
  while (!text.empty()) {
    const DecodedRune decoded = decode_rune(text);
    const Break next = break_of(decoded.rune);
    if (first || is_boundary(context, next)) ++count;
    context = advance(context, next);
    first = false;
    text.remove_prefix(decoded.size_bytes);
  }
  return count;
}

}  // namespace baton::driver::terraform
