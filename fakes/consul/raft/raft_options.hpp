#pragma once
// A Raft server's settings: hashicorp/raft's Config as Consul fills it in.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "engine/ports/time.hpp"
#include "fakes/consul/raft/types.hpp"

namespace baton::fakes::consul::raft {

using namespace std::chrono_literals;

// Raft timing. Consul's defaults (agent/config/default.go, consul.raft.*) are the fields'
// defaults; Consul multiplies heartbeat, election and lease timeouts by
// performance.raft_multiplier (agent/config/builder.go), default 5, range 1..10.
struct RaftTiming {
  // A follower with no contact from a leader for a random time in [h, 2h) campaigns.
  Duration heartbeat_timeout = 1000ms;
  // A candidate without a majority after a random time in [e, 2e) starts a new election.
  Duration election_timeout = 1000ms;
  // A leader that has not heard from a quorum within this steps down (checkLeaderLease).
  Duration leader_lease_timeout = 500ms;
  // A leader pushes its commit index at least this often (random in [c, 2c)). Not scaled.
  Duration commit_timeout = 50ms;
  // Scales the three timeouts above (not commit_timeout), as Consul's raft_multiplier does.
  int raft_multiplier = 5;

  Duration scaled_heartbeat_timeout() const { return heartbeat_timeout * raft_multiplier; }
  Duration scaled_election_timeout() const { return election_timeout * raft_multiplier; }
  Duration scaled_leader_lease_timeout() const { return leader_lease_timeout * raft_multiplier; }

  // `consul agent -dev` (DevConsulSource): election 52ms, heartbeat 35ms, lease 20ms, x1.
  static RaftTiming consul_dev() {
    return RaftTiming{.heartbeat_timeout = 35ms, .election_timeout = 52ms, .leader_lease_timeout = 20ms,
                      .raft_multiplier = 1};
  }
};

struct RaftOptions {
  // This server's id and address, as configurations name it.
  Server self;
  RaftTiming timing;
  // Most entries in one AppendEntries (MaxAppendEntries).
  std::size_t max_append_entries = 64;
  // How long a leaving follower waits to see itself removed (Consul's raftRemoveGracePeriod),
  // and how often it looks (Consul polls every 50ms).
  Duration leave_grace_period = 5s;
  Duration leave_poll_interval = 50ms;
  // Early Consul emptied a server's peer set after a graceful leave (0.5/0.6: Server.Shutdown's
  // "Clear the peer set on a graceful leave to avoid triggering elections on a rejoin"; 0.7:
  // raftSafeFn, a RecoverCluster to an empty configuration). Once every server had left, none
  // could elect after a restart: hashicorp/consul issue 993. Current Consul keeps the
  // configuration the log gives (agent/consul/server.go Leave: "With the old Raft library we
  // used to force the peers set to empty when a graceful leave occurred"): false.
  bool clear_peers_on_leave = false;
};

}  // namespace baton::fakes::consul::raft
