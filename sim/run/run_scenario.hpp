#pragma once
// run_scenario: a parsed scenario in, a judged run out. It loads the instances' configuration
// (the HCL the production binary reads), builds the cluster (scenario_cluster.hpp), executes
// the timeline's steps in virtual time, lets the cluster converge, reads the trace back into a
// timeline, measures the failovers and runs the checkers.
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/run/checks.hpp"
#include "sim/run/scenario_cluster.hpp"
#include "sim/run/timeline.hpp"
#include "sim/scenario/scenario.hpp"

namespace baton::sim::run {

struct RunOptions {
  std::optional<std::uint64_t> seed;  // overrides the scenario's
  std::ostream* log_out = nullptr;    // -v: every log line, as it is written
  // Keep the network's message records in the trace (for --trace); the digest covers them
  // either way, so it does not depend on this.
  bool keep_messages = false;
};

struct RunResult {
  std::string scenario_file;
  std::string scenario_name;
  std::uint64_t seed = 0;
  std::int64_t ttl_ns = 0;
  PlantedBugs bugs;  // the scenario's planted bugs: the report says so
  std::string trace_digest;
  std::uint64_t trace_records = 0;
  std::uint64_t events_run = 0;
  std::int64_t end_ns = 0;
  // Set when the run could not be set up (bad configuration): nothing ran.
  std::optional<std::string> setup_error;
  std::vector<StepRecord> steps;
  // A step that could not be done (its target was gone, a wait timed out): the run stopped
  // executing steps there; checks still ran on what happened.
  std::optional<std::string> step_error;
  Timeline timeline;
  std::vector<Failover> failovers;
  std::vector<Verdict> verdicts;
  // Kept for the outputs that need more than the summary (--trace, --report).
  std::unique_ptr<ScenarioCluster> cluster;

  bool passed() const;
};

RunResult run_scenario(const scenario::Scenario& scenario, const RunOptions& options);

// The instances' configuration, loaded from the scenario's HCL as `baton start -config-file`
// loads it; an error names the place in the scenario (or config) file.
std::variant<config::cts::Config, std::string> load_engine_config(const scenario::Scenario& scenario);

}  // namespace baton::sim::run
