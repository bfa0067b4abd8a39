#include "engine/config/cts/task_config.hpp"

namespace baton::config::cts {
namespace {

struct ConditionNames {
  const char* type;
  const char* variable;
};

ConditionNames names_of(const Condition& condition) {
  struct Visitor {
    ConditionNames operator()(const ServicesCondition&) const { return {"services", "services"}; }
    ConditionNames operator()(const CatalogServicesCondition&) const { return {"catalog-services", "catalog_services"}; }
    ConditionNames operator()(const ConsulKvCondition&) const { return {"consul-kv", "consul_kv"}; }
    ConditionNames operator()(const ScheduleCondition&) const { return {"schedule", ""}; }
    ConditionNames operator()(const NoCondition&) const { return {"no-condition", ""}; }
  };
  return std::visit(Visitor{}, condition);
}

}  // namespace

const char* condition_type(const Condition& condition) { return names_of(condition).type; }

const char* variable_type(const Condition& condition) { return names_of(condition).variable; }

const char* module_input_type(const ModuleInputConfig& input) {
  return std::holds_alternative<ServicesModuleInput>(input.input) ? "services" : "consul-kv";
}

const char* variable_type(const ModuleInputConfig& input) {
  return std::holds_alternative<ServicesModuleInput>(input.input) ? "services" : "consul_kv";
}

}  // namespace baton::config::cts
