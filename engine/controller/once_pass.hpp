#pragma once
// The modes of `baton start` that end: CTS v0.9.0's Once and Inspect controllers
// (controller/once.go, controller/inspect.go). Each goes through the given tasks one after the
// other, in the configuration's order ("run consecutively to keep logs in order"), through the
// TaskManager's run_task_once / plan_task; the first error ends the pass and is returned (empty
// when every task went through). Neither serves the API, registers the instance or elects a
// leader: `-once` "disables high availability", and inspect applies nothing.
//
// The log lines are CTS's:
//   -once:    ctrl: executing all tasks once through
//             ctrl: running task once: task_name=web ... ctrl: task completed: task_name=web
//               (the latter the TaskRunner's, as the run ends)
//             ctrl: all tasks completed once          (or "no tasks configured")
//   -inspect: ctrl: inspecting all tasks
//             ctrl: inspecting task: task_name=web
//             ctrl: inspection results: task_name=web
//               plan=
//               | Terraform will perform the following actions: ...
//             ctrl: inspected task: task_name=web
//             ctrl: all tasks inspected
#include <stop_token>
#include <string>
#include <vector>

#include "engine/config/cts/task_config.hpp"
#include "engine/controller/task_manager.hpp"
#include "engine/log/logger.hpp"

namespace baton::controller {

Task<std::string> run_tasks_once(TaskManager& manager, std::vector<config::cts::TaskConfig> tasks, Logger logger,
                                 std::stop_token stop);

Task<std::string> inspect_tasks(TaskManager& manager, std::vector<config::cts::TaskConfig> tasks, Logger logger,
                                std::stop_token stop);

}  // namespace baton::controller
