#pragma once
// A swarm seed's fault schedule: the seed draws its own mix (which of the allowed fault kinds
// are on, how often faults come, how long they last, the network and apply times), then the
// episodes. The same seed and options always draw the same schedule.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/swarm/fault_schedule.hpp"

namespace baton::sim::swarm {

struct DrawOptions {
  std::vector<FaultKind> allowed{std::begin(kAllFaultKinds), std::end(kAllFaultKinds)};
  std::int64_t heal_at_ns = 600'000'000'000;  // faults happen in [warmup, heal_at): 10 virtual minutes
  std::int64_t warmup_ns = 30'000'000'000;    // the base's workload and first election settle first
};

struct DrawnSchedule {
  FaultSchedule schedule;
  std::vector<FaultKind> enabled;  // this seed's mix
  std::int64_t mean_gap_ns = 0;    // between episode starts
  std::int64_t hold_max_ns = 0;    // an episode lasts 0.1 s .. this
  std::string mix_text() const;    // "crash,pause,api; a fault every ~15s, held up to 3.0x TTL"
  std::int64_t session_ttl_ns = 0;
};

DrawnSchedule draw_schedule(const SwarmBase& base, std::uint64_t seed, const DrawOptions& options);

}  // namespace baton::sim::swarm
