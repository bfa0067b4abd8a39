// RaftNode, the candidate role: an election (hashicorp/raft runCandidate and electSelf).
#include <cassert>

#include "fakes/consul/raft/configuration.hpp"
#include "fakes/consul/raft/raft_node.hpp"

namespace baton::fakes::consul::raft {

Task<void> RaftNode::run_candidate(std::stop_token stop) {
  const std::uint64_t term = durable_.current_term + 1;
  log_info("entering candidate state", "node", options_.self.id, "term", term);
  set_current_term(term);
  durable_.last_vote_term = term;  // persistVote, for ourselves
  durable_.last_vote_candidate = options_.self.id;

  const RequestVoteRequest request{.term = term, .candidate = options_.self, .last_log_index = durable_.last_index(),
                                   .last_log_term = durable_.last_term()};
  const std::size_t needed = quorum_size(latest_);
  std::uint64_t granted = 0;
  Scope votes(runtime_, stop);
  for (const Server& server : latest_.servers) {
    if (server.id == options_.self.id) {
      ++granted;
    } else {
      votes.spawn(ask_for_vote(server, request, granted, votes.token()));
    }
  }

  const MonoTime deadline = runtime_.now() + random_timeout(options_.timing.scaled_election_timeout());
  while (role_ == RaftRole::candidate && durable_.current_term == term) {
    if (granted >= needed) {
      log_info("election won", "term", term, "tally", granted);
      become_leader();
      break;
    }
    wake_.reset();
    const WaitResult waited = co_await wake_.wait(stop, deadline);
    if (waited == WaitResult::cancelled) break;
    if (runtime_.now() >= deadline && role_ == RaftRole::candidate && granted < needed) {
      log_warn("Election timeout reached, restarting election");
      break;  // still a candidate: run() calls us again, for the next term
    }
  }
  votes.request_stop();
  co_await votes.join();
}

Task<void> RaftNode::ask_for_vote(Server peer, RequestVoteRequest request, std::uint64_t& granted,
                                  std::stop_token stop) {
  const std::optional<RequestVoteResponse> response = co_await transport_.request_vote(peer, request, stop);
  if (!response || stop.stop_requested()) co_return;
  if (role_ != RaftRole::candidate || durable_.current_term != request.term) co_return;  // a stale answer
  if (response->term > durable_.current_term) {
    log_info("newer term discovered, fallback to follower", "term", response->term);
    set_role(RaftRole::follower);
    set_current_term(response->term);
    co_return;
  }
  if (response->granted) {
    ++granted;
    wake_.set();
  }
}

void RaftNode::become_leader() {
  set_role(RaftRole::leader);
  set_leader(options_.self);
}

}  // namespace baton::fakes::consul::raft
