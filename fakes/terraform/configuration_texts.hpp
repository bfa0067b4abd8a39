#pragma once
// What Terraform prints about a task's configuration, in the fake's terms: the plan, and the
// two configuration errors a working directory CTS wrote can show (a services variable never
// declared, or never given a value).
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "fakes/terraform/diagnostics.hpp"
#include "fakes/terraform/infrastructure.hpp"
#include "fakes/terraform/working_dir_inputs.hpp"

namespace baton::fakes::terraform {

// The target `services` keys of the working directory: terraform.tfvars's, none without it.
std::set<std::string> target_services(const WorkingDirInputs& inputs);

// "No value for required variable" when variables.tf declares `services` and no terraform.tfvars
// gives it (Terraform 1.11's text, with the declaration as its snippet); nullopt otherwise.
std::optional<Diagnostic> missing_services_value(const WorkingDirInputs& inputs);

// `terraform validate` of a main.tf that uses var.services with no variables.tf, reworded as
// CTS does: "\nerror: Reference to undeclared input variable\n\non main.tf line N, in module
// \"<task>\":\nN:  services = var.services\n\nAn input variable with the name ...\n".
std::string undeclared_services_text(std::string_view main_tf, std::string_view task);

// The plan's stdout: Terraform's "No changes." text, or one line per service instance to add
// or destroy (addressed as module.<task>.service["<key>"]; the fake has no real resources), one
// update when only other inputs changed, and the "Plan: N to add, ..." summary.
std::string plan_text(const TaskInfrastructure* current, const WorkingDirInputs& inputs, std::string_view task,
                      bool changes_present);

}  // namespace baton::fakes::terraform
