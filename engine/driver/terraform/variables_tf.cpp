// variables.tf (templates/tftmpl/variables.go newVariablesTF) and variables.module.tf
// (module_variables.go newModuleVariablesTF).
#include <algorithm>
#include <optional>
#include <string_view>
#include <tuple>
#include <vector>

#include "engine/driver/terraform/files.hpp"
#include "engine/driver/terraform/hcl_body.hpp"
#include "engine/driver/terraform/hcl_format.hpp"
#include "engine/driver/terraform/variable_type.hpp"

namespace baton::driver::terraform {
namespace {

// tftmpl.VariableServices, versioned with the modules written for it.
constexpr std::string_view kServicesVariable = R"(
# Service definition protocol v0
variable "services" {
  description = "Consul services monitored by Consul-Terraform-Sync"
  type = map(
    object({
      id        = string
      name      = string
      kind      = string
      address   = string
      port      = number
      meta      = map(string)
      tags      = list(string)
      namespace = string
      status    = string

      node                  = string
      node_id               = string
      node_address          = string
      node_datacenter       = string
      node_tagged_addresses = map(string)
      node_meta             = map(string)

      cts_user_defined_meta = map(string)
    })
  )
}
)";

constexpr std::string_view kCatalogServicesVariable = R"(
# Catalog Services definition protocol v0
variable "catalog_services" {
  description = "Consul catalog service names and list of all known tags for a given service"
  type        = map(list(string))
}
)";

constexpr std::string_view kConsulKvVariable = R"(
# Consul KV definition protocol v0
variable "consul_kv" {
  description = "Consul KV pair"
  type        = map(string)
}
)";

// The variables of the templates that set one, services excepted (always declared first).
std::string template_variables(const TaskInput& task) {
  std::string out;
  for (const Template& tmpl : task.templates) {
    if (const auto* catalog = std::get_if<CatalogServicesTemplate>(&tmpl); catalog && catalog->render_var) {
      out += kCatalogServicesVariable;
    }
    if (const auto* kv = std::get_if<ConsulKvTemplate>(&tmpl); kv && kv->render_var) out += kConsulKvVariable;
  }
  return out;
}

// The `sensitive` argument exists from Terraform 0.14.0 on.
bool supports_sensitive(const std::optional<TerraformVersion>& version) {
  if (!version) return false;
  return std::tie(version->major, version->minor, version->patch) >= std::make_tuple(0, 14, 0);
}

Value provider_object(const Provider& provider) {
  std::vector<Value::Member> members;
  for (const auto& [name, value] : provider.arguments) members.push_back({name, value});
  return Value::object(std::move(members));
}

void append_provider_variable(Body& root, const Provider& provider, bool sensitive) {
  Body& variable = root.append_block("variable", {provider.name});
  variable.set_attribute_value("default", Value::null());
  variable.set_attribute_value("description", Value::string("Configuration object for " + provider.name));
  if (sensitive) variable.set_attribute_value("sensitive", Value::boolean(true));
  variable.append_tokens(variable_type_line(provider_object(provider)));
}

}  // namespace

std::string render_variables_tf(const TaskInput& task) {
  std::vector<Provider> providers = task.providers;
  std::stable_sort(providers.begin(), providers.end(),
                   [](const Provider& a, const Provider& b) { return a.name < b.name; });
  Body root;
  for (const Provider& provider : providers) {
    root.append_newline();
    append_provider_variable(root, provider, supports_sensitive(task.terraform_version));
  }
  return preamble(task) + std::string(kServicesVariable) + template_variables(task) +
         formatted_relexed(root.build());
}

std::string render_module_variables_tf(const TaskInput& task) {
  Body root;
  root.append_newline();
  std::size_t remaining = task.variables.size();
  for (const auto& [name, value] : task.variables) {
    Body& variable = root.append_block("variable", {name});
    variable.set_attribute_value("default", Value::null());
    variable.append_tokens(variable_type_line(value));
    if (--remaining != 0) root.append_newline();
  }
  return preamble(task) + formatted_relexed(root.build());
}

}  // namespace baton::driver::terraform
