#pragma once
// TaskManager: the tasks an instance runs, as CTS's controller/tasks_manager.go keeps them: their
// definitions and events, and, while it runs (one leader term with high availability, the whole
// process without), a watcher and one TaskRunner per enabled task, each running once first
// (once-mode), then monitoring. The API's task changes (create, delete, enable, disable) go
// through it: checked as CTS checks them, handed to the owner's `store` hook, then applied to the
// running set.
//
// Written once for both kinds of instance; what differs is in the hooks of each run:
// - HaController (ha_controller.hpp): only the leader runs it, a term at a time; `store` and
//   `forget` are writes fenced by check-session, events are persisted after each run, and an
//   apply starts only while the lease is valid.
// - StandaloneController (standalone_controller.hpp): one run for the process's life; changes
//   stay in memory, as CTS keeps them without high availability (state.NewInMemoryStore).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/config/cts/task_config.hpp"
#include "engine/config/hcl/error.hpp"
#include "engine/consul/client.hpp"
#include "engine/driver/terraform/apply_retry.hpp"
#include "engine/driver/terraform/task_input.hpp"
#include "engine/driver/terraform/terraform_client.hpp"
#include "engine/log/logger.hpp"
#include "engine/ports/filesystem.hpp"
#include "engine/tasks/buffer_period.hpp"
#include "engine/tasks/task_events.hpp"
#include "engine/tasks/task_runner.hpp"
#include "engine/tasks/user_meta.hpp"
#include "engine/testing/planted_bugs.hpp"
#include "engine/watch/watcher.hpp"

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

// Why an operation on the task set failed; the message is CTS's where the API has one.
// run_failed: a task created with ?run=now whose run failed (CTS answers 500 with its error).
enum class TaskOpError { none, not_leader, not_found, exists, invalid, busy, storage, run_failed };

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

struct TaskManagerOptions {
  driver::terraform::RetryPolicy retry;
  watch::WatcherOptions watcher;
  // Whether a task's first run retries a failed apply. The HA leader does; CTS without HA runs
  // the first run through runNewTask, which applies once (tasks_manager.go): false there.
  bool retry_once_mode = true;
  // The simulator's planted bugs; all off in production (engine/testing/planted_bugs.hpp).
  PlantedBugs bugs;
};

// What the owner of one run adds to it. Any hook may be empty.
struct TaskRunHooks {
  // True when an apply may start now (HA: this instance leads and its lease is valid). Empty:
  // always.
  tasks::MayAct may_act;
  // Awaited after each event of `task` is added (HA: the events are persisted).
  std::function<Task<void>(std::string task)> after_event;
  // Stores a created or changed definition before it takes effect (HA: a fenced write). Its
  // error is the operation's. Empty: kept in memory only.
  std::function<Task<TaskOpResult>(config::cts::TaskConfig definition)> store;
  // Removes a deleted task's stored definition and events (HA: a fenced write). Called when the
  // delete is asked, before it is accepted (its error is the operation's, and nothing is
  // deleted), and again once the runner has stopped, for events its last run stored meanwhile.
  std::function<Task<TaskOpResult>(std::string task, std::stop_token stop)> forget;
  // A task started with the run has ended its first run; `error` is the run's (empty when it
  // succeeded or had nothing to apply).
  std::function<void(const std::string& task, const std::string& error)> on_task_once_done;
  // Every task started with the run has ended its first run (called at once when none is
  // enabled). Tasks created later do not count.
  std::function<void()> on_once_mode_done;
};

class TaskManager {
 public:
  TaskManager(Runtime& runtime, consul::ConsulClient& consul, FileSystem& files,
              driver::terraform::TerraformClient& terraform, Logger logger, TaskManagerOptions options, TaskBuilder build,
              const std::vector<config::cts::TaskConfig>& configured);
  TaskManager(const TaskManager&) = delete;
  TaskManager& operator=(const TaskManager&) = delete;
  ~TaskManager();

  // Until `stop`: starts a runner per enabled task (each runs once, then monitors), keeps the
  // runners in step with the definitions as they change, and stops them all at the end. One
  // run at a time.
  Task<void> run(TaskRunHooks hooks, std::stop_token stop);
  // True during run(); the numbering of runs (1 for the first).
  bool running() const { return run_ != nullptr; }
  std::uint64_t runs() const { return runs_; }

  // Changes, during a run only (else `not_running`, TaskOpError::not_leader). create: a new
  // task, validated and built, stored, then run as any task (once, then on changes). delete:
  // waits until the task is idle, then stops it and removes its definition and events (its
  // infrastructure stays). enable / disable: refused while the task runs (CTS: "task '%s' is
  // active and cannot be updated at this time").
  Task<TaskOpResult> create_task(config::cts::TaskConfig task);
  // CTS's TaskCreateAndRun (the API's ?run=now, controller/tasks_manager.go): checked as
  // create_task, then run once before anything is stored or answered, as runNewTask runs it (a
  // runner of its own, one apply without retries, asking the run's may_act first). Only a run
  // that succeeded creates the task, with that run's event; its runner then applies again only
  // if the data changed since (no second once-mode run). A failed run creates nothing and
  // stores no event: TaskOpError::run_failed with the run's error ("error tf-apply for 'web':
  // ..."). A disabled task is created without a run (runNewTask skips it). If the run ends
  // meanwhile (HA: the term), nothing is created: not_leader.
  Task<TaskOpResult> create_and_run_task(config::cts::TaskConfig task);
  Task<TaskOpResult> delete_task(std::string name);
  Task<TaskOpResult> set_task_enabled(std::string name, bool enabled);

