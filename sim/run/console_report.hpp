#pragma once
// What `sim run` prints: a compact timeline of what mattered (the scenario's faults and
// operations, leadership phases, sessions Consul expired, failed applies, violations), the
// failovers with their phases in seconds and in multiples of the TTL, the verdict table, and
// the command that reproduces the run.
#include <iosfwd>
#include <string>

#include "sim/run/run_scenario.hpp"

namespace baton::sim::run {

// `command` is how to reproduce it: "sim run scenarios/leader-crash.yaml --seed 1".
void print_report(std::ostream& out, const RunResult& result, const std::string& command);

}  // namespace baton::sim::run
