// TaskConfig.Validate and what it calls: conditions (monitor_*.go, condition_*.go) and
// ModuleInputConfigs.Validate (module_input.go).
#include <set>
#include <string>

#include "engine/config/cts/cron_expression.hpp"
#include "engine/config/cts/go_regexp_syntax.hpp"
#include "engine/config/cts/go_text.hpp"
#include "engine/config/cts/validate.hpp"
#include "engine/driver/terraform/unicode.hpp"

namespace baton::config::cts {
namespace {

using hcl::Error;

// The most precise position available: the value's, else its block's.
hcl::Position at(const hcl::Position& value, const hcl::Position& block) { return value.line > 0 ? value : block; }

std::optional<Error> fail(const hcl::Position& position, std::string message) {
  return Error::at(position, std::move(message));
}

std::optional<std::string> services_monitor_error(const ServicesMonitorConfig& c, hcl::Position& where) {
  const bool names_configured = c.names && !c.names->empty();
  const bool regexp_configured = c.regexp.has_value();
  if (names_configured && regexp_configured) {
    where = at(c.regexp.position(), where);
    return "regexp and names fields cannot both be unconfigured. If both are needed, consider including the list "
           "of names as part of the regex or creating separate tasks";
  }
  if (!names_configured && !regexp_configured) return "either the regexp or names field must be configured";
  if (regexp_configured) {
    if (auto error = go_regexp_syntax_error(*c.regexp)) {
      where = at(c.regexp.position(), where);
      return "unable to compile services regexp: " + *error;
    }
  }
  if (names_configured) {
    for (const std::string& name : *c.names) {
      if (name.empty()) {
        where = at(c.names.position(), where);
        return "names field includes empty string(s). services names cannot be empty";
      }
    }
  }
  return std::nullopt;
}

struct ValidateCondition {
  hcl::Position block;

