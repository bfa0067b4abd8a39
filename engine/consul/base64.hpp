#pragma once
// Base64 as Consul puts KV values on the wire: Go's encoding/base64 StdEncoding (standard
// alphabet, '=' padding required; CR and LF ignored when decoding, as Go does).
#include <optional>
#include <string>
#include <string_view>

namespace baton::consul {

std::string base64_encode(std::string_view bytes);

// nullopt for anything Go's StdEncoding.DecodeString rejects.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace baton::consul
