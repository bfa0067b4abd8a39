#pragma once
// One request as ApiHandler's parts see it: parsed target, method, body and its request id.
#include <string>

#include "engine/api/api_handler.hpp"
#include "engine/http/message.hpp"

namespace baton::api {

struct ApiHandler::Call {
  const http::Request& request;
  http::Target target;
  std::string request_id;
};

// Go's url.Values view of one parameter: nullopt when absent, else every value given.
std::optional<std::vector<std::string>> query_values(const http::Target& target, std::string_view key);

// "'POST' in an unsupported method. The task status API currently supports the method(s): 'GET'"
std::string unsupported_method(std::string_view method, std::string_view api_name, std::string_view supported);

}  // namespace baton::api
