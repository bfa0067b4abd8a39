#pragma once
// Everything CTS v0.9.0 derives a task's Terraform working directory from
// (templates/tftmpl RootModuleInputData), as plain values, and the Consul data the
// terraform.tfvars file is rendered from.
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/driver/terraform/service_instance.hpp"
#include "engine/driver/terraform/value.hpp"

namespace baton::driver::terraform {

// CTS v0.9.0's version.CompatibleTerraformVersionConstraint, pinned in main.tf.
inline constexpr const char* kCompatibleTerraformVersion = ">= 0.13.0, <= 1.14.3";

// One `service "<name>" ...` query of a services template.
struct ServiceQuery {
  std::string name;
  std::string datacenter;
  std::string namespace_name;
  std::string filter;
};

// condition / module_input "services" with `names`, or the deprecated task.services list.
// Instances are rendered by name, names in sorted order.
struct ServicesTemplate {
  std::vector<ServiceQuery> services;
  bool render_var = true;  // use_as_module_input (always true for module_input and task.services)
};

// condition / module_input "services" with `regexp`.
struct ServicesRegexTemplate {
  std::string regexp;
  std::string datacenter;
  std::string namespace_name;
  std::string filter;
  bool render_var = true;
};

// condition "catalog-services".
struct CatalogServicesTemplate {
  std::string regexp;
  std::string datacenter;
  std::string namespace_name;
  std::map<std::string, std::string> node_meta;
  bool render_var = true;
};

// condition / module_input "consul-kv".
struct ConsulKvTemplate {
  std::string path;
  bool recurse = false;
  std::string datacenter;
  std::string namespace_name;
  bool render_var = true;
};

using Template = std::variant<ServicesTemplate, ServicesRegexTemplate, CatalogServicesTemplate, ConsulKvTemplate>;

// A provider block of the task: terraform_provider "<name>" { arguments }.
struct Provider {
  std::string name;
  std::map<std::string, Value> arguments;  // alias and auto_commit included (see main.tf)
};

// driver "terraform" { backend "<type>" { arguments } }.
struct Backend {
  std::string type;
  std::map<std::string, Value> arguments;
};

struct TerraformVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
};

struct TaskInput {
  std::string name;
  std::string description;
  std::string module_source;   // as CTS writes it (CTS makes ./ and ../ paths absolute first)
  std::string module_version;  // empty: no `version` argument
  std::string required_version = kCompatibleTerraformVersion;
  // The Terraform binary's version; `sensitive = true` on provider variables needs 0.14.0.
  std::optional<TerraformVersion> terraform_version;
  std::optional<Backend> backend;  // none: no backend block
  std::map<std::string, Value> required_providers;  // driver.required_providers: name -> {source, version}
  std::vector<Provider> providers;
  std::map<std::string, Value> variables;  // the task's module input variables
  // In CTS's order: task.services (deprecated), the condition, then each module_input.
  std::vector<Template> templates;
  // condition "schedule" { cron }: the cronexpr text, as configured (validated by the config).
  // The task then runs on this schedule, in UTC of the node's wall clock, and its templates'
  // changes only mark it as having something to apply (tasks/task_runner.hpp). Unset for every
  // other condition.
  std::optional<std::string> schedule_cron;
};

// What the task's templates fetched from Consul, each already narrowed by its query (name or
// regexp, datacenter, namespace, filter, node-meta). The renderer applies what hcat applies on
// top: the passing-only health filter, the ordering and the fallbacks.
struct ConsulData {
  std::vector<ServiceInstance> services;
  std::map<std::string, std::vector<std::string>> catalog_services;  // service name -> tags
  // Full key path -> value. A template shows the pair at its path, or with recurse every pair
  // whose key starts with its path.
  std::map<std::string, std::string> consul_kv;
};

}  // namespace baton::driver::terraform
