#pragma once
// The checkers: each invariant of DESIGN.md "Safety and liveness checked by the simulator" and
// each of a scenario's stated expectations, computed from the run's timeline (and, for the end
// state, from what the cluster holds when the run ends). One per file, FoundationDB-style;
// each returns a Verdict whose evidence names the instances and the times when it fails.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/run/scenario_cluster.hpp"
#include "sim/run/timeline.hpp"
#include "sim/scenario/scenario.hpp"

namespace baton::sim::run {

struct Verdict {
  std::string name;     // "exclusive-apply", "failover-bound", "leader_changes", ...
  bool passed = true;
  std::string summary;  // one line: what was measured
  std::vector<std::string> evidence;  // when it failed: which instances, which times
};

// A step the scenario executed, as the checkers need it.
struct StepRecord {
  std::int64_t at_ns = 0;
  std::string kind;         // "crash", "stop", "pause", "partition", "register", ...
  std::string description;  // "crash leader (cts-01)"
  bool consul_fault = false;  // it acted on a Consul server
  std::string source;       // "leader-crash.yaml:14:5"
  // Under `step_errors: continue`, why the step could not be done (it was skipped); empty when
  // it was done.
  std::string skipped_because;
};

// One leadership change the run went through, with its phases.
struct Failover {
  std::string from;   // the instance whose term ended
  std::string to;     // the next leader (empty: none by the end)
  std::string cause;  // crash, graceful, pause, partition, consul, other
  std::int64_t cause_ns = 0;      // the fault (or the term's end when nothing caused it)
  std::int64_t term_ended_ns = 0;
  std::optional<std::int64_t> session_expired_ns;
  std::optional<std::int64_t> acquired_ns;
  std::optional<std::int64_t> once_mode_done_ns;
  bool consul_stable = true;  // no Consul server fault between the cause and the acquisition
  std::optional<std::int64_t> duration_ns() const {
    return acquired_ns ? std::optional<std::int64_t>(*acquired_ns - cause_ns) : std::nullopt;
  }
};

struct CheckInput {
  const scenario::Scenario& scenario;
  const Timeline& timeline;
  const ScenarioCluster& cluster;
  const std::vector<StepRecord>& steps;
  const std::vector<Failover>& failovers;
  std::int64_t ttl_ns = 0;
};

std::vector<Failover> measure_failovers(const Timeline& timeline, const std::vector<StepRecord>& steps,
                                        const std::set<std::string>& instances);

// Each enabled task's infrastructure against the catalog's passing instances now, as the
// leader defines the tasks: one line per task that differs. check_converged's core, also asked
// while a run waits to converge (convergence_watch.hpp).
struct InfrastructureComparison {
  int compared = 0;  // tasks whose condition or inputs name services
  std::vector<std::string> differences;
};
InfrastructureComparison compare_infrastructure(const ScenarioCluster& cluster, const Instance& leader);

Verdict check_exclusive_apply(const CheckInput& input);
Verdict check_one_acting_leader(const CheckInput& input);
Verdict check_failover_bound(const CheckInput& input);
Verdict check_converged(const CheckInput& input);
Verdict check_persistence(const CheckInput& input);
Verdict check_once_mode(const CheckInput& input);
Verdict check_leader_changes(const CheckInput& input, int expected);
Verdict check_final_infrastructure(const CheckInput& input);
Verdict check_log_lines(const CheckInput& input);

// Every invariant the scenario names (all six when it names none) and every expectation it
// states, in a stable order.
std::vector<Verdict> run_checks(const CheckInput& input);

// "12.345s" and "1.62x TTL", for evidence and tables.
std::string seconds_text(std::int64_t ns);
std::string ttl_text(std::int64_t ns, std::int64_t ttl_ns);

}  // namespace baton::sim::run
