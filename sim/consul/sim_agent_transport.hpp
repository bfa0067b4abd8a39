#pragma once
// SimAgentTransport: the engine's ConsulTransport port in the simulator. A request goes from the
// engine's process to the fake Consul client agent on its machine (SimConsulCluster's
// agent_request), across the simulated network, and its answer comes back the same way.
//
// What the engine sees, by the agent's state when the request is sent:
//   running   the agent's answer (any status), or timeout if none came in time (a cut link,
//             an agent crashed mid-request: the fake cannot tell those from a hang)
//   paused    timeout: the agent hangs, as a SIGSTOPped process does
//   down      refused at once: nothing listens on the agent's port
// A stop request answers `cancelled` at once; the request itself stays in flight until the
// agent answers or its timeout passes (the fake's agent_request takes no stop token), as a
// request written to a socket stays written.
//
// round_trip() must run in the engine process's coroutines: the request in flight belongs to
// that process's Scope, so its crash takes the request with it.
#include <cstddef>

#include "engine/consul/transport.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "sim/runtime/node.hpp"

namespace baton::sim {

class SimAgentTransport final : public consul::ConsulTransport {
 public:
  // `engine` sends the requests; `agent` is the cluster's index of the client agent on the same
  // machine. Both must outlive the transport.
  SimAgentTransport(fakes::consul::SimConsulCluster& cluster, Node& engine, std::size_t agent)
      : cluster_(cluster), engine_(engine), agent_(agent) {}

  Task<consul::TransportResult> round_trip(http::Request request, Duration timeout, std::stop_token stop) override;

 private:
  fakes::consul::SimConsulCluster& cluster_;
  Node& engine_;
  std::size_t agent_;
};

}  // namespace baton::sim
