// RaftNode, the receiving side of the RPCs (hashicorp/raft appendEntries, requestVote,
// installSnapshot). Each runs to completion without suspending: "disk" writes are immediate.
#include <algorithm>
#include <cassert>

#include "fakes/consul/raft/configuration.hpp"
#include "fakes/consul/raft/raft_node.hpp"

namespace baton::fakes::consul::raft {

AppendEntriesResponse RaftNode::handle_append_entries(const AppendEntriesRequest& request) {
  AppendEntriesResponse response{.term = durable_.current_term, .last_log = durable_.last_index()};
  if (request.term < durable_.current_term) return response;  // an old leader
  // A leader meeting another leader of its own term is legal only between two clusters that
  // bootstrapped apart (a subset bootstrapping alone, consul-lock-failure-modes.md item 24):
  // hashicorp/raft steps down either way. Election safety within one cluster is checked by
  // tests/support/raft_safety_checker.hpp, not asserted here.
  if (request.term > durable_.current_term || role_ != RaftRole::follower) {
    set_role(RaftRole::follower);
    set_current_term(request.term);
    response.term = request.term;
  }
  set_leader(request.leader);
  if (!previous_entry_matches(request, response)) return response;
  if (!request.entries.empty()) store_entries(request);
  if (request.leader_commit > 0 && request.leader_commit > commit_index_) {
    set_committed_index(std::min(request.leader_commit, durable_.last_index()));
  }
  response.success = true;
  touch_contact();
  return response;
}

bool RaftNode::previous_entry_matches(const AppendEntriesRequest& request, AppendEntriesResponse& response) {
  const std::uint64_t previous = request.prev_log_index;
  if (previous == 0) return true;
  // Before our snapshot, entries count as compacted: hashicorp/raft's GetLog would fail there.
  if (previous < durable_.snapshot.index || previous > durable_.last_index()) {
    log_warn("failed to get previous log", "previous-index", previous, "last-index", durable_.last_index());
    response.no_retry_backoff = true;
    return false;
  }
  const std::uint64_t ours = durable_.term_at(previous);
  if (ours != request.prev_log_term) {
    log_warn("previous log term mis-match", "ours", ours, "remote", request.prev_log_term);
    response.no_retry_backoff = true;
    return false;
  }
  return true;
}

// Within one cluster a committed entry is never overwritten. Two clusters that bootstrapped
// apart (a subset bootstrapping alone, or the legacy recipe of consul-lock-failure-modes.md item
// 24) break that when they meet: the loser's committed writes vanish. hashicorp/raft truncates
// anyway and its state machine keeps the lost writes applied; this model rebuilds the state
// machine from the surviving log instead, so every server agrees on what was lost.
void RaftNode::forget_overwritten_commits(std::uint64_t from_index) {
  log_warn("overwriting committed entries of another cluster", "from", from_index, "commit-index", commit_index_);
  durable_.truncate_from(from_index);
  restore_configurations();
  commit_index_ = from_index - 1;
  last_applied_ = 0;
  if (callbacks_.reset) callbacks_.reset();
}

void RaftNode::store_entries(const AppendEntriesRequest& request) {
  const std::uint64_t last = durable_.last_index();
  std::size_t first_new = request.entries.size();
  for (std::size_t i = 0; i < request.entries.size(); ++i) {
    const LogEntry& entry = request.entries[i];
    if (entry.index > last) {
      first_new = i;
      break;
    }
    if (durable_.term_at(entry.index) == entry.term) continue;  // already have it
    log_warn("clearing log suffix", "from", entry.index, "to", last);
    if (entry.index <= commit_index_) {
      forget_overwritten_commits(entry.index);
    } else {
      durable_.truncate_from(entry.index);
      if (entry.index <= latest_index_) {
        latest_ = committed_;
        latest_index_ = committed_index_;
      }
    }
    first_new = i;
    break;
  }
  for (std::size_t i = first_new; i < request.entries.size(); ++i) {
    durable_.append(request.entries[i]);
    process_configuration_entry(request.entries[i]);
  }
}

RequestVoteResponse RaftNode::handle_request_vote(const RequestVoteRequest& request) {
  RequestVoteResponse response{.term = durable_.current_term, .granted = false};
  if (vote_refused(request)) return response;
  if (request.term < durable_.current_term) return response;
  if (request.term > durable_.current_term) {
    set_role(RaftRole::follower);
    set_current_term(request.term);
    response.term = request.term;
  }
  if (durable_.last_vote_term == request.term && !durable_.last_vote_candidate.empty()) {
    response.granted = durable_.last_vote_candidate == request.candidate.id;  // a repeated request
    return response;
  }
  const std::uint64_t last_term = durable_.last_term();
  if (last_term > request.last_log_term ||
      (last_term == request.last_log_term && durable_.last_index() > request.last_log_index)) {
    log_warn("rejecting vote request since our log is more up to date", "candidate", request.candidate.id,
             "last-term", last_term, "last-index", durable_.last_index());
    return response;
  }
  durable_.last_vote_term = request.term;  // persistVote
  durable_.last_vote_candidate = request.candidate.id;
  response.granted = true;
  touch_contact();
  return response;
}

bool RaftNode::vote_refused(const RequestVoteRequest& request) {
  // An empty configuration means the cluster is bootstrapping: anyone may be voted for.
  if (!latest_.servers.empty() && !has_vote(latest_, request.candidate.id)) {
    log_warn("rejecting vote request since node is not in configuration", "from", request.candidate.id);
    return true;
  }
  // Followers that hear from a leader do not help depose it (no LeadershipTransfer here).
  if (leader_ && leader_->id != request.candidate.id) {
    log_warn("rejecting vote request since we have a leader", "from", request.candidate.id, "leader-id", leader_->id);
    return true;
  }
  return false;
}

InstallSnapshotResponse RaftNode::handle_install_snapshot(const InstallSnapshotRequest& request) {
  InstallSnapshotResponse response{.term = durable_.current_term};
  if (request.term < durable_.current_term) return response;
  if (request.term > durable_.current_term) {
    set_role(RaftRole::follower);
    set_current_term(request.term);
    response.term = request.term;
  }
  set_leader(request.leader);
  assert(request.entries.size() == request.meta.index);
  // The snapshot replaces the log and the state machine (FSM.Restore).
  durable_.log = request.entries;
  durable_.snapshot = request.meta;
  durable_.legacy_peers.reset();
  if (callbacks_.reset) callbacks_.reset();
  last_applied_ = 0;
  commit_index_ = request.meta.index;
  apply_committed();
  latest_ = committed_ = request.meta.configuration;
  latest_index_ = committed_index_ = request.meta.configuration_index;
  log_info("Installed remote snapshot", "last-index", request.meta.index);
  notice_change();
  response.success = true;
  touch_contact();
  return response;
}

}  // namespace baton::fakes::consul::raft
