#pragma once
// The Raft transport of the simulator: Raft RPCs as sim::call requests over sim::Network, so
// that latency, loss, partitions, pauses and crashes reach Raft the way they reach the rest.
//
// A SimRaftDirectory (one per cluster, owned by the scenario: it outlives every incarnation)
// says which simulated node hosts which server id, and which RaftRpcHandler serves there at
// the moment. A server's SimRaftTransport lives in its process; its RaftNode serves through
// it (serve() binds the handler, and a crash unbinds it as the frames die). A request that
// finds no handler on its node goes unanswered, like one to a process that is not listening.
#include <map>

#include "fakes/consul/raft/transport.hpp"
#include "sim/network/network.hpp"

namespace baton::fakes::consul::raft {

class SimRaftDirectory {
 public:
  void add(const ServerId& id, sim::Node& node);
  sim::Node* node(const ServerId& id) const;
  RaftRpcHandler* handler(const ServerId& id) const;
  void bind(const ServerId& id, RaftRpcHandler* handler);

 private:
  struct Entry {
    sim::Node* node = nullptr;
    RaftRpcHandler* handler = nullptr;
  };
  std::map<ServerId, Entry> entries_;
};

struct SimRaftTransportOptions {
  // How long a call waits for its response: Consul's NetworkTransport Timeout, 10s
  // (agent/consul/server.go setupRaft).
  Duration rpc_timeout = std::chrono::seconds(10);
};

class SimRaftTransport final : public RaftTransport {
 public:
  SimRaftTransport(sim::Network& network, SimRaftDirectory& directory, sim::Node& self, ServerId id,
                   SimRaftTransportOptions options = {});
  SimRaftTransport(const SimRaftTransport&) = delete;
  SimRaftTransport& operator=(const SimRaftTransport&) = delete;
  ~SimRaftTransport() override;

  void serve(RaftRpcHandler* handler) override;
  Task<std::optional<AppendEntriesResponse>> append_entries(Server peer, AppendEntriesRequest request,
                                                             std::stop_token stop) override;
  Task<std::optional<RequestVoteResponse>> request_vote(Server peer, RequestVoteRequest request,
                                                         std::stop_token stop) override;
  Task<std::optional<InstallSnapshotResponse>> install_snapshot(Server peer, InstallSnapshotRequest request,
                                                                 std::stop_token stop) override;
  Task<std::optional<RemoveServerResponse>> remove_server(Server peer, RemoveServerRequest request,
                                                           std::stop_token stop) override;

 private:
  sim::Network& network_;
  SimRaftDirectory& directory_;
  sim::Node& self_;
  ServerId id_;
  SimRaftTransportOptions options_;
};

}  // namespace baton::fakes::consul::raft
