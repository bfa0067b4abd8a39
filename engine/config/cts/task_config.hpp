#pragma once
// The `task` block and what it holds (CTS v0.9.0 config/task.go, condition*.go, monitor_*.go,
// module_input*.go, terraform_cloud_workspace.go). Conditions and module inputs are Go
// interfaces in CTS; here they are variants over the same implementations.
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "engine/config/cts/buffer_period_config.hpp"
#include "engine/config/cts/opt.hpp"
#include "engine/config/cts/where.hpp"

namespace baton::config::cts {

using StringMap = std::map<std::string, std::string>;
using StringList = std::vector<std::string>;

// monitor_services.go ServicesMonitorConfig: which services to watch (regexp XOR names).
// `regexp` stays unset after finalize: unset and "" differ (every name matches "").
struct ServicesMonitorConfig {
  Opt<std::string> regexp;
  Opt<StringList> names;
  Opt<std::string> datacenter;
  Opt<std::string> namespace_name;  // key `namespace`
  Opt<std::string> filter;
  Opt<StringMap> cts_user_defined_meta;
  friend bool operator==(const ServicesMonitorConfig&, const ServicesMonitorConfig&) = default;
};

// monitor_consul_kv.go ConsulKVMonitorConfig.
struct ConsulKvMonitorConfig {
  Opt<std::string> path;
  Opt<bool> recurse;
  Opt<std::string> datacenter;
  Opt<std::string> namespace_name;
  friend bool operator==(const ConsulKvMonitorConfig&, const ConsulKvMonitorConfig&) = default;
};

// condition "services" (condition_services.go).
struct ServicesCondition {
  ServicesMonitorConfig monitor;
  Opt<bool> use_as_module_input;
  Opt<bool> source_includes_var;  // deprecated name of use_as_module_input
  friend bool operator==(const ServicesCondition&, const ServicesCondition&) = default;
};

// condition "catalog-services" (monitor_catalog_services.go, condition_catalog_services.go).
struct CatalogServicesCondition {
  Opt<std::string> regexp;  // required; unset after finalize when absent
  Opt<std::string> datacenter;
  Opt<std::string> namespace_name;
  Opt<StringMap> node_meta;
  Opt<bool> use_as_module_input;
  Opt<bool> source_includes_var;
  friend bool operator==(const CatalogServicesCondition&, const CatalogServicesCondition&) = default;
};

// condition "consul-kv" (condition_consul_kv.go).
struct ConsulKvCondition {
  ConsulKvMonitorConfig monitor;
  Opt<bool> use_as_module_input;
  Opt<bool> source_includes_var;
  friend bool operator==(const ConsulKvCondition&, const ConsulKvCondition&) = default;
};

// condition "schedule" (condition_schedule.go).
struct ScheduleCondition {
  Opt<std::string> cron;
  friend bool operator==(const ScheduleCondition&, const ScheduleCondition&) = default;
};

// condition "no-condition" (condition_no.go): CTS's placeholder for "no condition block",
// which its decoder also accepts when written out.
struct NoCondition {
  friend bool operator==(const NoCondition&, const NoCondition&) = default;
};

using Condition = std::variant<ServicesCondition, CatalogServicesCondition, ConsulKvCondition, ScheduleCondition, NoCondition>;

// The label a condition is written with: "services", "catalog-services", ...
const char* condition_type(const Condition& condition);
// The module variable it feeds (monitor.go VariableType): "services", "catalog_services",
// "consul_kv", or "" (schedule and no-condition feed none).
const char* variable_type(const Condition& condition);

// module_input "services" / "consul-kv" (module_input_services.go, module_input_consul_kv.go).
struct ServicesModuleInput {
  ServicesMonitorConfig monitor;
  friend bool operator==(const ServicesModuleInput&, const ServicesModuleInput&) = default;
};
struct ConsulKvModuleInput {
  ConsulKvMonitorConfig monitor;
  friend bool operator==(const ConsulKvModuleInput&, const ConsulKvModuleInput&) = default;
};

struct ModuleInputConfig {
  std::variant<ServicesModuleInput, ConsulKvModuleInput> input;
  Where where;
  friend bool operator==(const ModuleInputConfig&, const ModuleInputConfig&) = default;
};

const char* module_input_type(const ModuleInputConfig& input);  // "services", "consul-kv"
const char* variable_type(const ModuleInputConfig& input);      // "services", "consul_kv"

// terraform_cloud_workspace (Enterprise; refused by validation when not empty).
struct TerraformCloudWorkspaceConfig {
  Opt<std::string> execution_mode;
  Opt<std::string> agent_pool_id;
  Opt<std::string> agent_pool_name;
  Opt<std::string> terraform_version;
  friend bool operator==(const TerraformCloudWorkspaceConfig&, const TerraformCloudWorkspaceConfig&) = default;
};

// task.go TaskConfig.
struct TaskConfig {
  Where where;  // the task block
  Opt<std::string> description;
  Opt<std::string> name;
  Opt<StringList> providers;
  Opt<StringList> services;  // deprecated since 0.5: condition/module_input "services"
  Opt<std::string> module;
  Opt<std::string> source;  // deprecated since 0.5: module
  Opt<std::vector<ModuleInputConfig>> module_inputs;  // key `module_input`
  Opt<std::vector<ModuleInputConfig>> source_inputs;  // key `source_input`, deprecated
  Opt<StringList> variable_files;
  Opt<StringMap> variables;  // CTS fills it from variable_files; the key is accepted too
  Opt<std::string> version;
  Opt<std::string> terraform_version;  // deprecated, Enterprise only: refused when set
  Opt<TerraformCloudWorkspaceConfig> terraform_cloud_workspace;
  Opt<BufferPeriodConfig> buffer_period;
  Opt<bool> enabled;
  Opt<Condition> condition;
  Opt<std::string> working_dir;
  friend bool operator==(const TaskConfig&, const TaskConfig&) = default;
};

}  // namespace baton::config::cts
