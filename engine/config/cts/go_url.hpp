#pragma once
// net/url.ParseRequestURI's errors, for consul.service_registration.default_check.address
// ("error with address for default check: parse \"http://[::1\": missing ']' in host").
#include <optional>
#include <string>
#include <string_view>

namespace baton::config::cts {

// nullopt when Go parses `address`, else the *url.Error text: `parse "<address>": <reason>`.
// Reproduced: control characters, missing scheme, relative references, brackets, ports,
// %-escapes and characters refused in hosts, userinfo. Not: the IPv6 literal's own syntax.
std::optional<std::string> go_parse_request_uri_error(std::string_view address);

}  // namespace baton::config::cts
