#include "engine/controller/ha_controller.hpp"

#include <utility>

#include "engine/async/scope.hpp"
#include "engine/consul/blocking_query.hpp"

namespace baton::controller {

namespace tf = driver::terraform;
namespace cts = config::cts;
using namespace std::chrono_literals;

namespace {

ha::LeaderElectionOptions with_bugs(ha::LeaderElectionOptions election, const PlantedBugs& bugs) {
  election.bugs = bugs;
  return election;
}

bool is_local_module(const std::string& source) {
  return source.rfind("./", 0) == 0 || source.rfind("../", 0) == 0 || source.rfind('/', 0) == 0;
}

TaskManagerOptions manager_options(const ControllerOptions& options) {
  TaskManagerOptions manager;
  manager.retry = options.retry;
  manager.watcher = options.watcher;
  manager.bugs = options.bugs;
  return manager;  // retry_once_mode stays on: once-mode errors are logged, never fatal, on a leader
}

}  // namespace

HaController::HaController(Runtime& runtime, consul::ConsulClient& consul, FileSystem& files, tf::TerraformClient& terraform,
                           Logger logger, ControllerOptions options, ControllerTasks tasks)
    : runtime_(runtime),
      files_(files),
      logger_(logger),
      options_(std::move(options)),
      tasks_(std::move(tasks)),
      election_(runtime, consul, logger, with_bugs(options_.election, options_.bugs)),
      state_(consul, logger, options_.election.parent_path),
      manager_(runtime, consul, files, terraform, logger, manager_options(options_), tasks_.build, tasks_.configured) {}

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
  for (const auto& [name, definition] : manager_.definitions()) {
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
      manager_.set_definitions(std::move(loaded.value().tasks));
      for (auto& [task, events] : loaded.value().events) manager_.set_events(task, std::move(events));
      co_return true;
    }
    if (loaded.ok()) {
      if (options_.reset_storage) ctrl.info("reset-storage: replacing the stored tasks and events with the configured tasks");
      auto stored = co_await state_.replace_tasks(tasks_.configured, session, stop);
      if (stored.ok() && !stored.value()) co_return false;  // deposed meanwhile
      if (stored.ok()) {
        std::map<std::string, cts::TaskConfig> configured;
        for (const cts::TaskConfig& task : tasks_.configured) configured[task.name.value_or_zero()] = task;
        manager_.set_definitions(std::move(configured));
        manager_.clear_events();
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
  const auto found = manager_.events().find(task);
  if (found == manager_.events().end()) co_return;
  const std::stop_token never;
  auto saved = co_await state_.save_events(task, found->second, session, never);
  if (!saved.ok()) {
    logger_.named("ctrl").error("error storing task events", "task_name", task, "error", saved.error().message);
  } else if (!saved.value()) {
    logger_.named("ctrl").warn("events not stored: this instance no longer holds the lock", "task_name", task);
  }
}

TaskRunHooks HaController::term_hooks(const ha::LeaderTerm& term) {
  const std::string session = term.session_id;
  const std::uint64_t term_number = term.number;
  TaskRunHooks hooks;
  hooks.may_act = [this] { return election_.leading(); };
  hooks.after_event = [this, session](std::string task) { return persist_events(std::move(task), session); };
  hooks.store = [this, session](cts::TaskConfig definition) { return store_definition(std::move(definition), session); };
  hooks.forget = [this, session](std::string task, std::stop_token stop) {
    return forget_task(std::move(task), session, std::move(stop));
  };
  hooks.on_once_mode_done = [this, term_number] {
    ++once_mode_done_terms_;
    last_once_mode_term_ = term_number;
    logger_.named("ctrl").info("once-mode done", "term", term_number);
  };
  return hooks;
}

Task<void> HaController::lead(ha::LeaderTerm lease, std::stop_token stop) {
  const bool loaded = co_await load_state(lease.session_id, stop);
  if (!loaded || stop.stop_requested()) co_return;
  TaskRunHooks hooks = term_hooks(lease);
  co_await manager_.run(std::move(hooks), stop);
}

Task<TaskOpResult> HaController::store_definition(cts::TaskConfig definition, std::string session) {
  if (options_.bugs.skip_storing_task_changes) co_return TaskOpResult{};
  const std::stop_token never;
  auto stored = co_await state_.save_task(definition, session, never);
  if (!stored.ok()) co_return TaskOpResult{TaskOpError::storage, "error storing the task: " + stored.error().message};
  if (!stored.value()) co_return not_leading();
  co_return TaskOpResult{};
}

Task<TaskOpResult> HaController::forget_task(std::string task, std::string session, std::stop_token stop) {
  if (options_.bugs.skip_storing_task_changes) co_return TaskOpResult{};
  auto deleted = co_await state_.delete_task(task, session, stop);
  if (deleted.ok() && deleted.value()) co_return TaskOpResult{};
  logger_.named("ctrl").error("error deleting the stored task", "task_name", task, "error",
                              deleted.ok() ? "not leading" : deleted.error().message);
  if (!deleted.ok()) co_return TaskOpResult{TaskOpError::storage, "error deleting the stored task: " + deleted.error().message};
  co_return not_leading();
}

TaskOpResult HaController::not_leading() const {
  return TaskOpResult{TaskOpError::not_leader, "this instance is not the leader"};
}

Task<TaskOpResult> HaController::create_task(cts::TaskConfig task) {
  if (!manager_.running() || !election_.leading()) co_return not_leading();
  co_return co_await manager_.create_task(std::move(task));
}

Task<TaskOpResult> HaController::create_and_run_task(cts::TaskConfig task) {
  if (!manager_.running() || !election_.leading()) co_return not_leading();
  co_return co_await manager_.create_and_run_task(std::move(task));
}

Task<TaskOpResult> HaController::delete_task(std::string name) {
  if (!manager_.running() || !election_.leading()) co_return not_leading();
  co_return co_await manager_.delete_task(std::move(name));
}

Task<TaskOpResult> HaController::set_task_enabled(std::string name, bool enabled) {
  if (!manager_.running() || !election_.leading()) co_return not_leading();
  co_return co_await manager_.set_task_enabled(std::move(name), enabled);
}

Task<InspectResult> HaController::inspect_task(cts::TaskConfig task) {
  if (!manager_.running() || !election_.leading()) {
    InspectResult refused;
    refused.status = not_leading();
    co_return refused;
  }
  co_return co_await manager_.inspect_task(std::move(task));
}

}  // namespace baton::controller
