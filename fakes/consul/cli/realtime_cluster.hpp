#pragma once
// RealTimeCluster: `fake-consul -servers N`. The simulated Consul cluster (N servers over Raft
// and one client agent, SimConsulCluster) in a World whose virtual time is kept level with the
// process's monotonic clock, so that real HTTP clients talk to a real-time Raft cluster
// through its client agent. Not deterministic (requests arrive when they arrive); the same
// code as the simulator's cluster otherwise.
//
// Operators (and tests) break it on purpose through /v1/fake/ endpoints, which no Consul has:
//   GET /v1/fake/servers                          [{"name","state","leader"}]
//   PUT /v1/fake/servers/<name>/{crash,restart,pause,resume}
#include <memory>
#include <stop_token>

#include "engine/async/event.hpp"
#include "engine/async/task.hpp"
#include "engine/http/message.hpp"
#include "engine/ports/runtime.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"

namespace baton::fakes::consul {

struct RealTimeClusterOptions {
  std::size_t servers = 3;
  std::uint64_t seed = 1;
  std::string agent_name = "fake-consul";
  std::string agent_address = "127.0.0.1";
  // Consul's raft_multiplier (1 = Consul's recommended production timing: 1s heartbeats).
  int raft_multiplier = 1;
  ConsulServerOptions server;
  // Virtual time is brought level with real time at least this often.
  Duration tick = std::chrono::milliseconds(1);
};

class RealTimeCluster {
 public:
  RealTimeCluster(Runtime& runtime, RealTimeClusterOptions options);
  RealTimeCluster(const RealTimeCluster&) = delete;
  RealTimeCluster& operator=(const RealTimeCluster&) = delete;

  // A leader is established and the agent's node is registered (the constructor waits for it,
  // in virtual time, for up to 5 virtual minutes).
  bool formed() const;
  // Keeps virtual time level with real time until `stop`.
  Task<void> drive(std::stop_token stop);
  // One HTTP request, as the client agent answers it (or a /v1/fake/ operator request).
  Task<http::Response> handle(http::Request request);

 private:
  struct Reply;
  static Task<void> forward(SimConsulCluster& cluster, sim::Node& from, http::Request request, std::shared_ptr<Reply> reply);
  http::Response operate(const http::Request& request);
  std::int64_t real_elapsed_ns() const;

  Runtime& runtime_;
  RealTimeClusterOptions options_;
  MonoTime started_;
  std::int64_t virtual_start_ns_ = 0;  // virtual time when real time started to count
  sim::World world_;
  sim::Network network_;
  SimConsulCluster cluster_;
  sim::Node& front_;  // the HTTP listener's side of the loopback to the agent
  Event poke_;        // a request arrived: run the world now
};

}  // namespace baton::fakes::consul
