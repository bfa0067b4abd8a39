// /v1/health/service, /v1/catalog/*, /v1/agent/service/*, /v1/agent/check/* (agent/
// health_endpoint.go, catalog_endpoint.go, agent_endpoint.go).
#include <algorithm>
#include <fmt/format.h>

#include "fakes/consul/api/http_api.hpp"
#include "fakes/consul/api/json_fields.hpp"
#include "fakes/consul/api/json_text_views.hpp"
#include "fakes/consul/api/json_views.hpp"

namespace baton::fakes::consul {
namespace {

// strconv.ParseBool.
std::optional<bool> parse_go_bool(const std::string& text) {
  for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (text == yes) return true;
  }
  for (const char* no : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (text == no) return false;
  }
  return std::nullopt;
}

std::map<std::string, std::string> string_map_field(const nlohmann::json& object, std::string_view name) {
  std::map<std::string, std::string> map;
  if (const nlohmann::json* value = field(object, name)) {
    for (auto it = value->begin(); it != value->end(); ++it) map[it.key()] = it.value().get<std::string>();
  }
  return map;
}

std::optional<nlohmann::json> parse_body(const std::string& body) {
  try {
    return nlohmann::json::parse(body.empty() ? std::string("{}") : body);
  } catch (const nlohmann::json::parse_error&) {
    return std::nullopt;
  }
}

ServiceInstance decode_service(const nlohmann::json& json, std::string_view name_field) {
  ServiceInstance service;
  service.id = field_or<std::string>(json, "ID", "");
  service.name = field_or<std::string>(json, name_field, "");
  service.tags = field_or<std::vector<std::string>>(json, "Tags", {});
  service.address = field_or<std::string>(json, "Address", "");
  service.port = field_or<int>(json, "Port", 0);
  service.meta = string_map_field(json, "Meta");
  if (service.id.empty()) service.id = service.name;  // servicePreApply
  return service;
}

// A check from a registration body; Consul defaults a new check's status to critical.
std::optional<HealthCheck> decode_check(const nlohmann::json& json, const std::string& service_id, std::string& error) {
  HealthCheck check;
  check.id = field_or<std::string>(json, "CheckID", field_or<std::string>(json, "ID", ""));
  check.name = field_or<std::string>(json, "Name", "");
  if (check.id.empty()) check.id = check.name;
  check.notes = field_or<std::string>(json, "Notes", "");
  check.output = field_or<std::string>(json, "Output", "");
  check.service_id = field_or<std::string>(json, "ServiceID", service_id);
  check.type = field(json, "TTL") != nullptr ? "ttl" : field_or<std::string>(json, "Type", "");
  const std::string status = field_or<std::string>(json, "Status", "critical");
  if (!parse_check_status(status, check.status)) {
    error = fmt::format("Invalid check status: \"{}\"", status);
    return std::nullopt;
  }
  return check;
}

std::variant<std::vector<HealthCheck>, RpcError> decode_checks(const nlohmann::json& body, const std::string& service_id) {
  std::vector<HealthCheck> checks;
  std::vector<const nlohmann::json*> sources;
  if (const auto* one = field(body, "Check")) sources.push_back(one);
  if (const auto* many = field(body, "Checks")) {
    for (const auto& item : *many) sources.push_back(&item);
  }
  for (const nlohmann::json* source : sources) {
    std::string error;
    auto check = decode_check(*source, service_id, error);
    if (!check) return RpcError{error, 400};
    checks.push_back(std::move(*check));
  }
  return checks;
}

}  // namespace

