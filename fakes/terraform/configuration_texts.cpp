#include "fakes/terraform/configuration_texts.hpp"

#include <fmt/format.h>

namespace baton::fakes::terraform {

namespace {

constexpr std::string_view kNoChanges =
    "\nNo changes. Your infrastructure matches the configuration.\n\n"
    "Terraform has compared your real infrastructure against your configuration\n"
    "and found no differences, so no changes are needed.\n";

// The 1-based number and text of the first line containing `needle`; 0 when none does.
std::pair<int, std::string_view> find_line(std::string_view text, std::string_view needle) {
  int number = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    const std::string_view line = text.substr(begin, end - begin);
    if (line.find(needle) != std::string_view::npos) return {number, line};
    begin = end + 1;
  }
  return {0, {}};
}

}  // namespace

std::set<std::string> target_services(const WorkingDirInputs& inputs) {
  const std::string* tfvars = inputs.file("terraform.tfvars");
  return tfvars == nullptr ? std::set<std::string>() : service_keys_in_tfvars(*tfvars);
}

std::optional<Diagnostic> missing_services_value(const WorkingDirInputs& inputs) {
  if (inputs.has("terraform.tfvars")) return std::nullopt;
  const std::string* variables_tf = inputs.file("variables.tf");
  if (variables_tf == nullptr) return std::nullopt;
  const int line = variable_declaration_line(*variables_tf, "services");
  if (line == 0) return std::nullopt;
  return Diagnostic{
      .summary = "No value for required variable",
      .detail = "The root module input variable \"services\" is not set, and has no default value. Use a -var or "
                "-var-file command line argument to provide a value for this variable.",
      .snippet = fmt::format("  on variables.tf line {}:\n{:4d}: variable \"services\" {{\n\n", line, line)};
}

std::string undeclared_services_text(std::string_view main_tf, std::string_view task) {
  std::string text = "\nerror: Reference to undeclared input variable\n";
  const auto [line, code] = find_line(main_tf, "var.services");
  if (line != 0) text += fmt::format("\non main.tf line {}, in module \"{}\"\n{}:{}\n\n", line, task, line, code);
  text +=
      "An input variable with the name \"services\" has not been declared. This variable can be declared with a "
      "variable \"services\" {} block.\n";
  return text;
}

std::string plan_text(const TaskInfrastructure* current, const WorkingDirInputs& inputs, std::string_view task,
                      bool changes_present) {
  if (!changes_present) return std::string(kNoChanges);
  const std::set<std::string> now = current == nullptr ? std::set<std::string>() : current->services;
  const std::vector<ServiceChange> changes = changes_between(now, target_services(inputs));
  std::string text = "\nTerraform will perform the following actions:\n\n";
  int added = 0;
  int destroyed = 0;
  for (const ServiceChange& change : changes) {
    text += fmt::format("  # module.{}.service[\"{}\"] will be {}\n", task, change.key, change.add ? "created" : "destroyed");
    (change.add ? added : destroyed) += 1;
  }
  const int updated = changes.empty() ? 1 : 0;  // same instances, other inputs: an update in place
  if (updated != 0) text += fmt::format("  # module.{} will be updated in-place\n", task);
  text += fmt::format("\nPlan: {} to add, {} to change, {} to destroy.\n", added, updated, destroyed);
  return text;
}

}  // namespace baton::fakes::terraform
