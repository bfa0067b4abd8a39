#pragma once
// CTS's answers as Go's encoding/json.Encoder writes them: model::go_json_marshal's bytes
// (Go's string escaping, HTML-safe) with the fields in the order given (Go's struct order: use
// nlohmann::ordered_json; insert a map's keys sorted), and a newline after the value.
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
