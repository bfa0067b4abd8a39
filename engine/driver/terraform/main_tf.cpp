// main.tf (templates/tftmpl/root.go newMainTF).
#include <algorithm>
#include <vector>

#include "engine/driver/terraform/files.hpp"
#include "engine/driver/terraform/hcl_body.hpp"
#include "engine/driver/terraform/hcl_format.hpp"

namespace baton::driver::terraform {
namespace {

void append_terraform_block(Body& root, const TaskInput& task) {
  Body& terraform = root.append_block("terraform");
  terraform.set_attribute_value("required_version", Value::string(task.required_version));
  if (!task.required_providers.empty()) {
    Body& required = terraform.append_block("required_providers");
    for (const auto& [name, info] : task.required_providers) required.set_attribute_value(name, info);
  }
  if (!task.backend || task.backend->type.empty()) return;
  Body& backend = terraform.append_block("backend", {task.backend->type});
  for (const auto& [name, value] : task.backend->arguments) backend.set_attribute_value(name, value);
}

std::vector<Provider> sorted_providers(const TaskInput& task) {
  std::vector<Provider> providers = task.providers;
  std::stable_sort(providers.begin(), providers.end(),
                   [](const Provider& a, const Provider& b) { return a.name < b.name; });
  return providers;
}

// Arguments become references to the provider's variable; object arguments become nested
// blocks of references. `alias` (each provider instance runs as its own task) and the internal
// `auto_commit` are dropped.
void append_provider_block(Body& root, const Provider& provider) {
  Body& block = root.append_block("provider", {provider.name});
  for (const auto& [name, value] : provider.arguments) {
    if (name == "alias" || name == "auto_commit") continue;
    if (value.kind() != Value::Kind::object) {
      block.set_attribute_traversal(name, {"var", provider.name, name});
      continue;
    }
    Body& nested = block.append_block(name);
    for (const Value::Member& member : value.members()) {
      nested.set_attribute_traversal(member.key, {"var", provider.name, name, member.key});
    }
  }
}

void append_provider_blocks(Body& root, const TaskInput& task) {
  const std::vector<Provider> providers = sorted_providers(task);
  for (std::size_t i = 0; i < providers.size(); ++i) {
    append_provider_block(root, providers[i]);
    if (i + 1 != providers.size()) root.append_newline();
  }
}

void append_module_block(Body& root, const TaskInput& task) {
  if (!task.description.empty()) root.append_comment("# " + task.description);
  Body& module = root.append_block("module", {task.name});
  module.set_attribute_value("source", Value::string(task.module_source));
  if (!task.module_version.empty()) module.set_attribute_value("version", Value::string(task.module_version));
  module.set_attribute_traversal("services", {"var", "services"});
  for (const Template& tmpl : task.templates) {
    if (const auto* catalog = std::get_if<CatalogServicesTemplate>(&tmpl); catalog && catalog->render_var) {
      module.set_attribute_traversal("catalog_services", {"var", "catalog_services"});
    }
    if (const auto* kv = std::get_if<ConsulKvTemplate>(&tmpl); kv && kv->render_var) {
      module.set_attribute_traversal("consul_kv", {"var", "consul_kv"});
    }
  }
  if (!task.variables.empty()) module.append_newline();
  for (const auto& entry : task.variables) module.set_attribute_traversal(entry.first, {"var", entry.first});
}

}  // namespace

std::string render_main_tf(const TaskInput& task) {
  Body root;
  root.append_newline();
  append_terraform_block(root, task);
  root.append_newline();
  append_provider_blocks(root, task);
  root.append_newline();
  append_module_block(root, task);
  return preamble(task) + formatted_relexed(root.build());
}

}  // namespace baton::driver::terraform
