#pragma once
// The strconv parsers mapstructure's weak typing runs on strings ("8558" into port, "true"
// into enabled), with Go's results and Go's error texts.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace baton::config::cts {

// strconv.ParseInt(text, 0, 64): sign, then 0x / 0o / 0b / 0 prefixes, `_` separators.
// The error is Go's: `strconv.ParseInt: parsing "x": invalid syntax` (or value out of range).
std::variant<std::int64_t, std::string> go_parse_int(std::string_view text);

// strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False.
std::variant<bool, std::string> go_parse_bool(std::string_view text);

}  // namespace baton::config::cts
