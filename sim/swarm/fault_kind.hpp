#pragma once
// The faults a swarm run can draw (`sim swarm --faults LIST`). Swarm testing (Groce et al.,
// "Swarm Testing", ISSTA 2012): each seed enables a random subset of these, so that some runs
// are dense with one kind of fault, which a uniform mix would dilute.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baton::sim::swarm {

enum class FaultKind {
  crash,             // an instance dies (SIGKILL) and restarts later
  graceful_stop,     // an instance stops (SIGTERM: releases leadership) and restarts later
  pause,             // an instance freezes and resumes later (GC pause, SIGSTOP, VM migration)
  partition,         // an instance is cut off: from everything, from Consul, or from its peers
  consul_crash,      // a Consul server dies and restarts later (never a majority at once)
  consul_partition,  // a Consul server is isolated and rejoins later
  link,              // the run's network: slower links (up to 50 ms one way) and message loss
  clock,             // an instance's wall clock steps, or its monotonic clock drifts
  terraform,         // terraform apply fails (before or after changing things) for a while
  slow_apply,        // the run's applies take long (10 s to 30 s)
  api,               // task create, delete, enable and disable through the leader's API
  catalog,           // services register, deregister and change health (the workload itself)
};

inline constexpr FaultKind kAllFaultKinds[] = {
    FaultKind::crash,           FaultKind::graceful_stop, FaultKind::pause,  FaultKind::partition,
    FaultKind::consul_crash,    FaultKind::consul_partition, FaultKind::link, FaultKind::clock,
    FaultKind::terraform,       FaultKind::slow_apply,    FaultKind::api,    FaultKind::catalog,
};

std::string_view fault_name(FaultKind kind);  // "crash", "graceful_stop", ...
std::optional<FaultKind> fault_from_name(std::string_view name);

// "crash,pause,partition" -> the kinds; an unknown name is an error naming it and the known ones.
struct FaultList {
  std::vector<FaultKind> kinds;
  std::string error;  // empty when the list is good
};
FaultList parse_fault_list(std::string_view text);

std::string fault_list_text(const std::vector<FaultKind>& kinds);  // "crash,pause"

}  // namespace baton::sim::swarm
