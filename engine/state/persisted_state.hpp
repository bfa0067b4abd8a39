#pragma once
// The cluster's state in Consul KV, under parent_path (DESIGN.md "High availability"):
//   <parent_path>/leader          the lock (engine/ha)
//   <parent_path>/meta            {"schema_version":1}
//   <parent_path>/events/<task>   the task's last five events, newest first (JSON)
//   <parent_path>/tasks/<task>    task definitions changed through the API (with issue 8)
//
// Every write goes through /v1/txn guarded by check-session on the lock key with the writer's
// session: a deposed leader's write is refused by Consul itself (fencing for KV, step 5), and
// answers `false` here.
#include <map>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/async/task.hpp"
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

class PersistedState {
 public:
  PersistedState(consul::ConsulClient& consul, Logger logger, std::string parent_path);

  // Every task's stored events. A value that cannot be read is logged and skipped, never fatal.
  Task<consul::ConsulResult<std::map<std::string, tasks::TaskEvents>>> load_events(std::stop_token stop);

  // Writes the task's events (and the schema version) if `session` still holds the lock; false
  // when Consul refused because it does not.
  Task<consul::ConsulResult<bool>> save_events(std::string task, const tasks::TaskEvents& events, std::string session,
                                               std::stop_token stop);

  std::string lock_key() const { return parent_path_ + "/leader"; }
  std::string events_key(const std::string& task) const { return parent_path_ + "/events/" + task; }

 private:
  consul::ConsulClient& consul_;
  Logger logger_;
  std::string parent_path_;
};

}  // namespace baton::state
