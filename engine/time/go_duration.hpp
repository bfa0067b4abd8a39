#pragma once
// Go's time.ParseDuration and time.Duration.String, for the texts Consul and CTS users write
// ("15s", "1m30s", "250ms") and the ones Consul prints back in errors ("24h0m0s").
#include <optional>
#include <string>
#include <string_view>

#include "engine/ports/time.hpp"

namespace baton {

// nullopt for anything Go rejects ("", "5", "1x", "--1s"); "0" alone is valid, as in Go.
std::optional<Duration> parse_go_duration(std::string_view text);

// Go's Duration.String(): "0s", "1.5s", "250ms", "1h0m0s", "-2m3.5s".
std::string format_go_duration(Duration duration);

}  // namespace baton
