#pragma once
// What a task watches in Consul: one blocking query each. Tasks that watch the same query
// share it (CTS issue 146: one blocking query per task and service exhausted Consul's
// per-client connection limit), so a dependency has a canonical key.
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "engine/driver/terraform/task_input.hpp"

namespace baton::watch {

// /v1/health/service/<name>, as hcat's `service` query asks it (?passing unless the filter
// mentions Checks.Status).
struct HealthServiceDependency {
  std::string name;
  std::string datacenter;
  std::string namespace_name;
  std::string filter;
  bool passing_only = true;
  bool operator==(const HealthServiceDependency&) const = default;
};

// /v1/catalog/services.
struct CatalogServicesDependency {
  std::string datacenter;
  std::string namespace_name;
  std::map<std::string, std::string> node_meta;
  bool operator==(const CatalogServicesDependency&) const = default;
};

// /v1/kv/<path>, one key or (recurse) every key under it.
struct KvDependency {
  std::string path;
  bool recurse = false;
  std::string datacenter;
  std::string namespace_name;
  bool operator==(const KvDependency&) const = default;
};

using Dependency = std::variant<HealthServiceDependency, CatalogServicesDependency, KvDependency>;

// Equal for the same query, different otherwise: "health|api|dc1||<filter>|passing".
std::string dependency_key(const Dependency& dependency);

// The queries a task's templates make, without duplicates, in template order. A services regexp
// watches the catalog first; the health queries of the names it matches follow from the
// catalog's data (regexp_health_dependencies).
std::vector<Dependency> task_dependencies(const driver::terraform::TaskInput& task);

// For a services regexp: the health query of each catalog service whose name it matches
// (always ?passing, as CTS's servicesRegex asks).
std::vector<Dependency> regexp_health_dependencies(const driver::terraform::ServicesRegexTemplate& tmpl,
                                                   const std::map<std::string, std::vector<std::string>>& catalog);

}  // namespace baton::watch
