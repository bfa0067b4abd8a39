#pragma once
// HaController: what a baton instance does in a high-availability cluster, written once for
// production and the simulator. It runs the leader election (engine/ha) and, for each term of
// leadership: loads the stored tasks and events (storing its configured tasks when the cluster
// has none yet, or when started with -reset-storage: persisted_state.hpp), then runs them with a
// TaskManager (task_manager.hpp: a watcher and one TaskRunner per enabled task, each running
// once-mode first, then monitoring; the API's task changes) to which it adds what a cluster
// needs: each task's events persisted after every run and each task change stored, through
// writes fenced by check-session, applies only while the lease is valid, and all of it stopped
// the moment the term ends.
//
// Log lines mark the phases the simulator measures: `ha: acquired leadership lock`, then
// `ctrl: once-mode done` when every enabled task finished its first run in the term. Every
// instance, leader or not, checks at start and every 5 minutes that the tasks' local module
// directories exist, so that a follower that could not run them is reported before it leads:
// `[ERROR] ha.compat: error="compatibility check failure: stat ./example-module: no such file or directory"`.
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/config/cts/task_config.hpp"
#include "engine/controller/task_controller.hpp"
#include "engine/controller/task_manager.hpp"
#include "engine/driver/terraform/terraform_client.hpp"
#include "engine/ha/leader_election.hpp"
#include "engine/log/logger.hpp"
#include "engine/ports/filesystem.hpp"
#include "engine/state/persisted_state.hpp"
#include "engine/testing/planted_bugs.hpp"

namespace baton::controller {

struct ControllerOptions {
  ha::LeaderElectionOptions election;
  // How often every instance checks that the tasks' local module directories exist (CTS's HA
  // compatibility check: at start, then every 5 minutes).
  Duration compatibility_check_interval = std::chrono::minutes(5);
  driver::terraform::RetryPolicy retry;
  watch::WatcherOptions watcher;
  // -reset-storage: on each promotion, replace the stored tasks and events with this
  // instance's configured tasks.
  bool reset_storage = false;
  // The simulator's planted bugs; all off in production (engine/testing/planted_bugs.hpp).
  PlantedBugs bugs;
};

class HaController final : public TaskController {
 public:
  HaController(Runtime& runtime, consul::ConsulClient& consul, FileSystem& files, driver::terraform::TerraformClient& terraform,
               Logger logger, ControllerOptions options, ControllerTasks tasks);
  HaController(const HaController&) = delete;
  HaController& operator=(const HaController&) = delete;
  ~HaController();

  // Until `stop`: campaigns, leads, and on a graceful stop releases leadership.
  Task<void> run(std::stop_token stop);

  // Changes to the cluster's tasks (TaskManager's), on the leader only (else not_leader),
  // stored through writes fenced by check-session before they take effect, so that the next
  // leader sees them.
  Task<TaskOpResult> create_task(config::cts::TaskConfig task) override;
  // ?run=now: run first (applies only while the lease is valid), stored only if the run succeeded.
  Task<TaskOpResult> create_and_run_task(config::cts::TaskConfig task) override;
  Task<TaskOpResult> delete_task(std::string name) override;
  Task<TaskOpResult> set_task_enabled(std::string name, bool enabled) override;
  // A plan of what `task` would do (the API's ?run=inspect, on the leader only): TaskManager's
  // inspect_task, cancelled by the term's end. Stored and running tasks stay as they are.
  Task<InspectResult> inspect_task(config::cts::TaskConfig task) override;

  const ha::LeaderElection& election() const { return election_; }
  // The task definitions as this instance last knew them: its configuration's until it first
  // leads, then the cluster's.
  const std::map<std::string, config::cts::TaskConfig>& task_definitions() const override { return manager_.definitions(); }
  // The events as this instance last knew them (loaded on promotion, then its own runs).
  const std::map<std::string, tasks::TaskEvents>& events() const override { return manager_.events(); }
  // Terms whose once-mode finished.
  std::uint64_t once_mode_done_terms() const { return once_mode_done_terms_; }
  // True while this instance leads and its current term's once-mode has finished.
  bool once_mode_done_in_current_term() const { return manager_.running() && last_once_mode_term_ == election_.terms(); }
  // Missing module directories found by the last compatibility check.
  std::size_t missing_modules() const { return missing_modules_; }

 private:
  Task<void> lead(ha::LeaderTerm term, std::stop_token stop);
  Task<bool> load_state(const std::string& session, std::stop_token stop);
  // The hooks of a term's run of the tasks: fenced writes under `session`.
  TaskRunHooks term_hooks(const ha::LeaderTerm& term);
  Task<void> persist_events(std::string task, std::string session);
  Task<TaskOpResult> store_definition(config::cts::TaskConfig definition, std::string session);
  Task<TaskOpResult> forget_task(std::string task, std::string session, std::stop_token stop);
  Task<void> check_compatibility(std::stop_token stop);
  // The local module directories that do not exist now, logged as CTS logs them.
  std::size_t report_missing_modules();
  TaskOpResult not_leading() const;

  Runtime& runtime_;
  FileSystem& files_;
  Logger logger_;
  ControllerOptions options_;
  ControllerTasks tasks_;
  ha::LeaderElection election_;
  state::PersistedState state_;
  TaskManager manager_;  // the definitions and events; runs the tasks during each term
  std::uint64_t once_mode_done_terms_ = 0;
  std::uint64_t last_once_mode_term_ = 0;  // the number of the last term whose once-mode finished
  std::size_t missing_modules_ = 0;
};

}  // namespace baton::controller
