#include "engine/driver/terraform/working_dir.hpp"

#include "engine/driver/terraform/files.hpp"

namespace baton::driver::terraform {

std::vector<PlannedFile> plan_working_dir(const TaskInput& task, const ConsulData& data) {
  std::vector<PlannedFile> plan;
  const auto add = [&plan](std::string_view name, std::string content) {
    plan.push_back({std::string(name), std::move(content)});
  };
  add(kMainTf, render_main_tf(task));
  add(kVariablesTf, render_variables_tf(task));
  if (!task.variables.empty()) add(kModuleVariablesTf, render_module_variables_tf(task));
  add(kTfvarsTemplate, render_tfvars_template(task));
  add(kProvidersTfvars, render_providers_tfvars(task));
  if (!task.variables.empty()) add(kVariablesTfvars, render_variables_tfvars(task));
  add(kTfvars, render_tfvars(task, data));
  return plan;
}

std::vector<PlannedFile> files_to_write(const std::vector<PlannedFile>& plan,
                                        const std::map<std::string, std::string>& on_disk) {
  std::vector<PlannedFile> changed;
  for (const PlannedFile& file : plan) {
    const auto current = on_disk.find(file.name);
    if (current == on_disk.end() || current->second != file.content) changed.push_back(file);
  }
  return changed;
}

}  // namespace baton::driver::terraform
