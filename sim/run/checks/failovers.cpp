// measure_failovers: each term that ended, the fault that ended it, and the phases of the
// leadership change that followed (session expired on Consul, lock acquired, once-mode done).
#include <fmt/format.h>

#include "sim/run/checks.hpp"

namespace baton::sim::run {

namespace {

std::string cause_of(const StepRecord& step) {
  if (step.consul_fault) return "consul";
  if (step.kind == "crash") return "crash";
  if (step.kind == "stop") return "graceful";
  if (step.kind == "pause") return "pause";
  if (step.kind == "partition") return "partition";
  return "other";
}

bool is_fault(const StepRecord& step) {
  if (!step.skipped_because.empty()) return false;  // not done: caused nothing
  return step.kind == "crash" || step.kind == "stop" || step.kind == "pause" || step.kind == "partition" ||
         step.kind == "clock_skew" || step.kind == "clock_drift";
}

}  // namespace

std::vector<Failover> measure_failovers(const Timeline& timeline, const std::vector<StepRecord>& steps,
                                        const std::set<std::string>& instances) {
  std::vector<Failover> failovers;
  for (std::size_t i = 0; i < timeline.terms.size(); ++i) {
    const LeaderTermRecord& term = timeline.terms[i];
    if (!term.ended_ns) continue;
    Failover failover;
    failover.from = term.instance;
    failover.term_ended_ns = *term.ended_ns;
    failover.cause_ns = *term.ended_ns;
    failover.cause = "other";
    // The last fault the scenario caused while this term ran is what ended it.
    for (const StepRecord& step : steps) {
      if (step.at_ns < term.acquired_ns || step.at_ns > *term.ended_ns || !is_fault(step)) continue;
      failover.cause_ns = step.at_ns;
      failover.cause = cause_of(step);
    }
    if (i + 1 < timeline.terms.size()) {
      const LeaderTermRecord& next = timeline.terms[i + 1];
      failover.to = next.instance;
      failover.acquired_ns = next.acquired_ns;
      failover.once_mode_done_ns = next.once_mode_done_ns;
      for (const StepRecord& step : steps) {
        if (step.consul_fault && step.skipped_because.empty() && step.at_ns >= failover.cause_ns && step.at_ns <= next.acquired_ns) failover.consul_stable = false;
      }
    }
    for (const SessionExpiry& expiry : timeline.session_expiries) {
      if (expiry.at_ns < failover.cause_ns || session_owner(expiry.session_name, instances) != term.instance) continue;
      if (failover.acquired_ns && expiry.at_ns > *failover.acquired_ns) continue;
      failover.session_expired_ns = expiry.at_ns;
      break;
    }
    failovers.push_back(std::move(failover));
  }
  return failovers;
}

std::string seconds_text(std::int64_t ns) { return fmt::format("{:.3f}s", static_cast<double>(ns) / 1e9); }

std::string ttl_text(std::int64_t ns, std::int64_t ttl_ns) {
  return ttl_ns > 0 ? fmt::format("{:.2f}x TTL", static_cast<double>(ns) / static_cast<double>(ttl_ns)) : "-";
}

}  // namespace baton::sim::run
