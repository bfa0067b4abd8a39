// Once-mode: after each promotion every enabled task runs once before normal monitoring. Each
// term that lasted long enough reports once-mode done, and between its acquisition and that
// line its instance ran every task the leader at the end has enabled and that existed then
// (tasks the API created or enabled later are left out): an apply started, or a run that
// stopped at `terraform init`. A term that ended first
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

// "ctrl: executing task: task_name=web" or "ctrl: error initializing task: task_name=web error=...".
bool mentions_run_of(const std::string& text, const std::string& task) {
  if (text.find("executing task") == std::string::npos && text.find("error initializing task") == std::string::npos) return false;
  const std::string field = "task_name=" + task;
  const std::size_t at = text.find(field);
  if (at == std::string::npos) return false;
  const std::size_t after = at + field.size();
  return after == text.size() || text[after] == ' ';
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
      // A run whose `terraform init` failed (Consul without a leader, its state lock held) ran
      // too: CTS logs the error and goes on, with no apply to show for it.
      for (const LogLine& line : input.timeline.logs) {
        ran = ran || (line.process == term.instance && line.at_ns >= term.acquired_ns && line.at_ns <= *term.once_mode_done_ns &&
                      mentions_run_of(line.text, task));
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
