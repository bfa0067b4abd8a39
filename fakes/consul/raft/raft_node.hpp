#pragma once
// RaftNode: one Raft server, as hashicorp/raft runs it inside a Consul server.
//
// It runs on one Runtime (a simulated node, or a production process) as coroutines, keeps its
// durable state in a RaftDurableState owned outside the process, and talks to its peers only
// through a RaftTransport. The command payload is type-erased (Payload, an std::any); the
// state machine is the `apply` callback. typed_raft.hpp gives both their types back.
//
// Roles, as in hashicorp/raft's run loop:
//   follower   no contact from a leader for a random time in [HeartbeatTimeout, 2x) while it
//              is a voter of its latest configuration: becomes candidate. Not a voter (it was
//              removed, or its configuration is empty): it waits forever.
//   candidate  votes for itself in term+1, asks every voter; a majority: leader; a random
//              time in [ElectionTimeout, 2x) without one: a new election.
//   leader     appends a no-op, replicates to every peer (entries, heartbeats every
//              [HeartbeatTimeout/10, 2x), commit index every [CommitTimeout, 2x)), commits by
//              majority of the latest configuration, steps down when it has not heard from a
//              quorum within LeaderLeaseTimeout or a configuration without it commits.
// Any role steps down to follower on seeing a higher term.
//
// Lifetime: the node must outlive run() and every call into it; a crash destroys them all
// together (they live on one Runtime). After a graceful stop, nothing may be awaiting it.
#include <any>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>

#include "engine/async/event.hpp"
#include "engine/async/scope.hpp"
#include "engine/async/task.hpp"
#include "engine/log/logger.hpp"
#include "engine/ports/runtime.hpp"
#include "fakes/consul/raft/commitment.hpp"
#include "fakes/consul/raft/durable_state.hpp"
#include "fakes/consul/raft/raft_options.hpp"
#include "fakes/consul/raft/result.hpp"
#include "fakes/consul/raft/transport.hpp"

namespace baton::fakes::consul::raft {

enum class RaftRole { follower, candidate, leader };
const char* to_string(RaftRole role);

struct RaftCallbacks {
  // The state machine: applies a committed command. Called on every server, in index order,
  // once per index per incarnation (a restarted server replays its log from the start, as it
  // learns the commit index). Its result goes to the proposer, on the leader.
  std::function<std::any(std::uint64_t index, const Payload& command)> apply;
  // Empties the state machine before a snapshot's entries are replayed into it with apply()
  // (a follower installing its leader's snapshot). Optional.
  std::function<void()> reset;
  // Leadership gained (true) or lost (false). Consul's leader loop hangs off this: on gaining
  // it, it resets every session TTL timer (initializeSessionTimers). Optional.
  std::function<void(bool is_leader)> leadership_changed;
};

class RaftNode final : public RaftRpcHandler {
 public:
  RaftNode(Runtime& runtime, RaftTransport& transport, RaftDurableState& durable, RaftOptions options,
           RaftCallbacks callbacks, std::optional<Logger> log = std::nullopt);
  RaftNode(const RaftNode&) = delete;
  RaftNode& operator=(const RaftNode&) = delete;
  ~RaftNode() override;

  // The server's main loop, until `stop`. Call once per RaftNode.
  Task<void> run(std::stop_token stop);

  // Leader only: appends `command`, replicates it and completes once it is committed and
  // applied here, with apply()'s result. not_leader on a follower; leadership_lost if this
  // server stops leading first (the entry may still commit later, under another leader);
  // stopped if the server or `stop` stops first.
  Task<RaftResult<std::any>> propose(Payload command, std::stop_token stop = {});

  // Membership changes (AddVoter, RemoveServer), leader only, one at a time: each waits until
  // the latest configuration is committed and the leader has committed an entry of its term.
  // The result is the configuration entry's index, once committed. A leader removing itself
  // steps down once the removal commits and, not being a voter any more, never campaigns.
  Task<RaftResult<std::uint64_t>> add_voter(Server server, std::stop_token stop = {});
  Task<RaftResult<std::uint64_t>> remove_server(ServerId id, std::stop_token stop = {});

  // A graceful leave, as Consul's Server.Leave does it: a leader with other voters removes
  // itself; a follower asks its leader to remove it and waits up to leave_grace_period to see
  // itself gone from its latest configuration. True if it saw itself removed. With
  // clear_peers_on_leave, the durable peer set is then emptied (takes effect at the next start).
  Task<RaftResult<bool>> leave(std::stop_token stop = {});

