// HttpApi: routing, the shared read and write paths, and response helpers.
#include "fakes/consul/api/http_api.hpp"

#include <fmt/format.h>

#include "engine/async/wait.hpp"
#include "fakes/consul/filter/expression.hpp"

namespace baton::fakes::consul {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// What only the leader may answer: every write, and every read but a ?stale one. Status and
// agent reads are answered where they arrive; agent writes (service and check registration)
// reach the catalog through the leader, as the agent's anti-entropy sync does.
bool needs_leader(const http::Request& request, const http::Target& target, const QueryOptions& options) {
  if (starts_with(target.path, "/v1/status/")) return false;
  if (starts_with(target.path, "/v1/agent/")) return request.method != "GET";
  return request.method != "GET" || options.consistency != Consistency::stale;
}

http::Response method_not_allowed(const std::string& method) {
  return text_response(405, fmt::format("method {} not allowed", method));
}

}  // namespace

http::Response json_response(int status, const nlohmann::json& body) {
  http::Response response{.status = status, .headers = {{"Content-Type", "application/json"}}, .body = body.dump()};
  return response;
}

http::Response json_text_response(int status, std::string body) {
  return http::Response{.status = status, .headers = {{"Content-Type", "application/json"}}, .body = std::move(body)};
}

http::Response text_response(int status, std::string body) {
  return http::Response{.status = status, .headers = {{"Content-Type", "text/plain; charset=utf-8"}}, .body = std::move(body)};
}

http::Response error_response(const RpcError& error) { return text_response(error.status, error.text); }

Task<http::Response> HttpApi::handle(http::Request request, std::stop_token stop) {
  const std::optional<http::Target> target = http::parse_target(request.target);
  if (!target) co_return text_response(400, "Bad Request: malformed request target");
  auto parsed = parse_query_options(request, *target);
  if (auto* error = std::get_if<RpcError>(&parsed)) co_return error_response(*error);
  const QueryOptions& options = std::get<QueryOptions>(parsed);
  if (!options.datacenter.empty() && options.datacenter != server_.options().datacenter) {
    co_return error_response({"No path to datacenter"});
  }
  if (server_.clustered() && !server_.is_leader() && needs_leader(request, *target, options)) {
    co_return co_await forward_to_leader(request, options, stop);
  }
  // Tokens are resolved before anything else: an unknown one is refused whatever the endpoint.
  auto resolved = resolve_token(server_.options().acl, server_.store().acl(), options.token);
  if (auto* not_found = std::get_if<std::string>(&resolved)) co_return text_response(403, *not_found);
  const Authorizer& authz = std::get<Authorizer>(resolved);
  if (request.method == "GET" && options.consistency == Consistency::consistent) {
    // consistentRead: a leader proves it still leads before it reads.
    const std::optional<RpcError> refused = co_await server_.verify_leadership(stop);
    if (refused) co_return error_response(*refused);
  }
  co_return co_await route(Call{request, *target, options, stop, {}, authz});
}

Task<http::Response> HttpApi::route(const Call& call) {
  // No co_await inside ?: here: GCC 12 mishandles the temporaries of such an expression.
  const std::string& path = call.target.path;
  const std::string& method = call.request.method;
  auto with_rest = [&](std::string_view prefix) {
    return Call{call.request, call.target, call.options, call.stop, std::string_view(path).substr(prefix.size()), call.authz};
  };
  const bool put = method == "PUT";

  if (starts_with(path, "/v1/kv/") || path == "/v1/kv") co_return co_await kv(with_rest(path == "/v1/kv" ? "/v1/kv" : "/v1/kv/"));
  if (path == "/v1/session/info/" || starts_with(path, "/v1/session/info/")) co_return co_await session_read(with_rest("/v1/session/info/"), "info");
  if (starts_with(path, "/v1/session/node/")) co_return co_await session_read(with_rest("/v1/session/node/"), "node");
  if (path == "/v1/session/list") co_return co_await session_read(call, "list");
  if (starts_with(path, "/v1/health/service/")) co_return co_await health_service(with_rest("/v1/health/service/"));
  if (path == "/v1/catalog/services") co_return co_await catalog_services(call);
  if (starts_with(path, "/v1/catalog/service/")) co_return co_await catalog_service(with_rest("/v1/catalog/service/"));
  if (path == "/v1/status/leader") co_return json_response(200, server_.leader_address());
  if (path == "/v1/status/peers") co_return json_response(200, server_.peers());
  if (path == "/v1/agent/self") co_return agent_self();
  if (starts_with(path, "/v1/acl/")) co_return co_await acl(with_rest("/v1/acl/"));

  // Everything below changes state and takes PUT only.
  const bool is_write_endpoint = path == "/v1/txn" || starts_with(path, "/v1/session/") || starts_with(path, "/v1/catalog/") ||
                                 starts_with(path, "/v1/agent/service/") || starts_with(path, "/v1/agent/check/");
  if (!is_write_endpoint) co_return text_response(404, "404 page not found\n");
  if (!put) co_return method_not_allowed(method);
  if (path == "/v1/txn") co_return co_await txn(call);
  if (path == "/v1/session/create") co_return co_await session_create(call);
  if (starts_with(path, "/v1/session/destroy/")) co_return co_await session_destroy(with_rest("/v1/session/destroy/"));
  if (starts_with(path, "/v1/session/renew/")) co_return co_await session_renew(with_rest("/v1/session/renew/"));
  if (path == "/v1/catalog/register") co_return co_await catalog_register(call);
  if (path == "/v1/catalog/deregister") co_return co_await catalog_deregister(call);
  if (path == "/v1/agent/service/register") co_return co_await agent_service_register(call);
  if (starts_with(path, "/v1/agent/service/deregister/")) co_return co_await agent_service_deregister(with_rest("/v1/agent/service/deregister/"));
  for (std::string_view verb : {"pass", "warn", "fail", "update"}) {
    const std::string prefix = fmt::format("/v1/agent/check/{}/", verb);
    if (starts_with(path, prefix)) co_return co_await agent_check_update(with_rest(prefix), verb);
  }
  co_return text_response(404, "404 page not found\n");
}

