#pragma once
// Standard base64 (RFC 4648, with padding), strict on decode as Go's base64.StdEncoding is:
// KV values travel this way in Consul's JSON. Written here (40 lines) rather than taken from
// OpenSSL, whose EVP_DecodeBlock accepts what Go rejects and miscounts padding.
#include <optional>
#include <string>
#include <string_view>

namespace baton::fakes::consul {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace baton::fakes::consul
