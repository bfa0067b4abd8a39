#pragma once
// The JSON shapes Consul's HTTP API gives its records (api/kv.go, api/session.go,
// api/health.go, api/catalog.go): field names, types and the null-versus-[] choices clients
// rely on.
#include <nlohmann/json.hpp>

#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {

nlohmann::json kv_json(const KvEntry& entry, bool with_value = true);
nlohmann::json session_json(const Session& session);
nlohmann::json node_json(const CatalogNode& node);
nlohmann::json service_json(const ServiceInstance& service);
nlohmann::json check_json(const HealthCheck& check);
nlohmann::json health_entry_json(const HealthEntry& entry);
// One element of /v1/catalog/service/:name: node and service fields side by side.
nlohmann::json catalog_service_json(const CatalogNode& node, const ServiceInstance& service);

}  // namespace baton::fakes::consul
