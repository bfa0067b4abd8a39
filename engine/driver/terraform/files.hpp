#pragma once
// The files of a task's Terraform working directory, each rendered exactly as CTS v0.9.0 writes
// it (templates/tftmpl: root.go, variables.go, module_variables.go, tfvars.go). Pure functions
// of their inputs: same inputs, same bytes.
#include <string>
#include <string_view>

#include "engine/driver/terraform/task_input.hpp"

namespace baton::driver::terraform {

inline constexpr std::string_view kMainTf = "main.tf";
inline constexpr std::string_view kVariablesTf = "variables.tf";
inline constexpr std::string_view kModuleVariablesTf = "variables.module.tf";
inline constexpr std::string_view kTfvarsTemplate = "terraform.tfvars.tmpl";
inline constexpr std::string_view kTfvars = "terraform.tfvars";
inline constexpr std::string_view kProvidersTfvars = "providers.auto.tfvars";
inline constexpr std::string_view kVariablesTfvars = "variables.auto.tfvars";

// The warning and "# Task: <name>" / "# Description: <description>" lines every file opens with.
std::string preamble(const TaskInput& task);

// terraform block (required_version, required_providers, backend), provider blocks and the
// module block.
std::string render_main_tf(const TaskInput& task);

// The `services` variable, the catalog_services / consul_kv variables the templates set, and one
// object variable per provider.
std::string render_variables_tf(const TaskInput& task);

// One variable per module input variable; CTS writes it only when there are some.
std::string render_module_variables_tf(const TaskInput& task);

// The providers' arguments.
std::string render_providers_tfvars(const TaskInput& task);

// The module input variables' values; CTS writes it only when there are some.
std::string render_variables_tfvars(const TaskInput& task);

// The hcat template terraform.tfvars is rendered from.
std::string render_tfvars_template(const TaskInput& task);

// terraform.tfvars: `services`, and `catalog_services` / `consul_kv` when used as module input.
std::string render_tfvars(const TaskInput& task, const ConsulData& data);

}  // namespace baton::driver::terraform
