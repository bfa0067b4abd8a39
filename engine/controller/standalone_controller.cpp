#include "engine/controller/standalone_controller.hpp"

#include <utility>

#include "engine/async/scope.hpp"

namespace baton::controller {

namespace cts = config::cts;

namespace {

TaskManagerOptions manager_options(const ControllerOptions& options) {
  TaskManagerOptions manager;
  manager.retry = options.retry;
  manager.watcher = options.watcher;
  manager.bugs = options.bugs;
  manager.retry_once_mode = false;  // tasks_manager.go runNewTask: the first run applies once
  return manager;
}

}  // namespace

StandaloneController::StandaloneController(Runtime& runtime, consul::ConsulClient& consul, FileSystem& files,
                                           driver::terraform::TerraformClient& terraform, Logger logger,
                                           ControllerOptions options, ControllerTasks tasks)
    : runtime_(runtime),
      logger_(logger),
      manager_(runtime, consul, files, terraform, logger, manager_options(options), std::move(tasks.build), tasks.configured) {}

Task<std::string> StandaloneController::run(std::stop_token stop) {
  const Logger ctrl = logger_.named("ctrl");
  failure_.clear();
  once_mode_done_ = false;
  Scope work(runtime_, stop);
  TaskRunHooks hooks;
  Scope* const scope = &work;
  hooks.on_task_once_done = [this, scope, ctrl](const std::string& task, const std::string& error) {
    // A run cancelled by the stop is no failure.
    if (error.empty() || scope->stop_requested() || !failure_.empty()) return;
    failure_ = error;
    ctrl.error("error running task once", "task_name", task, "error", error);
    scope->request_stop();
  };
  hooks.on_once_mode_done = [this, scope, ctrl] {
    if (!failure_.empty() || scope->stop_requested()) return;
    once_mode_done_ = true;
    ctrl.info("all tasks completed once");
  };
  ctrl.info("executing all tasks once through");
  work.spawn(manager_.run(std::move(hooks), work.token()));
  co_await work.join();
  co_return failure_;
}

Task<TaskOpResult> StandaloneController::create_task(cts::TaskConfig task) {
  co_return co_await manager_.create_task(std::move(task));
}

Task<TaskOpResult> StandaloneController::create_and_run_task(cts::TaskConfig task) {
  co_return co_await manager_.create_and_run_task(std::move(task));
}

Task<TaskOpResult> StandaloneController::delete_task(std::string name) {
  co_return co_await manager_.delete_task(std::move(name));
}

Task<TaskOpResult> StandaloneController::set_task_enabled(std::string name, bool enabled) {
  co_return co_await manager_.set_task_enabled(std::move(name), enabled);
}

Task<InspectResult> StandaloneController::inspect_task(cts::TaskConfig task) {
  co_return co_await manager_.inspect_task(std::move(task));
}

}  // namespace baton::controller