  // VerifyLeader: true once a quorum of the latest configuration has answered a heartbeat of
  // this leader's term, proving that no other leader can have been elected meanwhile. False on
  // a follower, when a newer term answers, when the leadership ends, or after `timeout`.
  // Consul's ?consistent reads wait for this before reading.
  Task<bool> verify_leader(Duration timeout, std::stop_token stop = {});
  // LeaderLeaseTimeout as scaled: by then a leader cut off from its quorum has stepped down.
  Duration verify_timeout_hint() const { return options_.timing.scaled_leader_lease_timeout(); }

  // BootstrapCluster on a running server (what Consul's bootstrap_expect does once it has
  // counted its servers): refused with cant_bootstrap if there is any Raft state already.
  RaftStatus bootstrap(const Configuration& configuration);

  // Observers.
  RaftRole role() const { return role_; }
  bool is_leader() const { return role_ == RaftRole::leader; }
  const std::optional<Server>& leader() const { return leader_; }
  const Server& self() const { return options_.self; }
  std::uint64_t current_term() const { return durable_.current_term; }
  // When a leader last contacted this server (AppendEntries, a granted vote, a snapshot), or
  // when it last stopped leading; nullopt before any. Consul's X-Consul-LastContact.
  std::optional<MonoTime> last_contact() const { return last_contact_; }
  std::uint64_t commit_index() const { return commit_index_; }
  std::uint64_t last_applied() const { return last_applied_; }
  std::uint64_t last_index() const { return durable_.last_index(); }
  const Configuration& latest_configuration() const { return latest_; }
  std::uint64_t latest_configuration_index() const { return latest_index_; }
  const Configuration& committed_configuration() const { return committed_; }
  // Set, then reset at once, on every change of role, leader, term, commit index or
  // configuration: await it to hear of one.
  Event& changed() { return changed_; }

  // RaftRpcHandler: what the transport calls when a request arrives.
  AppendEntriesResponse handle_append_entries(const AppendEntriesRequest& request) override;
  RequestVoteResponse handle_request_vote(const RequestVoteRequest& request) override;
  InstallSnapshotResponse handle_install_snapshot(const InstallSnapshotRequest& request) override;
  Task<RemoveServerResponse> handle_remove_server(RemoveServerRequest request) override;

 private:
  // An entry a caller waits on, from dispatch until it is applied or abandoned.
  struct Pending {
    explicit Pending(Runtime& runtime) : done(runtime) {}
    Event done;
    std::optional<RaftError> error;
    std::any result;
    std::uint64_t index = 0;
  };
  // The leader's view of one follower (hashicorp/raft's followerReplication).
  struct Follower {
    Follower(Runtime& runtime, Server server, std::uint64_t next, MonoTime now)
        : peer(std::move(server)), next_index(next), last_contact(now), trigger(runtime), notify(runtime) {}
    Server peer;
    std::uint64_t next_index;
    MonoTime last_contact;  // of any response, success or not (checkLeaderLease)
    std::uint64_t failures = 0;
    // The commit index this follower last acknowledged learning (a successful AppendEntries).
    std::uint64_t commit_known = 0;
    // Waiting with nothing to send (see RaftNode::replicate): a commit advance wakes it.
    bool idle = false;
    Event trigger;  // new entries (or, when idle, a new commit index): replicate
    Event notify;   // heartbeat now, or stop
    // Removed from the configuration: replicate up to this index, then stop.
    std::optional<std::uint64_t> stop_at;
  };
  // Everything that lives exactly as long as one term of leadership.
  struct LeaderState {
    LeaderState(Runtime& runtime, std::uint64_t leader_term, const Configuration& configuration,
                std::uint64_t start_index)
        : term(leader_term), commitment(configuration, start_index), tasks(runtime) {}
    std::uint64_t term;  // every request of this leadership carries it
    Commitment commitment;
    std::map<std::uint64_t, std::shared_ptr<Pending>> inflight;  // by index
    std::map<ServerId, std::shared_ptr<Follower>> followers;
    bool stepping_down = false;  // a configuration without us committed
    Scope tasks;                 // replication and heartbeats; stopped and joined on step-down
  };
  enum class Change { add_voter, remove_server };

