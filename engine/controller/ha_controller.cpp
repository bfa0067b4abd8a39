#include "engine/controller/ha_controller.hpp"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "engine/async/scope.hpp"
#include "engine/config/cts/validate.hpp"
#include "engine/consul/blocking_query.hpp"
#include "engine/driver/terraform/task_driver.hpp"

namespace baton::controller {

namespace tf = driver::terraform;
namespace cts = config::cts;
using namespace std::chrono_literals;

// A task running in the current term. Members are destroyed in reverse: the scope (and the
// frames it owns, which reference the runner and the driver) goes first.
struct HaController::RunningTask {
  std::unique_ptr<tf::TaskDriver> driver;
  std::unique_ptr<tasks::TaskRunner> runner;
  std::unique_ptr<Scope> scope;
};

// The state of one term of leadership, owned by lead()'s frame. Only lead() starts and stops
// tasks (reconcile); the task operations change definitions_, store them, and wake it.
struct HaController::Term {
  Term(Runtime& runtime, ha::LeaderTerm lease_in, watch::Watcher& watcher_in, std::stop_token stop_in)
      : lease(std::move(lease_in)), watcher(watcher_in), stop(std::move(stop_in)), changed(runtime) {}

  ha::LeaderTerm lease;
  watch::Watcher& watcher;
  std::stop_token stop;
  Event changed;                       // definitions_ or pending_deletes changed: reconcile
  std::map<std::string, RunningTask> running;
  std::set<std::string> pending_deletes;  // deleted through the API, waiting for the task to be idle
  std::size_t once_pending = 0;        // first runs of the term's initial tasks still to end
};

namespace {

// Clears a pointer when lead()'s frame goes, including when it is destroyed unresumed (a
// crash): the destructor calls nothing out.
template <class T>
struct ClearOnExit {
  T*& slot;
  ~ClearOnExit() { slot = nullptr; }
};

ha::LeaderElectionOptions with_bugs(ha::LeaderElectionOptions election, const PlantedBugs& bugs) {
  election.bugs = bugs;
  return election;
}

bool is_local_module(const std::string& source) {
  return source.rfind("./", 0) == 0 || source.rfind("../", 0) == 0 || source.rfind('/', 0) == 0;
}

}  // namespace

HaController::HaController(Runtime& runtime, consul::ConsulClient& consul, FileSystem& files, tf::TerraformClient& terraform,
                           Logger logger, ControllerOptions options, ControllerTasks tasks)
    : runtime_(runtime),
      consul_(consul),
      files_(files),
      terraform_(terraform),
      logger_(logger),
      options_(std::move(options)),
      tasks_(std::move(tasks)),
      election_(runtime, consul, logger, with_bugs(options_.election, options_.bugs)),
      state_(consul, logger, options_.election.parent_path) {
  for (const cts::TaskConfig& task : tasks_.configured) definitions_[task.name.value_or_zero()] = task;
}

HaController::~HaController() = default;

Task<void> HaController::run(std::stop_token stop) {
  Scope checking(runtime_, stop);
  checking.spawn(check_compatibility(checking.token()));
  ha::TermBody body = [this](ha::LeaderTerm term, std::stop_token term_stop) { return lead(std::move(term), std::move(term_stop)); };
  co_await election_.run(body, stop);
  checking.request_stop();
  co_await checking.join();
}

std::size_t HaController::report_missing_modules() {
  const Logger compat = logger_.named("ha").named("compat");
  std::size_t missing = 0;
  for (const auto& [name, definition] : definitions_) {
    auto spec = tasks_.build(definition);
    if (!spec.ok()) continue;
    const std::string& source = spec.value().input.module_source;
    if (!is_local_module(source) || files_.exists(source)) continue;
    ++missing;
    // CTS logs the error alone: `[ERROR] ha.compat: error="compatibility check failure: ..."`.
    compat.error("", "error", "compatibility check failure: stat " + source + ": no such file or directory");
  }
  return missing;
}

Task<void> HaController::check_compatibility(std::stop_token stop) {
  while (!stop.stop_requested()) {
    missing_modules_ = report_missing_modules();
    co_await sleep_for(runtime_, options_.compatibility_check_interval, stop);
  }
}

// Loads the stored tasks and events, first storing this instance's configured tasks when the
// cluster has none or -reset-storage asks for it. Retries Consul errors until the term ends;
// false when it ended first or the store refused this session (deposed).
Task<bool> HaController::load_state(const std::string& session, std::stop_token stop) {
  const Logger ctrl = logger_.named("ctrl");
  consul::Backoff backoff(options_.election.error_backoff);
  while (!stop.stop_requested()) {
    auto loaded = co_await state_.load(stop);
    if (loaded.ok() && loaded.value().initialized && !options_.reset_storage) {
      definitions_ = std::move(loaded.value().tasks);
      for (auto& [task, events] : loaded.value().events) events_[task] = std::move(events);
      co_return true;
    }
    if (loaded.ok()) {
      if (options_.reset_storage) ctrl.info("reset-storage: replacing the stored tasks and events with the configured tasks");
      auto stored = co_await state_.replace_tasks(tasks_.configured, session, stop);
      if (stored.ok() && !stored.value()) co_return false;  // deposed meanwhile
      if (stored.ok()) {
        definitions_.clear();
        for (const cts::TaskConfig& task : tasks_.configured) definitions_[task.name.value_or_zero()] = task;
        events_.clear();
        co_return true;
      }
      loaded = stored.error();
    }
    if (stop.stop_requested()) co_return false;
    ctrl.warn("error loading the stored tasks and events, retrying", "error", loaded.error().message);
    co_await sleep_for(runtime_, backoff.failed(runtime_.rng()), stop);
  }
  co_return false;
}

Task<void> HaController::persist_events(std::string task, std::string session) {
  auto saved = co_await state_.save_events(task, events_[task], session, {});
  if (!saved.ok()) {
    logger_.named("ctrl").error("error storing task events", "task_name", task, "error", saved.error().message);
  } else if (!saved.value()) {
    logger_.named("ctrl").warn("events not stored: this instance no longer holds the lock", "task_name", task);
  }
}

bool HaController::start_task(const cts::TaskConfig& definition, bool counts_for_once_mode) {
  const std::string name = definition.name.value_or_zero();
  auto built = tasks_.build(definition);
  if (!built.ok()) {
    // Never fatal on a leader: the other tasks run.
    logger_.named("ctrl").error("error building task", "task_name", name, "error", config::hcl::to_string(built.error()));
    return false;
  }
  TaskSpec& spec = built.value();
  Term& term = *term_;
  RunningTask task;
  task.driver = std::make_unique<tf::TaskDriver>(files_, terraform_, logger_, spec.input,
                                                 tf::TerraformTarget{name, spec.working_dir, name, {}});
  tasks::TaskRunnerOptions runner_options;
  runner_options.buffer = spec.buffer;
  runner_options.retry = options_.retry;
  runner_options.user_meta = spec.user_meta;
  runner_options.bugs = options_.bugs;
  const std::string session = term.lease.session_id;
  runner_options.after_event = [this, name, session]() { return persist_events(name, session); };
  if (counts_for_once_mode) {
    ++term.once_pending;
    const std::uint64_t term_number = term.lease.number;
    runner_options.on_once_done = [this, term_number] {
      if (term_ == nullptr || term_->lease.number != term_number || --term_->once_pending != 0) return;
      ++once_mode_done_terms_;
      last_once_mode_term_ = term_number;
      logger_.named("ctrl").info("once-mode done", "term", term_number);
    };
  }
  task.runner = std::make_unique<tasks::TaskRunner>(runtime_, term.watcher, *task.driver, logger_, std::move(runner_options),
                                                    [this] { return election_.leading(); }, events_[name]);
  task.scope = std::make_unique<Scope>(runtime_, term.stop);
  task.scope->spawn(task.runner->run(task.scope->token()));
  term.running.insert_or_assign(name, std::move(task));
  return true;
}

Task<void> HaController::stop_task(Term& term, std::string name) {
  auto found = term.running.find(name);
  if (found == term.running.end()) co_return;
  RunningTask task = std::move(found->second);
  term.running.erase(found);
  task.scope->request_stop();
  co_await task.scope->join();
}

Task<void> HaController::lead(ha::LeaderTerm lease, std::stop_token stop) {
  const Logger ctrl = logger_.named("ctrl");
  const bool loaded = co_await load_state(lease.session_id, stop);
  if (!loaded || stop.stop_requested()) co_return;

  watch::Watcher watcher(runtime_, consul_, logger_, options_.watcher);
  Term term(runtime_, lease, watcher, stop);
  term_ = &term;
  ClearOnExit<Term> clear_term{term_};
  for (const auto& [name, definition] : definitions_) {
    if (definition.enabled.value_or(true)) start_task(definition, true);
  }
  if (term.once_pending == 0) {
    ++once_mode_done_terms_;
    last_once_mode_term_ = term.lease.number;
    ctrl.info("once-mode done", "term", term.lease.number);
  }

  // Reconcile the running tasks with definitions_ until the term ends.
  while (!stop.stop_requested()) {
    term.changed.reset();
    for (auto it = term.pending_deletes.begin(); it != term.pending_deletes.end();) {
      const std::string name = *it;
      auto running = term.running.find(name);
      if (running != term.running.end() && running->second.runner->busy()) {
        ++it;
        continue;  // deletion waits until the task is idle
      }
      it = term.pending_deletes.erase(it);
      co_await stop_task(term, name);
      if (!options_.bugs.skip_storing_task_changes) {
        auto deleted = co_await state_.delete_task(name, term.lease.session_id, stop);
        if (!deleted.ok() || !deleted.value()) {
          ctrl.error("error deleting the stored task", "task_name", name, "error", deleted.ok() ? "not leading" : deleted.error().message);
        }
      }
      definitions_.erase(name);
      events_.erase(name);
      ctrl.info("task deleted", "task_name", name);
    }
    for (const auto& [name, definition] : definitions_) {
      const bool enabled = definition.enabled.value_or(true);
      const bool running = term.running.count(name) != 0;
      if (enabled && !running && !term.pending_deletes.count(name)) start_task(definition, false);
    }
    std::vector<std::string> disabled;
    for (const auto& [name, task] : term.running) {
      const auto definition = definitions_.find(name);
      if (definition == definitions_.end() || !definition->second.enabled.value_or(true)) disabled.push_back(name);
    }
    for (const std::string& name : disabled) co_await stop_task(term, name);
    // A pending delete is checked again as the task's run ends (CTS polls too).
    const MonoTime recheck = term.pending_deletes.empty() ? kNoDeadline : runtime_.now() + Duration(100ms);
    co_await term.changed.wait(stop, recheck);
  }

  term_ = nullptr;
  while (!term.running.empty()) {
    const std::string name = term.running.begin()->first;
    co_await stop_task(term, name);
  }
  watcher.stop();
  co_await watcher.join();
}

Task<InspectResult> HaController::inspect_task(cts::TaskConfig task) {
  InspectResult result;
  if (term_ == nullptr || !election_.leading()) {
    result.status = not_leading();
    co_return result;
  }
  const std::string name = task.name.value_or_zero();
  auto built = tasks_.build(task);
  if (!built.ok()) {
    result.status = TaskOpResult{TaskOpError::invalid, config::hcl::to_string(built.error())};
    co_return result;
  }
  const TaskSpec& spec = built.value();
  const std::stop_token stop = term_->stop;  // the term's end cancels the plan
  watch::Watcher watcher(runtime_, consul_, logger_, options_.watcher);
  tf::TaskDriver driver(files_, terraform_, logger_, spec.input, tf::TerraformTarget{name, spec.working_dir + "-inspect", name, {}});
  tasks::TaskRunnerOptions runner_options;
  runner_options.user_meta = spec.user_meta;
  tasks::TaskEvents no_events;
  tasks::TaskRunner runner(runtime_, watcher, driver, logger_, std::move(runner_options), [] { return false; }, no_events);
  logger_.named("ctrl").info("inspecting task", "task_name", name);
  const tf::InspectPlan plan = co_await runner.inspect(stop);
  watcher.stop();
  co_await watcher.join();
  if (!plan.step.ok()) {
    result.status = TaskOpResult{TaskOpError::storage, plan.step.error};
    co_return result;
  }
  result.changes_present = plan.changes_present;
  result.plan = plan.plan;
  co_return result;
}

TaskOpResult HaController::not_leading() const {
  return TaskOpResult{TaskOpError::not_leader, "this instance is not the leader"};
}

Task<TaskOpResult> HaController::store_definition(cts::TaskConfig definition) {
  if (term_ == nullptr || !election_.leading()) co_return not_leading();
  const std::string session = term_->lease.session_id;
  const std::uint64_t term_number = term_->lease.number;
  if (!options_.bugs.skip_storing_task_changes) {
    auto stored = co_await state_.save_task(definition, session, {});
    if (!stored.ok()) co_return TaskOpResult{TaskOpError::storage, "error storing the task: " + stored.error().message};
    if (!stored.value()) co_return not_leading();
  }
  // The term may have ended while the write was in flight: the next leader will load it.
  if (term_ == nullptr || term_->lease.number != term_number) co_return TaskOpResult{};
  definitions_[definition.name.value_or_zero()] = std::move(definition);
  term_->changed.set();
  co_return TaskOpResult{};
}

Task<TaskOpResult> HaController::create_task(cts::TaskConfig task) {
  if (term_ == nullptr || !election_.leading()) co_return not_leading();
  const std::string name = task.name.value_or_zero();
  if (definitions_.count(name) != 0) {
    co_return TaskOpResult{TaskOpError::exists, fmt::format("task with name {} already exists", name)};
  }
  if (std::optional<config::hcl::Error> invalid = cts::validate_task(task)) {
    co_return TaskOpResult{TaskOpError::invalid, invalid->message};
  }
  auto built = tasks_.build(task);
  if (!built.ok()) co_return TaskOpResult{TaskOpError::invalid, built.error().message};
  co_return co_await store_definition(std::move(task));
}

Task<TaskOpResult> HaController::delete_task(std::string name) {
  if (term_ == nullptr || !election_.leading()) co_return not_leading();
  if (definitions_.count(name) == 0 || term_->pending_deletes.count(name) != 0) {
    if (term_->pending_deletes.count(name) != 0) co_return TaskOpResult{};  // already marked, as CTS answers
    co_return TaskOpResult{TaskOpError::not_found,
                           fmt::format("a task with name '{}' does not exist or has not been initialized yet", name)};
  }
  term_->pending_deletes.insert(name);
  term_->changed.set();
  co_return TaskOpResult{};
}

Task<TaskOpResult> HaController::set_task_enabled(std::string name, bool enabled) {
  if (term_ == nullptr || !election_.leading()) co_return not_leading();
  const auto found = definitions_.find(name);
  if (found == definitions_.end() || term_->pending_deletes.count(name) != 0) {
    co_return TaskOpResult{TaskOpError::not_found, fmt::format("task {} does not exist to run", name)};
  }
  const auto running = term_->running.find(name);
  if (running != term_->running.end() && running->second.runner->busy()) {
    co_return TaskOpResult{TaskOpError::busy, fmt::format("task '{}' is active and cannot be updated at this time", name)};
  }
  cts::TaskConfig updated = found->second;
  updated.enabled.set(enabled);
  co_return co_await store_definition(std::move(updated));
}

}  // namespace baton::controller
