// Persistence: tasks created, deleted, enabled or disabled through the API on one leader are
// seen by the one leading at the end (its task definitions, read from the stored state when it
// was promoted, then its own changes).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "sim/run/checks.hpp"

namespace baton::sim::run {

namespace {

std::size_t unknown_calls(const std::vector<ScenarioCluster::ApiRecord>& records) {
  return static_cast<std::size_t>(std::count_if(records.begin(), records.end(), [](const auto& r) { return r.outcome_unknown; }));
}

}  // namespace

Verdict check_persistence(const CheckInput& input) {
  Verdict verdict{"persistence", true, {}, {}};
  const auto& records = input.cluster.api_records();
  // What the API calls leave: name -> enabled, or absent (deleted). A call whose outcome is
  // unknown leaves the task unknown until a later call succeeds.
  std::map<std::string, std::optional<bool>> expected;
  std::set<std::string> unknown;
  for (const ScenarioCluster::ApiRecord& record : records) {
    if (record.outcome_unknown) {
      unknown.insert(record.call.task);
      continue;
    }
    unknown.erase(record.call.task);
    switch (record.call.op) {
      case scenario::ApiCall::Op::create: expected[record.call.task] = true; break;
      case scenario::ApiCall::Op::remove: expected[record.call.task] = std::nullopt; break;
      case scenario::ApiCall::Op::enable: expected[record.call.task] = true; break;
      case scenario::ApiCall::Op::disable: expected[record.call.task] = false; break;
    }
  }
  const Instance* leader = input.cluster.leader();
  if (leader == nullptr) {
    verdict.passed = records.empty();
    verdict.summary = records.empty() ? "no API changes to keep" : "no leader at the end to hold the API's changes";
    return verdict;
  }
  const auto& definitions = leader->controller->task_definitions();
  for (const auto& [task, enabled] : expected) {
    if (unknown.count(task)) continue;
    const auto found = definitions.find(task);
    if (!enabled && found == definitions.end()) continue;
    if (enabled && found != definitions.end() && found->second.enabled.value_or(true) == *enabled) continue;
    verdict.passed = false;
    verdict.evidence.push_back(fmt::format("task {}: the API left it {}, {} holds it {}", task,
                                           enabled ? (*enabled ? "enabled" : "disabled") : "deleted", leader->name,
                                           found == definitions.end() ? "absent"
                                           : found->second.enabled.value_or(true) ? "enabled"
                                                                                  : "disabled"));
  }
  verdict.summary = verdict.passed ? fmt::format("{} API changes seen by {}", records.size() - unknown_calls(records), leader->name)
                                   : fmt::format("{} API changes lost", verdict.evidence.size());
  return verdict;
}

}  // namespace baton::sim::run
