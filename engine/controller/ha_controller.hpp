#pragma once
// HaController: what a baton instance does in a high-availability cluster, written once for
// production and the simulator. It runs the leader election (engine/ha) and, for each term of
// leadership: loads the stored events, starts a watcher and one TaskRunner per enabled task
// (each runs once-mode first, then monitors), persists each task's events after every run
// through writes fenced by check-session, and stops all of it the moment the term ends.
//
// Log lines mark the phases the simulator measures: `ha: acquired leadership lock`, then
// `ctrl: once-mode done` when every enabled task finished its first run in the term. Every
// instance, leader or not, checks at start and every 5 minutes that the tasks' local module
// directories exist, so that a follower that could not run them is reported before it leads:
// `[ERROR] ha.compat: error="compatibility check failure: stat ./example-module: no such file or directory"`.
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/driver/terraform/task_input.hpp"
#include "engine/driver/terraform/terraform_client.hpp"
#include "engine/ha/leader_election.hpp"
#include "engine/log/logger.hpp"
#include "engine/ports/filesystem.hpp"
#include "engine/state/persisted_state.hpp"
#include "engine/tasks/task_runner.hpp"
#include "engine/tasks/user_meta.hpp"

namespace baton::controller {

// One configured task, as the engine runs it.
struct TaskSpec {
  driver::terraform::TaskInput input;
  bool enabled = true;
  tasks::BufferPeriod buffer;
  std::string working_dir;  // CTS: <working_dir>/<task name>
  tasks::UserMeta user_meta;
};

struct ControllerOptions {
  ha::LeaderElectionOptions election;
  // How often every instance checks that the tasks' local module directories exist (CTS's HA
  // compatibility check: at start, then every 5 minutes).
  Duration compatibility_check_interval = std::chrono::minutes(5);
  driver::terraform::RetryPolicy retry;
  watch::WatcherOptions watcher;
};

class HaController {
 public:
  HaController(Runtime& runtime, consul::ConsulClient& consul, FileSystem& files, driver::terraform::TerraformClient& terraform,
               Logger logger, ControllerOptions options, std::vector<TaskSpec> tasks);
  HaController(const HaController&) = delete;
  HaController& operator=(const HaController&) = delete;

  // Until `stop`: campaigns, leads, and on a graceful stop releases leadership.
  Task<void> run(std::stop_token stop);

  const ha::LeaderElection& election() const { return election_; }
  // The events as this instance last knew them (loaded on promotion, then its own runs).
  const std::map<std::string, tasks::TaskEvents>& events() const { return events_; }
  // Terms whose once-mode finished.
  std::uint64_t once_mode_done_terms() const { return once_mode_done_terms_; }
  // Missing module directories found by the last compatibility check.
  std::size_t missing_modules() const { return missing_modules_; }

 private:
  Task<void> lead(ha::LeaderTerm term, std::stop_token stop);
  Task<void> load_events(std::stop_token stop);
  Task<void> persist_events(std::string task, std::string session);
  Task<void> check_compatibility(std::stop_token stop);
  // The local module directories that do not exist now, logged as CTS logs them.
  std::size_t report_missing_modules();

  Runtime& runtime_;
  consul::ConsulClient& consul_;
  FileSystem& files_;
  driver::terraform::TerraformClient& terraform_;
  Logger logger_;
  ControllerOptions options_;
  std::vector<TaskSpec> tasks_;
  ha::LeaderElection election_;
  state::PersistedState state_;
  std::map<std::string, tasks::TaskEvents> events_;
  std::uint64_t once_mode_done_terms_ = 0;
  std::size_t missing_modules_ = 0;
};

}  // namespace baton::controller
