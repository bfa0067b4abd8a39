#pragma once
// A task's working directory as a plan: the files CTS v0.9.0 writes there and their bytes. No
// I/O here: the caller reads what is on disk, asks which files differ, and writes those only.
#include <map>
#include <string>
#include <vector>

#include "engine/driver/terraform/task_input.hpp"

namespace baton::driver::terraform {

struct PlannedFile {
  std::string name;  // relative to the task's working directory
  std::string content;
  friend bool operator==(const PlannedFile&, const PlannedFile&) = default;
};

// main.tf, variables.tf, variables.module.tf (with variables), terraform.tfvars.tmpl,
// providers.auto.tfvars, variables.auto.tfvars (with variables), then terraform.tfvars, in that
// order. CTS writes the first six when the task is created or updated, terraform.tfvars on
// each Consul change; render_tfvars alone serves the latter.
std::vector<PlannedFile> plan_working_dir(const TaskInput& task, const ConsulData& data);

// The planned files whose current content (name -> bytes; absent when the file does not exist)
// differs, in plan order. Files on disk that the plan does not mention are left alone, as CTS
// leaves them.
std::vector<PlannedFile> files_to_write(const std::vector<PlannedFile>& plan,
                                        const std::map<std::string, std::string>& on_disk);

}  // namespace baton::driver::terraform
