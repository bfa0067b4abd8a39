#pragma once
// `sim swarm`: many seeds, each drawing its own fault mix and schedule over a base scenario
// (schedule_draw.hpp), run as ordinary scenarios (schedule_scenario.hpp) and judged by the
// invariants; the failover distribution by cause; failing seeds shrunk (shrink.hpp) and
// written out as scenario files.
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "sim/swarm/fault_schedule.hpp"
#include "sim/swarm/schedule_draw.hpp"
#include "sim/swarm/schedule_scenario.hpp"
#include "sim/swarm/seed_outcome.hpp"

namespace baton::sim::swarm {

// The bases of a swarm: one scenario file, or every *.yaml in a folder (sorted by name); seed
// S runs on base S mod their number.
std::variant<std::vector<SwarmBase>, std::string> load_bases(const std::string& file_or_dir);

const SwarmBase& base_of(const std::vector<SwarmBase>& bases, std::uint64_t seed);

struct SeedPlan {
  DrawnSchedule drawn;
  ScheduledScenario scheduled;
};
SeedPlan plan_seed(const SwarmBase& base, std::uint64_t seed, const DrawOptions& options);

SeedOutcome run_seed(const SwarmBase& base, std::uint64_t seed, const DrawOptions& options);

// Failover durations by cause, in multiples of the TTL.
struct FailoverDistribution {
  std::size_t count = 0;
  std::size_t unfinished = 0;  // nobody took over before the run ended
  double p50_ttl = 0;
  double p99_ttl = 0;
  double max_ttl = 0;
};
std::map<std::string, FailoverDistribution> failover_distribution(const std::vector<SeedOutcome>& outcomes);

// The nearest-rank percentile of sorted values; 0 when empty.
double percentile(const std::vector<double>& sorted, double fraction);

}  // namespace baton::sim::swarm
