#pragma once
// Shrinking a failing scenario to a minimal one that fails the same way: delta debugging
// (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input", 2002) over its
// steps, then single steps, then the run-wide settings put back to defaults. "The same way":
// the shrunk run still fails the check the original failed first (its primary failure), with a
// summary of the same shape ("converged: N differences at the end", not "converged: no leader
// at the end"), whatever else it fails or stops failing.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace baton::sim::swarm {

struct ShrinkOptions {
  std::size_t runs_max = 2'000;  // give up improving after this many runs (keeping the best so far)
  // Called after each run with (runs so far, steps in the smallest failing scenario so far).
  std::function<void(std::size_t, std::size_t)> on_progress;
};

struct ShrinkResult {
  bool failed = false;            // the input failed at all (else nothing was shrunk)
  std::string primary_failure;    // the check kept failing, with its summary's shape
  scenario::Scenario scenario;    // the smallest failing scenario found
  std::size_t steps_before = 0;
  std::size_t steps_after = 0;
  std::size_t runs = 0;
};

ShrinkResult shrink_scenario(const scenario::Scenario& failing, const ShrinkOptions& options = {});

}  // namespace baton::sim::swarm
