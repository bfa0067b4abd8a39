#pragma once
// A fault schedule: what a swarm seed (or a RapidCheck property) does to a cluster, before it
// becomes an ordinary Scenario (schedule_scenario.hpp). Kept abstract (indexes and amounts, not
// steps) so that any list of episodes is meaningful: RapidCheck can generate and shrink one
// freely, and schedule_scenario drops what cannot happen (a second fault on an instance that is
// still down, a Consul fault that would take away the servers' majority).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/swarm/fault_kind.hpp"

namespace baton::sim::swarm {

// One fault and, for those that end, its recovery `hold_ns` later.
struct Episode {
  FaultKind kind = FaultKind::crash;
  std::int64_t start_ns = 0;  // since the schedule's start
  std::int64_t hold_ns = 0;   // until the recovery (restart, resume, heal, recover, drift back to 0)
  // Which one it hits, taken modulo what there is: an instance, a Consul server, a task, a
  // service, a registered service instance.
  std::uint32_t target = 0;
  // How, by kind: partition 0 isolate / 1 from Consul / 2 from the other instances; clock 0 a
  // wall-clock step / 1 drift; terraform 0 error / 1 partial (after changing part); api 0 create /
  // 1 delete / 2 disable / 3 enable; catalog 0 register / 1 deregister / 2 check -> critical /
  // 3 check -> passing.
  std::uint32_t variant = 0;
  // By kind: clock step in ms (signed) or drift in ppm; terraform: failures before it recovers
  // by itself (0: until the hold ends).
  std::int64_t amount = 0;
};

struct FaultSchedule {
  std::vector<Episode> episodes;
  // Run-wide conditions (the `link` and `slow_apply` kinds): the whole run's network and apply
  // times, instead of the base scenario's.
  std::optional<scenario::NetworkSpec> network;
  std::optional<scenario::DurationRange> apply_time;
  // Every fault has healed by then (since the schedule's start); the run then has to converge.
  std::int64_t heal_at_ns = 600'000'000'000;
};

// What a schedule acts on, read from the base scenario and its engine configuration.
struct TaskTemplate {
  std::string name;
  std::string module;
  std::vector<std::string> services;  // the names its services condition or module input lists
};

struct SwarmBase {
  scenario::Scenario scenario;        // setup and initial workload (its steps run first)
  std::int64_t session_ttl_ns = 0;
  std::vector<TaskTemplate> tasks;    // the configured tasks
  std::vector<std::string> services;  // every service name a task watches by name
  std::vector<std::string> registered_ids;  // service instances the base's steps register: id -> service below
  std::vector<std::string> registered_services;
};

}  // namespace baton::sim::swarm
