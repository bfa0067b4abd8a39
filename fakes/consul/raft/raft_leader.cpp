// RaftNode, the leader role: the leader loop, commitment, the lease check and proposals
// (hashicorp/raft runLeader, leaderLoop, startStopReplication, dispatchLogs, checkLeaderLease).
#include <algorithm>
#include <cassert>

#include "fakes/consul/raft/configuration.hpp"
#include "fakes/consul/raft/raft_node.hpp"

namespace baton::fakes::consul::raft {
namespace {

// How soon the next lease check may come at the earliest (minCheckInterval).
constexpr Duration kMinLeaseCheckInterval = std::chrono::milliseconds(10);

}  // namespace

Task<void> RaftNode::run_leader(std::stop_token stop) {
  log_info("entering leader state", "leader", options_.self.id, "term", durable_.current_term);
  LeaderState state(runtime_, durable_.current_term, latest_, durable_.last_index() + 1);
  leader_state_ = &state;
  if (callbacks_.leadership_changed) callbacks_.leadership_changed(true);
  start_stop_replication();
  // A no-op first, so that entries of earlier terms can commit through one of this term.
  LogEntry noop{.kind = EntryKind::noop};
  dispatch(std::move(noop), nullptr);

  const Duration lease = options_.timing.scaled_leader_lease_timeout();
  MonoTime next_lease_check = runtime_.now() + lease;
  while (role_ == RaftRole::leader) {
    wake_.reset();
    const WaitResult waited = co_await wake_.wait(stop, next_lease_check);
    if (waited == WaitResult::cancelled || role_ != RaftRole::leader) break;
    advance_commit();
    if (role_ != RaftRole::leader || runtime_.now() < next_lease_check) continue;
    const Duration max_silence = check_leader_lease();
    next_lease_check = runtime_.now() + std::max(lease - max_silence, kMinLeaseCheckInterval);
  }

  // Stepping down (hashicorp/raft's deferred cleanup in runLeader).
  touch_contact();  // so a former leader does not report an ancient last contact
  if (role_ == RaftRole::leader) set_role(RaftRole::follower);  // stopped while leading
  if (leader_ && leader_->id == options_.self.id) set_leader(std::nullopt);
  end_leadership(stop.stop_requested() ? RaftError::stopped : RaftError::leadership_lost);
  state.tasks.request_stop();
  co_await state.tasks.join();
  leader_state_ = nullptr;
  if (callbacks_.leadership_changed) callbacks_.leadership_changed(false);
}

void RaftNode::start_stop_replication() {
  LeaderState& state = *leader_state_;
  const std::uint64_t last = durable_.last_index();
  for (const Server& server : latest_.servers) {
    if (server.id == options_.self.id) continue;
    const auto known = state.followers.find(server.id);
    if (known != state.followers.end()) {
      known->second->peer = server;  // the address may have changed
      continue;
    }
    log_info("added peer, starting replication", "peer", server.id);
    auto follower = std::make_shared<Follower>(runtime_, server, last + 1, runtime_.now());
    state.followers.emplace(server.id, follower);
    state.tasks.spawn(replicate(follower, state.tasks.token()));
    state.tasks.spawn(heartbeat(follower, state.tasks.token()));
    follower->trigger.set();
  }
  for (auto it = state.followers.begin(); it != state.followers.end();) {
    if (has_vote(latest_, it->first)) {
      ++it;
      continue;
    }
    // Replicate up to the last index (the removal itself, at best), then stop.
    log_info("removed peer, stopping replication", "peer", it->first, "last-index", last);
    it->second->stop_at = last;
    it->second->trigger.set();
    it->second->notify.set();
    it = state.followers.erase(it);
  }
}

std::uint64_t RaftNode::dispatch(LogEntry entry, std::shared_ptr<Pending> pending) {
  LeaderState& state = *leader_state_;
  assert(role_ == RaftRole::leader && durable_.current_term == state.term);
  entry.index = durable_.last_index() + 1;
  entry.term = state.term;
  const std::uint64_t index = entry.index;
  durable_.append(std::move(entry));
  if (pending) {
    pending->index = index;
    state.inflight.emplace(index, std::move(pending));
  }
  if (state.commitment.match(options_.self.id, index)) wake_.set();
  for (auto& [id, follower] : state.followers) follower->trigger.set();
  return index;
}

void RaftNode::advance_commit() {
  LeaderState& state = *leader_state_;
  const std::uint64_t committed = state.commitment.commit_index();
  if (committed <= commit_index_) return;
  assert(committed <= durable_.last_index());
  const std::uint64_t previous = commit_index_;
  commit_index_ = committed;
  if (latest_index_ > previous && latest_index_ <= committed) {
    committed_ = latest_;
    committed_index_ = latest_index_;
    if (!has_vote(committed_, options_.self.id)) state.stepping_down = true;
  }
  apply_committed();
  notice_change();
  for (auto& [id, follower] : state.followers) {
    if (follower->idle) follower->trigger.set();
  }
  if (state.stepping_down) {
    // Consul sets ShutdownOnRemove = false: the server stays up, as a follower that, not being
    // a voter any more, never campaigns.
    log_info("removed ourself, transitioning to follower");
    set_role(RaftRole::follower);
  }
}

Duration RaftNode::check_leader_lease() {
  const LeaderState& state = *leader_state_;
  const Duration lease = options_.timing.scaled_leader_lease_timeout();
  const MonoTime now = runtime_.now();
  std::size_t contacted = 0;
  Duration max_silence = Duration::zero();
  for (const Server& server : latest_.servers) {
    if (server.id == options_.self.id) {
      ++contacted;
      continue;
    }
    const auto follower = state.followers.find(server.id);
    if (follower == state.followers.end()) continue;
    const Duration silence = now - follower->second->last_contact;
    if (silence <= lease) {
      ++contacted;
      max_silence = std::max(max_silence, silence);
    } else if (silence <= 3 * lease) {
      log_warn("failed to contact", "server-id", server.id, "time_ms",
               std::chrono::duration_cast<std::chrono::milliseconds>(silence).count());
    }
  }
  if (contacted < quorum_size(latest_)) {
    log_warn("failed to contact quorum of nodes, stepping down");
    set_role(RaftRole::follower);
  }
  return max_silence;
}

void RaftNode::end_leadership(RaftError reason) {
  for (auto& [index, pending] : leader_state_->inflight) {
    pending->error = reason;
    pending->done.set();
  }
  leader_state_->inflight.clear();
}

Task<RaftResult<std::any>> RaftNode::propose(Payload command, std::stop_token stop) {
  if (role_ != RaftRole::leader || leader_state_ == nullptr || leader_state_->stepping_down) {
    co_return RaftError::not_leader;
  }
  auto pending = std::make_shared<Pending>(runtime_);
  LogEntry entry{.kind = EntryKind::command, .command = std::make_shared<const Payload>(std::move(command))};
  dispatch(std::move(entry), pending);
  RaftResult<std::any> outcome = co_await await_pending(std::move(pending), std::move(stop));
  co_return outcome;
}

Task<RaftResult<std::any>> RaftNode::await_pending(std::shared_ptr<Pending> pending, std::stop_token stop) {
  // Touches only `pending` once resumed: the node may have stopped meanwhile.
  const WaitResult waited = co_await pending->done.wait(std::move(stop));
  if (waited != WaitResult::woken) co_return RaftError::stopped;
  if (pending->error) co_return *pending->error;
  co_return std::move(pending->result);
}

// A round of VerifyLeader: acks from voters (ourselves included), and whoever waits for them.
struct RaftNode::Verification {
  explicit Verification(Runtime& runtime) : changed(runtime) {}
  std::size_t acks = 0;
  bool refuted = false;  // a newer term answered
  Event changed;
};

Task<bool> RaftNode::verify_leader(Duration timeout, std::stop_token stop) {
  if (leader_state_ == nullptr) co_return false;
  const std::uint64_t term = leader_state_->term;
  const std::size_t needed = quorum_size(latest_);
  auto verification = std::make_shared<Verification>(runtime_);
  Scope asks(runtime_, stop);
  for (const Server& server : latest_.servers) {
    if (!has_vote(latest_, server.id)) continue;
    if (server.id == options_.self.id) {
      ++verification->acks;
    } else {
      asks.spawn(ask_for_ack(server, term, verification, asks.token()));
    }
  }
  const MonoTime deadline = runtime_.now() + timeout;
  bool verified = false;
  while (true) {
    if (verification->refuted || role_ != RaftRole::leader || durable_.current_term != term) break;
    if (verification->acks >= needed) {
      verified = true;
      break;
    }
    verification->changed.reset();
    const WaitResult waited = co_await verification->changed.wait(stop, deadline);
    if (waited != WaitResult::woken) break;
  }
  asks.request_stop();
  co_await asks.join();
  co_return verified;
}

Task<void> RaftNode::ask_for_ack(Server peer, std::uint64_t term, std::shared_ptr<Verification> verification,
                                 std::stop_token stop) {
  AppendEntriesRequest request{.term = term, .leader = options_.self};
  const std::optional<AppendEntriesResponse> response = co_await transport_.append_entries(peer, request, stop);
  if (!response || stop.stop_requested()) co_return;
  if (response->term > term) {
    verification->refuted = true;
    if (role_ == RaftRole::leader && durable_.current_term == term) {
      // handleStaleTerm: stop leading; the term itself is learnt from that server's next request.
      log_warn("peer has newer term, stopping replication", "peer", peer.id);
      set_role(RaftRole::follower);
    }
  } else {
    ++verification->acks;
  }
  verification->changed.set();
}

}  // namespace baton::fakes::consul::raft
