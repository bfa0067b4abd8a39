#include "engine/api/go_json.hpp"

#include "engine/api/model/go_json.hpp"

namespace baton::api {

std::string go_json_encode(const nlohmann::ordered_json& value) {
  // json.Encoder.Encode: Marshal's bytes (model/go_json.hpp: Go's escaping, HTML-safe) and a newline.
  return model::go_json_marshal(value) + "\n";
}

http::Response json_response(int status, const nlohmann::ordered_json& value) {
  http::Response response;
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.body = go_json_encode(value);
  return response;
}

http::Response error_response(int status, const std::string& message, const std::string& request_id) {
  nlohmann::ordered_json body;
  body["error"] = {{"message", message}};
  body["request_id"] = request_id;
  return json_response(status, body);
}

http::Response legacy_error_response(int status, const std::string& message) {
  nlohmann::ordered_json body;
  body["error"] = {{"message", message}};
  return json_response(status, body);
}

}  // namespace baton::api
