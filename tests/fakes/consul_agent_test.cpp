// Client agents of the fake Consul cluster: membership in the catalog (serfHealth), requests
// forwarded as Client.RPC forwards them, and the failure modes that start at the agent
// (consul-lock-failure-modes.md items 1 and 2; consul-semantics.md §1 and §5).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::fakes::consul {
namespace {

using test::ms;
using test::seconds;

class ConsulAgents : public ::testing::Test {
 protected:
  ConsulAgents() {
    cluster_.bootstrap_and_start();
    agent_ = cluster_.add_agent("engine-host-1", "10.2.0.1");
    cluster_.start_agent(agent_);
    engine_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24 * 365)); });
    await_leader();
  }

  std::size_t await_leader(std::int64_t within_ns = seconds(60)) {
    const std::int64_t limit = world_.now_ns() + within_ns;
    while (world_.now_ns() < limit) {
      if (auto leader = cluster_.established_leader()) return *leader;
      world_.run_until(world_.now_ns() + ms(10));
    }
    ADD_FAILURE() << "no leader within " << within_ns / 1'000'000 << " ms";
    return 0;
  }

  // A request from the engine's process to its local agent; nullopt if the agent was unreachable.
  std::optional<http::Response> call(std::string method, std::string target, std::string body = {},
                                     std::int64_t timeout_ns = seconds(120)) {
    auto answer = std::make_shared<std::optional<std::optional<http::Response>>>();
    http::Request request{std::move(method), std::move(target), {}, std::move(body)};
    engine_.scope().spawn([](SimConsulCluster& cluster, sim::Node& from, std::size_t agent, http::Request r, Duration timeout,
                             std::shared_ptr<std::optional<std::optional<http::Response>>> out) -> Task<void> {
      *out = co_await cluster.agent_request(from, agent, std::move(r), timeout);
    }(cluster_, engine_, agent_, std::move(request), Duration(timeout_ns), answer));
    while (!*answer && world_.step()) {
    }
    return answer->value_or(std::nullopt);
  }

  std::string serf_health_of_agent() {
    const ConsulServer* any = cluster_.server(await_leader());
    for (const HealthCheck& check : any->store().node_checks("engine-host-1")) {
      if (check.id == kSerfHealthCheckId) return to_string(check.status);
    }
    return "absent";
  }

  std::string create_session(const std::string& body) {
    std::optional<http::Response> created = call("PUT", "/v1/session/create", body);
    EXPECT_TRUE(created && created->status == 200) << (created ? created->body : "unreachable");
    return created ? nlohmann::json::parse(created->body).value("ID", "") : "";
  }
  std::size_t sessions_on_agent_node() {
    std::optional<http::Response> listed = call("GET", "/v1/session/node/engine-host-1");
    return listed ? nlohmann::json::parse(listed->body).size() : 0;
  }

  sim::World world_{sim::WorldOptions{.seed = 17}};
  sim::Network network_{world_};
  SimConsulCluster cluster_{world_, network_};
  std::size_t agent_ = 0;
  sim::Node& engine_ = world_.add_node({.name = "baton-1"});
};

// §1 "Defaults: Node = agent's node, NodeChecks = Checks = ["serfHealth"]": the leader registers
// a joining agent's node with serfHealth passing, and a session made through it lives there.
TEST_F(ConsulAgents, Semantics1_AnAgentsNodeIsRegisteredAndOwnsItsSessions) {
  world_.run_for(seconds(2));
  EXPECT_EQ(serf_health_of_agent(), "passing");
  create_session(R"({"TTL":"10s"})");
  EXPECT_EQ(sessions_on_agent_node(), 1u);
}

