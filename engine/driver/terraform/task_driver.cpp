#include "engine/driver/terraform/task_driver.hpp"

#include <fmt/format.h>

#include <utility>

#include "engine/driver/terraform/files.hpp"
#include "engine/driver/terraform/working_dir.hpp"

namespace baton::driver::terraform {

StepResult wrap_step_error(StepResult result, std::string_view step_name, std::string_view task) {
  if (!result.ok()) result.error = fmt::format("error {} for '{}': {}", step_name, task, result.error);
  return result;
}

TaskDriver::TaskDriver(FileSystem& files, TerraformClient& terraform, Logger logger, TaskInput task,
                       TerraformTarget target)
    : files_(files),
      terraform_(terraform),
      logger_(logger.named("terraform")),
      task_(std::move(task)),
      target_(std::move(target)) {}

void TaskDriver::update_task(TaskInput task) {
  task_ = std::move(task);
  initialized_ = false;
}

std::string TaskDriver::path_of(std::string_view file_name) const {
  if (target_.working_dir.empty()) return std::string(file_name);
  if (target_.working_dir.back() == '/') return target_.working_dir + std::string(file_name);
  return target_.working_dir + "/" + std::string(file_name);
}

RenderResult TaskDriver::write_if_changed(std::string_view file_name, const std::string& content) {
  const std::string path = path_of(file_name);
  FileRead current = files_.read_file(path);
  if (current.error) return {false, current.error->message};
  if (current.content && *current.content == content) return {false, {}};
  if (current.content) {
    logger_.info("overwriting file in root module for task", "file_name", file_name, "task_name", task_.name);
  }
  const FileStatus written = files_.write_file(path, content);
  if (!written.ok()) return {false, written.error->message};
  return {true, {}};
}

// Every root module file but terraform.tfvars, whose content depends on Consul's data and is
// render()'s alone: so the data passed to plan_working_dir here does not matter.
StepResult TaskDriver::write_root_module() {
  const FileStatus made = files_.make_directories(target_.working_dir);
  if (!made.ok()) {
    logger_.error("error creating task work directory", "error", made.error->message);
    return {StepEnd::failed, made.error->message, {}};
  }
  for (const PlannedFile& file : plan_working_dir(task_, ConsulData{})) {
    if (file.name == kTfvars) continue;
    const RenderResult written = write_if_changed(file.name, file.content);
    if (!written.ok()) {
      logger_.error("error, unable to create file in root module", "error", written.error);
      return {StepEnd::failed, written.error, {}};
    }
  }
  return {StepEnd::succeeded, {}, {}};
}

Task<StepResult> TaskDriver::init_task(std::stop_token stop) {
  StepResult written = write_root_module();
  if (!written.ok()) co_return written;
  // A new or changed root module needs `terraform init` again (CTS resets tf.inited here).
  initialized_ = false;
  StepResult initialized = co_await ensure_initialized(stop);
  if (!initialized.ok()) {
    logger_.error("error initializing workspace for task", "task_name", task_.name);
    co_return initialized;
  }
  StepResult validated = co_await terraform_.validate(target_, stop);
  if (!validated.warnings.empty()) {
    logger_.warn("Terraform validate returned warnings", "warnings", validated.warnings);
  }
  co_return validated;
}

RenderResult TaskDriver::render(const ConsulData& data) {
  RenderResult result = write_if_changed(kTfvars, render_tfvars(task_, data));
  if (!result.ok()) {
    logger_.error("rendering template for task", "task_name", task_.name, "error", result.error);
  } else if (result.changed) {
    logger_.debug("change detected for task", "task_name", task_.name);
  }
  return result;
}

Task<StepResult> TaskDriver::ensure_initialized(std::stop_token stop) {
  if (initialized_) {
    logger_.trace("workspace for task already initialized, skipping for task", "task_name", task_.name);
    co_return StepResult{StepEnd::succeeded, {}, {}};
  }
  logger_.trace("initializing workspace", "task_name", task_.name);
  StepResult result = co_await terraform_.init(target_, stop);
  if (!result.ok()) co_return wrap_step_error(std::move(result), "tf-init", task_.name);
  initialized_ = true;
  co_return result;
}

Task<StepResult> TaskDriver::apply(std::stop_token stop) {
  StepResult initialized = co_await ensure_initialized(stop);
  if (!initialized.ok()) {
    logger_.error("error initializing workspace, skipping apply for task", "task_name", task_.name);
    co_return initialized;
  }
  // `terraform init` takes its time: a stop that came meanwhile (the lease ran out, found by
  // sim swarm seed 3757) starts no apply at all.
  if (stop.stop_requested()) co_return StepResult{StepEnd::cancelled, "context canceled", {}};
  logger_.trace("apply", "task_name", task_.name);
  StepResult applied = co_await terraform_.apply(target_, stop);
  co_return wrap_step_error(std::move(applied), "tf-apply", task_.name);
}

Task<InspectPlan> TaskDriver::inspect(std::stop_token stop) {
  StepResult initialized = co_await ensure_initialized(stop);
  if (!initialized.ok()) {
    logger_.error("error initializing workspace, skipping plan for task", "task_name", task_.name);
    co_return InspectPlan{std::move(initialized), false, {}};
  }
  logger_.trace("plan", "task_name", task_.name);
  PlanResult planned = co_await terraform_.plan(target_, stop);
  InspectPlan inspected;
  inspected.step = wrap_step_error(std::move(planned.step), "tf-plan", task_.name);
  if (inspected.step.ok()) {
    inspected.changes_present = planned.changes_present;
    inspected.plan = std::move(planned.plan);
  }
  co_return inspected;
}

}  // namespace baton::driver::terraform
