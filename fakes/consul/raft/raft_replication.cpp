// RaftNode, replication to one follower (hashicorp/raft replication.go): the replication loop
// (new entries, and the commit index at least every CommitTimeout), the heartbeat loop beside
// it, backoff on failures, and snapshots for followers that need compacted entries.
#include <algorithm>
#include <cassert>

#include "engine/async/wait.hpp"
#include "fakes/consul/raft/raft_node.hpp"

namespace baton::fakes::consul::raft {
namespace {

constexpr Duration kFailureWait = std::chrono::milliseconds(10);  // failureWait
constexpr std::uint64_t kMaxFailureScale = 12;                    // maxFailureScale

// backoff(): base doubled for every round past the second, up to `limit` rounds.
Duration backoff(Duration base, std::uint64_t round, std::uint64_t limit) {
  for (std::uint64_t power = std::min(round, limit); power > 2; --power) base *= 2;
  return base;
}

// cappedExponentialBackoff(): the same, never above `cap`.
Duration capped_backoff(Duration base, std::uint64_t round, std::uint64_t limit, Duration cap) {
  return std::min(backoff(base, round, limit), cap);
}

}  // namespace

// hashicorp/raft sends an AppendEntries every [CommitTimeout, 2x CommitTimeout) even when the
// follower has every entry and the commit index: 13 round trips a second per follower that
// change nothing but the follower's last-contact time, which heartbeats refresh anyway. They
// were 95% of a simulated hour's events, so a follower known to be up to date is left idle:
//   - new entries wake it at once, as in hashicorp/raft;
//   - a new commit index is pushed [c, 2c) after it moves, the window the commit timer gives;
//   - every [H, 2H) (H the scaled heartbeat timeout) an idle follower gets one anyway, so a
//     follower restarted between two heartbeats (its commit index lost) learns it again.
// A deliberate difference, tested in RaftReplication.IdleLeaderSendsOnlyHeartbeats.
bool RaftNode::up_to_date(const Follower& follower) const {
  return follower.failures == 0 && !follower.stop_at && follower.next_index > durable_.last_index() &&
         follower.commit_known >= commit_index_;
}

Task<void> RaftNode::replicate(std::shared_ptr<Follower> follower, std::stop_token stop) {
  Follower& peer = *follower;
  for (;;) {
    peer.idle = up_to_date(peer);
    const Duration wait = peer.idle ? random_timeout(options_.timing.scaled_heartbeat_timeout())
                                    : random_timeout(options_.timing.commit_timeout);
    WaitResult waited = co_await peer.trigger.wait(stop, runtime_.now() + wait);
    if (waited == WaitResult::cancelled) co_return;
    peer.trigger.reset();
    if (peer.idle && waited == WaitResult::woken && peer.next_index > durable_.last_index() && !peer.stop_at) {
      // Only the commit index moved: push it when the commit timer would have.
      peer.idle = false;
      const MonoTime commit_deadline = runtime_.now() + random_timeout(options_.timing.commit_timeout);
      waited = co_await peer.trigger.wait(stop, commit_deadline);
      if (waited == WaitResult::cancelled) co_return;
      peer.trigger.reset();
    }
    peer.idle = false;
    if (peer.stop_at) {
      // Removed from the configuration: a best effort up to the removal, then stop.
      if (*peer.stop_at > 0) co_await replicate_to(peer, *peer.stop_at, stop);
      co_return;
    }
    const bool should_stop = co_await replicate_to(peer, durable_.last_index(), stop);
    if (should_stop) co_return;
  }
}

Task<bool> RaftNode::replicate_to(Follower& follower, std::uint64_t last_index, std::stop_token stop) {
  for (;;) {
    if (follower.failures > 0) {
      const Duration pause = backoff(kFailureWait, follower.failures, kMaxFailureScale);
      const WaitResult slept = co_await sleep_for(runtime_, pause, stop);
      if (slept == WaitResult::cancelled) co_return true;
    }
    if (stop.stop_requested() || role_ != RaftRole::leader) co_return true;
    Round round = Round::more;
    if (follower.next_index <= durable_.snapshot.index) {
      round = co_await snapshot_round(follower, stop);
    } else {
      round = co_await append_round(follower, last_index, stop);
    }
    if (round == Round::stop) co_return true;
    if (round == Round::give_up) co_return false;
    if (follower.stop_at) co_return true;  // a removed peer gets one round only
    if (follower.next_index > last_index) co_return false;
  }
}

AppendEntriesRequest RaftNode::next_append(const Follower& follower, std::uint64_t last_index) const {
  AppendEntriesRequest request{.term = leader_state_->term, .leader = options_.self};
  request.leader_commit = commit_index_;
  request.prev_log_index = follower.next_index - 1;
  assert(request.prev_log_index <= durable_.last_index());
  request.prev_log_term = durable_.term_at(request.prev_log_index);
  const std::uint64_t last = std::min(follower.next_index + options_.max_append_entries - 1, last_index);
  for (std::uint64_t index = follower.next_index; index <= last; ++index) request.entries.push_back(*durable_.entry(index));
  return request;
}

Task<RaftNode::Round> RaftNode::append_round(Follower& follower, std::uint64_t last_index, std::stop_token stop) {
  AppendEntriesRequest request = next_append(follower, last_index);
  const std::optional<AppendEntriesResponse> response = co_await transport_.append_entries(follower.peer, request, stop);
  if (stop.stop_requested() || role_ != RaftRole::leader) co_return Round::stop;
  if (!response) {
    log_warn("failed to appendEntries to", "peer", follower.peer.id);
    ++follower.failures;
    co_return Round::give_up;
  }
  if (response->term > request.term) {
    step_down_for_stale_term(follower);
    co_return Round::stop;
  }
  record_append_response(follower, request, *response);
  co_return Round::more;
}

void RaftNode::record_append_response(Follower& follower, const AppendEntriesRequest& request,
                                      const AppendEntriesResponse& response) {
  follower.last_contact = runtime_.now();
  if (response.success) {
    follower.commit_known = std::max(follower.commit_known, request.leader_commit);
    if (!request.entries.empty()) {
      const std::uint64_t last = request.entries.back().index;
      follower.next_index = last + 1;
      if (leader_state_->commitment.match(follower.peer.id, last)) wake_.set();
    }
    follower.failures = 0;
    return;
  }
  follower.next_index = std::max<std::uint64_t>(std::min(follower.next_index - 1, response.last_log + 1), 1);
  follower.failures = response.no_retry_backoff ? 0 : follower.failures + 1;
  log_warn("appendEntries rejected, sending older logs", "peer", follower.peer.id, "next", follower.next_index);
}

void RaftNode::step_down_for_stale_term(const Follower& follower) {
  // handleStaleTerm: stop leading; the higher term itself is learnt from that server's next
  // request, as in hashicorp/raft.
  log_warn("peer has newer term, stopping replication", "peer", follower.peer.id);
  if (role_ == RaftRole::leader) set_role(RaftRole::follower);
}

Task<RaftNode::Round> RaftNode::snapshot_round(Follower& follower, std::stop_token stop) {
  InstallSnapshotRequest request{.term = leader_state_->term, .leader = options_.self, .meta = durable_.snapshot};
  request.entries.assign(durable_.log.begin(), durable_.log.begin() + std::ptrdiff_t(durable_.snapshot.index));
  log_info("installing snapshot on", "peer", follower.peer.id, "last-index", request.meta.index);
  const std::optional<InstallSnapshotResponse> response =
      co_await transport_.install_snapshot(follower.peer, request, stop);
  if (stop.stop_requested() || role_ != RaftRole::leader) co_return Round::stop;
  if (!response) {
    log_warn("failed to install snapshot", "peer", follower.peer.id);
    ++follower.failures;
    co_return Round::give_up;
  }
  if (response->term > request.term) {
    step_down_for_stale_term(follower);
    co_return Round::stop;
  }
  follower.last_contact = runtime_.now();
  if (!response->success) {
    ++follower.failures;
    co_return Round::more;
  }
  follower.next_index = request.meta.index + 1;
  follower.failures = 0;
  if (leader_state_->commitment.match(follower.peer.id, request.meta.index)) wake_.set();
  co_return Round::more;
}

Task<void> RaftNode::heartbeat(std::shared_ptr<Follower> follower, std::stop_token stop) {
  Follower& peer = *follower;
  const Duration interval = options_.timing.scaled_heartbeat_timeout() / 10;
  std::uint64_t failures = 0;
  for (;;) {
    const MonoTime deadline = runtime_.now() + random_timeout(interval);
    const WaitResult waited = co_await peer.notify.wait(stop, deadline);
    if (waited == WaitResult::cancelled || stop.stop_requested() || peer.stop_at) co_return;
    peer.notify.reset();
    // Term and leader only: a heartbeat never waits behind log replication.
    AppendEntriesRequest request{.term = leader_state_->term, .leader = options_.self};
    const std::optional<AppendEntriesResponse> response = co_await transport_.append_entries(peer.peer, request, stop);
    if (stop.stop_requested() || peer.stop_at) co_return;
    if (response) {
      peer.last_contact = runtime_.now();
      failures = 0;
      continue;
    }
    const Duration pause =
        capped_backoff(kFailureWait, failures, kMaxFailureScale, options_.timing.scaled_heartbeat_timeout() / 2);
    log_warn("failed to heartbeat to", "peer", peer.peer.id);
    // It may have restarted and lost the commit index: the replicator pushes it again.
    peer.commit_known = 0;
    if (peer.idle) peer.trigger.set();
    ++failures;
    const WaitResult slept = co_await sleep_for(runtime_, pause, stop);
    if (slept == WaitResult::cancelled) co_return;
  }
}

}  // namespace baton::fakes::consul::raft
