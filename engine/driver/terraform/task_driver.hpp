#pragma once
// TaskDriver: one task's Terraform driver, as CTS v0.9.0's driver.Terraform (driver/terraform.go)
// runs it: the root module files in the task's working directory, `terraform init` once per
// (re)initialization, validate, then apply on each change and plan for inspection. The retries
// around apply live in apply_retry.hpp, as CTS keeps them in its tasks manager.
//
// Written once against the ports (FileSystem, TerraformClient, Runtime through the Logger), so
// production and the simulator run this same code. Errors are values in CTS's words:
//   error tf-init for 'web': <terraform-exec's error>
//   error tf-apply for 'web': exit status 1\n\nError: ...
//   error tf-plan for 'web': ...
//
// Deliberate difference from CTS: a file is written only when its bytes change (CTS rewrites
// every root module file on each init), so an unchanged task leaves the directory untouched,
// modification times included.
#include <stop_token>
#include <string>

#include "engine/async/task.hpp"
#include "engine/driver/terraform/task_input.hpp"
#include "engine/driver/terraform/terraform_client.hpp"
#include "engine/log/logger.hpp"
#include "engine/ports/filesystem.hpp"

namespace baton::driver::terraform {

// What rendering terraform.tfvars did.
struct RenderResult {
  bool changed = false;  // the file's bytes differ from what was there (or it was missing)
  std::string error;     // empty on success: "write sync-tasks/web/terraform.tfvars: ..."
  bool ok() const { return error.empty(); }
};

// What inspect mode returns (CTS's driver.InspectPlan).
struct InspectPlan {
  StepResult step;
  bool changes_present = false;
  std::string plan;
};

class TaskDriver {
 public:
  // `target` names the task, its working directory (CTS: <working_dir>/<task>) and workspace.
  TaskDriver(FileSystem& files, TerraformClient& terraform, Logger logger, TaskInput task,
             TerraformTarget target);

  // CTS's InitTask: creates the working directory, writes the root module files that differ
  // (all but terraform.tfvars, which render() owns), runs `terraform init` (and the workspace)
  // and `terraform validate`. Called when the task is created, enabled again or changed.
  Task<StepResult> init_task(std::stop_token stop);

  // Renders terraform.tfvars from `data` and writes it when its bytes differ. `changed` tells
  // the caller whether there is anything to apply (hcat's "complete and not NoChange").
  RenderResult render(const ConsulData& data);

  // One `terraform apply`, after `terraform init` if the workspace was not initialized since
  // the last init_task (or the last init failed).
  Task<StepResult> apply(std::stop_token stop);

  // `terraform plan` for inspect mode, after init as apply does.
  Task<InspectPlan> inspect(std::stop_token stop);

  const TaskInput& task() const { return task_; }
  const TerraformTarget& target() const { return target_; }
  // Replaces the task's configuration; the next init_task writes and initializes it.
  void update_task(TaskInput task);

 private:
  std::string path_of(std::string_view file_name) const;
  StepResult write_root_module();
  RenderResult write_if_changed(std::string_view file_name, const std::string& content);
  Task<StepResult> ensure_initialized(std::stop_token stop);

  FileSystem& files_;
  TerraformClient& terraform_;
  Logger logger_;
  TaskInput task_;
  TerraformTarget target_;
  bool initialized_ = false;  // CTS's tf.inited
};

// CTS's wording of a failed step: "error tf-apply for 'web': " + the step's error.
StepResult wrap_step_error(StepResult result, std::string_view step_name, std::string_view task);

}  // namespace baton::driver::terraform
