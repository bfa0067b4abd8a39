#pragma once
// Go's time.Time in JSON (RFC 3339 with nanoseconds, trailing zeros dropped, UTC as "Z"):
// "2022-08-23T16:25:09.501234Z". Computed with the calendar alone: no time zone database, no
// libc call, the same on every machine.
#include <optional>
#include <string>
#include <string_view>

#include "engine/ports/time.hpp"

namespace baton {

std::string format_rfc3339(WallTime time);
// Accepts what format_rfc3339 writes, and offsets other than Z ("+02:00"); nullopt otherwise.
std::optional<WallTime> parse_rfc3339(std::string_view text);

}  // namespace baton