  std::optional<Error> operator()(const ServicesCondition& c) const {
    hcl::Position where = block;
    if (auto error = services_monitor_error(c.monitor, where)) {
      return fail(where, "error validating `condition \"services\"` block: " + *error);
    }
    return std::nullopt;
  }
  std::optional<Error> operator()(const CatalogServicesCondition& c) const {
    if (!c.regexp) return fail(block, "catalog-services 'regexp' field must be set");
    if (auto error = go_regexp_syntax_error(*c.regexp)) {
      return fail(at(c.regexp.position(), block), "unable to compile catalog-services 'regexp': " + *error);
    }
    return std::nullopt;
  }
  std::optional<Error> operator()(const ConsulKvCondition& c) const {
    if (c.monitor.path.value_or_zero().empty()) {
      return fail(at(c.monitor.path.position(), block), "path is required for consul-kv condition");
    }
    return std::nullopt;
  }
  std::optional<Error> operator()(const ScheduleCondition& c) const {
    if (c.cron.value_or_zero().empty()) {
      return fail(at(c.cron.position(), block), "cron config is required for schedule condition");
    }
    if (auto error = cron_syntax_error(*c.cron)) {
      return fail(at(c.cron.position(), block),
                  "unable to parse schedule condition's cron config " + go_quote(*c.cron) + ": " + *error +
                      ". for more information on writing cron expressions, see https://github.com/hashicorp/cronexpr");
    }
    return std::nullopt;
  }
  std::optional<Error> operator()(const NoCondition&) const { return std::nullopt; }
};

// A condition that monitors nothing: none written, or CTS's "no-condition" placeholder (CTS's
// isConditionNil misses the placeholder, so it never reports this after Finalize; see README).
bool has_no_condition(const TaskConfig& task) {
  return !task.condition || std::holds_alternative<NoCondition>(*task.condition);
}

std::optional<Error> validate_condition_presence(const TaskConfig& task) {
  const hcl::Position& block = task.where.position;
  if (task.services.value_or_zero().empty()) {
    if (has_no_condition(task)) return fail(block, "task should be configured with a condition block");
    return std::nullopt;
  }
  if (task.condition && std::holds_alternative<ServicesCondition>(*task.condition)) {
    return fail(at(task.condition.position(), block),
                "task's `services` field and `condition 'services'` block both monitor \"services\" variable type. "
                "only one of these can be configured per task");
  }
  return std::nullopt;
}

bool tfc_workspace_is_empty(const TerraformCloudWorkspaceConfig& c) {
  const auto unset = [](const Opt<std::string>& v) { return !v.has_value(); };
  const auto blank = [](const Opt<std::string>& v) { return v.has_value() && v->empty(); };
  return (unset(c.execution_mode) && unset(c.agent_pool_id) && unset(c.agent_pool_name) && unset(c.terraform_version)) ||
         (blank(c.execution_mode) && blank(c.agent_pool_id) && blank(c.agent_pool_name) && blank(c.terraform_version));
}

std::optional<Error> validate_providers_of(const TaskConfig& task) {
  std::set<std::string> names;
  for (const std::string& provider : task.providers.value_or_zero()) {
    const std::string name = provider.substr(0, provider.find('.'));
    if (!names.insert(name).second) {
      return fail(at(task.providers.position(), task.where.position), "only one provider instance per task");
    }
  }
  return std::nullopt;
}

std::optional<Error> validate_module_inputs(const TaskConfig& task) {
  if (!task.module_inputs || task.module_inputs->empty()) return std::nullopt;
  std::set<std::string> types;
  for (const ModuleInputConfig& input : *task.module_inputs) {
    if (!types.insert(variable_type(input)).second) {
      return fail(at(input.where.position, task.where.position),
                  std::string("more than one 'module_input' block for the \"") + variable_type(input) +
                      "\" variable. variable types must be unique");
    }
  }
  if (!task.services.value_or_zero().empty() && types.contains("services")) {
    return fail(task.where.position,
                "task's `services` field and `module_input 'services'` block both monitor \"services\" variable "
                "type. only one of these can be configured per task");
  }
  if (task.condition && types.contains(variable_type(*task.condition))) {
    return fail(at(task.condition.position(), task.where.position),
                std::string("task's condition block and module_input block both monitor \"") +
                    variable_type(*task.condition) +
                    "\" variable type. condition and module_input variable type must be unique");
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> validate_task(const TaskConfig& task) {
  const hcl::Position& block = task.where.position;
  const std::string name = task.name.value_or_zero();
  if (name.empty()) return fail(at(task.name.position(), block), "unique name for the task is required");
  if (!driver::terraform::is_hcl_identifier(name)) {
    return fail(at(task.name.position(), block),
                "a task name must start with a letter or underscore and may contain only letters, digits, "
                "underscores, and dashes: " + go_quote(name));
  }
  if (auto error = validate_condition_presence(task)) return error;
  if (task.module.value_or_zero().empty()) return fail(at(task.module.position(), block), "module for the task is required");
  if (!task.terraform_version.value_or_zero().empty()) {
    return fail(at(task.terraform_version.position(), block),
                "unsupported configuration 'terraform_version' for task " + go_quote(name) +
                    ". This option is available for Consul-Terraform-Sync Enterprise when using the Terraform "
                    "Cloud driver, or configure the Terraform client version within the Terraform driver block");
  }
  if (task.terraform_cloud_workspace && !tfc_workspace_is_empty(*task.terraform_cloud_workspace)) {
    return fail(at(task.terraform_cloud_workspace.position(), block),
                "unsupported configuration 'terraform_cloud_workspace' for task " + go_quote(name) +
                    ". This option is available for Consul-Terraform-Sync Enterprise when using the Terraform "
                    "Cloud driver");
  }
  if (auto error = validate_providers_of(task)) return error;
  if (task.condition) {
    if (auto error = std::visit(ValidateCondition{at(task.condition.position(), block)}, *task.condition)) return error;
  }
  return validate_module_inputs(task);
}

std::optional<Error> validate_buffer_period(const Opt<BufferPeriodConfig>& buffer_period) {
  if (!buffer_period || !buffer_period->enabled.value_or_zero()) return std::nullopt;
  const Duration min = buffer_period->min.value_or_zero();
  const Duration max = buffer_period->max.value_or_zero();
  if (min < Duration::zero() || max < Duration::zero()) {
    return fail(at(min < Duration::zero() ? buffer_period->min.position() : buffer_period->max.position(),
                   buffer_period.position()),
                "buffer_period: cannot be negative");
  }
  if (max < min) return fail(at(buffer_period->max.position(), buffer_period.position()), "buffer_period: min must be less than max");
  return std::nullopt;
}

}  // namespace baton::config::cts
