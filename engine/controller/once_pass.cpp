#include "engine/controller/once_pass.hpp"

#include <utility>

namespace baton::controller {

Task<std::string> run_tasks_once(TaskManager& manager, std::vector<config::cts::TaskConfig> tasks, Logger logger,
                                 std::stop_token stop) {
  const Logger ctrl = logger.named("ctrl");
  if (tasks.empty()) {
    ctrl.info("no tasks configured");
    co_return std::string();
  }
  ctrl.info("executing all tasks once through");
  for (config::cts::TaskConfig& task : tasks) {
    if (stop.stop_requested()) co_return std::string("context canceled");
    const std::string name = task.name.value_or_zero();
    ctrl.info("running task once", "task_name", name);
    // The task's runner logs CTS's "task completed" as the run ends.
    const std::string error = co_await manager.run_task_once(std::move(task), stop);
    if (!error.empty()) co_return error;
  }
  ctrl.info("all tasks completed once");
  co_return std::string();
}

Task<std::string> inspect_tasks(TaskManager& manager, std::vector<config::cts::TaskConfig> tasks, Logger logger,
                                std::stop_token stop) {
  const Logger ctrl = logger.named("ctrl");
  ctrl.info("inspecting all tasks");
  for (config::cts::TaskConfig& task : tasks) {
    if (stop.stop_requested()) co_return std::string("context canceled");
    const std::string name = task.name.value_or_zero();
    ctrl.info("inspecting task", "task_name", name);
    const InspectResult inspected = co_await manager.plan_task(std::move(task), stop);
    if (!inspected.status.ok()) co_return inspected.status.message;
    ctrl.info("inspection results", "task_name", name, "plan", LogLines{inspected.plan});
    ctrl.info("inspected task", "task_name", name);
  }
  ctrl.info("all tasks inspected");
  co_return std::string();
}

}  // namespace baton::controller
