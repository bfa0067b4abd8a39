// Once-mode: after each promotion every enabled task runs once before normal monitoring. Each
// term that lasted long enough reports once-mode done, and between its acquisition and that
// line its instance started an apply of every task the leader at the end has enabled and that
// existed then (tasks the API created or enabled later are left out). A term that ended first
// (fenced, crashed) owes nothing.
#include <fmt/format.h>

#include <set>

#include "sim/run/checks.hpp"

namespace baton::sim::run {

namespace {

// Tasks made or enabled through the API after `at_ns`.
std::set<std::string> changed_after(const ScenarioCluster& cluster, std::int64_t at_ns) {
  std::set<std::string> changed;
  for (const ScenarioCluster::ApiRecord& record : cluster.api_records()) {
    if (record.at_ns >= at_ns) changed.insert(record.call.task);
  }
  return changed;
}

}  // namespace

Verdict check_once_mode(const CheckInput& input) {
  Verdict verdict{"once-mode", true, {}, {}};
  const Instance* leader = input.cluster.leader();
  std::set<std::string> enabled;
  if (leader != nullptr) {
    for (const auto& [name, task] : leader->controller->task_definitions()) {
      if (task.enabled.value_or(true)) enabled.insert(name);
    }
  }
  int checked = 0;
  for (const LeaderTermRecord& term : input.timeline.terms) {
    if (!term.once_mode_done_ns) {
      if (term.ended_ns) continue;
      verdict.passed = false;
      verdict.evidence.push_back(fmt::format("{} leads since {} and never finished once-mode", term.instance,
                                             seconds_text(term.acquired_ns)));
      continue;
    }
    ++checked;
    const std::set<std::string> later = changed_after(input.cluster, term.acquired_ns);
    for (const std::string& task : enabled) {
      if (later.count(task)) continue;
      bool ran = false;
      for (const ApplyEvent& apply : input.timeline.applies) {
        ran = ran || (apply.instance == term.instance && apply.task == task && apply.start_ns >= term.acquired_ns &&
                      apply.start_ns <= *term.once_mode_done_ns);
      }
      if (ran) continue;
      verdict.passed = false;
      verdict.evidence.push_back(fmt::format("{} (leader from {}) finished once-mode at {} without running {}", term.instance,
                                             seconds_text(term.acquired_ns), seconds_text(*term.once_mode_done_ns), task));
    }
  }
  verdict.summary = verdict.passed ? fmt::format("{} promotions ran every enabled task once", checked)
                                   : fmt::format("{} once-mode violations", verdict.evidence.size());
  return verdict;
}

}  // namespace baton::sim::run
