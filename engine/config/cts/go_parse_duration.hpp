#pragma once
// time.ParseDuration with Go's error texts, which CTS shows for a bad duration
// (`error decoding 'buffer_period.min': time: invalid duration "5"`... ). engine/time's
// parse_go_duration answers only yes or no; this one also says why, as Go does.
#include <string>
#include <string_view>
#include <variant>

#include "engine/ports/time.hpp"

namespace baton::config::cts {

// A Duration, or Go's message: `time: invalid duration "x"`, `time: missing unit in duration
// "5"`, `time: unknown unit "d" in duration "5d"`.
std::variant<Duration, std::string> go_parse_duration(std::string_view text);

}  // namespace baton::config::cts
