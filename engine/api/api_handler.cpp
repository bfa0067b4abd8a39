#include "engine/api/api_handler.hpp"

#include <fmt/format.h>

#include "engine/api/api_call.hpp"
#include "engine/api/go_json.hpp"
#include "engine/random/uuid.hpp"

namespace baton::api {
namespace {

constexpr std::string_view kTasksPath = "/v1/tasks";
constexpr std::string_view kStatusPath = "/v1/status";

bool under(std::string_view path, std::string_view prefix) {
  return path == prefix || (path.starts_with(prefix) && path.size() > prefix.size() && path[prefix.size()] == '/');
}

http::Response not_found_page() {
  // chi's default NotFound: Go's http.NotFound, plain text.
  http::Response response;
  response.status = 404;
  response.set_header("Content-Type", "text/plain; charset=utf-8");
  response.body = "404 page not found\n";
  return response;
}

}  // namespace

std::optional<std::vector<std::string>> query_values(const http::Target& target, std::string_view key) {
  if (!target.has(key)) return std::nullopt;
  return target.all(key);
}

std::string unsupported_method(std::string_view method, std::string_view api_name, std::string_view supported) {
  return fmt::format("'{}' in an unsupported method. The {} API currently supports the method(s): '{}'", method, api_name,
                     supported);
}

ApiHandler::ApiHandler(ApiBackend& backend, Rng& rng, Logger logger, ApiHandlerOptions options)
    : backend_(backend), rng_(rng), logger_(std::move(logger)), options_(options) {}

Task<http::Response> ApiHandler::handle(http::Request request) {
  std::optional<http::Target> target = http::parse_target(request.target);
  if (!target) co_return legacy_error_response(400, "malformed request target");
  Call call{request, std::move(*target), uuid_v4(rng_)};
  logger_.debug("received request", "request_id", call.request_id, "uri", request.target, "method", request.method);
  http::Response response = co_await route(call);
  logger_.debug("request complete", "request_id", call.request_id, "status_code", response.status);
  co_return response;
}

Task<http::Response> ApiHandler::route(Call& call) {
  const std::string& path = call.target.path;
  const std::string& method = call.request.method;
  if (path == "/v1/health") {
    if (method != "GET") co_return error_response(405, unsupported_method(method, "health", "GET"), call.request_id);
    co_return co_await health(call);
  }
  if (path == "/v1/status/cluster") {
    if (method != "GET") co_return error_response(405, unsupported_method(method, "cluster status", "GET"), call.request_id);
    co_return co_await cluster_status(call);
  }
  if (!under(path, kStatusPath) && !under(path, kTasksPath)) co_return not_found_page();
  if (std::optional<http::Response> redirect = redirect_unless_leading(call)) co_return *redirect;

  if (under(path, "/v1/status/tasks")) {
    if (method != "GET") co_return legacy_error_response(405, unsupported_method(method, "task status", "GET"));
    const std::string_view rest = std::string_view(path).substr(std::string_view("/v1/status/tasks").size());
    if (rest.size() > 1 && rest.substr(1).find('/') != std::string_view::npos) {
      co_return legacy_error_response(400, fmt::format("unsupported path '{}'. request must be format 'path/{{task-name}}'. "
                                                       "task name cannot have '/ ' and api does not support further resources",
                                                       path));
    }
    // Computed before the co_await: GCC 12 evaluates both arms of a ?: inside its operand.
    std::string name;
    if (!rest.empty()) name = std::string(rest.substr(1));
    co_return co_await task_status(call, std::move(name));
  }
  if (under(path, kStatusPath)) {
    if (method != "GET") co_return legacy_error_response(405, unsupported_method(method, "overallStatus", "GET"));
    co_return co_await overall_status(call);
  }
  if (path == kTasksPath) {
    if (method == "GET") co_return co_await list_tasks(call);
    if (method == "POST") co_return co_await create_task(call);
    co_return error_response(405, unsupported_method(method, "tasks", "GET, POST"), call.request_id);
  }
  const std::string name = path.substr(kTasksPath.size() + 1);
  if (name.empty() || name.find('/') != std::string::npos) co_return not_found_page();
  if (method == "GET") co_return co_await get_task(call, name);
  if (method == "DELETE") co_return co_await delete_task(call, name);
  if (method == "PATCH") co_return co_await update_task(call, name);
  co_return legacy_error_response(405, unsupported_method(method, "task", "PATCH"));
}

std::optional<http::Response> ApiHandler::redirect_unless_leading(const Call& call) const {
  const Leadership leadership = backend_.leadership();
  if (!leadership.high_availability || leadership.leading) return std::nullopt;
  std::string message = "redirect requests to leader";
  if (leadership.leader && !leadership.leader->id.empty()) {
    message += fmt::format(" '{}'", leadership.leader->id);
    if (!leadership.leader->address.empty()) {
      const std::uint16_t port = leadership.leader->port != 0 ? leadership.leader->port : options_.port;
      message += fmt::format(" at {}:{}", leadership.leader->address, port);
    }
  }
  return error_response(400, message, call.request_id);
}

Task<http::Response> ApiHandler::health(const Call& call) {
  const std::optional<std::string> problem = backend_.health();
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  if (!problem) co_return json_response(200, body);
  body["error"] = {{"message", *problem}};
  (void)call;
  co_return json_response(503, body);
}

Task<http::Response> ApiHandler::cluster_status(const Call& call) {
  if (!backend_.leadership().high_availability) {
    co_return error_response(405, "this endpoint is only available with high availability configured", call.request_id);
  }
  std::variant<ClusterStatus, std::string> status = co_await backend_.cluster_status();
  if (auto* error = std::get_if<std::string>(&status)) co_return error_response(500, *error, call.request_id);
  const ClusterStatus& cluster = std::get<ClusterStatus>(status);
  nlohmann::ordered_json members = nlohmann::ordered_json::array();
  for (const ClusterMember& member : cluster.members) {
    nlohmann::ordered_json item;  // oapigen's Member, fields in its (alphabetical) order
    if (!member.address.empty()) item["address"] = member.address;
    item["healthy"] = member.healthy;
    item["id"] = member.id;
    item["leader"] = member.leader;
    item["service_name"] = member.service_name;
    members.push_back(std::move(item));
  }
  nlohmann::ordered_json body;
  body["cluster_name"] = cluster.cluster_name;
  body["members"] = std::move(members);
  body["request_id"] = call.request_id;
  co_return json_response(200, body);
}

}  // namespace baton::api
