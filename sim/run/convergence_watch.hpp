#pragma once
// Ending a run as soon as the cluster has converged, for scenarios that set
// `expect.stop_when_converged` (every `sim swarm` seed does): after the last step the cluster
// has `expect.convergence` to converge, and most seeds need a fraction of it. Running the rest
// of the bound would only watch a quiet cluster renew sessions.
//
// Converged and quiet, looked at every kConvergencePollNs of virtual time:
//   - an instance leads, and its once-mode of the current term is done;
//   - no Terraform apply runs, and none started since the previous look;
//   - every task's infrastructure matches the catalog's passing instances (check_converged's
//     comparison);
//   - and all of that held at the previous look too, under the same leader.
// A converged state is a fixed point: with no step left, nothing changes the catalog, and a
// run a buffered change or a retry still owes would write what is already there. What the
// early end gives up is watching that quiet cluster for the rest of the bound.
#include <cstdint>

#include "sim/run/scenario_cluster.hpp"

namespace baton::sim::run {

inline constexpr std::int64_t kConvergencePollNs = 5'000'000'000;  // 5 s of virtual time

// Runs the World until the cluster is converged and quiet (above) or until `bound_ns`,
// whichever comes first.
void run_until_converged(ScenarioCluster& cluster, std::int64_t bound_ns);

}  // namespace baton::sim::run
