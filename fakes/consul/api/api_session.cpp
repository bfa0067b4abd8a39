// /v1/session (agent/session_endpoint.go, agent/consul/session_endpoint.go).
#include <algorithm>
#include <fmt/format.h>

#include "engine/time/go_duration.hpp"
#include "fakes/consul/api/http_api.hpp"
#include "fakes/consul/api/json_fields.hpp"
#include "fakes/consul/api/json_text_views.hpp"
#include "fakes/consul/api/json_views.hpp"

namespace baton::fakes::consul {
namespace {

// structs.MaxLockDelay; and lockDelayMinThreshold: a LockDelay under 1000 (ns) is taken as
// seconds, so that clients sending `5` mean five seconds.
constexpr Duration kMaxLockDelay = std::chrono::seconds(60);
constexpr std::int64_t kLockDelayMinThreshold = 1000;

std::optional<std::vector<std::string>> string_list(const nlohmann::json* value) {
  if (value == nullptr) return std::nullopt;
  std::vector<std::string> list;
  for (const auto& item : *value) list.push_back(item.is_string() ? item.get<std::string>() : item.value("ID", ""));
  return list;
}

// Decodes a session create body into `session` as structs.Session's UnmarshalJSON and
// fixupEmptySessionChecks do; an error text on a body Consul would reject.
std::optional<std::string> decode_session_body(const std::string& body, Session& session, std::string& behavior_text) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    return fmt::format("Request decode failed: {}", error.what());
  }
  if (!json.is_object()) return std::string("Request decode failed: json: cannot unmarshal into Go value of type structs.Session");
  try {
    if (const auto* name = field(json, "Name")) session.name = name->get<std::string>();
    if (const auto* node = field(json, "Node")) session.node = node->get<std::string>();
    if (const auto* behavior = field(json, "Behavior")) behavior_text = behavior->get<std::string>();
    if (const auto* ttl = field(json, "TTL")) session.ttl_text = ttl->get<std::string>();
    if (const auto* delay = field(json, "LockDelay")) {
      Duration parsed{};
      if (delay->is_string()) {
        auto text = parse_go_duration(delay->get<std::string>());
        if (!text) return fmt::format("Request decode failed: time: invalid duration \"{}\"", delay->get<std::string>());
        parsed = *text;
      } else {
        parsed = Duration(std::int64_t(delay->get<double>()));
      }
      if (parsed.count() < kLockDelayMinThreshold) parsed *= 1'000'000'000;
      session.lock_delay = parsed;
    }
    // fixupEmptySessionChecks: Checks [] means no checks at all; ["serfHealth"] defers to
    // NodeChecks; an explicit NodeChecks [] empties the default Checks.
    const auto checks = string_list(field(json, "Checks"));
    const auto node_checks = string_list(field(json, "NodeChecks"));
    if (node_checks) session.node_checks = *node_checks;
    if (checks && checks->empty()) {
      session.node_checks.clear();
    } else if (checks && !(checks->size() == 1 && (*checks)[0] == kSerfHealthCheckId) && !(node_checks && node_checks->empty())) {
      for (const std::string& id : *checks) {
        if (std::find(session.node_checks.begin(), session.node_checks.end(), id) == session.node_checks.end()) {
          session.node_checks.push_back(id);
        }
      }
    }
    if (auto service_checks = string_list(field(json, "ServiceChecks"))) session.service_checks = *service_checks;
  } catch (const nlohmann::json::exception& error) {
    return fmt::format("Request decode failed: {}", error.what());
  }
  return std::nullopt;
}

}  // namespace

