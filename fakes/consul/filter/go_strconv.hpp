#pragma once
// The parts of Go's strconv package that shape what a Consul filter means and what its errors
// say: go-bexpr unquotes string literals with strconv.Unquote, coerces match values with
// ParseBool, ParseInt (base 0) and ParseFloat, and formats selectors and values into its
// messages with %q (strconv.Quote). Each function below behaves as its Go namesake, error text
// included; where it only approximates, the comment says how.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace baton::fakes::consul::filter {

// A strconv.NumError rendered as Go renders it: `strconv.ParseInt: parsing "abc": invalid syntax`.
struct NumError {
  std::string text;
};

// Go's %q of a string (strconv.Quote). Printable runes stay as they are; which non-ASCII runes
// Go counts as printable is approximated (controls, separators and format characters are escaped).
std::string go_quote(std::string_view text);

// strconv.Unquote of a "double-quoted" or `back-quoted` literal, quotes included; nullopt where
// Go answers ErrSyntax ("invalid syntax"): a bad escape, a raw newline, an escaped closing quote.
std::optional<std::string> go_unquote(std::string_view literal);

// strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False.
std::variant<bool, NumError> go_parse_bool(std::string_view text);

// strconv.ParseInt(text, 0, 64): optional sign, 0x / 0o / 0b / leading-0 octal prefixes, and
// underscores between digits.
std::variant<std::int64_t, NumError> go_parse_int(std::string_view text);

// strconv.ParseUint(text, 0, 64): as ParseInt without a sign.
std::variant<std::uint64_t, NumError> go_parse_uint(std::string_view text);

// strconv.ParseFloat(text, 64) for decimal forms ("1", "-2.5", "1e3", ".5") and the specials
// Inf, +Inf, -Infinity, NaN in any case. Go's hexadecimal floats and underscores are reported as
// invalid syntax here (a deviation no Consul filter on the fake's endpoints runs into).
std::variant<double, NumError> go_parse_float(std::string_view text);

}  // namespace baton::fakes::consul::filter
