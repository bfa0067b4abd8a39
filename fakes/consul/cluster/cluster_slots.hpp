#pragma once
// SimConsulCluster's bookkeeping of its processes, shared by its implementation files only:
// what each server and agent process has on disk, and the pointers to its running incarnation.
#include <optional>
#include <string>
#include <vector>

#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "fakes/consul/raft/durable_state.hpp"

namespace baton::fakes::consul {

struct SimConsulCluster::Slot {
  raft::Server server;
  sim::Node* node = nullptr;
  raft::RaftDurableState durable;  // the server's disk
  ConsulServer* live = nullptr;    // the running incarnation's
  ServerForwarder* forwarder = nullptr;
  ServerFlags flags;               // of the current (or next) start
  bool left = false;               // said goodbye to Serf (graceful leave); cleared on start
  // True time since which no running server could reach it, for failure detection.
  std::optional<std::int64_t> unreachable_since_ns;
};

struct SimConsulCluster::AgentSlot {
  std::string name;
  std::string address;
  sim::Node* node = nullptr;
  bool left = false;            // left Serf gracefully; cleared when it starts again
  bool gossip_blocked = false;  // its gossip is dropped while RPC still flows (failure mode 1)
  std::optional<std::int64_t> unreachable_since_ns;
  // The servers in the order this agent tries them (Consul's router manager): a failed
  // server moves to the back.
  std::vector<std::size_t> server_order;
};

// Consul's config builder: "BootstrapExpect is set to 1; this is the same as Bootstrap mode."
inline ServerFlags normalized(ServerFlags flags) {
  if (flags.bootstrap_expect == 1) return ServerFlags{.bootstrap_expect = 0, .bootstrap = true};
  return flags;
}

}  // namespace baton::fakes::consul
