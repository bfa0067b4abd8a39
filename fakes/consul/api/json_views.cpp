#include "fakes/consul/api/json_views.hpp"

#include "fakes/consul/api/base64.hpp"

namespace baton::fakes::consul {
namespace {

nlohmann::json string_map(const std::map<std::string, std::string>& map) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : map) object[key] = value;
  return object;
}

nlohmann::json list_or_null(const std::vector<std::string>& list) {
  return list.empty() ? nlohmann::json(nullptr) : nlohmann::json(list);
}

}  // namespace

nlohmann::json kv_json(const KvEntry& entry, bool with_value) {
  nlohmann::json json = {{"LockIndex", entry.lock_index}, {"Key", entry.key}, {"Flags", entry.flags}};
  // A nil Value marshals as null; Consul's entries always have one, possibly empty.
  json["Value"] = with_value ? nlohmann::json(base64_encode(entry.value)) : nlohmann::json(nullptr);
  if (!entry.session.empty()) json["Session"] = entry.session;
  json["CreateIndex"] = entry.create_index;
  json["ModifyIndex"] = entry.modify_index;
  return json;
}

nlohmann::json session_json(const Session& session) {
  nlohmann::json service_checks = nullptr;
  if (!session.service_checks.empty()) {
    service_checks = nlohmann::json::array();
    for (const std::string& id : session.service_checks) service_checks.push_back({{"ID", id}, {"Namespace", ""}});
  }
  return {{"ID", session.id},
          {"Name", session.name},
          {"Node", session.node},
          {"LockDelay", session.lock_delay.count()},
          {"Behavior", to_string(session.behavior)},
          {"TTL", session.ttl_text},
          {"NodeChecks", list_or_null(session.node_checks)},
          {"ServiceChecks", service_checks},
          {"CreateIndex", session.create_index},
          {"ModifyIndex", session.modify_index}};
}

nlohmann::json node_json(const CatalogNode& node) {
  return {{"ID", node.id},
          {"Node", node.name},
          {"Address", node.address},
          {"Datacenter", node.datacenter},
          {"TaggedAddresses", string_map(node.tagged_addresses)},
          {"Meta", string_map(node.meta)},
          {"CreateIndex", node.create_index},
          {"ModifyIndex", node.modify_index}};
}

nlohmann::json service_json(const ServiceInstance& service) {
  return {{"ID", service.id},
          {"Service", service.name},
          {"Tags", service.tags},
          {"Address", service.address},
          {"Meta", string_map(service.meta)},
          {"Port", service.port},
          {"Weights", {{"Passing", 1}, {"Warning", 1}}},
          {"EnableTagOverride", false},
          {"CreateIndex", service.create_index},
          {"ModifyIndex", service.modify_index}};
}

nlohmann::json check_json(const HealthCheck& check) {
  return {{"Node", check.node},
          {"CheckID", check.id},
          {"Name", check.name},
          {"Status", to_string(check.status)},
          {"Notes", check.notes},
          {"Output", check.output},
          {"ServiceID", check.service_id},
          {"ServiceName", check.service_name},
          {"ServiceTags", check.service_tags},
          {"Type", check.type},
          {"CreateIndex", check.create_index},
          {"ModifyIndex", check.modify_index}};
}

nlohmann::json health_entry_json(const HealthEntry& entry) {
  nlohmann::json checks = nlohmann::json::array();
  for (const HealthCheck& check : entry.checks) checks.push_back(check_json(check));
  return {{"Node", node_json(entry.node)}, {"Service", service_json(entry.service)}, {"Checks", checks}};
}

nlohmann::json catalog_service_json(const CatalogNode& node, const ServiceInstance& service) {
  return {{"ID", node.id},
          {"Node", node.name},
          {"Address", node.address},
          {"Datacenter", node.datacenter},
          {"TaggedAddresses", string_map(node.tagged_addresses)},
          {"NodeMeta", string_map(node.meta)},
          {"ServiceID", service.id},
          {"ServiceName", service.name},
          {"ServiceTags", service.tags},
          {"ServiceAddress", service.address},
          {"ServicePort", service.port},
          {"ServiceMeta", string_map(service.meta)},
          {"ServiceWeights", {{"Passing", 1}, {"Warning", 1}}},
          {"ServiceEnableTagOverride", false},
          {"CreateIndex", service.create_index},
          {"ModifyIndex", service.modify_index}};
}

}  // namespace baton::fakes::consul
