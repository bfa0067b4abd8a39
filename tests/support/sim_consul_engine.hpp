#pragma once
// One engine process beside a three-server fake Consul cluster and its own client agent, the
// cluster formed and the agent's node registered: the setup of every test that runs engine code
// against Consul in virtual time. A test fixture derives from it and crashes `engine_` in its
// own destructor, before its members that the engine's frames point into go.
#include <cstdint>
#include <string>

#include "engine/async/wait.hpp"
#include "engine/consul/client.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "sim/consul/sim_agent_transport.hpp"
#include "sim/network/network.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::test {

struct SimConsulEngine {
  explicit SimConsulEngine(std::uint64_t seed, const std::string& engine_name = "baton-1")
      : world_(sim::WorldOptions{.seed = seed}),
        cluster_(world_, network_, fakes::consul::SimConsulClusterOptions{}),
        engine_(world_.add_node({.name = engine_name})) {
    cluster_.bootstrap_and_start();
    cluster_.start_agent(agent_);
    engine_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24)); });
    const std::int64_t limit = world_.now_ns() + seconds(60);
    while (world_.now_ns() < limit && !cluster_.established_leader()) world_.run_for(ms(10));
    world_.run_for(seconds(2));  // the leader registers the agent's node (serfHealth)
  }
  ~SimConsulEngine() {
    if (engine_.state() == sim::NodeState::running || engine_.state() == sim::NodeState::paused) engine_.crash();
  }

  sim::World world_;
  sim::Network network_{world_};
  fakes::consul::SimConsulCluster cluster_;
  std::size_t agent_ = cluster_.add_agent("engine-host-1", "10.2.0.1");
  sim::Node& engine_;
  sim::SimAgentTransport transport_{cluster_, engine_, agent_};
  consul::ConsulClient client_{transport_};
};

}  // namespace baton::test
