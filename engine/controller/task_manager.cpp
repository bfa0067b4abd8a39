#include "engine/controller/task_manager.hpp"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "engine/async/event.hpp"
#include "engine/async/scope.hpp"
#include "engine/config/cts/validate.hpp"
#include "engine/driver/terraform/task_driver.hpp"

namespace baton::controller {

namespace tf = driver::terraform;
namespace cts = config::cts;
using namespace std::chrono_literals;

// A task running in the current run. Members are destroyed in reverse: the scope (and the
// frames it owns, which reference the runner and the driver) goes first.
struct TaskManager::RunningTask {
  std::unique_ptr<tf::TaskDriver> driver;
  std::unique_ptr<tasks::TaskRunner> runner;
  std::unique_ptr<Scope> scope;
};

// The state of one run, owned by run()'s frame. Only run() starts and stops tasks; the task
// operations change definitions_ (after the owner stored them) and wake it.
struct TaskManager::Run {
  Run(Runtime& runtime, watch::Watcher& watcher_in, TaskRunHooks hooks_in, std::stop_token stop_in, std::uint64_t number_in)
      : watcher(watcher_in), hooks(std::move(hooks_in)), stop(std::move(stop_in)), number(number_in), changed(runtime) {}

  watch::Watcher& watcher;
  TaskRunHooks hooks;
  std::stop_token stop;
  std::uint64_t number;
  Event changed;  // definitions_ or pending_deletes changed: reconcile
  std::map<std::string, RunningTask> running;
  std::set<std::string> pending_deletes;  // deleted through the API, waiting for the task to be idle
  // The run's initial tasks whose first run has not ended yet. A task deleted or disabled
  // before that owes nothing more: once-mode is done when the others are.
  std::set<std::string> once_pending;
  // Names created with ?run=now whose run is under way: taken, though not defined yet (CTS
  // serializes creates behind the API handler's lock).
  std::set<std::string> creating;
  // Created with ?run=now after a run that succeeded: their runner's first run applies only if
  // the data changed since, as a monitoring run does.
  std::set<std::string> ran_at_creation;
};

namespace {

// Clears a pointer when run()'s frame goes, including when it is destroyed unresumed (a
// crash): the destructor calls nothing out.
template <class T>
struct ClearOnExit {
  T*& slot;
  ~ClearOnExit() { slot = nullptr; }
};

}  // namespace

TaskManager::TaskManager(Runtime& runtime, consul::ConsulClient& consul, FileSystem& files, tf::TerraformClient& terraform,
                         Logger logger, TaskManagerOptions options, TaskBuilder build,
                         const std::vector<cts::TaskConfig>& configured)
    : runtime_(runtime),
      consul_(consul),
      files_(files),
      terraform_(terraform),
      logger_(logger),
      options_(std::move(options)),
      build_(std::move(build)) {
  for (const cts::TaskConfig& task : configured) definitions_[task.name.value_or_zero()] = task;
}

TaskManager::~TaskManager() = default;

TaskOpResult TaskManager::not_running() const {
  return TaskOpResult{TaskOpError::not_leader, "this instance is not the leader"};
}

bool TaskManager::start_task(const cts::TaskConfig& definition, bool counts_for_once_mode) {
  const std::string name = definition.name.value_or_zero();
  auto built = build_(definition);
  if (!built.ok()) {
    // Never fatal: the other tasks run.
    logger_.named("ctrl").error("error building task", "task_name", name, "error", config::hcl::to_string(built.error()));
    return false;
  }
  TaskSpec& spec = built.value();
  Run& run = *run_;
  RunningTask task;
  task.driver = std::make_unique<tf::TaskDriver>(files_, terraform_, logger_, spec.input,
                                                 tf::TerraformTarget{name, spec.working_dir, name, {}});
  tasks::TaskRunnerOptions runner_options;
  runner_options.buffer = spec.buffer;
  runner_options.retry = options_.retry;
  runner_options.retry_once_mode = options_.retry_once_mode;
  runner_options.user_meta = spec.user_meta;
  runner_options.bugs = options_.bugs;
  runner_options.first_run_on_change_only = run.ran_at_creation.erase(name) > 0;
  if (run.hooks.after_event) {
    std::function<Task<void>(std::string)> after_event = run.hooks.after_event;
    runner_options.after_event = [after_event, name]() { return after_event(name); };
  }
  if (counts_for_once_mode) {
    run.once_pending.insert(name);
    const std::uint64_t number = run.number;
    runner_options.on_once_done = [this, number, name](const std::string& error) {
      if (run_ == nullptr || run_->number != number) return;
      if (run_->hooks.on_task_once_done) run_->hooks.on_task_once_done(name, error);
      settle_once_mode(name);
    };
  }
  tasks::MayAct may_act = run.hooks.may_act;
  if (!may_act) may_act = [] { return true; };
  task.runner = std::make_unique<tasks::TaskRunner>(runtime_, run.watcher, *task.driver, logger_, std::move(runner_options),
                                                    std::move(may_act), events_[name]);
  task.scope = std::make_unique<Scope>(runtime_, run.stop);
  task.scope->spawn(task.runner->run(task.scope->token()));
  run.running.insert_or_assign(name, std::move(task));
  return true;
}

void TaskManager::settle_once_mode(const std::string& name) {
  if (run_->once_pending.erase(name) == 0 || !run_->once_pending.empty()) return;
  if (run_->hooks.on_once_mode_done) run_->hooks.on_once_mode_done();
}

Task<void> TaskManager::stop_task(std::string name) {
  auto found = run_->running.find(name);
  if (found == run_->running.end()) co_return;
  // Stopped before its first run ended (deleted or disabled meanwhile; found by sim swarm:
  // once-mode was never done): it owes once-mode nothing.
  settle_once_mode(name);
  RunningTask task = std::move(found->second);
  run_->running.erase(found);
  task.scope->request_stop();
  co_await task.scope->join();
}

Task<void> TaskManager::run(TaskRunHooks hooks, std::stop_token stop) {
  const Logger ctrl = logger_.named("ctrl");
  watch::Watcher watcher(runtime_, consul_, logger_, options_.watcher);
  Run run(runtime_, watcher, std::move(hooks), stop, ++runs_);
  run_ = &run;
  ClearOnExit<Run> clear_run{run_};
  for (const auto& [name, definition] : definitions_) {
    if (definition.enabled.value_or(true)) start_task(definition, true);
  }
  if (run.once_pending.empty() && run.hooks.on_once_mode_done) run.hooks.on_once_mode_done();

  // Reconcile the running tasks with definitions_ until the run ends. run_ stays set meanwhile:
  // a stop_task below awaits, but only this frame ends the run.
  while (!stop.stop_requested()) {
    run.changed.reset();
    for (auto it = run.pending_deletes.begin(); it != run.pending_deletes.end();) {
      const std::string name = *it;
      auto running = run.running.find(name);
      if (running != run.running.end() && running->second.runner->busy()) {
        ++it;
        continue;  // deletion waits until the task is idle
      }
      it = run.pending_deletes.erase(it);
      co_await stop_task(name);
      // Again, for the events its last run stored since the delete was asked (an error is logged
      // by the hook; the definition is gone already).
      if (run.hooks.forget) co_await run.hooks.forget(name, stop);
      definitions_.erase(name);
      events_.erase(name);
      ctrl.info("task deleted", "task_name", name);
    }
    for (const auto& [name, definition] : definitions_) {
      const bool enabled = definition.enabled.value_or(true);
      const bool is_running = run.running.count(name) != 0;
      if (enabled && !is_running && !run.pending_deletes.count(name)) start_task(definition, false);
    }
    std::vector<std::string> disabled;
    for (const auto& [name, task] : run.running) {
      const auto definition = definitions_.find(name);
      if (definition == definitions_.end() || !definition->second.enabled.value_or(true)) disabled.push_back(name);
    }
    for (const std::string& name : disabled) co_await stop_task(name);
    // A pending delete is checked again as the task's run ends (CTS polls too).
    const MonoTime recheck = run.pending_deletes.empty() ? kNoDeadline : runtime_.now() + Duration(100ms);
    co_await run.changed.wait(stop, recheck);
  }

  // The run is over for the operations (and the runners' once-mode callbacks) before the
  // runners stop.
  run_ = nullptr;
  while (!run.running.empty()) {
    RunningTask task = std::move(run.running.begin()->second);
    run.running.erase(run.running.begin());
    task.scope->request_stop();
    co_await task.scope->join();
  }
  watcher.stop();
  co_await watcher.join();
}

Task<TaskOpResult> TaskManager::store_definition(cts::TaskConfig definition) {
  if (run_ == nullptr) co_return not_running();
  const std::uint64_t number = run_->number;
  if (run_->hooks.store) {
    // A copy: the run may end while the write is in flight.
    const std::function<Task<TaskOpResult>(cts::TaskConfig)> store = run_->hooks.store;
    const TaskOpResult stored = co_await store(definition);
    if (!stored.ok()) co_return stored;
  }
  // The run may have ended meanwhile (HA: the next leader will load what was stored).
  if (run_ == nullptr || run_->number != number) co_return TaskOpResult{};
  definitions_[definition.name.value_or_zero()] = std::move(definition);
  run_->changed.set();
  co_return TaskOpResult{};
}

TaskOpResult TaskManager::check_new_task(const cts::TaskConfig& task) const {
  const std::string name = task.name.value_or_zero();
  if (definitions_.count(name) != 0 || run_->creating.count(name) != 0) {
    return TaskOpResult{TaskOpError::exists, fmt::format("task with name {} already exists", name)};
  }
  if (std::optional<config::hcl::Error> invalid = cts::validate_task(task)) {
    return TaskOpResult{TaskOpError::invalid, invalid->message};
  }
  auto built = build_(task);
  if (!built.ok()) return TaskOpResult{TaskOpError::invalid, built.error().message};
  return TaskOpResult{};
}

Task<TaskOpResult> TaskManager::create_task(cts::TaskConfig task) {
  if (run_ == nullptr) co_return not_running();
  const TaskOpResult checked = check_new_task(task);
  if (!checked.ok()) co_return checked;
  co_return co_await store_definition(std::move(task));
}

Task<TaskOpResult> TaskManager::create_and_run_task(cts::TaskConfig task) {
  if (run_ == nullptr) co_return not_running();
  const TaskOpResult checked = check_new_task(task);
  if (!checked.ok()) co_return checked;
  const std::string name = task.name.value_or_zero();
  if (!task.enabled.value_or(true)) {
    logger_.named("ctrl").trace("skipping disabled task", "task_name", name);
    co_return co_await store_definition(std::move(task));
  }
  const std::uint64_t number = run_->number;
  // The name stays taken until the answer (CTS serializes creates behind its handler's lock).
  run_->creating.insert(name);
  const TaskOpResult created = co_await run_then_add(std::move(task));
  if (run_ != nullptr && run_->number == number) run_->creating.erase(name);
  co_return created;
}

Task<TaskOpResult> TaskManager::run_then_add(cts::TaskConfig task) {
  const std::uint64_t number = run_->number;
  NewTaskRun ran = co_await run_new_task(task);
  if (run_ == nullptr || run_->number != number) co_return not_running();  // the run (HA: the term) ended
  if (!ran.error.empty()) co_return TaskOpResult{TaskOpError::run_failed, std::move(ran.error)};
  // No event and no error: the runner skipped the apply, not leading any more.
  if (ran.events.events().empty()) co_return not_running();
  co_return co_await add_ran_task(std::move(task), std::move(ran.events));
}

Task<TaskManager::NewTaskRun> TaskManager::run_new_task(cts::TaskConfig task) {
  NewTaskRun result;
  const std::string name = task.name.value_or_zero();
  auto built = build_(task);
  if (!built.ok()) {  // check_new_task built it already: only a builder that changed its mind
    result.error = config::hcl::to_string(built.error());
    co_return result;
  }
  const std::stop_token stop = run_->stop;  // the run's end cancels it
  tasks::MayAct may_act = run_->hooks.may_act;
  if (!may_act) may_act = [] { return true; };
  result.error = co_await run_on_own_runner(built.value(), name, std::move(may_act), result.events, stop);
  co_return result;
}

Task<TaskOpResult> TaskManager::add_ran_task(cts::TaskConfig task, tasks::TaskEvents events) {
  const std::string name = task.name.value_or_zero();
  const std::uint64_t number = run_->number;
  // Marked before the definition is stored: the run starts the task's runner as soon as it is.
  run_->ran_at_creation.insert(name);
  const TaskOpResult stored = co_await store_definition(std::move(task));
  const bool same_run = run_ != nullptr && run_->number == number;
  if (!stored.ok() || !same_run) {
    if (same_run) run_->ran_at_creation.erase(name);
    co_return stored;  // stored but the run ended (HA): the next leader runs it as a stored task
  }
  // Nothing has resumed since the definition was stored: the runner will add to these events.
  events_[name] = std::move(events);
  if (run_->hooks.after_event) {
    const std::function<Task<void>(std::string)> after_event = run_->hooks.after_event;  // the run may end meanwhile
    co_await after_event(name);
  }
  co_return stored;
}

Task<TaskOpResult> TaskManager::delete_task(std::string name) {
  if (run_ == nullptr) co_return not_running();
  if (run_->pending_deletes.count(name) != 0) co_return TaskOpResult{};  // already marked, as CTS answers
  if (definitions_.count(name) == 0) {
    co_return TaskOpResult{TaskOpError::not_found,
                           fmt::format("a task with name '{}' does not exist or has not been initialized yet", name)};
  }
  // Stored first, as every change: a delete answered but not stored would come back with the
  // next leader (found by sim swarm: the store failed while Consul had no leader, and the API
  // had already said yes).
  if (run_->hooks.forget) {
    const std::uint64_t number = run_->number;
    const std::stop_token never;
    TaskOpResult forgotten = co_await run_->hooks.forget(name, never);
    if (!forgotten.ok()) co_return forgotten;
    // Stored: the delete holds even if the run ended meanwhile (the next leader loads the
    // tasks without it), so it is answered as done (sim swarm seed 174: it was answered "not
    // the leader" although stored).
    if (run_ == nullptr || run_->number != number) co_return TaskOpResult{};
  }
  run_->pending_deletes.insert(name);
  run_->changed.set();
  co_return TaskOpResult{};
}

Task<TaskOpResult> TaskManager::set_task_enabled(std::string name, bool enabled) {
  if (run_ == nullptr) co_return not_running();
  const auto found = definitions_.find(name);
  if (found == definitions_.end() || run_->pending_deletes.count(name) != 0) {
    co_return TaskOpResult{TaskOpError::not_found, fmt::format("task {} does not exist to run", name)};
  }
  const auto running = run_->running.find(name);
  if (running != run_->running.end() && running->second.runner->busy()) {
    co_return TaskOpResult{TaskOpError::busy, fmt::format("task '{}' is active and cannot be updated at this time", name)};
  }
  cts::TaskConfig updated = found->second;
  updated.enabled.set(enabled);
  co_return co_await store_definition(std::move(updated));
}

Task<InspectResult> TaskManager::inspect_task(cts::TaskConfig task) {
  if (run_ == nullptr) {
    InspectResult refused;
    refused.status = not_running();
    co_return refused;
  }
  const std::stop_token stop = run_->stop;  // the run's end cancels the plan
  const std::string suffix = "-inspect";
  logger_.named("ctrl").info("inspecting task", "task_name", task.name.value_or_zero());
  co_return co_await plan(std::move(task), suffix, stop);
}

Task<InspectResult> TaskManager::plan_task(cts::TaskConfig task, std::stop_token stop) {
  const std::string no_suffix;
  co_return co_await plan(std::move(task), no_suffix, std::move(stop));
}

Task<InspectResult> TaskManager::plan(cts::TaskConfig task, std::string dir_suffix, std::stop_token stop) {
  InspectResult result;
  const std::string name = task.name.value_or_zero();
  auto built = build_(task);
  if (!built.ok()) {
    result.status = TaskOpResult{TaskOpError::invalid, config::hcl::to_string(built.error())};
    co_return result;
  }
  if (!task.enabled.value_or(true)) {
    result.plan = "Task is disabled, inspection was skipped.";
    co_return result;
  }
  const TaskSpec& spec = built.value();
  watch::Watcher watcher(runtime_, consul_, logger_, options_.watcher);
  tf::TaskDriver driver(files_, terraform_, logger_, spec.input, tf::TerraformTarget{name, spec.working_dir + dir_suffix, name, {}});
  tasks::TaskRunnerOptions runner_options;
  runner_options.user_meta = spec.user_meta;
  tasks::TaskEvents no_events;
  tasks::TaskRunner runner(runtime_, watcher, driver, logger_, std::move(runner_options), [] { return false; }, no_events);
  const tf::InspectPlan planned = co_await runner.inspect(stop);
  watcher.stop();
  co_await watcher.join();
  if (!planned.step.ok()) {
    result.status = TaskOpResult{TaskOpError::storage, planned.step.error};
    co_return result;
  }
  result.changes_present = planned.changes_present;
  result.plan = planned.plan;
  co_return result;
}

Task<std::string> TaskManager::run_task_once(cts::TaskConfig task, std::stop_token stop) {
  const std::string name = task.name.value_or_zero();
  auto built = build_(task);
  if (!built.ok()) co_return config::hcl::to_string(built.error());
  if (!task.enabled.value_or(true)) {
    logger_.named("ctrl").trace("skipping disabled task", "task_name", name);
    co_return std::string();
  }
  tasks::MayAct always = [] { return true; };  // once-mode has no lease to ask
  co_return co_await run_on_own_runner(built.value(), name, std::move(always), events_[name], stop);
}

Task<std::string> TaskManager::run_on_own_runner(const TaskSpec& spec, std::string name, tasks::MayAct may_act,
                                                 tasks::TaskEvents& events, std::stop_token stop) {
  // A watcher of its own: the run's may be gone before this runner has stopped using it.
  watch::Watcher watcher(runtime_, consul_, logger_, options_.watcher);
  tf::TaskDriver driver(files_, terraform_, logger_, spec.input, tf::TerraformTarget{name, spec.working_dir, name, {}});
  tasks::TaskRunnerOptions runner_options;
  runner_options.buffer = spec.buffer;
  runner_options.retry = options_.retry;
  runner_options.retry_once_mode = false;  // runNewTask applies once
  runner_options.user_meta = spec.user_meta;
  tasks::TaskRunner runner(runtime_, watcher, driver, logger_, std::move(runner_options), std::move(may_act), events);
  co_await runner.run_once(stop);
  std::string error = runner.last_run_cause();
  watcher.stop();
  co_await watcher.join();
  co_return error;
}

}  // namespace baton::controller
