// The scenario's own expectations beyond the invariants: the number of leader changes, the
// final infrastructure, log lines that must or must not appear; and run_checks, which runs the
// invariants the scenario names and these.
#include <fmt/format.h>

#include "sim/run/checks.hpp"

namespace baton::sim::run {

Verdict check_leader_changes(const CheckInput& input, int expected) {
  const int changes = input.timeline.terms.empty() ? 0 : static_cast<int>(input.timeline.terms.size()) - 1;
  Verdict verdict{"leader_changes", changes == expected, fmt::format("{} leader changes (expected {})", changes, expected), {}};
  if (!verdict.passed) {
    for (const LeaderTermRecord& term : input.timeline.terms) {
      verdict.evidence.push_back(fmt::format("{} acquired the lock at {}", term.instance, seconds_text(term.acquired_ns)));
    }
  }
  return verdict;
}

Verdict check_final_infrastructure(const CheckInput& input) {
  Verdict verdict{"final_infrastructure", true, {}, {}};
  for (const auto& [task, expected_ids] : input.scenario.expect.final_infrastructure) {
    std::set<std::string> expected(expected_ids.begin(), expected_ids.end());
    std::set<std::string> applied;
    if (const auto* infrastructure = input.cluster.terraform_world().find_infrastructure(task)) {
      for (const std::string& key : infrastructure->services) applied.insert(key.substr(0, key.find('.')));
    }
    if (applied == expected) continue;
    verdict.passed = false;
    verdict.evidence.push_back(fmt::format("task {}: [{}], expected [{}]", task, fmt::join(applied, ", "), fmt::join(expected, ", ")));
  }
  verdict.summary = verdict.passed ? fmt::format("{} tasks as expected", input.scenario.expect.final_infrastructure.size())
                                   : fmt::format("{} tasks differ", verdict.evidence.size());
  return verdict;
}

Verdict check_log_lines(const CheckInput& input) {
  Verdict verdict{"log_lines", true, {}, {}};
  const auto line_text = [](const LogLine& line) { return fmt::format("{} [{}] {}", line.process, line.level, line.text); };
  for (const std::string& wanted : input.scenario.expect.log_contains) {
    bool found = false;
    for (const LogLine& line : input.timeline.logs) found = found || line_text(line).find(wanted) != std::string::npos;
    if (found) continue;
    verdict.passed = false;
    verdict.evidence.push_back(fmt::format("no log line contains \"{}\"", wanted));
  }
  for (const std::string& unwanted : input.scenario.expect.log_absent) {
    for (const LogLine& line : input.timeline.logs) {
      if (line_text(line).find(unwanted) == std::string::npos) continue;
      verdict.passed = false;
      verdict.evidence.push_back(fmt::format("at {}: {}", seconds_text(line.at_ns), line_text(line)));
      break;
    }
  }
  const std::size_t stated = input.scenario.expect.log_contains.size() + input.scenario.expect.log_absent.size();
  verdict.summary = verdict.passed ? fmt::format("{} log expectations hold", stated)
                                   : fmt::format("{} log expectations fail", verdict.evidence.size());
  return verdict;
}

std::vector<Verdict> run_checks(const CheckInput& input) {
  const scenario::Expectations& expect = input.scenario.expect;
  std::vector<std::string> invariants = expect.invariants;
  if (invariants.empty()) {
    invariants = {"exclusive-apply", "one-acting-leader", "failover-bound", "converged", "persistence", "once-mode"};
  }
  std::vector<Verdict> verdicts;
  for (const std::string& invariant : invariants) {
    if (invariant == "exclusive-apply") verdicts.push_back(check_exclusive_apply(input));
    if (invariant == "one-acting-leader") verdicts.push_back(check_one_acting_leader(input));
    if (invariant == "failover-bound") verdicts.push_back(check_failover_bound(input));
    if (invariant == "converged") verdicts.push_back(check_converged(input));
    if (invariant == "persistence") verdicts.push_back(check_persistence(input));
    if (invariant == "once-mode") verdicts.push_back(check_once_mode(input));
  }
  if (expect.failover && std::find(invariants.begin(), invariants.end(), "failover-bound") == invariants.end()) {
    verdicts.push_back(check_failover_bound(input));
  }
  if (expect.leader_changes) verdicts.push_back(check_leader_changes(input, *expect.leader_changes));
  if (!expect.final_infrastructure.empty()) verdicts.push_back(check_final_infrastructure(input));
  if (!expect.log_contains.empty() || !expect.log_absent.empty()) verdicts.push_back(check_log_lines(input));
  return verdicts;
}

}  // namespace baton::sim::run
