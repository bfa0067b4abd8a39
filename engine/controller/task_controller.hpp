#pragma once
// TaskController: what the REST API (api/controller_backend.hpp) asks of a running instance,
// with or without high availability: the tasks and their events as the instance knows them, and
// the task changes. HaController answers on the leader only; StandaloneController always.
#include <map>
#include <string>

#include "engine/async/task.hpp"
#include "engine/config/cts/task_config.hpp"
#include "engine/controller/task_manager.hpp"
#include "engine/tasks/task_events.hpp"

namespace baton::controller {

class TaskController {
 public:
  virtual ~TaskController() = default;

  virtual const std::map<std::string, config::cts::TaskConfig>& task_definitions() const = 0;
  virtual const std::map<std::string, tasks::TaskEvents>& events() const = 0;

  // TaskManager's operations (task_manager.hpp), with the instance's own refusals first.
  virtual Task<TaskOpResult> create_task(config::cts::TaskConfig task) = 0;
  // The API's ?run=now: created only if its first run, made before answering, succeeds.
  virtual Task<TaskOpResult> create_and_run_task(config::cts::TaskConfig task) = 0;
  virtual Task<TaskOpResult> delete_task(std::string name) = 0;
  virtual Task<TaskOpResult> set_task_enabled(std::string name, bool enabled) = 0;
  virtual Task<InspectResult> inspect_task(config::cts::TaskConfig task) = 0;
};

}  // namespace baton::controller
