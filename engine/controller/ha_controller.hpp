#pragma once
// HaController: what a baton instance does in a high-availability cluster, written once for
// production and the simulator. It runs the leader election (engine/ha) and, for each term of
// leadership: loads the stored tasks and events (storing its configured tasks when the cluster
// has none yet, or when started with -reset-storage: persisted_state.hpp), starts a watcher and
// one TaskRunner per enabled task (each runs once-mode first, then monitors), persists each
// task's events after every run through writes fenced by check-session, applies the API's task
// changes (stored first, then run), and stops all of it the moment the term ends.
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
#include "engine/config/hcl/error.hpp"
#include "engine/driver/terraform/task_input.hpp"
#include "engine/driver/terraform/terraform_client.hpp"
#include "engine/ha/leader_election.hpp"
#include "engine/log/logger.hpp"
#include "engine/ports/filesystem.hpp"
#include "engine/state/persisted_state.hpp"
#include "engine/tasks/task_runner.hpp"
#include "engine/tasks/user_meta.hpp"
#include "engine/testing/planted_bugs.hpp"

namespace baton::controller {

// One task, as the engine runs it.
struct TaskSpec {
  driver::terraform::TaskInput input;
  bool enabled = true;
  tasks::BufferPeriod buffer;
  std::string working_dir;  // CTS: <working_dir>/<task name>
  tasks::UserMeta user_meta;
};

// Turns a task definition (configured, stored, or sent through the API) into what the engine
// runs, against this instance's configuration (engine_config.hpp: task_spec).
using TaskBuilder = std::function<config::hcl::Result<TaskSpec>(const config::cts::TaskConfig&)>;

// The tasks an instance starts with: its configuration's (finalized), and how to build any.
struct ControllerTasks {
  std::vector<config::cts::TaskConfig> configured;
  TaskBuilder build;
};

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

// Why an operation on the task set failed; the message is CTS's where the API has one.
enum class TaskOpError { none, not_leader, not_found, exists, invalid, busy, storage };

struct TaskOpResult {
  TaskOpError error = TaskOpError::none;
  std::string message;
  bool ok() const { return error == TaskOpError::none; }
};

// What inspect_task answers: the plan, or why there is none.
struct InspectResult {
  TaskOpResult status;
  bool changes_present = false;
  std::string plan;
};

class HaController {
 public:
  HaController(Runtime& runtime, consul::ConsulClient& consul, FileSystem& files, driver::terraform::TerraformClient& terraform,
               Logger logger, ControllerOptions options, ControllerTasks tasks);
  HaController(const HaController&) = delete;
  HaController& operator=(const HaController&) = delete;
  ~HaController();

  // Until `stop`: campaigns, leads, and on a graceful stop releases leadership.
  Task<void> run(std::stop_token stop);

  // Changes to the cluster's tasks, on the leader only (else not_leader), stored through
  // writes fenced by check-session before they take effect, so that the next leader sees them.
  // create: a new task (validated, built, stored, then run as any task: once, then on changes).
  Task<TaskOpResult> create_task(config::cts::TaskConfig task);
  // delete: waits until the task is idle, then stops it and removes its definition and events;
  // its infrastructure stays.
  Task<TaskOpResult> delete_task(std::string name);
  // enable / disable; refused while the task is running (CTS: "task '%s' is active and cannot
  // be updated at this time").
  Task<TaskOpResult> set_task_enabled(std::string name, bool enabled);

  // A plan of what `task` would do (the API's ?run=inspect, on the leader only): built as a
  // created task would be, run by a TaskRunner of its own in inspect mode (its own watcher,
  // in `<working_dir>-inspect`, so that a running task's files are never touched), the plan
  // made against the task's Terraform workspace. Stored and running tasks stay as they are.
  Task<InspectResult> inspect_task(config::cts::TaskConfig task);

  const ha::LeaderElection& election() const { return election_; }
  // The task definitions as this instance last knew them: its configuration's until it first
  // leads, then the cluster's.
  const std::map<std::string, config::cts::TaskConfig>& task_definitions() const { return definitions_; }
  // The events as this instance last knew them (loaded on promotion, then its own runs).
  const std::map<std::string, tasks::TaskEvents>& events() const { return events_; }
  // Terms whose once-mode finished.
  std::uint64_t once_mode_done_terms() const { return once_mode_done_terms_; }
  // True while this instance leads and its current term's once-mode has finished.
  bool once_mode_done_in_current_term() const { return term_ != nullptr && last_once_mode_term_ == election_.terms(); }
  // Missing module directories found by the last compatibility check.
  std::size_t missing_modules() const { return missing_modules_; }

 private:
  struct RunningTask;
  struct Term;

  Task<void> lead(ha::LeaderTerm term, std::stop_token stop);
  Task<bool> load_state(const std::string& session, std::stop_token stop);
  Task<void> persist_events(std::string task, std::string session);
  Task<void> check_compatibility(std::stop_token stop);
  // The local module directories that do not exist now, logged as CTS logs them.
  std::size_t report_missing_modules();
  // Builds and starts the task's runner in the current term; false (logged) when it cannot be built.
  bool start_task(const config::cts::TaskConfig& definition, bool counts_for_once_mode);
  Task<void> stop_task(Term& term, std::string name);
  Task<TaskOpResult> store_definition(config::cts::TaskConfig definition);
  TaskOpResult not_leading() const;

  Runtime& runtime_;
  consul::ConsulClient& consul_;
  FileSystem& files_;
  driver::terraform::TerraformClient& terraform_;
  Logger logger_;
  ControllerOptions options_;
  ControllerTasks tasks_;
  ha::LeaderElection election_;
  state::PersistedState state_;
  std::map<std::string, config::cts::TaskConfig> definitions_;
  std::map<std::string, tasks::TaskEvents> events_;
  Term* term_ = nullptr;  // the term being led, if any
  std::uint64_t once_mode_done_terms_ = 0;
  std::uint64_t last_once_mode_term_ = 0;  // the number of the last term whose once-mode finished
  std::size_t missing_modules_ = 0;
};

}  // namespace baton::controller