  // Roles (raft_node.cpp, raft_candidate.cpp, raft_leader.cpp).
  Task<void> run_follower(std::stop_token stop);
  Task<void> run_candidate(std::stop_token stop);
  Task<void> run_leader(std::stop_token stop);
  Task<void> ask_for_vote(Server peer, RequestVoteRequest request, std::uint64_t& granted, std::stop_token stop);
  void become_leader();
  struct Verification;
  Task<void> ask_for_ack(Server peer, std::uint64_t term, std::shared_ptr<Verification> verification,
                         std::stop_token stop);

  // Leader internals (raft_leader.cpp, raft_replication.cpp, raft_membership.cpp).
  void start_stop_replication();
  std::uint64_t dispatch(LogEntry entry, std::shared_ptr<Pending> pending);
  void advance_commit();
  Duration check_leader_lease();
  void end_leadership(RaftError reason);
  Task<void> replicate(std::shared_ptr<Follower> follower, std::stop_token stop);
  bool up_to_date(const Follower& follower) const;
  Task<void> heartbeat(std::shared_ptr<Follower> follower, std::stop_token stop);
  // One exchange with a follower: carry on, give up until the next trigger, or stop for good.
  enum class Round { more, give_up, stop };
  Task<bool> replicate_to(Follower& follower, std::uint64_t last_index, std::stop_token stop);
  Task<Round> append_round(Follower& follower, std::uint64_t last_index, std::stop_token stop);
  Task<Round> snapshot_round(Follower& follower, std::stop_token stop);
  AppendEntriesRequest next_append(const Follower& follower, std::uint64_t last_index) const;
  void record_append_response(Follower& follower, const AppendEntriesRequest& request,
                              const AppendEntriesResponse& response);
  void step_down_for_stale_term(const Follower& follower);
  bool configuration_stable() const;
  Task<RaftResult<std::uint64_t>> change_configuration(Change change, Server server, std::stop_token stop);
  Task<RaftResult<std::any>> await_pending(std::shared_ptr<Pending> pending, std::stop_token stop);
  Task<bool> wait_for_removal(std::stop_token stop);
  Task<void> ask_removal(Server leader, std::stop_token stop);

  // Shared by every role (raft_node.cpp).
  void set_role(RaftRole role);
  void set_leader(std::optional<Server> leader);
  void set_current_term(std::uint64_t term);
  void touch_contact() { last_contact_ = runtime_.now(); }
  void notice_change();
  void restore_configurations();
  void process_configuration_entry(const LogEntry& entry);
  void set_committed_index(std::uint64_t index);
  void apply_committed();
  void restore_snapshot();
  Duration random_timeout(Duration minimum);

  // RPC handling (raft_rpc.cpp).
  bool previous_entry_matches(const AppendEntriesRequest& request, AppendEntriesResponse& response);
  void store_entries(const AppendEntriesRequest& request);
  bool vote_refused(const RequestVoteRequest& request);
  void forget_overwritten_commits(std::uint64_t from_index);

  template <class... KeyValues>
  void log_info(std::string_view message, const KeyValues&... pairs) const {
    if (log_) log_->info(message, pairs...);
  }
  template <class... KeyValues>
  void log_warn(std::string_view message, const KeyValues&... pairs) const {
    if (log_) log_->warn(message, pairs...);
  }

  Runtime& runtime_;
  RaftTransport& transport_;
  RaftDurableState& durable_;
  RaftOptions options_;
  RaftCallbacks callbacks_;
  std::optional<Logger> log_;

  // Volatile state: gone with the process.
  RaftRole role_ = RaftRole::follower;
  std::optional<Server> leader_;
  std::optional<MonoTime> last_contact_;
  std::uint64_t commit_index_ = 0;
  std::uint64_t last_applied_ = 0;
  // hashicorp/raft's configurations: the latest in the log (in force at once) and the latest
  // committed one, each with the index it was written at.
  Configuration latest_;
  std::uint64_t latest_index_ = 0;
  Configuration committed_;
  std::uint64_t committed_index_ = 0;
  LeaderState* leader_state_ = nullptr;  // set while run_leader runs
  Event wake_;     // something the current role loop should look at
  Event changed_;  // pulsed on every change changed() documents
  bool running_ = false;
};

}  // namespace baton::fakes::consul::raft
