#pragma once
// What the REST API asks of the instance behind it (CTS's api.Server, plus the Enterprise
// cluster status): the task set, its events, changes to it, and who leads. Production backs it
// with the instance's controller (controller_backend.hpp); tests with a scripted one.
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/async/task.hpp"
#include "engine/config/cts/task_config.hpp"
#include "engine/controller/task_manager.hpp"
#include "engine/ha/leader_record.hpp"
#include "engine/tasks/task_events.hpp"

namespace baton::api {

// Who leads, as this instance knows it.
struct Leadership {
  bool high_availability = false;      // a high_availability block is configured
  bool leading = false;                // this instance may act as leader now (always, without HA)
  std::optional<ha::LeaderRecord> leader;  // the lock holder as last read, if any
};

// One member of /v1/status/cluster: an instance registered in Consul with the cluster's tag.
struct ClusterMember {
  std::string id;
  std::string service_name;
  bool healthy = false;
  bool leader = false;
  std::string address;  // the leader's configured address only; empty otherwise
};

struct ClusterStatus {
  std::string cluster_name;
  std::vector<ClusterMember> members;
};

// What `?run=inspect` answers (CTS's driver.InspectPlan): the plan, or why there is none.
struct InspectOutcome {
  bool changes_present = false;
  std::string plan;
  std::string error;  // empty when the plan was made
};

enum class RunOption { none, now, inspect };

class ApiBackend {
 public:
  virtual ~ApiBackend() = default;

  virtual Leadership leadership() const = 0;
  // The cluster's tasks and their events, as this instance knows them.
  virtual const std::map<std::string, config::cts::TaskConfig>& tasks() const = 0;
  virtual const std::map<std::string, tasks::TaskEvents>& events() const = 0;
  // The members registered in Consul, or why they could not be read.
  virtual Task<std::variant<ClusterStatus, std::string>> cluster_status() = 0;
  // nullopt when healthy; else what is wrong (CTS: 503 for an unhealthy system).
  virtual std::optional<std::string> health() const = 0;

  // Changes, as the controller's TaskManager makes them (its TaskOpResult texts are CTS's). `task` is decoded
  // from the request and not yet finalized: the backend finalizes and validates it.
  virtual Task<controller::TaskOpResult> create_task(config::cts::TaskConfig task, bool run_now) = 0;
  virtual Task<controller::TaskOpResult> delete_task(std::string name) = 0;
  virtual Task<controller::TaskOpResult> set_task_enabled(std::string name, bool enabled) = 0;
  // A plan of what the task would do, without creating or changing it.
  virtual Task<InspectOutcome> inspect_task(config::cts::TaskConfig task) = 0;
};

}  // namespace baton::api
