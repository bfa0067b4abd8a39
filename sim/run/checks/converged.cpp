// Convergence: when the run ends (the scenario's convergence bound after its last step), there
// is a leader, no apply is running, and every enabled task's infrastructure holds exactly the
// passing instances of the services its condition and module inputs name (or match): no
// change was lost. Tasks watching only KV or the catalog are not compared.
#include <fmt/format.h>

#include <regex>
#include <set>

#include "sim/run/checks.hpp"

namespace baton::sim::run {

namespace {

namespace cts = config::cts;

struct Selector {
  std::set<std::string> names;
  std::vector<std::regex> patterns;
  bool any = false;
  bool matches(const std::string& service) const {
    if (names.count(service)) return true;
    for (const std::regex& pattern : patterns) {
      if (std::regex_search(service, pattern)) return true;
    }
    return false;
  }
};

void add_monitor(Selector& selector, const cts::ServicesMonitorConfig& monitor) {
  selector.any = true;
  for (const std::string& name : monitor.names.value_or_zero()) selector.names.insert(name);
  if (monitor.regexp) selector.patterns.emplace_back(*monitor.regexp, std::regex::ECMAScript);
}

Selector selector_of(const cts::TaskConfig& task) {
  Selector selector;
  for (const std::string& name : task.services.value_or_zero()) {
    selector.any = true;
    selector.names.insert(name);
  }
  if (task.condition) {
    if (const auto* services = std::get_if<cts::ServicesCondition>(&*task.condition)) add_monitor(selector, services->monitor);
  }
  for (const cts::ModuleInputConfig& input : task.module_inputs.value_or_zero()) {
    if (const auto* services = std::get_if<cts::ServicesModuleInput>(&input.input)) add_monitor(selector, services->monitor);
  }
  return selector;
}

// "web-1.node-1.dc1" -> "web-1": the infrastructure is keyed as the services variable is.
std::string instance_id(const std::string& key) { return key.substr(0, key.find('.')); }

}  // namespace

InfrastructureComparison compare_infrastructure(const ScenarioCluster& cluster, const Instance& leader) {
  InfrastructureComparison comparison;
  for (const auto& [name, task] : leader.controller->task_definitions()) {
    if (!task.enabled.value_or(true)) continue;
    const Selector selector = selector_of(task);
    if (!selector.any) continue;
    ++comparison.compared;
    std::set<std::string> expected;
    for (const auto& [id, registered] : cluster.registered()) {
      if (registered.passing && selector.matches(registered.service)) expected.insert(id);
    }
    std::set<std::string> applied;
    const auto* infrastructure = cluster.terraform_world().find_infrastructure(name);
    if (infrastructure != nullptr) {
      for (const std::string& key : infrastructure->services) applied.insert(instance_id(key));
    }
    if (applied == expected && (infrastructure == nullptr || !infrastructure->partial)) continue;
    comparison.differences.push_back(fmt::format("task {}: infrastructure has [{}]{}, the catalog's passing instances are [{}]", name,
                                                 fmt::join(applied, ", "), infrastructure && infrastructure->partial ? " (partial)" : "",
                                                 fmt::join(expected, ", ")));
  }
  return comparison;
}

Verdict check_converged(const CheckInput& input) {
  Verdict verdict{"converged", true, {}, {}};
  const Instance* leader = input.cluster.leader();
  if (leader == nullptr) {
    verdict.passed = false;
    verdict.summary = "no leader at the end";
    verdict.evidence.push_back(fmt::format("at {} no instance leads", seconds_text(input.timeline.end_ns)));
    return verdict;
  }
  for (const ApplyEvent& apply : input.timeline.applies) {
    if (apply.end_ns) continue;
    verdict.passed = false;
    verdict.evidence.push_back(fmt::format("{}'s apply of {} started at {} is still running", apply.instance, apply.task,
                                           seconds_text(apply.start_ns)));
  }
  InfrastructureComparison comparison = compare_infrastructure(input.cluster, *leader);
  if (!comparison.differences.empty()) verdict.passed = false;
  for (std::string& difference : comparison.differences) verdict.evidence.push_back(std::move(difference));
  verdict.summary = verdict.passed ? fmt::format("{} leads; {} tasks match the catalog", leader->name, comparison.compared)
                                   : fmt::format("{} differences at the end", verdict.evidence.size());
  return verdict;
}

}  // namespace baton::sim::run
