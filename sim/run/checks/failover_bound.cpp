// Failover bound: each leader crash with a stable Consul leader fails over within
// [min, max] + slack (by default [1x, 2x] session TTL plus 1s for detection and round trips);
// a graceful stop within the slack alone (one round trip). Other causes are measured and
// shown, not bounded: their bounds are what the scenarios explore.
#include <fmt/format.h>

#include "sim/run/checks.hpp"

namespace baton::sim::run {

Verdict check_failover_bound(const CheckInput& input) {
  const scenario::FailoverExpectation bounds = input.scenario.expect.failover.value_or(scenario::FailoverExpectation{});
  const std::int64_t min_ns = bounds.min.resolve_ns(input.ttl_ns);
  const std::int64_t max_ns = bounds.max.resolve_ns(input.ttl_ns);
  const std::int64_t slack_ns = bounds.slack.resolve_ns(input.ttl_ns);
  Verdict verdict{"failover-bound", true, {}, {}};
  int bounded = 0;
  for (const Failover& failover : input.failovers) {
    const bool crash = failover.cause == "crash" && failover.consul_stable;
    const bool graceful = failover.cause == "graceful" && failover.consul_stable;
    if (!crash && !graceful) continue;
    ++bounded;
    const std::int64_t low = crash ? min_ns : 0;
    const std::int64_t high = (crash ? max_ns : 0) + slack_ns;
    const std::optional<std::int64_t> took = failover.duration_ns();
    if (took && *took >= low && *took <= high) continue;
    verdict.passed = false;
    verdict.evidence.push_back(fmt::format("{} of {} at {}: {} (bound [{} .. {}])", failover.cause, failover.from,
                                           seconds_text(failover.cause_ns),
                                           took ? fmt::format("{} took {} = {}", failover.to, seconds_text(*took), ttl_text(*took, input.ttl_ns))
                                                : std::string("no instance took over"),
                                           seconds_text(low), seconds_text(high)));
  }
  verdict.summary = fmt::format("{} bounded failovers within [{}, {}] + {}", bounded, ttl_text(min_ns, input.ttl_ns),
                                ttl_text(max_ns, input.ttl_ns), seconds_text(slack_ns));
  if (!verdict.passed) verdict.summary = fmt::format("{} of {} failovers out of bounds", verdict.evidence.size(), bounded);
  return verdict;
}

}  // namespace baton::sim::run
