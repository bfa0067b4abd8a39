#include "sim/swarm/swarm_base.hpp"

#include <algorithm>
#include <set>

#include "sim/run/run_scenario.hpp"

namespace baton::sim::swarm {

namespace {

namespace cts = config::cts;

void add_names(std::vector<std::string>& out, const cts::ServicesMonitorConfig& monitor) {
  for (const std::string& name : monitor.names.value_or_zero()) out.push_back(name);
}

// The service names a task watches by name (regexp conditions are left to the base's own steps).
std::vector<std::string> watched_services(const cts::TaskConfig& task) {
  std::vector<std::string> names = task.services.value_or_zero();
  if (task.condition) {
    if (const auto* services = std::get_if<cts::ServicesCondition>(&*task.condition)) add_names(names, services->monitor);
  }
  for (const cts::ModuleInputConfig& input : task.module_inputs.value_or_zero()) {
    if (const auto* services = std::get_if<cts::ServicesModuleInput>(&input.input)) add_names(names, services->monitor);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

std::variant<SwarmBase, std::string> make_swarm_base(const scenario::Scenario& scenario) {
  auto loaded = run::load_engine_config(scenario);
  if (auto* error = std::get_if<std::string>(&loaded)) return *error;
  const cts::Config& config = std::get<cts::Config>(loaded);
  SwarmBase base;
  base.scenario = scenario;
  base.session_ttl_ns = config.high_availability->cluster->storage->consul->session_ttl.value_or(cts::kDefaultSessionTtl).count();
  std::set<std::string> services;
  for (const cts::TaskConfig& task : config.tasks.value_or_zero()) {
    TaskTemplate added{task.name.value_or(""), task.module.value_or(""), watched_services(task)};
    services.insert(added.services.begin(), added.services.end());
    base.tasks.push_back(std::move(added));
  }
  base.services.assign(services.begin(), services.end());
  for (const scenario::Step& step : scenario.steps) {
    if (const auto* registration = std::get_if<scenario::Register>(&step.action)) {
      base.registered_ids.push_back(registration->id.empty() ? registration->service : registration->id);
      base.registered_services.push_back(registration->service);
    }
  }
  if (base.tasks.empty()) return scenario.file + ": a swarm base needs at least one task in its engine configuration";
  return base;
}

}  // namespace baton::sim::swarm
