#pragma once
// From what the watcher holds to what the driver renders: Consul's health entries as hcat's
// HealthService values (driver ServiceInstance), the catalog's services, the KV pairs.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/consul/types.hpp"
#include "engine/driver/terraform/task_input.hpp"
#include "engine/tasks/user_meta.hpp"
#include "engine/watch/watcher.hpp"

namespace baton::tasks {

// Consul api's HealthChecks.AggregatedStatus: maintenance (a _node_maintenance or
// _service_maintenance: check), else critical, warning, passing, in that order of precedence;
// a status Consul does not define gives "".
std::string aggregated_status(const std::vector<consul::HealthCheck>& checks);

// One health entry as the task's templates see it; `user_meta` is the task's
// cts_user_defined_meta for this service name.
driver::terraform::ServiceInstance service_instance(const consul::ServiceEntry& entry,
                                                    const std::map<std::string, std::string>& user_meta);

// Everything the task's dependencies hold now, for render_tfvars, each instance with the task's
// cts_user_defined_meta for its service. `dependencies` are the queries the task makes now: for
// a services regexp, only the health queries of the names it currently matches (TaskRunner
// keeps them), since the renderer takes every instance here as the regexp's.
driver::terraform::ConsulData consul_data(const std::vector<std::shared_ptr<watch::WatchedDependency>>& dependencies,
                                          const UserMeta& user_meta);

}  // namespace baton::tasks
