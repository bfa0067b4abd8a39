#pragma once
// StandaloneController: a baton instance without high availability, as CTS v0.9.0's Daemon
// controller runs (controller/daemon.go): every task runs once first (once-mode), then each
// monitors its dependencies; the API's task changes are kept in memory only, as CTS keeps them
// (state.NewInMemoryStore). It runs the same TaskManager as the HA leader, for the process's
// whole life, without election, persistence or fencing.
//
// "First error exits, except in HA": CTS's daemon leaves with the first error of once-mode
// (Once.onceConsecutive returns it, Daemon.Run returns it, command/start.go exits 11). Here
// run() ends with that error as soon as a configured task's first run fails (the other tasks'
// runs in flight are cancelled). A deliberate difference from CTS: the first runs go in parallel
// (as on an HA leader), not one after the other, so tasks other than the failed one may have
// applied already. As in CTS, a first run applies once, without retries (runNewTask), and tasks
// created through the API later never end the process.
#include <map>
#include <stop_token>
#include <string>

#include "engine/consul/client.hpp"
#include "engine/controller/ha_controller.hpp"  // ControllerOptions
#include "engine/controller/task_controller.hpp"
#include "engine/controller/task_manager.hpp"
#include "engine/driver/terraform/terraform_client.hpp"
#include "engine/log/logger.hpp"
#include "engine/ports/filesystem.hpp"

namespace baton::controller {

class StandaloneController final : public TaskController {
 public:
  // `options.election` and `compatibility_check_interval` are not used.
  StandaloneController(Runtime& runtime, consul::ConsulClient& consul, FileSystem& files,
                       driver::terraform::TerraformClient& terraform, Logger logger, ControllerOptions options,
                       ControllerTasks tasks);
  StandaloneController(const StandaloneController&) = delete;
  StandaloneController& operator=(const StandaloneController&) = delete;

  // Runs every enabled task once, then monitors, until `stop`: the empty string. Ends earlier
  // with the error of the first configured task whose first run fails, once every task stopped.
  Task<std::string> run(std::stop_token stop);

  // True once every configured task finished its first run without error.
  bool once_mode_done() const { return once_mode_done_; }

  const std::map<std::string, config::cts::TaskConfig>& task_definitions() const override { return manager_.definitions(); }
  const std::map<std::string, tasks::TaskEvents>& events() const override { return manager_.events(); }
  Task<TaskOpResult> create_task(config::cts::TaskConfig task) override;
  Task<TaskOpResult> create_and_run_task(config::cts::TaskConfig task) override;
  Task<TaskOpResult> delete_task(std::string name) override;
  Task<TaskOpResult> set_task_enabled(std::string name, bool enabled) override;
  Task<InspectResult> inspect_task(config::cts::TaskConfig task) override;

 private:
  Runtime& runtime_;
  Logger logger_;
  TaskManager manager_;
  std::string failure_;  // the first once-mode error of this run
  bool once_mode_done_ = false;
};

}  // namespace baton::controller
