// RaftNode: construction, the run loop, the follower role, and state shared by every role.
#include "fakes/consul/raft/raft_node.hpp"

#include "fakes/consul/raft/cluster_setup.hpp"

#include <cassert>

#include "fakes/consul/raft/configuration.hpp"

namespace baton::fakes::consul::raft {

const char* to_string(RaftRole role) {
  switch (role) {
    case RaftRole::follower: return "Follower";
    case RaftRole::candidate: return "Candidate";
    case RaftRole::leader: return "Leader";
  }
  return "Unknown";
}

RaftNode::RaftNode(Runtime& runtime, RaftTransport& transport, RaftDurableState& durable, RaftOptions options,
                   RaftCallbacks callbacks, std::optional<Logger> log)
    : runtime_(runtime),
      transport_(transport),
      durable_(durable),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      log_(std::move(log)),
      wake_(runtime),
      changed_(runtime) {
  assert(callbacks_.apply && "a Raft server needs a state machine");
  assert(!options_.self.id.empty() && !options_.self.address.empty());
  assert(options_.timing.raft_multiplier >= 1 && options_.timing.raft_multiplier <= 10);
  assert(options_.timing.leader_lease_timeout <= options_.timing.heartbeat_timeout &&
         options_.timing.heartbeat_timeout <= options_.timing.election_timeout && "hashicorp/raft ValidateConfig");
  // NewRaft: restore the snapshot into the state machine, then the configurations from it and
  // the log. Entries after the snapshot are applied once a leader says they are committed.
  restore_snapshot();
  restore_configurations();
  transport_.serve(this);
}

RaftNode::~RaftNode() {
  // Unlinks from the transport only: this also runs while a crash tears the process down.
  transport_.serve(nullptr);
}

Task<void> RaftNode::run(std::stop_token stop) {
  assert(!running_ && "run() once per RaftNode");
  running_ = true;
  while (!stop.stop_requested()) {
    switch (role_) {
      case RaftRole::follower: co_await run_follower(stop); break;
      case RaftRole::candidate: co_await run_candidate(stop); break;
      case RaftRole::leader: co_await run_leader(stop); break;
    }
  }
  // Shutdown: no leader to forward to, and whoever waits on a membership change hears of it.
  set_role(RaftRole::follower);
  notice_change();
  running_ = false;
}

Task<void> RaftNode::run_follower(std::stop_token stop) {
  log_info("entering follower state", "follower", options_.self.id, "leader-id", leader_ ? leader_->id : "");
  const Duration timeout = options_.timing.scaled_heartbeat_timeout();
  MonoTime deadline = runtime_.now() + random_timeout(timeout);
  bool warned = false;
  while (role_ == RaftRole::follower) {
    wake_.reset();
    const WaitResult waited = co_await wake_.wait(stop, deadline);
    if (waited == WaitResult::cancelled) co_return;
    if (runtime_.now() < deadline) continue;  // woken for something else
    deadline = runtime_.now() + random_timeout(timeout);
    if (last_contact_ && runtime_.now() - *last_contact_ < timeout) continue;

    // Heartbeat failed: forget the leader, and campaign only as a voter of our configuration.
    const std::string last_leader = leader_ ? leader_->id : "";
    set_leader(std::nullopt);
    if (latest_index_ == 0 || latest_.servers.empty()) {
      if (!warned) log_warn("no known peers, aborting election");
      warned = true;
    } else if (has_vote(latest_, options_.self.id)) {
      log_warn("heartbeat timeout reached, starting election", "last-leader-id", last_leader);
      set_role(RaftRole::candidate);
    } else {
      if (!warned) {
        log_warn(latest_index_ == committed_index_
                     ? "not part of stable configuration, aborting election"
                     : "heartbeat timeout reached, not part of a stable configuration or a non-voter, not triggering a leader election");
      }
      warned = true;
    }
  }
}

RaftStatus RaftNode::bootstrap(const Configuration& configuration) {
  const RaftStatus status = bootstrap_cluster(durable_, configuration);
  if (!status) return status;
  restore_configurations();
  notice_change();
  wake_.set();
  return status;
}

void RaftNode::set_role(RaftRole role) {
  set_leader(std::nullopt);  // as hashicorp/raft's setState: any transition forgets the leader
  if (role_ == role) return;
  role_ = role;
  wake_.set();
  notice_change();
}

void RaftNode::set_leader(std::optional<Server> leader) {
  if (leader_ == leader) return;
  leader_ = std::move(leader);
  notice_change();
}

void RaftNode::set_current_term(std::uint64_t term) {
  assert(term >= durable_.current_term && "terms never go back");
  if (term == durable_.current_term) return;
  durable_.current_term = term;
  notice_change();
}

void RaftNode::notice_change() {
  changed_.set();
  changed_.reset();
}

void RaftNode::restore_snapshot() {
  const SnapshotMeta& snapshot = durable_.snapshot;
  if (snapshot.index == 0) return;
  assert(durable_.last_index() >= snapshot.index && "a snapshot's entries stay in the log");
  if (callbacks_.reset) callbacks_.reset();
  commit_index_ = snapshot.index;
  apply_committed();
}

void RaftNode::restore_configurations() {
  latest_ = committed_ = durable_.snapshot.configuration;
  latest_index_ = committed_index_ = durable_.snapshot.configuration_index;
  for (std::uint64_t index = durable_.snapshot.index + 1; index <= durable_.last_index(); ++index) {
    const LogEntry& entry = *durable_.entry(index);
    if (entry.kind != EntryKind::configuration) continue;
    committed_ = latest_;
    committed_index_ = latest_index_;
    latest_ = entry.configuration;
    latest_index_ = entry.index;
  }
  if (durable_.legacy_peers) {
    // Raft protocol < 3 read its peers from peers.json, whatever the log said.
    latest_ = committed_ = *durable_.legacy_peers;
    latest_index_ = committed_index_ = durable_.last_index();
  }
}

void RaftNode::process_configuration_entry(const LogEntry& entry) {
  if (entry.kind != EntryKind::configuration) return;
  committed_ = latest_;
  committed_index_ = latest_index_;
  latest_ = entry.configuration;
  latest_index_ = entry.index;
  durable_.legacy_peers.reset();  // the log speaks for the membership again
  notice_change();
}

void RaftNode::set_committed_index(std::uint64_t index) {
  assert(index <= durable_.last_index());
  if (index <= commit_index_) return;
  commit_index_ = index;
  if (latest_index_ <= index) {
    committed_ = latest_;
    committed_index_ = latest_index_;
  }
  apply_committed();
  notice_change();
}

void RaftNode::apply_committed() {
  while (last_applied_ < commit_index_) {
    const std::uint64_t index = last_applied_ + 1;
    const LogEntry* entry = durable_.entry(index);
    assert(entry != nullptr && entry->index == index);
    std::any result;
    if (entry->kind == EntryKind::command) result = callbacks_.apply(index, *entry->command);
    last_applied_ = index;
    if (leader_state_ == nullptr) continue;
    const auto waiting = leader_state_->inflight.find(index);
    if (waiting == leader_state_->inflight.end()) continue;
    waiting->second->result = std::move(result);
    waiting->second->done.set();
    leader_state_->inflight.erase(waiting);
  }
}

Duration RaftNode::random_timeout(Duration minimum) {
  assert(minimum > Duration::zero());
  return minimum + Duration(std::int64_t(runtime_.rng().below(std::uint64_t(minimum.count()))));
}

}  // namespace baton::fakes::consul::raft
