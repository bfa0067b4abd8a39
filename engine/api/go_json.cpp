#include "engine/api/go_json.hpp"

namespace baton::api {

std::string go_json_encode(const nlohmann::ordered_json& value) {
  // Those characters can only stand inside string literals of the dump, so a byte-wise
  // replacement is the Encoder's escaping exactly.
  const std::string dumped = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(dumped.size() + 1);
  for (std::size_t i = 0; i < dumped.size(); ++i) {
    const char c = dumped[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xe2' && i + 2 < dumped.size() && dumped[i + 1] == '\x80' && (dumped[i + 2] == '\xa8' || dumped[i + 2] == '\xa9')) {
      out += dumped[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  out += '\n';
  return out;
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
