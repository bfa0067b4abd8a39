#include "engine/tasks/consul_data.hpp"

namespace baton::tasks {

std::string aggregated_status(const std::vector<consul::HealthCheck>& checks) {
  bool warning = false, critical = false, maintenance = false;
  for (const consul::HealthCheck& check : checks) {
    if (check.check_id == "_node_maintenance" || check.check_id.rfind("_service_maintenance:", 0) == 0) {
      maintenance = true;
      continue;
    }
    if (check.status == "passing") continue;
    if (check.status == "warning") warning = true;
    else if (check.status == "critical") critical = true;
    else return "";
  }
  if (maintenance) return "maintenance";
  if (critical) return "critical";
  if (warning) return "warning";
  return "passing";  // every check passing, or none at all
}

driver::terraform::ServiceInstance service_instance(const consul::ServiceEntry& entry,
                                                    const std::map<std::string, std::string>& user_meta) {
  driver::terraform::ServiceInstance instance;
  instance.id = entry.service.id;
  instance.name = entry.service.service;
  instance.kind = entry.service.kind;
  instance.address = entry.service.address;
  instance.port = entry.service.port;
  instance.meta = entry.service.meta;
  instance.tags = entry.service.tags;
  instance.namespace_name = entry.service.namespace_name;
  instance.status = aggregated_status(entry.checks);
  instance.node = entry.node.node;
  instance.node_id = entry.node.id;
  instance.node_address = entry.node.address;
  instance.node_datacenter = entry.node.datacenter;
  instance.node_tagged_addresses = entry.node.tagged_addresses;
  instance.node_meta = entry.node.meta;
  instance.cts_user_defined_meta = user_meta;
  return instance;
}

driver::terraform::ConsulData consul_data(const std::vector<std::shared_ptr<watch::WatchedDependency>>& dependencies,
                                          const UserMeta& user_meta) {
  driver::terraform::ConsulData data;
  for (const auto& watched : dependencies) {
    if (!watched->data()) continue;
    const watch::DependencyData& held = *watched->data();
    if (const auto* entries = std::get_if<std::vector<consul::ServiceEntry>>(&held)) {
      for (const consul::ServiceEntry& entry : *entries) {
        data.services.push_back(service_instance(entry, user_meta.for_service(entry.service.service)));
      }
    } else if (const auto* catalog = std::get_if<consul::CatalogServices>(&held)) {
      for (const auto& [name, tags] : *catalog) data.catalog_services[name] = tags;
    } else if (const auto* pairs = std::get_if<std::vector<consul::KvPair>>(&held)) {
      for (const consul::KvPair& pair : *pairs) data.consul_kv[pair.key] = pair.value;
    }
  }
  return data;
}

}  // namespace baton::tasks
