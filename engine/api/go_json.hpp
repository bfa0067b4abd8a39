#pragma once
// JSON as Go's encoding/json.Encoder writes CTS's answers: fields in the order given (Go's
// struct order; use nlohmann::ordered_json), map keys sorted (insert them sorted), '<', '>'
// and '&' escaped as \u003c, \u003e, \u0026 (the Encoder's HTML escaping, on by default),
// U+2028 and U+2029 escaped, and a newline after the value.
#include <nlohmann/json.hpp>

#include <string>

#include "engine/http/message.hpp"

namespace baton::api {

std::string go_json_encode(const nlohmann::ordered_json& value);

// A response with `status`, Content-Type application/json and `value` encoded as above.
http::Response json_response(int status, const nlohmann::ordered_json& value);

// CTS's error bodies: {"error":{"message":...},"request_id":...} from the OpenAPI handlers,
// {"error":{"message":...}} from the older ones (status, PATCH), which have no request id.
http::Response error_response(int status, const std::string& message, const std::string& request_id);
http::Response legacy_error_response(int status, const std::string& message);

}  // namespace baton::api
