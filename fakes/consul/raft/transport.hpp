#pragma once
// The Raft core's view of the network (hashicorp/raft's Transport), so that it never knows the
// simulator: sim_transport.hpp implements it over sim/network; a production binding could
// implement it over TCP.
//
// Every call is a coroutine that yields the peer's response, or std::nullopt when there is
// none in time (lost, cut, peer down, timed out) or `stop` was requested. RaftRpcHandler is
// the receiving side: a transport hands each request that arrives to the handler serving at
// that moment, if any.
#include <optional>
#include <stop_token>

#include "engine/async/task.hpp"
#include "fakes/consul/raft/messages.hpp"

namespace baton::fakes::consul::raft {

class RaftRpcHandler {
 public:
  virtual ~RaftRpcHandler() = default;
  virtual AppendEntriesResponse handle_append_entries(const AppendEntriesRequest& request) = 0;
  virtual RequestVoteResponse handle_request_vote(const RequestVoteRequest& request) = 0;
  virtual InstallSnapshotResponse handle_install_snapshot(const InstallSnapshotRequest& request) = 0;
  virtual Task<RemoveServerResponse> handle_remove_server(RemoveServerRequest request) = 0;
};

class RaftTransport {
 public:
  virtual ~RaftTransport() = default;

  // Requests arriving from now on go to `handler`; nullptr: none (they go unanswered).
  virtual void serve(RaftRpcHandler* handler) = 0;

  virtual Task<std::optional<AppendEntriesResponse>> append_entries(Server peer, AppendEntriesRequest request,
                                                                     std::stop_token stop) = 0;
  virtual Task<std::optional<RequestVoteResponse>> request_vote(Server peer, RequestVoteRequest request,
                                                                 std::stop_token stop) = 0;
  virtual Task<std::optional<InstallSnapshotResponse>> install_snapshot(Server peer, InstallSnapshotRequest request,
                                                                         std::stop_token stop) = 0;
  virtual Task<std::optional<RemoveServerResponse>> remove_server(Server peer, RemoveServerRequest request,
                                                                   std::stop_token stop) = 0;
};

}  // namespace baton::fakes::consul::raft