Task<http::Response> HttpApi::session_create(const Call& call) {
  Session session{.node = agent_.node_name, .node_checks = {kSerfHealthCheckId}, .lock_delay = std::chrono::seconds(15)};
  std::string behavior = "release";
  if (!call.request.body.empty()) {
    if (auto error = decode_session_body(call.request.body, session, behavior)) co_return text_response(400, *error);
  }
  // Session.Apply's checks, in its order.
  if (session.node.empty()) co_return error_response({"Must provide Node"});
  if (auto refusal = denied(call, AclResource::session, session.node, Access::write)) co_return *refusal;
  if (behavior == "delete") {
    session.behavior = SessionBehavior::delete_keys;
  } else if (behavior != "release" && !behavior.empty()) {
    co_return error_response({fmt::format("Invalid Behavior setting '{}'", behavior)});
  }
  if (!session.ttl_text.empty()) {
    const std::optional<Duration> ttl = parse_go_duration(session.ttl_text);
    if (!ttl) {
      co_return error_response({fmt::format("Session TTL '{}' invalid: time: invalid duration \"{}\"", session.ttl_text, session.ttl_text)});
    }
    const ConsulServerOptions& limits = server_.options();
    if (*ttl != Duration::zero() && (*ttl < limits.session_ttl_min || *ttl > limits.session_ttl_max)) {
      co_return error_response({fmt::format("Invalid Session TTL '{}', must be between [{}={}]", ttl->count(),
                                            format_go_duration(limits.session_ttl_min), format_go_duration(limits.session_ttl_max))});
    }
    session.ttl = *ttl;
  }
  session.lock_delay = std::min(session.lock_delay, kMaxLockDelay);
  session.id = server_.new_session_id();
  const std::string id = session.id;
  Command command = SessionCreateCommand{std::move(session)};
  RpcResult<CommandResult> result = co_await write(call, std::move(command));
  if (!result.ok()) co_return error_response(result.error());
  if (!result.value().write.ok()) co_return error_response({result.value().write.error});
  co_return json_response(200, {{"ID", id}});
}

Task<http::Response> HttpApi::session_destroy(const Call& call) {
  if (call.rest.empty()) co_return text_response(400, "Missing session");
  if (const Session* existing = server_.store().session_get(call.rest)) {
    if (auto refusal = denied(call, AclResource::session, existing->node, Access::write)) co_return *refusal;
  }
  Command command = SessionDestroyCommand{std::string(call.rest)};
  RpcResult<CommandResult> result = co_await write(call, std::move(command));
  if (!result.ok()) co_return error_response(result.error());
  co_return json_response(200, true);
}

Task<http::Response> HttpApi::session_renew(const Call& call) {
  const std::string id(call.rest);
  if (id.empty()) co_return text_response(400, "Missing session");
  if (const Session* existing = server_.store().session_get(id)) {
    if (auto refusal = denied(call, AclResource::session, existing->node, Access::write)) co_return *refusal;
  }
  RpcResult<std::optional<Session>> result = co_await server_.renew_session(id, call.stop);
  if (!result.ok()) co_return error_response(result.error());
  if (!result.value()) co_return text_response(404, fmt::format("Session id '{}' not found", id));
  const std::vector<Session> renewed{*result.value()};
  if (std::optional<std::string> text = array_text(renewed, &write_session)) co_return json_text_response(200, std::move(*text));
  co_return json_response(200, nlohmann::json::array({session_json(*result.value())}));
}

Task<http::Response> HttpApi::session_read(const Call& call, std::string_view what) {
  const std::string argument(call.rest);
  if (what != "list" && argument.empty()) co_return text_response(400, what == "node" ? "Missing node name" : "Missing session");
  const StateStore& store = server_.store();
  const std::uint64_t index = co_await block(call, WatchScope::sessions, {}, [&] { return store.sessions_index(); });
  std::vector<Session> sessions;
  if (what == "info") {
    const Session* session = store.session_get(argument);
    if (session != nullptr) sessions.push_back(*session);
  } else {
    sessions = what == "node" ? store.session_list_for_node(argument) : store.session_list();
  }
  std::erase_if(sessions, [&](const Session& s) { return !call.authz.allows(AclResource::session, s.node, Access::read); });
  std::optional<std::string> text = array_text(sessions, &write_session);
  http::Response response;
  if (text) {
    response = json_text_response(200, std::move(*text));
  } else {
    nlohmann::json body = nlohmann::json::array();
    for (const Session& session : sessions) body.push_back(session_json(session));
    response = json_response(200, body);
  }
  set_query_meta(response, index, call.options);
  co_return response;
}

}  // namespace baton::fakes::consul
