#pragma once
// ConsulServer: one Consul server process. It holds a replica of the state store and, while it
// leads, does what only Consul's leader does: orders writes into the log, runs the session TTL
// timers (agent/consul/session_ttl.go), enforces lock-delay on its own clock, and generates
// session ids.
//
// Two modes:
// - dev: a single server that leads from the moment it runs (`consul agent -dev`); propose()
//   applies at once.
// - clustered (given a ServerRaft): a RaftNode orders the writes; every server applies them
//   to its own store; the leader, once its first entry of the term commits (Consul's
//   establishLeadership barrier), resets every session timer to a full TTL x 2
//   (initializeSessionTimers) and clears them all when it steps down. Requests that need the
//   leader reach it through HttpApi's forwarding (Consul's ForwardRPC).
#include <functional>
#include <map>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/async/event.hpp"
#include "engine/async/task.hpp"
#include "engine/ports/runtime.hpp"
#include "engine/async/scope.hpp"
#include "fakes/consul/raft/raft_node.hpp"
#include "fakes/consul/server/command.hpp"
#include "fakes/consul/server/rpc_result.hpp"
#include "fakes/consul/server/watch_hub.hpp"
#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {

using namespace std::chrono_literals;

struct ConsulServerOptions {
  std::string node_name = "consul-server-1";
  std::string datacenter = "dc1";
  // Address in the catalog and in /v1/status/leader ("ip:port", port = server RPC port).
  std::string address = "127.0.0.1";
  int server_port = 8300;
  // Lower bound of a session TTL (Consul's session_ttl_min, default 10s); fake-consul lets
  // tests lower it.
  Duration session_ttl_min = 10s;
  // Upper bound of a session TTL (structs.SessionTTLMax).
  Duration session_ttl_max = 24h;
  // Session expiry happens at TTL x this (structs.SessionTTLMultiplier).
  int session_ttl_multiplier = 2;
  // Blocking queries: the most a client may ask (max_query_time) and what ?wait<=0 gets.
  Duration max_query_time = 600s;
  Duration default_query_time = 300s;
  // How long a call waits for a leader before failing with "No cluster leader".
  Duration rpc_hold_timeout = 7s;
  // Largest KV value accepted (kv_max_value_size) and operations per transaction.
  std::size_t kv_max_value_size_bytes = 512 * 1024;
  std::size_t txn_max_ops = 64;
  // ACLs: off by default, as in a dev agent.
  AclOptions acl;
  // Told when this server, as leader, expires a session's TTL, with the session's id and name:
  // the simulator traces it (a failover's "session invalidated" phase). May be empty.
  std::function<void(const std::string& session_id, const std::string& session_name)> on_session_expired;
};

// A clustered server's Raft: its durable log and peers (owned outside the process, as a disk
// is) and how it reaches the other servers' Raft.
struct ServerRaft {
  raft::RaftTransport& transport;
  raft::RaftDurableState& durable;
  raft::RaftOptions options;
  // Where Raft logs, if anywhere.
  std::optional<Logger> log = std::nullopt;
};

class ConsulServer {
 public:
  ConsulServer(Runtime& runtime, ConsulServerOptions options, std::optional<ServerRaft> raft = std::nullopt);
  ConsulServer(const ConsulServer&) = delete;
  ConsulServer& operator=(const ConsulServer&) = delete;

  // Leads until `stop`: registers its own node, then runs the session TTL timers.
  Task<void> run(std::stop_token stop);

  bool is_leader() const { return leader_; }
  bool clustered() const { return raft_.has_value(); }
  // The leader's server id as this server knows it (its own in dev mode); nullopt when none.
  std::optional<std::string> leader_id() const;
  // When this server last heard from a leader (Raft), for X-Consul-LastContact; now on a leader.
  Duration last_contact_age() const;
  // Set on every change of leadership or of the known leader.
  Event& changed() { return raft_ ? raft_->changed() : leader_changed_; }
  raft::RaftNode* raft() { return raft_ ? &*raft_ : nullptr; }
  const raft::RaftNode* raft() const { return raft_ ? &*raft_ : nullptr; }
  // "ip:port" of the leader, "" when there is none.
  std::string leader_address() const;
  std::vector<std::string> peers() const;

  // Orders `command` into the log and applies it; waits up to rpc_hold_timeout for a leader.
  // Around the apply, the leader's own duties: before, lock-delay refuses acquires
  // (kvsPreApply, on the leader's clock); after, session creates and destroys arm and clear
  // TTL timers (Session.Apply).
  Task<RpcResult<CommandResult>> propose(Command command, std::stop_token stop = {});

  // Server.Leave: leaves the Raft configuration gracefully (a leader removes itself, a follower
  // asks the leader to). True once this server saw itself removed. Dev mode: nothing to leave.
  Task<bool> leave(std::stop_token stop = {});

  // consistentRead: raft VerifyLeader on a clustered leader (a quorum answers a heartbeat of
  // its term). The error a deposed leader answers instead; nullopt in dev mode or once verified.
  Task<std::optional<RpcError>> verify_leadership(std::stop_token stop = {});

  // Session.Renew: resets the session's TTL timer on the leader; nullopt if it does not exist.
  Task<RpcResult<std::optional<Session>>> renew_session(std::string id, std::stop_token stop = {});

  // A fresh session id, unique in the leader's store (Session.Apply generates it there).
  std::string new_session_id();
  bool lock_delay_in_force(std::string_view key) const;
  std::size_t session_timer_count() const { return session_deadlines_.size(); }

  const StateStore& store() const { return store_; }
  WatchHub& watches() { return watches_; }
  Runtime& runtime() const { return runtime_; }
  const ConsulServerOptions& options() const { return options_; }
  std::uint64_t last_index() const { return raft_ ? raft_->last_applied() : last_index_; }

 private:
  Task<bool> await_leader(std::stop_token stop);
  // kvsPreApply's lock-delay check; a refusal to return instead of applying, if any.
  std::optional<CommandResult> refuse_during_lock_delay(const Command& command) const;
  void update_session_timers(const Command& command);
  void reset_session_timer(std::string_view id, Duration ttl);
  void clear_session_timer(std::string_view id);
  Task<void> expire_sessions(std::stop_token stop);
  Task<void> register_self();
  void become_leader();
  Task<void> establish_leadership(std::uint64_t term);
  void step_down();
  raft::RaftCallbacks raft_callbacks();

  Runtime& runtime_;
  ConsulServerOptions options_;
  StateStore store_;
  WatchHub watches_;
  std::uint64_t last_index_ = 0;
  bool leader_ = false;
  Event leader_changed_;
  // Session TTL timers: deadline per session, and the same ordered by deadline.
  std::map<std::string, MonoTime, std::less<>> session_deadlines_;
  std::set<std::pair<MonoTime, std::string>> deadline_order_;
  Event timers_changed_;
  std::optional<raft::RaftNode> raft_;
  Scope tasks_;  // leadership establishment; dies with the process
};

// A UUID in go-uuid's GenerateUUID format (16 random bytes as 8-4-4-4-12 hex, no version bits).
std::string generate_uuid(Rng& rng);

}  // namespace baton::fakes::consul
