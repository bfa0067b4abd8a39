#pragma once
// What one swarm seed's run came to, small enough to send from a worker process as one line.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/run/run_scenario.hpp"

namespace baton::sim::swarm {

struct FailoverSample {
  std::string cause;         // crash, graceful, pause, partition, consul, other
  std::int64_t duration_ns;  // from the fault to the next leader's lock; -1: nobody took over
};

struct SeedOutcome {
  std::uint64_t seed = 0;
  std::string base_file;
  std::string mix;
  bool passed = false;
  // Failed checks by name ("exclusive-apply", "converged", "setup", "crashed": the simulator
  // itself died on this seed), with the first lines of their evidence.
  std::vector<std::string> failed_checks;
  std::vector<std::string> evidence;
  std::vector<FailoverSample> failovers;
  std::int64_t session_ttl_ns = 0;
  std::int64_t virtual_ns = 0;
  std::uint64_t events = 0;
  std::size_t steps = 0;
  std::size_t skipped_steps = 0;
};

SeedOutcome outcome_of(const run::RunResult& result, std::string base_file, std::string mix);

// The failed checks in the order the run reports them; the first is the "primary" failure a
// shrink must keep.
std::vector<std::string> failed_check_names(const run::RunResult& result);

std::string to_line(const SeedOutcome& outcome);  // one line of JSON
std::optional<SeedOutcome> from_line(const std::string& line);

}  // namespace baton::sim::swarm
