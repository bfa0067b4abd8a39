#pragma once
// A fault schedule made into an ordinary scenario: the base's setup and steps, then each
// episode's fault and recovery as timed steps, then every fault healed at `heal_at_ns` and the
// cluster given `convergence` to settle (liveness). The scenario expects the invariants of
// DESIGN.md; failovers are measured, not bounded (causes overlap in random schedules).
//
// Episodes that cannot happen are dropped, so any list is a valid schedule: a fault on an
// instance or server that an earlier episode still holds, a Consul fault that would leave fewer
// than a majority of servers untouched, a Terraform fault while one is in force, an API or
// catalog change with nothing to act on, anything starting at or after `heal_at_ns`.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/swarm/fault_schedule.hpp"

namespace baton::sim::swarm {

struct ScheduledScenario {
  scenario::Scenario scenario;
  std::vector<Episode> kept;  // the episodes that became steps, in time order
};

// Invariants a swarm run expects (DESIGN.md "Safety and liveness checked by the simulator",
// failover-bound aside: it is measured and reported by cause instead).
inline const std::vector<std::string> kSwarmInvariants = {"exclusive-apply", "one-acting-leader", "converged", "persistence",
                                                          "once-mode"};

ScheduledScenario schedule_scenario(const SwarmBase& base, const FaultSchedule& schedule, std::uint64_t seed);

// How long a swarm run gives the cluster after its last change: a failover (2 x TTL), a
// once-mode run of every task (an apply takes up to 30 s under slow_apply), Terraform's
// retries, and a blocking query dropped by a partition being retried (5 min 19 s).
std::int64_t swarm_convergence_ns(std::int64_t session_ttl_ns);

}  // namespace baton::sim::swarm
