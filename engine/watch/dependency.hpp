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

// The queries one template makes from its configuration alone, in its order. A services regexp
// makes one, the catalog's; the health queries of the names it matches follow from the catalog's
// data (regexp_health_dependencies), so they change while the task runs.
std::vector<Dependency> template_dependencies(const driver::terraform::Template& tmpl);

// Every template's, without duplicates, in template order.
std::vector<Dependency> task_dependencies(const driver::terraform::TaskInput& task);

// For a services regexp: the health query of each catalog service whose name it matches, in name
// order. As CTS v0.9.0's servicesRegex (templates/tftmpl/tmplfunc/services_regex.go) asks them:
// the catalog with the template's datacenter and namespace, then /v1/health/service/<name> with
// ?passing always (whatever the filter says), the datacenter, namespace and filter. The pattern is
// Go's regexp, searched anywhere in the name (regexp.MatchString), after the TrimSpace that
// servicesRegex's option parsing applies to it; engine/text/go_regex.hpp runs it. A pattern the
// translation refuses matches nothing (config validation reports Go's own errors first).
std::vector<Dependency> regexp_health_dependencies(const driver::terraform::ServicesRegexTemplate& tmpl,
                                                   const std::map<std::string, std::vector<std::string>>& catalog);

}  // namespace baton::watch