Task<http::Response> HttpApi::health_service(const Call& call) {
  const std::string name(call.rest);
  if (name.empty()) co_return text_response(400, "Missing service name");
  bool passing_only = false;
  if (auto passing = call.target.get("passing")) {
    const std::optional<bool> parsed = passing->empty() ? std::optional<bool>(true) : parse_go_bool(*passing);
    if (!parsed) co_return text_response(400, "Invalid value for ?passing");
    passing_only = *parsed;
  }
  const std::vector<std::string> tags = call.target.all("tag");
  const StateStore& store = server_.store();
  const std::uint64_t index = co_await block(call, WatchScope::catalog, {}, [&] { return store.service_index(name); });
  std::vector<HealthEntry> entries = store.health_service(name);
  std::erase_if(entries, [&](const HealthEntry& entry) {
    const bool hidden = !call.authz.allows(AclResource::service, entry.service.name, Access::read) ||
                        !call.authz.allows(AclResource::node, entry.node.name, Access::read);
    if (hidden) return true;
    const bool missing_tag = std::any_of(tags.begin(), tags.end(), [&](const std::string& tag) {
      return std::find(entry.service.tags.begin(), entry.service.tags.end(), tag) == entry.service.tags.end();
    });
    const bool unhealthy = passing_only && std::any_of(entry.checks.begin(), entry.checks.end(), [](const HealthCheck& check) {
                             return check.status != CheckStatus::passing;
                           });
    return missing_tag || unhealthy;
  });
  // Without ?filter= (which evaluates the DOM) the answer is written straight to text.
  std::optional<std::string> text;
  if (!has_filter(call)) text = array_text(entries, &write_health_entry);
  http::Response response;
  if (text) {
    response = json_text_response(200, std::move(*text));
  } else {
    nlohmann::json body = nlohmann::json::array();
    for (const HealthEntry& entry : entries) body.push_back(health_entry_json(entry));
    if (auto refusal = apply_filter(call, body)) co_return *refusal;
    response = json_response(200, body);
  }
  set_query_meta(response, index, call.options);
  co_return response;
}

Task<http::Response> HttpApi::catalog_services(const Call& call) {
  const StateStore& store = server_.store();
  const std::uint64_t index = co_await block(call, WatchScope::catalog, {}, [&] { return store.services_index(); });
  const std::map<std::string, std::set<std::string>> services = store.catalog_services();
  nlohmann::json body = nlohmann::json::object();
  for (const auto& [name, tags] : services) {
    if (call.authz.allows(AclResource::service, name, Access::read)) body[name] = std::vector<std::string>(tags.begin(), tags.end());
  }
  http::Response response = json_response(200, body);
  set_query_meta(response, index, call.options);
  co_return response;
}

Task<http::Response> HttpApi::catalog_service(const Call& call) {
  const std::string name(call.rest);
  if (name.empty()) co_return text_response(400, "Missing service name");
  const std::vector<std::string> tags = call.target.all("tag");
  const StateStore& store = server_.store();
  const std::uint64_t index = co_await block(call, WatchScope::catalog, {}, [&] { return store.service_index(name); });
  nlohmann::json body = nlohmann::json::array();
  for (const ServiceInstance& service : store.catalog_service(name)) {
    const bool has_tags = std::all_of(tags.begin(), tags.end(), [&](const std::string& tag) {
      return std::find(service.tags.begin(), service.tags.end(), tag) != service.tags.end();
    });
    const bool readable = call.authz.allows(AclResource::service, name, Access::read) &&
                          call.authz.allows(AclResource::node, service.node, Access::read);
    if (has_tags && readable) body.push_back(catalog_service_json(*store.node(service.node), service));
  }
  if (auto refusal = apply_filter(call, body)) co_return *refusal;
  http::Response response = json_response(200, body);
  set_query_meta(response, index, call.options);
  co_return response;
}

Task<http::Response> HttpApi::catalog_register(const Call& call) {
  const std::optional<nlohmann::json> body = parse_body(call.request.body);
  if (!body) co_return text_response(400, "Request decode failed: invalid JSON");
  Registration registration;
  registration.node.name = field_or<std::string>(*body, "Node", "");
  registration.node.address = field_or<std::string>(*body, "Address", "");
  registration.node.id = field_or<std::string>(*body, "ID", "");
  registration.node.datacenter = server_.options().datacenter;
  registration.node.tagged_addresses = string_map_field(*body, "TaggedAddresses");
  registration.node.meta = string_map_field(*body, "NodeMeta");
  if (registration.node.name.empty()) co_return error_response({"Must provide node"});
  if (registration.node.address.empty()) co_return error_response({"Must provide address if SkipNodeUpdate is not set"});
  if (auto refusal = denied(call, AclResource::node, registration.node.name, Access::write)) co_return *refusal;
  if (const auto* service = field(*body, "Service")) {
    registration.service = decode_service(*service, "Service");
    if (registration.service->name.empty()) co_return error_response({"Must provide service name with ID"});
    if (auto refusal = denied(call, AclResource::service, registration.service->name, Access::write)) co_return *refusal;
  }
  auto checks = decode_checks(*body, registration.service ? registration.service->id : std::string());
  if (auto* error = std::get_if<RpcError>(&checks)) co_return error_response(*error);
  registration.checks = std::get<std::vector<HealthCheck>>(std::move(checks));
  Command command = RegisterCommand{std::move(registration)};
  RpcResult<CommandResult> result = co_await write(call, std::move(command));
  if (!result.ok()) co_return error_response(result.error());
  if (!result.value().write.ok()) co_return error_response({result.value().write.error});
  co_return json_response(200, true);
}

