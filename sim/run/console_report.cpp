#include "sim/run/console_report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <ostream>
#include <vector>

namespace baton::sim::run {

namespace {

struct Line {
  std::int64_t at_ns;
  int order;  // ties: steps before what they caused
  std::string process;
  std::string text;
};

std::string seconds_column(std::int64_t ns) { return fmt::format("{:>10.3f}s", static_cast<double>(ns) / 1e9); }

std::vector<Line> timeline_lines(const RunResult& result) {
  std::vector<Line> lines;
  for (const StepRecord& step : result.steps) {
    if (step.kind == "run") continue;
    const std::string skipped = step.skipped_because.empty() ? "" : " - skipped: " + step.skipped_because;
    if (step.kind == "wait_until" && skipped.empty()) continue;
    lines.push_back(Line{step.at_ns, 0, "scenario", step.description + skipped});
  }
  const std::set<std::string> instances = [&] {
    std::set<std::string> names;
    for (const LeaderTermRecord& term : result.timeline.terms) names.insert(term.instance);
    return names;
  }();
  for (const LeaderTermRecord& term : result.timeline.terms) {
    lines.push_back(Line{term.acquired_ns, 2, term.instance, "acquired the leadership lock"});
    if (term.once_mode_done_ns) lines.push_back(Line{*term.once_mode_done_ns, 3, term.instance, "once-mode done: every enabled task ran once"});
    if (term.ended_ns && term.end_reason != "crash" && term.end_reason != "exit") {
      lines.push_back(Line{*term.ended_ns, 1, term.instance, "stopped leading: " + term.end_reason});
    }
  }
  for (const SessionExpiry& expiry : result.timeline.session_expiries) {
    lines.push_back(Line{expiry.at_ns, 1, expiry.server, "expired the session " + expiry.session_name});
  }
  for (const ApplyEvent& apply : result.timeline.applies) {
    const std::string took = apply.end_ns ? fmt::format(" ({} .. {})", seconds_text(apply.start_ns), seconds_text(*apply.end_ns)) : "";
    if (apply.outcome == "succeeded") {
      lines.push_back(Line{*apply.end_ns, 4, apply.instance, fmt::format("applied {}{}", apply.task, took)});
    } else {
      lines.push_back(Line{apply.end_ns.value_or(apply.start_ns), 4, apply.instance,
                           fmt::format("apply of {} {}{}", apply.task, apply.outcome.empty() ? "still running" : "ended: " + apply.outcome, took)});
    }
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return a.at_ns != b.at_ns ? a.at_ns < b.at_ns : a.order < b.order;
  });
  return lines;
}

std::string phase(const std::optional<std::int64_t>& at_ns, std::int64_t from_ns) {
  return at_ns ? fmt::format("+{:.3f}s", static_cast<double>(*at_ns - from_ns) / 1e9) : "-";
}

}  // namespace

void print_report(std::ostream& out, const RunResult& result, const std::string& command) {
  fmt::print(out, "{} (seed {})\n", result.scenario_name.empty() ? result.scenario_file : result.scenario_name, result.seed);
  if (result.setup_error) {
    fmt::print(out, "error: {}\n\nreproduce: {}\n", *result.setup_error, command);
    return;
  }
  if (result.bugs.any()) {
    fmt::print(out, "PLANTED BUGS in every instance:{}{}{}{}{} (the checkers must catch them)\n", result.bugs.skip_fencing ? " skip_fencing" : "",
               result.bugs.skip_once_mode ? " skip_once_mode" : "", result.bugs.drop_changes_during_run ? " drop_changes_during_run" : "",
               result.bugs.concurrent_runs ? " concurrent_runs" : "",
               result.bugs.skip_storing_task_changes ? " skip_storing_task_changes" : "");
  }
  fmt::print(out, "\ntimeline (virtual time)\n");
  for (const Line& line : timeline_lines(result)) fmt::print(out, "{}  {:<10} {}\n", seconds_column(line.at_ns), line.process, line.text);
  std::size_t applies_ok = 0;
  for (const ApplyEvent& apply : result.timeline.applies) applies_ok += apply.outcome == "succeeded" ? 1 : 0;
  fmt::print(out, "{}  {:<10} run ends: {} applies succeeded of {}\n", seconds_column(result.end_ns), "", applies_ok,
             result.timeline.applies.size());

  if (!result.failovers.empty()) {
    fmt::print(out, "\nfailovers (TTL {})\n", seconds_text(result.ttl_ns));
    fmt::print(out, "  {:<9} {:<7} {:<7} {:>16} {:>14} {:>14} {:>10} {:>11}\n", "cause", "from", "to", "session expired", "lock acquired",
               "once-mode done", "took", "x TTL");
    for (const Failover& f : result.failovers) {
      const auto took = f.duration_ns();
      fmt::print(out, "  {:<9} {:<7} {:<7} {:>16} {:>14} {:>14} {:>10} {:>11}\n", f.cause + (f.consul_stable ? "" : "*"), f.from,
                 f.to.empty() ? "-" : f.to, phase(f.session_expired_ns, f.cause_ns), phase(f.acquired_ns, f.cause_ns),
                 phase(f.once_mode_done_ns, f.cause_ns), took ? seconds_text(*took) : "-",
                 took ? ttl_text(*took, result.ttl_ns) : "-");
    }
    if (std::any_of(result.failovers.begin(), result.failovers.end(), [](const Failover& f) { return !f.consul_stable; })) {
      fmt::print(out, "  * a Consul server fault fell inside this failover: its bound is not Consul's 2x TTL\n");
    }
  }

  fmt::print(out, "\nverdicts\n");
  for (const Verdict& verdict : result.verdicts) {
    fmt::print(out, "  {:<4}  {:<21} {}\n", verdict.passed ? "ok" : "FAIL", verdict.name, verdict.summary);
    for (const std::string& evidence : verdict.evidence) fmt::print(out, "        - {}\n", evidence);
  }
  if (result.step_error) fmt::print(out, "  FAIL  {:<21} {}\n", "steps", *result.step_error);
  fmt::print(out, "\n{}: {} expectations, trace {} ({} records, {} events)\n", result.passed() ? "PASSED" : "FAILED",
             result.verdicts.size(), result.trace_digest, result.trace_records, result.events_run);
  fmt::print(out, "reproduce: {}\n", command);
}

}  // namespace baton::sim::run
