#pragma once
// From a CTS configuration to what the engine runs: the controller's options (the
// high_availability block) and one TaskSpec per task, converted as CTS v0.9.0's
// controller/driver_factory.go newDriverTask and driver/task.go configureRootModuleInput do it:
// - the task inherits the global working_dir and buffer_period (InheritParentConfig);
// - templates in CTS's order: the deprecated task.services list (each name looked up among the
//   `service` blocks by id, else taken as a service name), then the condition, then each
//   module_input; a schedule condition makes no template;
// - providers by task.providers id ("aws" or "aws.alias"), each found among the
//   terraform_provider blocks by name and alias (an unknown one becomes an empty block, as in
//   getProvider); required_providers only for the task's providers;
// - the backend from driver "terraform" (finalize already put Consul's default there);
// - a local module ("./x", "../x") joined to the process's working directory;
// - variables: the task's `variables` (JSON texts), then each variable_files file read through
//   the FileSystem port and parsed (module_variables.hpp), later files overwriting.
//
// The configuration must be finalized and validated (config::cts::load_config).
#include <string>
#include <vector>

#include "engine/config/cts/config.hpp"
#include "engine/config/hcl/error.hpp"
#include "engine/controller/ha_controller.hpp"
#include "engine/ports/filesystem.hpp"

namespace baton::controller {

struct EngineConfig {
  // True when the configuration has a high_availability block; the options' election part
  // is only meaningful then.
  bool high_availability = false;
  ControllerOptions options;
  std::vector<TaskSpec> tasks;
};

// `working_directory` is the process's (os.Getwd), for local module paths. Errors name the
// file and position (a variable file's syntax), or the task.
config::hcl::Result<EngineConfig> engine_config(const config::cts::Config& config, FileSystem& files,
                                               const std::string& working_directory);

// One task of `config` (also what the API's task create converts).
config::hcl::Result<TaskSpec> task_spec(const config::cts::Config& config, const config::cts::TaskConfig& task,
                                        FileSystem& files, const std::string& working_directory);

// The controller's tasks: the configuration's, and a builder bound to a copy of `config`. `files`
// must outlive the controller.
ControllerTasks controller_tasks(const config::cts::Config& config, FileSystem& files, const std::string& working_directory);

}  // namespace baton::controller