// Failure mode 1: gossip flaps while RPC works. The session bound to serfHealth (the default)
// is invalidated once the agent is judged failed; a TTL-only session (Checks: []) survives; new
// serfHealth-bound sessions are refused until the agent is alive again.
TEST_F(ConsulAgents, FailureMode1_AGossipFlapKillsSerfHealthSessionsOnly) {
  world_.run_for(seconds(2));
  const std::string bound = create_session(R"({"LockDelay":"0s"})");
  const std::string ttl_only = create_session(R"({"TTL":"60s","Checks":[],"LockDelay":"0s"})");
  ASSERT_EQ(call("PUT", "/v1/kv/leader?acquire=" + bound, "me")->body, "true");

  cluster_.set_gossip_blocked(agent_, true);
  world_.run_for(seconds(8));
  EXPECT_EQ(serf_health_of_agent(), "critical");
  std::optional<http::Response> info = call("GET", "/v1/session/info/" + bound);
  ASSERT_TRUE(info) << "RPC still works";
  EXPECT_EQ(nlohmann::json::parse(info->body).size(), 0u) << "the serfHealth-bound session was invalidated";
  EXPECT_EQ(nlohmann::json::parse(call("GET", "/v1/session/info/" + ttl_only)->body).size(), 1u);
  EXPECT_FALSE(nlohmann::json::parse(call("GET", "/v1/kv/leader")->body)[0].contains("Session")) << "the lock was released";
  std::optional<http::Response> refused = call("PUT", "/v1/session/create", "{}");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 500);
  EXPECT_EQ(refused->body, "rpc error making call: Check 'serfHealth' is in critical state");

  cluster_.set_gossip_blocked(agent_, false);
  world_.run_for(seconds(2));
  EXPECT_EQ(serf_health_of_agent(), "passing");
  create_session("{}");
}

// Failure mode 2: a graceful restart of the local agent (leave_on_terminate) deregisters its
// node, which destroys every session on it, TTL-only ones too. The holder sees renew 404.
TEST_F(ConsulAgents, FailureMode2_AGracefulAgentRestartDestroysItsSessions) {
  world_.run_for(seconds(2));
  const std::string id = create_session(R"({"TTL":"15s","Checks":[],"LockDelay":"0s"})");
  cluster_.stop_agent(agent_);
  EXPECT_FALSE(call("PUT", "/v1/session/renew/" + id).has_value()) << "the agent is down: connection refused";
  world_.run_for(seconds(3));
  cluster_.start_agent(agent_);
  world_.run_for(seconds(1));
  std::optional<http::Response> renew = call("PUT", "/v1/session/renew/" + id);
  ASSERT_TRUE(renew);
  EXPECT_EQ(renew->status, 404) << renew->body;
  EXPECT_EQ(renew->body, "Session id '" + id + "' not found");
  EXPECT_EQ(serf_health_of_agent(), "passing") << "the restarted agent joined again";
}

// A crashed agent (no leave) is not deregistered: its node's serfHealth goes critical after
// failure detection, and a TTL-only session on it lives on until its TTL runs out.
TEST_F(ConsulAgents, ACrashedAgentIsFailedNotDeregistered) {
  world_.run_for(seconds(2));
  const std::string id = create_session(R"({"TTL":"60s","Checks":[],"LockDelay":"0s"})");
  cluster_.agent_node(agent_).crash();
  world_.run_for(seconds(10));
  EXPECT_EQ(serf_health_of_agent(), "critical");
  EXPECT_TRUE(cluster_.server(await_leader())->store().session_get(id) != nullptr);
}

// §5 "Requests wait up to rpc_hold_timeout (7s) for a leader before failing ... through a client
// agent `rpc error making call: No cluster leader`". The agent also retries for up to the hold
// timeout itself (Client.RPC canRetry), so the caller waits at least 7s.
TEST_F(ConsulAgents, Semantics5_NoLeaderThroughAnAgent) {
  const std::size_t leader = await_leader();
  for (std::size_t i = 0; i < cluster_.size(); ++i) {
    if (i != leader) cluster_.node(i).crash();
  }
  world_.run_for(seconds(10));
  const std::int64_t asked_at = world_.now_ns();
  std::optional<http::Response> refused = call("PUT", "/v1/kv/k", "v");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 500);
  EXPECT_EQ(refused->body, "rpc error making call: No cluster leader");
  EXPECT_GE(world_.now_ns() - asked_at, seconds(7));
}

// An agent whose server is down moves to another one (NotifyFailedServer), so reads keep working.
TEST_F(ConsulAgents, AnAgentFailsOverToAnotherServer) {
  ASSERT_EQ(call("PUT", "/v1/kv/k", "v")->body, "true");
  world_.run_for(seconds(1));
  const std::size_t leader = await_leader();
  for (std::size_t i = 0; i < cluster_.size(); ++i) {
    if (i != leader) {
      cluster_.node(i).crash();
      break;
    }
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::optional<http::Response> read = call("GET", "/v1/kv/k");
    ASSERT_TRUE(read);
    EXPECT_EQ(read->status, 200) << read->body;
  }
}

}  // namespace
}  // namespace baton::fakes::consul
