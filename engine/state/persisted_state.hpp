#pragma once
// The cluster's state in Consul KV, under parent_path (DESIGN.md "High availability"):
//   <parent_path>/leader          the lock (engine/ha)
//   <parent_path>/meta            {"schema_version":1}: the task definitions below are the
//                                 cluster's; written last when they are first stored (or reset)
//   <parent_path>/tasks/<task>    the task's definition (task_definition.hpp)
//   <parent_path>/events/<task>   the task's last five events, newest first (JSON)
//
// Until `meta` exists the cluster has no stored tasks: the first leader stores its configured
// ones. From then on the stored definitions are the cluster's tasks, changed only through the
// API (create, delete, enable, disable), whatever later instances have in their configuration,
// until a leader started with -reset-storage replaces them with its own (cts-behaviour.md).
//
// Every write goes through /v1/txn guarded by check-session on the lock key with the writer's
// session: a deposed leader's write is refused by Consul itself (fencing for KV, step 5), and
// answers `false` here.
#include <map>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/async/task.hpp"
#include "engine/config/cts/task_config.hpp"
#include "engine/consul/client.hpp"
#include "engine/log/logger.hpp"
#include "engine/tasks/task_events.hpp"

namespace baton::state {

inline constexpr int kSchemaVersion = 1;

// Events as stored: [{"id","success","start_time","end_time","error":{"message"}}] with Go's
// RFC 3339 times, as CTS's API shows an event.
std::string events_json(const tasks::TaskEvents& events);
// The events of a stored value, or the reason it cannot be read (a value written by something
// else, or corrupted): "events/web: ...".
std::variant<tasks::TaskEvents, std::string> parse_events_json(const std::string& task, const std::string& json);

// Everything stored under parent_path, read in one consistent snapshot.
struct StoredState {
  bool initialized = false;  // `meta` exists: `tasks` are the cluster's task definitions
  std::map<std::string, config::cts::TaskConfig> tasks;
  std::map<std::string, tasks::TaskEvents> events;
};

// Consul refuses a transaction of more than 64 operations (txn_max_ops, its default).
inline constexpr std::size_t kTxnOpsMax = 64;

class PersistedState {
 public:
  PersistedState(consul::ConsulClient& consul, Logger logger, std::string parent_path);

  // The stored tasks and events. A value that cannot be read is logged and skipped, never fatal.
  Task<consul::ConsulResult<StoredState>> load(std::stop_token stop);

  // Each write below happens only if `session` still holds the lock: false when Consul refused
  // because it does not.

  // The task's events.
  Task<consul::ConsulResult<bool>> save_events(std::string task, const tasks::TaskEvents& events, std::string session,
                                               std::stop_token stop);
  // Makes `tasks` the cluster's task definitions: every stored definition and event goes, then
  // these are written and `meta` last, in transactions of at most kTxnOpsMax operations. A
  // leader that dies halfway leaves no `meta`, so the next leader stores its own tasks again.
  Task<consul::ConsulResult<bool>> replace_tasks(std::vector<config::cts::TaskConfig> tasks, std::string session,
                                                 std::stop_token stop);
  // One task's definition, created or changed.
  Task<consul::ConsulResult<bool>> save_task(config::cts::TaskConfig task, std::string session, std::stop_token stop);
  // One task's definition and its events.
  Task<consul::ConsulResult<bool>> delete_task(std::string task, std::string session, std::stop_token stop);

  std::string lock_key() const { return parent_path_ + "/leader"; }
  std::string events_key(const std::string& task) const { return parent_path_ + "/events/" + task; }
  std::string task_key(const std::string& task) const { return parent_path_ + "/tasks/" + task; }
  std::string meta_key() const { return parent_path_ + "/meta"; }

 private:
  consul::ConsulClient& consul_;
  Logger logger_;
  std::string parent_path_;

  Task<consul::ConsulResult<bool>> fenced_txn(std::vector<consul::TxnOp> ops, std::string session, std::stop_token stop);
};

}  // namespace baton::state