  // A plan of what `task` would do (the API's ?run=inspect), during a run: built as a created
  // task would be, run by a TaskRunner of its own in inspect mode (its own watcher, in
  // `<working_dir>-inspect`, so that a running task's files are never touched), against the
  // task's Terraform workspace. The run's end cancels it. Nothing is created or stored.
  Task<InspectResult> inspect_task(config::cts::TaskConfig task);

  // Outside a run, for the modes that end (CTS's Once and Inspect controllers: once_pass.hpp).
  // run_task_once is CTS's TaskCreateAndRun in once-mode: a runner of its own initializes the
  // task, waits until its queries have answered, runs it once (one apply, no retry, as
  // runNewTask) and stops; its event is kept in events(). The run's error, empty when it
  // succeeded. A disabled task is not run (runNewTask: "skipping disabled task").
  Task<std::string> run_task_once(config::cts::TaskConfig task, std::stop_token stop);
  // CTS's TaskInspect: a plan in the task's own working directory, applying nothing. A disabled
  // task is not planned: its plan says "Task is disabled, inspection was skipped." as
  // driver/terraform.go InspectTask's does.
  Task<InspectResult> plan_task(config::cts::TaskConfig task, std::stop_token stop);

  // The definitions and events as this instance knows them.
  const std::map<std::string, config::cts::TaskConfig>& definitions() const { return definitions_; }
  const std::map<std::string, tasks::TaskEvents>& events() const { return events_; }
  // Replaced between runs (HA: what the cluster stored, loaded on promotion).
  void set_definitions(std::map<std::string, config::cts::TaskConfig> definitions) { definitions_ = std::move(definitions); }
  void set_events(const std::string& task, tasks::TaskEvents events) { events_[task] = std::move(events); }
  void clear_events() { events_.clear(); }

  TaskOpResult not_running() const;

 private:
  struct RunningTask;
  struct Run;

  // Builds and starts the task's runner in the current run; false (logged) when it cannot be built.
  bool start_task(const config::cts::TaskConfig& definition, bool counts_for_once_mode);
  Task<void> stop_task(std::string name);
  // `name` owes the run's once-mode nothing more (its first run ended, or it was stopped): the
  // run's once-mode is done when no task owes it.
  void settle_once_mode(const std::string& name);
  Task<TaskOpResult> store_definition(config::cts::TaskConfig definition);
  // create_task's checks (as CTS's createTask): a new name, a valid definition that builds.
  TaskOpResult check_new_task(const config::cts::TaskConfig& task) const;
  // What runNewTask returns: the run's error (empty when it succeeded) and its event.
  struct NewTaskRun {
    std::string error;
    tasks::TaskEvents events;
  };
  // runNewTask for a task of the current run that is not running yet: a runner and watcher of
  // their own, the run's stop and may_act; the event goes to the result, not to events_.
  Task<NewTaskRun> run_new_task(config::cts::TaskConfig task);
  // CTS's runNewTask: `spec` run once (one apply, no retry) on a runner and watcher of their
  // own, its event added to `events`; the run's error as runNewTask returns it ("error tf-apply
  // for 'web': ..."), empty when it succeeded. run_new_task's and run_task_once's core.
  Task<std::string> run_on_own_runner(const TaskSpec& spec, std::string name, tasks::MayAct may_act,
                                      tasks::TaskEvents& events, std::stop_token stop);
  // create_and_run_task's run, then the task added if the run succeeded.
  Task<TaskOpResult> run_then_add(config::cts::TaskConfig task);
  // Stores a definition whose run=now run succeeded, with that run's events.
  Task<TaskOpResult> add_ran_task(config::cts::TaskConfig task, tasks::TaskEvents events);
  // Plans the task in `<its working_dir><dir_suffix>`; run_task_once's and inspect's pieces.
  Task<InspectResult> plan(config::cts::TaskConfig task, std::string dir_suffix, std::stop_token stop);

  Runtime& runtime_;
  consul::ConsulClient& consul_;
  FileSystem& files_;
  driver::terraform::TerraformClient& terraform_;
  Logger logger_;
  TaskManagerOptions options_;
  TaskBuilder build_;
  std::map<std::string, config::cts::TaskConfig> definitions_;
  std::map<std::string, tasks::TaskEvents> events_;
  Run* run_ = nullptr;  // the run under way, if any
  std::uint64_t runs_ = 0;
};

}  // namespace baton::controller