Task<http::Response> HttpApi::forward_to_leader(const http::Request& request, const QueryOptions& options,
                                                std::stop_token stop) {
  Runtime& runtime = server_.runtime();
  const ConsulServerOptions& limits = server_.options();
  const MonoTime give_up = runtime.now() + limits.rpc_hold_timeout;
  // A blocking query may hold the leader for its whole wait: give it that long to answer.
  const Duration timeout = options.min_index > 0 ? limits.max_query_time + limits.max_query_time / 16 + limits.rpc_hold_timeout
                                                 : limits.rpc_hold_timeout;
  for (;;) {
    const std::optional<std::string> leader = server_.leader_id();
    if (leader && forwarder_ != nullptr && !server_.is_leader()) {
      http::Request copy = request;
      std::optional<http::Response> reply = co_await forwarder_->forward(*leader, std::move(copy), agent_, timeout, stop);
      if (reply) co_return std::move(*reply);
    }
    if (server_.is_leader()) co_return co_await handle(request, stop);  // became leader meanwhile
    if (runtime.now() >= give_up || stop.stop_requested()) co_return error_response({"No cluster leader"});
    // Consul retries after a jittered pause of up to rpc_hold_timeout / 16, or sooner on news.
    const Duration pause = Duration(runtime.rng().below(std::uint64_t(limits.rpc_hold_timeout.count() / 16)) + 1);
    const WaitResult waited = co_await server_.changed().wait(stop, std::min(give_up, runtime.now() + pause));
    (void)waited;
  }
}

Task<RpcResult<CommandResult>> HttpApi::write(const Call& call, Command command) {
  co_return co_await server_.propose(std::move(command), call.stop);
}

Task<std::uint64_t> HttpApi::block(const Call& call, WatchScope scope, std::string key, std::function<std::uint64_t()> index_of) {
  const QueryOptions& options = call.options;
  if (options.min_index == 0) co_return index_of();
  // blockingQuery: clamp the wait, give a default, then add up to wait/16 of jitter.
  const ConsulServerOptions& limits = server_.options();
  Duration wait = options.wait;
  if (wait > limits.max_query_time) {
    wait = limits.max_query_time;
  } else if (wait <= Duration::zero()) {
    wait = limits.default_query_time;
  }
  if (const auto stagger_ns = std::uint64_t(wait.count() / 16); stagger_ns > 0) wait += Duration(server_.runtime().rng().below(stagger_ns));
  const MonoTime deadline = server_.runtime().now() + wait;
  for (;;) {
    // Watch before reading, so that a change between the read and the wait is not missed.
    WatchHub::Watch watch(server_.watches(), server_.runtime(), scope, key);
    const std::uint64_t index = index_of();
    if (index > options.min_index) co_return index;
    const WaitResult waited = co_await watch.changed().wait(call.stop, deadline);
    if (waited != WaitResult::woken) co_return index_of();
  }
}

bool HttpApi::has_filter(const Call& call) {
  const std::optional<std::string> text = call.target.get("filter");
  return text && !text->empty();
}

std::optional<http::Response> HttpApi::apply_filter(const Call& call, nlohmann::json& body) const {
  const std::optional<std::string> text = call.target.get("filter");
  if (!text || text->empty()) return std::nullopt;  // Consul: an empty filter filters nothing
  auto parsed = filter::Expression::parse(*text);
  if (auto* error = std::get_if<filter::ParseError>(&parsed)) return error_response({filter::evaluator_error_text(error->message)});
  auto filtered = std::get<filter::Expression>(parsed).filter(body);
  if (auto* error = std::get_if<filter::EvaluationError>(&filtered)) {
    return error_response({filter::evaluator_error_text(error->message)});
  }
  body = std::get<nlohmann::json>(std::move(filtered));
  return std::nullopt;
}

std::optional<http::Response> HttpApi::denied(const Call& call, AclResource resource, std::string_view name, Access wanted) {
  if (call.authz.allows(resource, name, wanted)) return std::nullopt;
  return text_response(403, call.authz.denial(resource, name, wanted));
}

void HttpApi::set_query_meta(http::Response& response, std::uint64_t index, const QueryOptions& options) const {
  response.set_header("X-Consul-Index", std::to_string(index == 0 ? 1 : index));
  response.set_header("X-Consul-KnownLeader", server_.leader_address().empty() ? "false" : "true");
  response.set_header("X-Consul-LastContact",
                      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(server_.last_contact_age()).count()));
  const char* consistency = options.consistency == Consistency::stale ? "stale"
                            : options.consistency == Consistency::consistent ? "consistent"
                                                                             : "leader";
  response.set_header("X-Consul-Effective-Consistency", consistency);
}

http::Response HttpApi::agent_self() const {
  const CatalogNode* node = server_.store().node(agent_.node_name);
  nlohmann::json config = {{"Datacenter", server_.options().datacenter},
                           {"NodeName", agent_.node_name},
                           {"NodeID", node != nullptr ? node->id : ""},
                           {"Server", true},
                           {"Revision", "baton-fake"},
                           {"Version", "1.17.0"}};
  nlohmann::json member = {{"Name", agent_.node_name}, {"Addr", server_.options().address}, {"Port", 8301}, {"Status", 1}};
  return json_response(200, {{"Config", config}, {"Member", member}});
}

}  // namespace baton::fakes::consul
