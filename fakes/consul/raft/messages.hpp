#pragma once
// The RPCs between Raft servers (hashicorp/raft commands.go), plus the request a leaving
// server sends its leader.
#include <cstdint>
#include <optional>
#include <vector>

#include "fakes/consul/raft/durable_state.hpp"
#include "fakes/consul/raft/result.hpp"
#include "fakes/consul/raft/types.hpp"

namespace baton::fakes::consul::raft {

// Replication and heartbeats. A heartbeat carries only term and leader (prev_log_index 0, no
// entries, leader_commit 0), as hashicorp/raft's heartbeat() sends it.
struct AppendEntriesRequest {
  std::uint64_t term = 0;
  Server leader;
  std::uint64_t prev_log_index = 0;
  std::uint64_t prev_log_term = 0;
  std::vector<LogEntry> entries;
  std::uint64_t leader_commit = 0;
};

struct AppendEntriesResponse {
  std::uint64_t term = 0;
  std::uint64_t last_log = 0;  // the follower's last index: lets the leader skip back quickly
  bool success = false;
  bool no_retry_backoff = false;  // a log mismatch, not a failure: retry without backing off
};

struct RequestVoteRequest {
  std::uint64_t term = 0;
  Server candidate;
  std::uint64_t last_log_index = 0;
  std::uint64_t last_log_term = 0;
};

struct RequestVoteResponse {
  std::uint64_t term = 0;
  bool granted = false;
};

// Sent when the follower needs entries the leader has compacted into its snapshot. The
// snapshot's content is those entries (see durable_state.hpp).
struct InstallSnapshotRequest {
  std::uint64_t term = 0;
  Server leader;
  SnapshotMeta meta;
  std::vector<LogEntry> entries;  // indexes 1..meta.index
};

struct InstallSnapshotResponse {
  std::uint64_t term = 0;
  bool success = false;
};

// A leaving server asks the leader to remove it. Real Consul says this through Serf (a leave
// intention the leader reconciles into RemoveServer); the fake has no gossip, so it is an RPC.
struct RemoveServerRequest {
  ServerId id;
};

struct RemoveServerResponse {
  std::optional<RaftError> error;  // nullopt: the removal committed
};

}  // namespace baton::fakes::consul::raft