Task<http::Response> HttpApi::catalog_deregister(const Call& call) {
  const std::optional<nlohmann::json> body = parse_body(call.request.body);
  if (!body) co_return text_response(400, "Request decode failed: invalid JSON");
  DeregisterCommand command{field_or<std::string>(*body, "Node", ""), field_or<std::string>(*body, "ServiceID", ""),
                            field_or<std::string>(*body, "CheckID", "")};
  if (command.node.empty()) co_return error_response({"Must provide node"});
  if (auto refusal = denied(call, AclResource::node, command.node, Access::write)) co_return *refusal;
  RpcResult<CommandResult> result = co_await write(call, std::move(command));
  if (!result.ok()) co_return error_response(result.error());
  co_return json_response(200, true);
}

Task<http::Response> HttpApi::agent_service_register(const Call& call) {
  const std::optional<nlohmann::json> body = parse_body(call.request.body);
  if (!body) co_return text_response(400, "Request decode failed: invalid JSON");
  ServiceInstance service = decode_service(*body, "Name");
  if (service.name.empty()) co_return text_response(400, "Missing service name");
  if (auto refusal = denied(call, AclResource::service, service.name, Access::write)) co_return *refusal;
  const CatalogNode* node = server_.store().node(agent_.node_name);
  if (node == nullptr) co_return error_response({"agent node is not registered yet"});
  auto checks = decode_checks(*body, service.id);
  if (auto* error = std::get_if<RpcError>(&checks)) co_return error_response(*error);
  // The agent syncs its local services to the catalog by anti-entropy; the fake registers
  // them at once (a documented difference: no window where the agent knows and the catalog
  // does not).
  Registration registration{*node, std::move(service), std::get<std::vector<HealthCheck>>(std::move(checks))};
  Command command = RegisterCommand{std::move(registration)};
  RpcResult<CommandResult> result = co_await write(call, std::move(command));
  if (!result.ok()) co_return error_response(result.error());
  if (!result.value().write.ok()) co_return error_response({result.value().write.error});
  co_return text_response(200, "");
}

Task<http::Response> HttpApi::agent_service_deregister(const Call& call) {
  const std::string id(call.rest);
  const std::vector<ServiceInstance> services = server_.store().node_services(agent_.node_name);
  if (std::none_of(services.begin(), services.end(), [&](const ServiceInstance& s) { return s.id == id; })) {
    co_return text_response(404, fmt::format("Unknown service ID \"{}\". Ensure that the service ID is passed, not the service name.", id));
  }
  Command command = DeregisterCommand{agent_.node_name, id, {}};
  RpcResult<CommandResult> result = co_await write(call, std::move(command));
  if (!result.ok()) co_return error_response(result.error());
  co_return text_response(200, "");
}

Task<http::Response> HttpApi::agent_check_update(const Call& call, std::string_view verb) {
  const std::string id(call.rest);
  const std::vector<HealthCheck> checks = server_.store().node_checks(agent_.node_name);
  if (std::none_of(checks.begin(), checks.end(), [&](const HealthCheck& c) { return c.id == id; })) {
    co_return text_response(404, fmt::format("Unknown check ID \"{}\". Ensure that the check ID is passed, not the check name.", id));
  }
  CheckUpdateCommand command{agent_.node_name, id, CheckStatus::passing, call.target.get("note").value_or("")};
  if (verb == "warn") command.status = CheckStatus::warning;
  if (verb == "fail") command.status = CheckStatus::critical;
  if (verb == "update") {
    const std::optional<nlohmann::json> body = parse_body(call.request.body);
    if (!body) co_return text_response(400, "Request decode failed: invalid JSON");
    const std::string status = field_or<std::string>(*body, "Status", "");
    if (!parse_check_status(status, command.status) || command.status == CheckStatus::maintenance) {
      co_return text_response(400, fmt::format("Invalid check status: \"{}\"", status));
    }
    command.output = field_or<std::string>(*body, "Output", "");
  }
  RpcResult<CommandResult> result = co_await write(call, std::move(command));
  if (!result.ok()) co_return error_response(result.error());
  co_return text_response(200, "");
}

}  // namespace baton::fakes::consul
