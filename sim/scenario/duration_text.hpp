#pragma once
// Durations as scenarios write them. Fixed: Go's syntax, a sequence of decimal numbers with units
// ns, us (or µs), ms, s, m, h: "30s", "250ms", "1.5s", "1m30s", and "0" alone. Relative: a
// multiple of the cluster's session TTL, "1.5x session_ttl" or "2x ttl" (spaces around the x
// optional), resolved once the engine's configuration is known (DurationSpec::resolve_ns).
// Ranges: "1ms..5ms", or one duration for min == max.
//
// Each parser returns nullopt and sets `error` to a sentence naming the text when it is not
// valid: `bad duration "30": missing unit (ns, us, ms, s, m, h)`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/scenario.hpp"

namespace baton::sim::scenario {

// The largest TTL multiple accepted: "1000x ttl" already outlasts any run worth simulating.
inline constexpr double kTtlMultipleMax = 1000;

enum class TtlMultiple { allowed, rejected };

// A length of time, never negative: no sign is accepted ("+10s" for `at` is its caller's).
std::optional<DurationSpec> parse_duration(std::string_view text, TtlMultiple ttl, std::string& error);

// A fixed duration that may be negative or carry a sign: "-3s", "+500ms", "2s". No TTL multiple.
std::optional<std::int64_t> parse_signed_duration_ns(std::string_view text, std::string& error);

// "min..max" or one duration. min must not exceed max when the two can be compared (both fixed,
// or both TTL multiples).
std::optional<DurationRange> parse_duration_range(std::string_view text, TtlMultiple ttl, std::string& error);

// "30s", "1.5s", "1m30s", "0s" (Go's Duration.String), or "1.5x session_ttl".
std::string to_string(const DurationSpec& duration);
// "1ms..5ms", or one duration when min and max are equal.
std::string to_string(const DurationRange& range);

}  // namespace baton::sim::scenario
