#include "fakes/consul/raft/sim_transport.hpp"

#include <cassert>
#include <functional>
#include <type_traits>

#include "sim/network/rpc.hpp"

namespace baton::fakes::consul::raft {
namespace {

// The callee's side of an RPC that waits for something (RemoveServer): finds the handler
// serving on its node now, if any. A free coroutine taking everything by value, so nothing it
// uses lives in a caller's frame.
Task<std::optional<RemoveServerResponse>> serve_removal(SimRaftDirectory& directory, ServerId id,
                                                        RemoveServerRequest request) {
  RaftRpcHandler* handler = directory.handler(id);
  if (handler == nullptr) co_return std::nullopt;
  RemoveServerResponse response = co_await handler->handle_remove_server(std::move(request));
  co_return response;
}

// The callee's side of an RPC Raft answers without waiting: the handler serving on its node
// when the request is delivered, if any, answers it with `handle`.
template <class Response, class Request>
auto answered_by(SimRaftDirectory& directory, const ServerId& id, Request request,
                 Response (RaftRpcHandler::*handle)(const Request&)) {
  return [&directory, id, request = std::move(request), handle]() -> std::optional<Response> {
    RaftRpcHandler* handler = directory.handler(id);
    if (handler == nullptr) return std::nullopt;
    return (handler->*handle)(request);
  };
}

// Sends one request and flattens "no reply" and "no handler there" into one nullopt. `serve`
// answers on the callee: at once (a Response) for the RPCs Raft answers without waiting, or
// as a task (a Task<Response>) for the one that waits.
template <class Response, class Serve>
Task<std::optional<Response>> call_peer(sim::Network& network, sim::Node& self, SimRaftDirectory& directory,
                                        Server peer, std::string label, Serve serve, Duration timeout,
                                        std::stop_token stop) {
  sim::Node* callee = directory.node(peer.id);
  if (callee == nullptr) co_return std::nullopt;  // nobody by that id: no route
  std::optional<std::optional<Response>> reply;
  if constexpr (std::is_invocable_r_v<std::optional<Response>, Serve&>) {
    std::function<std::optional<Response>()> handler = std::move(serve);
    reply = co_await sim::call_answered_at_once<std::optional<Response>>(network, self, *callee, std::move(label),
                                                                         std::move(handler), timeout, std::move(stop));
  } else {
    std::function<Task<std::optional<Response>>()> handler = std::move(serve);
    reply = co_await sim::call<std::optional<Response>>(network, self, *callee, std::move(label), std::move(handler),
                                                        timeout, std::move(stop));
  }
  if (!reply || !*reply) co_return std::nullopt;
  co_return std::move(**reply);
}

}  // namespace

void SimRaftDirectory::add(const ServerId& id, sim::Node& node) {
  assert(!entries_.contains(id) && "server ids are unique");
  entries_[id].node = &node;
}

sim::Node* SimRaftDirectory::node(const ServerId& id) const {
  const auto found = entries_.find(id);
  return found == entries_.end() ? nullptr : found->second.node;
}

RaftRpcHandler* SimRaftDirectory::handler(const ServerId& id) const {
  const auto found = entries_.find(id);
  return found == entries_.end() ? nullptr : found->second.handler;
}

void SimRaftDirectory::bind(const ServerId& id, RaftRpcHandler* handler) {
  const auto found = entries_.find(id);
  assert(found != entries_.end() && "add() the server before it serves");
  found->second.handler = handler;
}

SimRaftTransport::SimRaftTransport(sim::Network& network, SimRaftDirectory& directory, sim::Node& self, ServerId id,
                                   SimRaftTransportOptions options)
    : network_(network), directory_(directory), self_(self), id_(std::move(id)), options_(options) {
  assert(directory_.node(id_) == &self_ && "the directory places this server on this node");
}

SimRaftTransport::~SimRaftTransport() { directory_.bind(id_, nullptr); }

void SimRaftTransport::serve(RaftRpcHandler* handler) { directory_.bind(id_, handler); }

Task<std::optional<AppendEntriesResponse>> SimRaftTransport::append_entries(Server peer, AppendEntriesRequest request,
                                                                             std::stop_token stop) {
  const bool heartbeat = request.entries.empty() && request.prev_log_index == 0 && request.leader_commit == 0;
  std::string label = heartbeat ? "raft.heartbeat" : "raft.append_entries";
  auto serve = answered_by(directory_, peer.id, std::move(request), &RaftRpcHandler::handle_append_entries);
  // Not a coroutine itself: call_peer's frame holds everything.
  return call_peer<AppendEntriesResponse>(network_, self_, directory_, std::move(peer), std::move(label), std::move(serve),
                                          options_.rpc_timeout, std::move(stop));
}

Task<std::optional<RequestVoteResponse>> SimRaftTransport::request_vote(Server peer, RequestVoteRequest request,
                                                                         std::stop_token stop) {
  auto serve = answered_by(directory_, peer.id, std::move(request), &RaftRpcHandler::handle_request_vote);
  return call_peer<RequestVoteResponse>(network_, self_, directory_, std::move(peer), "raft.request_vote", std::move(serve),
                                        options_.rpc_timeout, std::move(stop));
}

Task<std::optional<InstallSnapshotResponse>> SimRaftTransport::install_snapshot(Server peer,
                                                                                 InstallSnapshotRequest request,
                                                                                 std::stop_token stop) {
  auto serve = answered_by(directory_, peer.id, std::move(request), &RaftRpcHandler::handle_install_snapshot);
  return call_peer<InstallSnapshotResponse>(network_, self_, directory_, std::move(peer), "raft.install_snapshot",
                                            std::move(serve), options_.rpc_timeout, std::move(stop));
}

Task<std::optional<RemoveServerResponse>> SimRaftTransport::remove_server(Server peer, RemoveServerRequest request,
                                                                           std::stop_token stop) {
  auto serve = [&directory = directory_, id = peer.id, request = std::move(request)]() mutable {
    return serve_removal(directory, id, std::move(request));
  };
  std::string label = "raft.remove_server";
  std::optional<RemoveServerResponse> response = co_await call_peer<RemoveServerResponse>(
      network_, self_, directory_, std::move(peer), std::move(label), std::move(serve), options_.rpc_timeout,
      std::move(stop));
  co_return response;
}

}  // namespace baton::fakes::consul::raft
