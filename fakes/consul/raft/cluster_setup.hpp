#pragma once
// What an operator does to a stopped server's durable state before starting it
// (hashicorp/raft api.go).
//
// bootstrap_cluster (BootstrapCluster): a brand-new server writes term 1 and, at index 1, a
//   configuration entry listing the initial servers. Refused (cant_bootstrap) if there is
//   any state: Consul's bootstrap_expect applies to the first start only.
//
// recover_cluster (RecoverCluster, what Consul does with raft/peers.json at start): forces
//   `configuration` on a server that lost its quorum. Every entry of its log survives and is
//   implicitly committed, including entries that never were (a known hazard: hashicorp/raft's
//   own warning, and consul-lock-failure-modes.md item 24); the log is "compacted" into a
//   snapshot at its last index and term carrying the new configuration (at configuration
//   index 1); the current term and the vote are kept. Refused without existing state. Run it
//   on every survivor with the same configuration, then start them.
#include "fakes/consul/raft/durable_state.hpp"
#include "fakes/consul/raft/result.hpp"

namespace baton::fakes::consul::raft {

RaftStatus bootstrap_cluster(RaftDurableState& durable, const Configuration& configuration);
RaftStatus recover_cluster(RaftDurableState& durable, const Configuration& configuration);

// The configuration a server would start with: a legacy peers.json if one is set, else the
// latest configuration entry of its log, else its snapshot's.
Configuration stored_configuration(const RaftDurableState& durable);

}  // namespace baton::fakes::consul::raft
