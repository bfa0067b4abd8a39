// The engine's Consul client against the fake Consul cluster, in virtual time: three servers
// over Raft, a client agent on the engine's machine, and the client speaking to that agent
// through SimAgentTransport, as the simulator will run it. Every call, and every error kind the
// cluster can produce (consul-semantics.md §1-5, consul-lock-failure-modes.md items 2, 8, 9, 22).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>

#include "engine/async/wait.hpp"
#include "engine/consul/client.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "sim/consul/sim_agent_transport.hpp"
#include "tests/support/consul_client_support.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::consul {
namespace {

using baton::test::ms;
using baton::test::seconds;
using fakes::consul::SimConsulCluster;
using fakes::consul::SimConsulClusterOptions;

// A TTL-only session with no lock-delay: what baton's HA creates (DESIGN.md, step 1).
SessionRequest ttl_session(std::string name, Duration lock_delay = 0s) {
  return SessionRequest{.name = std::move(name), .ttl = 15s, .lock_delay = lock_delay, .checks = {}};
}

class ClusterFixture : public ::testing::Test {
 protected:
  explicit ClusterFixture(SimConsulClusterOptions options = {}) : cluster_(world_, network_, std::move(options)) {
    cluster_.bootstrap_and_start();
    cluster_.start_agent(agent_);
    engine_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24 * 365)); });
    await_leader();
    world_.run_for(seconds(2));  // the leader registers the agent's node (serfHealth)
  }
  ~ClusterFixture() override {
    // The engine's frames point into the client and transport: they go first, as in a crash.
    if (engine_.state() == sim::NodeState::running || engine_.state() == sim::NodeState::paused) engine_.crash();
  }

  std::size_t await_leader() {
    const std::int64_t limit = world_.now_ns() + seconds(60);
    while (world_.now_ns() < limit) {
      if (auto leader = cluster_.established_leader()) return *leader;
      world_.run_until(world_.now_ns() + ms(10));
    }
    ADD_FAILURE() << "no leader within 60 s";
    return 0;
  }

  template <class T>
  T run(Task<T> task) {
    return test::run_on(world_, engine_, std::move(task));
  }

  // A raw request through the agent, for what the client does not do (ACL setup, check updates).
  http::Response raw(std::string method, std::string target, std::string body = {}) {
    http::Request request{std::move(method), std::move(target), {}, std::move(body)};
    TransportResult result = run(transport_.round_trip(std::move(request), 30s, {}));
    if (!result.ok()) throw std::runtime_error("raw request failed: " + result.error().message);
    return result.response();
  }

  std::int64_t elapsed_since(std::int64_t start_ns) const { return world_.now_ns() - start_ns; }

  // The fake's agent endpoints write only through the leader: a client agent whose current
  // server is a follower gets "No cluster leader" after rpc_hold_timeout (a fake discrepancy:
  // Consul's client agent registers locally and syncs by anti-entropy). The agent then moves
  // to its next server, so a retry reaches the leader within the cluster's size.
  ConsulResult<void> register_service(ServiceRegistration registration) {
    for (std::size_t attempt = 0;; ++attempt) {
      ConsulResult<void> registered = run(client_.agent_service_register(registration));
      if (registered.ok() || registered.error().kind != ConsulErrorKind::no_leader || attempt == cluster_.size()) return registered;
    }
  }
  ConsulResult<void> deregister_service(std::string id) {
    for (std::size_t attempt = 0;; ++attempt) {
      ConsulResult<void> deregistered = run(client_.agent_service_deregister(id));
      if (deregistered.ok() || deregistered.error().kind != ConsulErrorKind::no_leader || attempt == cluster_.size()) {
        return deregistered;
      }
    }
  }

  // With servers down, the agent answers Consul's dial error for the call that meets a dead
  // server first, and moves that server to the back of its list (NotifyFailedServer). Retries
  // until the call meets a live server, and returns what that one answered.
  template <class T>
  ConsulResult<T> past_dead_servers(std::function<Task<ConsulResult<T>>()> call) {
    for (int attempt = 0;; ++attempt) {
      ConsulResult<T> result = run(call());
      const bool dial_error = !result.ok() && result.error().message.find("rpc error getting client") != std::string::npos;
      if (!dial_error || attempt == 3) return result;
      EXPECT_EQ(result.error().kind, ConsulErrorKind::http) << result.error().message;
    }
  }

  sim::World world_{sim::WorldOptions{.seed = 29}};
  sim::Network network_{world_};
  SimConsulCluster cluster_;
  std::size_t agent_ = cluster_.add_agent("engine-host-1", "10.2.0.1");
  sim::Node& engine_ = world_.add_node({.name = "baton-1"});
  sim::SimAgentTransport transport_{cluster_, engine_, agent_};
  ConsulClient client_{transport_};
};

class ConsulClientCluster : public ClusterFixture {};

using SimAgentTransportRef = std::reference_wrapper<sim::SimAgentTransport>;

// ---- KV -------------------------------------------------------------------------------------

TEST_F(ConsulClientCluster, KvPutGetListDelete) {
  ASSERT_TRUE(run(client_.kv_put("app/a", "one", 42)).value());
  ASSERT_TRUE(run(client_.kv_put("app/b", "two")).value());

  auto got = run(client_.kv_get("app/a"));
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_TRUE(got.value().value.has_value());
  const KvPair& pair = *got.value().value;
  EXPECT_EQ(pair.key, "app/a");
  EXPECT_EQ(pair.value, "one");
  EXPECT_EQ(pair.flags, 42u);
  EXPECT_TRUE(pair.session.empty());
  EXPECT_GT(pair.modify_index, 0u);
  EXPECT_EQ(pair.create_index, pair.modify_index);
  // §2 "a single existing key -> its own ModifyIndex".
  EXPECT_EQ(got.value().meta.index, pair.modify_index);
  EXPECT_TRUE(got.value().meta.known_leader);

  auto listed = run(client_.kv_list("app/"));
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed.value().value.size(), 2u);
  EXPECT_EQ(listed.value().value[1].value, "two");

  ASSERT_TRUE(run(client_.kv_delete("app/a")).ok());
  auto missing = run(client_.kv_get("app/a"));
  ASSERT_TRUE(missing.ok()) << missing.error().message;
  EXPECT_FALSE(missing.value().value.has_value());
  EXPECT_GT(missing.value().meta.index, 0u) << "a 404 still carries X-Consul-Index";

  ASSERT_TRUE(run(client_.kv_delete_tree("app/")).ok());
  auto empty = run(client_.kv_list("app/"));
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_TRUE(empty.value().value.empty());
}

TEST_F(ConsulClientCluster, KvValuesAreRawBytes) {
  static constexpr char kBytes[] = "\0\x01\xff\xfe binary \"quoted\" \n";
  const std::string bytes(kBytes, sizeof kBytes - 1);
  ASSERT_TRUE(run(client_.kv_put("bin", bytes)).value());
  auto got = run(client_.kv_get("bin"));
  ASSERT_TRUE(got.ok() && got.value().value);
  EXPECT_EQ(got.value().value->value, bytes);
  ASSERT_TRUE(run(client_.kv_put("empty", "")).value());
  EXPECT_EQ(run(client_.kv_get("empty")).value().value->value, "");
}

// Keys reach Consul as the same bytes, whatever they hold; the client checks that the key it
// gets back is the key it asked for.
TEST_F(ConsulClientCluster, KeyEscapingRoundTrips) {
  const std::vector<std::string> keys = {"with space",  "tricky/a?b=c&d", "tricky/hash#frag", "tricky/100%", "tricky/plus+sign",
                                         "ünïcödé/ключ", "tricky/semi;colon", "tricky/trailing/", "tricky/~tilde.dot-dash_"};
  for (const std::string& key : keys) {
    auto put = run(client_.kv_put(key, "v:" + key));
    ASSERT_TRUE(put.ok() && put.value()) << key << ": " << (put.ok() ? "false" : put.error().message);
    auto got = run(client_.kv_get(key));
    ASSERT_TRUE(got.ok()) << key << ": " << got.error().message;
    ASSERT_TRUE(got.value().value.has_value()) << key;
    EXPECT_EQ(got.value().value->key, key);
    EXPECT_EQ(got.value().value->value, "v:" + key);
  }
  auto listed = run(client_.kv_list("tricky/"));
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_EQ(listed.value().value.size(), 7u);
  // A prefix with escapable bytes lists only beneath itself.
  auto under = run(client_.kv_list("tricky/a?"));
  ASSERT_TRUE(under.ok()) << under.error().message;
  ASSERT_EQ(under.value().value.size(), 1u);
  EXPECT_EQ(under.value().value[0].key, "tricky/a?b=c&d");
}

// §2 "?cas=0: create only if absent. ?cas=N: only if it exists with ModifyIndex N."
TEST_F(ConsulClientCluster, CasWritesOnlyOverTheIndexTheyRead) {
  EXPECT_TRUE(run(client_.kv_cas("c", "first", 0)).value());
  EXPECT_FALSE(run(client_.kv_cas("c", "again", 0)).value());
  const std::uint64_t index = run(client_.kv_get("c")).value().value->modify_index;
  EXPECT_TRUE(run(client_.kv_cas("c", "second", index)).value());
  EXPECT_FALSE(run(client_.kv_cas("c", "stale", index)).value());
  EXPECT_EQ(run(client_.kv_get("c")).value().value->value, "second");
}

// §1/§2: acquire, LockIndex, held by another, release; item 8: the client sends LockDelay "0s"
// explicitly, so a zero delay stays zero instead of Consul's 15 s default.
TEST_F(ConsulClientCluster, AcquireAndReleaseALock) {
  const auto mine = run(client_.session_create(ttl_session("baton-a")));
  const auto theirs = run(client_.session_create(ttl_session("baton-b")));
  ASSERT_TRUE(mine.ok() && theirs.ok());
  EXPECT_TRUE(run(client_.kv_acquire("leader", R"({"id":"a"})", mine.value())).value());
  EXPECT_FALSE(run(client_.kv_acquire("leader", R"({"id":"b"})", theirs.value())).value()) << "held by another";
  auto held = run(client_.kv_get("leader"));
  EXPECT_EQ(held.value().value->session, mine.value());
  EXPECT_EQ(held.value().value->lock_index, 1u);
  EXPECT_FALSE(run(client_.kv_release("leader", "", theirs.value())).value()) << "not the holder";
  EXPECT_TRUE(run(client_.kv_release("leader", R"({"id":"a"})", mine.value())).value());
  EXPECT_TRUE(run(client_.kv_get("leader")).value().value->session.empty());
  // Released, not destroyed: no lock-delay, and the other session takes it at once.
  EXPECT_TRUE(run(client_.kv_acquire("leader", R"({"id":"b"})", theirs.value())).value());
}

// Item 9: during a lock-delay an acquire answers a plain false, not an error; item 11: destroying
// (not releasing) the holder's session starts it.
TEST_F(ConsulClientCluster, LockDelayRefusalIsAPlainFalse) {
  const auto holder = run(client_.session_create(ttl_session("baton-a", 5s)));
  const auto next = run(client_.session_create(ttl_session("baton-b")));
  ASSERT_TRUE(run(client_.kv_acquire("leader", "a", holder.value())).value());
  ASSERT_TRUE(run(client_.session_destroy(holder.value())).ok());
  auto refused = run(client_.kv_acquire("leader", "b", next.value()));
  ASSERT_TRUE(refused.ok()) << refused.error().message;
  EXPECT_FALSE(refused.value());
  world_.run_for(seconds(6));
  EXPECT_TRUE(run(client_.kv_acquire("leader", "b", next.value())).value());
}

TEST_F(ConsulClientCluster, AcquireWithAnUnknownSessionIsInvalidSession) {
  auto refused = run(client_.kv_acquire("leader", "x", "00000000-0000-0000-0000-00000000dead"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ConsulErrorKind::invalid_session) << refused.error().message;
  EXPECT_EQ(refused.error().http_status, 500);
  EXPECT_NE(refused.error().message.find(R"(invalid session "00000000-0000-0000-0000-00000000dead")"), std::string::npos)
      << refused.error().message;
}

// ---- Sessions -------------------------------------------------------------------------------

TEST_F(ConsulClientCluster, SessionLifecycle) {
  auto id = run(client_.session_create(ttl_session("baton-cts-cluster-1")));
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id.value().size(), 36u);

  auto info = run(client_.session_info(id.value()));
  ASSERT_TRUE(info.ok()) << info.error().message;
  ASSERT_TRUE(info.value().value.has_value());
  const Session& session = *info.value().value;
  EXPECT_EQ(session.id, id.value());
  EXPECT_EQ(session.name, "baton-cts-cluster-1");
  EXPECT_EQ(session.node, "engine-host-1") << "the agent's node by default";
  EXPECT_EQ(session.ttl, 15s);
  EXPECT_EQ(session.lock_delay, 0s) << "item 8: the explicit \"0s\" was kept";
  EXPECT_EQ(session.behavior, SessionBehavior::release);
  EXPECT_TRUE(session.node_checks.empty()) << "Checks: [] makes a TTL-only session";
  EXPECT_GT(info.value().meta.index, 0u);

  auto renewed = run(client_.session_renew(id.value()));
  ASSERT_TRUE(renewed.ok()) << renewed.error().message;
  EXPECT_EQ(renewed.value().id, id.value());
  EXPECT_EQ(renewed.value().ttl, 15s);

  ASSERT_TRUE(run(client_.session_destroy(id.value())).ok());
  auto gone = run(client_.session_info(id.value()));
  ASSERT_TRUE(gone.ok()) << gone.error().message;
  EXPECT_FALSE(gone.value().value.has_value()) << "§1: info of a missing session is [], never 404";
  EXPECT_TRUE(run(client_.session_destroy(id.value())).ok()) << "§1: destroying an unknown id answers true";
}

// §1 "Unknown id: 404, body `Session id '<id>' not found`".
TEST_F(ConsulClientCluster, RenewingAGoneSessionIsSessionNotFound) {
  auto id = run(client_.session_create(ttl_session("short")));
  ASSERT_TRUE(run(client_.session_destroy(id.value())).ok());
  auto renewed = run(client_.session_renew(id.value()));
  ASSERT_FALSE(renewed.ok());
  EXPECT_EQ(renewed.error().kind, ConsulErrorKind::session_not_found);
  EXPECT_EQ(renewed.error().http_status, 404);
  EXPECT_NE(renewed.error().message.find("Session id '" + id.value() + "' not found"), std::string::npos)
      << renewed.error().message;
}

// Failure mode 2: a graceful restart of the local agent destroys the node's sessions; the
// engine sees refused while it is down, then session_not_found.
TEST_F(ConsulClientCluster, AgentRestartEndsTheSession) {
  auto id = run(client_.session_create(ttl_session("baton-a")));
  cluster_.stop_agent(agent_);
  auto down = run(client_.session_renew(id.value()));
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().kind, ConsulErrorKind::transport);
  EXPECT_EQ(down.error().transport_kind, TransportErrorKind::refused);
  world_.run_for(seconds(3));
  cluster_.start_agent(agent_);
  world_.run_for(seconds(1));
  auto renewed = run(client_.session_renew(id.value()));
  ASSERT_FALSE(renewed.ok());
  EXPECT_EQ(renewed.error().kind, ConsulErrorKind::session_not_found) << renewed.error().message;
}

TEST_F(ConsulClientCluster, DeleteBehaviorAndNodeChecks) {
  SessionRequest request{.name = "bound", .ttl = 0s, .lock_delay = 1s, .behavior = SessionBehavior::delete_keys,
                         .checks = {"serfHealth"}};
  auto id = run(client_.session_create(request));
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto info = run(client_.session_info(id.value()));
  ASSERT_TRUE(info.ok() && info.value().value);
  EXPECT_EQ(info.value().value->behavior, SessionBehavior::delete_keys);
  EXPECT_EQ(info.value().value->ttl, 0s);
  EXPECT_EQ(info.value().value->lock_delay, 1s);
  EXPECT_EQ(info.value().value->node_checks, std::vector<std::string>{"serfHealth"});
  ASSERT_TRUE(run(client_.kv_acquire("doomed", "x", id.value())).value());
  ASSERT_TRUE(run(client_.session_destroy(id.value())).ok());
  EXPECT_FALSE(run(client_.kv_get("doomed")).value().value.has_value()) << "behavior delete removed the key";
}

TEST_F(ConsulClientCluster, AnInvalidTtlIsAnHttpErrorWithConsulsText) {
  SessionRequest request = ttl_session("too-short");
  request.ttl = 5s;
  auto refused = run(client_.session_create(request));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ConsulErrorKind::http);
  EXPECT_EQ(refused.error().http_status, 500);
  EXPECT_NE(refused.error().message.find("Invalid Session TTL '5000000000'"), std::string::npos) << refused.error().message;
}

// ---- Transactions ---------------------------------------------------------------------------

TEST_F(ConsulClientCluster, TxnCommitsEveryVerb) {
  auto session = run(client_.session_create(ttl_session("txn")));
  ASSERT_TRUE(run(client_.kv_put("t/cas", "0")).value());
  ASSERT_TRUE(run(client_.kv_put("t/gone", "x")).value());
  ASSERT_TRUE(run(client_.kv_put("t/gone-cas", "x")).value());
  ASSERT_TRUE(run(client_.kv_put("old/a", "x")).value());
  const std::uint64_t cas_index = run(client_.kv_get("t/cas")).value().value->modify_index;
  const std::uint64_t gone_cas_index = run(client_.kv_get("t/gone-cas")).value().value->modify_index;

  const std::vector<TxnOp> ops = {TxnOp::set("t/set", "v", 7),
                                  TxnOp::cas("t/cas", "1", cas_index),
                                  TxnOp::lock("t/lock", "held", session.value()),
                                  TxnOp::check_session("t/lock", session.value()),
                                  TxnOp::unlock("t/lock", "free", session.value()),
                                  TxnOp::get("t/set"),
                                  TxnOp::get_tree("t/"),
                                  TxnOp::check_index("t/gone-cas", gone_cas_index),
                                  TxnOp::delete_key("t/gone"),
                                  TxnOp::delete_tree("old/"),
                                  TxnOp::delete_cas("t/gone-cas", gone_cas_index)};
  auto outcome = run(client_.txn(ops));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const auto* committed = std::get_if<TxnCommitted>(&outcome.value());
  ASSERT_NE(committed, nullptr) << "rolled back: " << std::get<TxnRolledBack>(outcome.value()).errors.at(0).what;
  ASSERT_FALSE(committed->results.empty());
  EXPECT_EQ(committed->results[0].kv.key, "t/set");
  EXPECT_EQ(committed->results[0].kv.flags, 7u);
  EXPECT_EQ(run(client_.kv_get("t/set")).value().value->value, "v");
  EXPECT_EQ(run(client_.kv_get("t/cas")).value().value->value, "1");
  EXPECT_EQ(run(client_.kv_get("t/lock")).value().value->value, "free");
  EXPECT_TRUE(run(client_.kv_get("t/lock")).value().value->session.empty());
  EXPECT_FALSE(run(client_.kv_get("t/gone")).value().value);
  EXPECT_FALSE(run(client_.kv_get("t/gone-cas")).value().value);
  EXPECT_TRUE(run(client_.kv_list("old/")).value().value.empty());
}

// §2 "any error rolls back: 409 with Errors:[{OpIndex, What}]"; DESIGN.md HA step 5: a write
// guarded by check-session fails for a deposed leader and writes nothing.
TEST_F(ConsulClientCluster, TxnRollsBackAndSaysWhichOperationFailed) {
  auto holder = run(client_.session_create(ttl_session("holder")));
  auto deposed = run(client_.session_create(ttl_session("deposed")));
  ASSERT_TRUE(run(client_.kv_acquire("cluster/leader", "x", holder.value())).value());
  std::vector<TxnOp> ops = {TxnOp::set("cluster/tasks/web", "{}"), TxnOp::check_session("cluster/leader", deposed.value())};
  auto outcome = run(client_.txn(ops));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const auto* rolled_back = std::get_if<TxnRolledBack>(&outcome.value());
  ASSERT_NE(rolled_back, nullptr);
  ASSERT_EQ(rolled_back->errors.size(), 1u);
  EXPECT_EQ(rolled_back->errors[0].op_index, 1u);
  EXPECT_NE(rolled_back->errors[0].what.find("cluster/leader"), std::string::npos) << rolled_back->errors[0].what;
  EXPECT_FALSE(run(client_.kv_get("cluster/tasks/web")).value().value) << "nothing applied";
}

// ---- Health, catalog, agent, status --------------------------------------------------------

ServiceRegistration web_registration() {
  return ServiceRegistration{
      .id = "web-1",
      .name = "web",
      .tags = {"blue", "v1"},
      .address = "10.0.0.1",
      .port = 8080,
      .meta = {{"env", "prod"}},
      .checks = {AgentServiceCheck{.check_id = "web-1-health", .name = "web health", .http = "http://10.0.0.1:8080/health",
                                   .method = "GET", .interval = 10s, .timeout = 2s}}};
}

TEST_F(ConsulClientCluster, HealthServiceAfterAgentRegistration) {
  auto registered = register_service(web_registration());
  ASSERT_TRUE(registered.ok()) << registered.error().message;
  auto entries = run(client_.health_service("web"));
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries.value().value.size(), 1u);
  const ServiceEntry& entry = entries.value().value[0];
  EXPECT_EQ(entry.node.node, "engine-host-1");
  EXPECT_EQ(entry.node.address, "10.2.0.1");
  EXPECT_EQ(entry.node.datacenter, "dc1");
  EXPECT_EQ(entry.service.id, "web-1");
  EXPECT_EQ(entry.service.service, "web");
  EXPECT_EQ(entry.service.tags, (std::vector<std::string>{"blue", "v1"}));
  EXPECT_EQ(entry.service.address, "10.0.0.1");
  EXPECT_EQ(entry.service.port, 8080);
  EXPECT_EQ(entry.service.meta.at("env"), "prod");
  bool saw_service_check = false;
  for (const HealthCheck& check : entry.checks) {
    if (check.check_id == "web-1-health") {
      saw_service_check = true;
      EXPECT_EQ(check.status, "critical") << "Consul starts a new check critical";
      EXPECT_EQ(check.service_id, "web-1");
    }
  }
  EXPECT_TRUE(saw_service_check);

  auto passing = run(client_.health_service("web", HealthServiceOptions{.passing = true}));
  ASSERT_TRUE(passing.ok());
  EXPECT_TRUE(passing.value().value.empty()) << "its check is critical";
  ASSERT_EQ(raw("PUT", "/v1/agent/check/pass/web-1-health").status, 200);
  passing = run(client_.health_service("web", HealthServiceOptions{.passing = true}));
  ASSERT_TRUE(passing.ok());
  EXPECT_EQ(passing.value().value.size(), 1u);

  EXPECT_EQ(run(client_.health_service("web", HealthServiceOptions{.tags = {"blue", "v1"}})).value().value.size(), 1u);
  EXPECT_TRUE(run(client_.health_service("web", HealthServiceOptions{.tags = {"green"}})).value().value.empty());
  EXPECT_EQ(run(client_.health_service("web", HealthServiceOptions{.filter = R"(Service.Meta.env == "prod")"})).value().value.size(), 1u);
  EXPECT_TRUE(run(client_.health_service("web", HealthServiceOptions{.filter = R"(Service.Port != 8080)"})).value().value.empty());

  ASSERT_TRUE(deregister_service("web-1").ok());
  EXPECT_TRUE(run(client_.health_service("web")).value().value.empty());
}

TEST_F(ConsulClientCluster, CatalogServicesListsNamesAndTags) {
  ASSERT_TRUE(register_service(web_registration()).ok());
  auto services = run(client_.catalog_services());
  ASSERT_TRUE(services.ok()) << services.error().message;
  ASSERT_TRUE(services.value().value.contains("web"));
  EXPECT_EQ(services.value().value.at("web"), (std::vector<std::string>{"blue", "v1"}));
  EXPECT_GT(services.value().meta.index, 0u);
}

TEST_F(ConsulClientCluster, DeregisteringAnUnknownServiceIsA404) {
  auto refused = deregister_service("nope");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ConsulErrorKind::http);
  EXPECT_EQ(refused.error().http_status, 404);
}

TEST_F(ConsulClientCluster, StatusLeaderNamesTheLeader) {
  auto leader = run(client_.status_leader());
  ASSERT_TRUE(leader.ok()) << leader.error().message;
  EXPECT_NE(leader.value().find(':'), std::string::npos) << leader.value();
}

// §4: namespaces are an Enterprise feature; Community Edition refuses ?ns with a 400.
TEST_F(ConsulClientCluster, ANamespaceOnCommunityEditionIsAnHttpError) {
  auto refused = run(client_.health_service("web", HealthServiceOptions{.namespace_name = "team-a"}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ConsulErrorKind::http);
  EXPECT_EQ(refused.error().http_status, 400);
  EXPECT_NE(refused.error().message.find("Namespaces are a Consul Enterprise feature"), std::string::npos);
}

TEST_F(ConsulClientCluster, AnotherDatacenterIsAnHttpError) {
  ConsulClient elsewhere(transport_, ConsulClientOptions{.datacenter = "dc2"});
  auto refused = run(elsewhere.kv_get("k"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ConsulErrorKind::http);
  EXPECT_NE(refused.error().message.find("No path to datacenter"), std::string::npos) << refused.error().message;
  ConsulClient here(transport_, ConsulClientOptions{.datacenter = "dc1"});
  EXPECT_TRUE(run(here.kv_get("k")).ok());
}

// ---- Blocking queries -----------------------------------------------------------------------

Task<void> put_after(Runtime& runtime, ConsulClient& client, Duration delay, std::string key, std::string value) {
  const WaitResult slept = co_await sleep_for(runtime, delay);
  EXPECT_EQ(slept, WaitResult::deadline);
  const ConsulResult<bool> put = co_await client.kv_put(std::move(key), std::move(value));
  EXPECT_TRUE(put.ok() && put.value());
}

// §3 "Returns as soon as the result's index > requested index".
TEST_F(ConsulClientCluster, BlockingGetReturnsOnChange) {
  ASSERT_TRUE(run(client_.kv_put("watched", "v1")).value());
  const QueryMeta first = run(client_.kv_get("watched")).value().meta;
  engine_.scope().spawn(put_after(engine_, client_, 2s, "watched", "v2"));
  const std::int64_t start = world_.now_ns();
  auto changed = run(client_.kv_get("watched", QueryOptions{.index = first.index, .wait = 60s}));
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(changed.value().value->value, "v2");
  EXPECT_GT(changed.value().meta.index, first.index);
  EXPECT_GE(elapsed_since(start), seconds(2));
  EXPECT_LT(elapsed_since(start), seconds(3));
}

// §3 "on timeout returns 200 with current data", after the wait plus up to wait/16.
TEST_F(ConsulClientCluster, BlockingGetReturnsOnTimeoutWithTheSameIndex) {
  ASSERT_TRUE(run(client_.kv_put("quiet", "v1")).value());
  const QueryMeta first = run(client_.kv_get("quiet")).value().meta;
  const std::int64_t start = world_.now_ns();
  auto same = run(client_.kv_get("quiet", QueryOptions{.index = first.index, .wait = 16s}));
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_EQ(same.value().meta.index, first.index);
  EXPECT_EQ(same.value().value->value, "v1");
  EXPECT_GE(elapsed_since(start), seconds(16));
  EXPECT_LE(elapsed_since(start), seconds(17) + ms(100)) << "wait + wait/16 + round trips";
}

// §3 "A missing key keeps blocking until it appears or the timeout."
TEST_F(ConsulClientCluster, BlockingGetOfAMissingKeyReturnsWhenItAppears) {
  const QueryMeta first = run(client_.kv_get("later")).value().meta;
  engine_.scope().spawn(put_after(engine_, client_, 3s, "later", "here"));
  auto appeared = run(client_.kv_get("later", QueryOptions{.index = first.index, .wait = 60s}));
  ASSERT_TRUE(appeared.ok()) << appeared.error().message;
  ASSERT_TRUE(appeared.value().value.has_value());
  EXPECT_EQ(appeared.value().value->value, "here");
}

TEST_F(ConsulClientCluster, BlockingListAndHealthReturnOnChange) {
  ASSERT_TRUE(run(client_.kv_put("dir/a", "1")).value());
  const QueryMeta listed = run(client_.kv_list("dir/")).value().meta;
  engine_.scope().spawn(put_after(engine_, client_, 1s, "dir/b", "2"));
  auto grown = run(client_.kv_list("dir/", QueryOptions{.index = listed.index, .wait = 60s}));
  ASSERT_TRUE(grown.ok());
  EXPECT_EQ(grown.value().value.size(), 2u);

  const QueryMeta health = run(client_.health_service("web")).value().meta;
  const std::int64_t start = world_.now_ns();
  // Registered in the catalog directly (forwarded to the leader, unlike the fake's agent
  // endpoints: see register_service).
  world_.schedule_at(world_.now_ns() + seconds(1), [this] {
    engine_.scope().spawn([](SimAgentTransportRef transport) -> Task<void> {
      http::Request request{"PUT", "/v1/catalog/register", {},
                            R"({"Node":"n1","Address":"10.0.0.9","Service":{"ID":"web-9","Service":"web","Port":80}})"};
      const TransportResult registered = co_await transport.get().round_trip(std::move(request), 30s, {});
      EXPECT_TRUE(registered.ok() && registered.response().status == 200);
    }(std::ref(transport_)));
  });
  auto appeared = run(client_.health_service("web", {}, QueryOptions{.index = health.index, .wait = 60s}));
  ASSERT_TRUE(appeared.ok()) << appeared.error().message;
  EXPECT_EQ(appeared.value().value.size(), 1u);
  EXPECT_LT(elapsed_since(start), seconds(2));
}

TEST_F(ConsulClientCluster, StoppingABlockingQueryCancelsItPromptly) {
  ASSERT_TRUE(run(client_.kv_put("k", "v")).value());
  const QueryMeta first = run(client_.kv_get("k")).value().meta;
  std::stop_source stop;
  world_.schedule_at(world_.now_ns() + seconds(1), [&stop] { stop.request_stop(); });
  const std::int64_t start = world_.now_ns();
  auto cancelled = run(client_.kv_get("k", QueryOptions{.index = first.index, .wait = 60s}, stop.get_token()));
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().kind, ConsulErrorKind::transport);
  EXPECT_EQ(cancelled.error().transport_kind, TransportErrorKind::cancelled);
  EXPECT_EQ(elapsed_since(start), seconds(1));
}

// ---- Faults ---------------------------------------------------------------------------------

// §5 "No leader: `No cluster leader`, HTTP 500 (through a client agent ... `rpc error making
// call: No cluster leader`)": two of three servers crash, the leader among them.
TEST_F(ConsulClientCluster, QuorumLossIsNoLeader) {
  ASSERT_TRUE(run(client_.kv_put("k", "before")).value());
  world_.run_for(seconds(1));
  const std::size_t survivor = (await_leader() + 1) % cluster_.size();
  for (std::size_t i = 0; i < cluster_.size(); ++i) {
    if (i != survivor) cluster_.node(i).crash();
  }
  world_.run_for(seconds(10));

  const std::int64_t start = world_.now_ns();
  auto put = past_dead_servers<bool>([this] { return client_.kv_put("k", "after"); });
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().kind, ConsulErrorKind::no_leader) << put.error().message;
  EXPECT_EQ(put.error().http_status, 500);
  EXPECT_NE(put.error().message.find("rpc error making call: No cluster leader"), std::string::npos) << put.error().message;
  EXPECT_GE(elapsed_since(start), seconds(7)) << "held for rpc_hold_timeout first";

  auto read = past_dead_servers<QueryResult<std::optional<KvPair>>>([this] { return client_.kv_get("k"); });
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().kind, ConsulErrorKind::no_leader) << read.error().message;
  auto session = past_dead_servers<std::string>([this] { return client_.session_create(ttl_session("no-leader")); });
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().kind, ConsulErrorKind::no_leader) << session.error().message;

  // Item 12: ?stale reads keep working without a leader, and say there is none.
  auto stale = past_dead_servers<QueryResult<std::optional<KvPair>>>(
      [this] { return client_.kv_get("k", QueryOptions{.consistency = Consistency::stale}); });
  ASSERT_TRUE(stale.ok()) << stale.error().message;
  EXPECT_EQ(stale.value().value->value, "before");
  EXPECT_FALSE(stale.value().meta.known_leader);
  auto status = past_dead_servers<std::string>([this] { return client_.status_leader(); });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(status.value(), "") << "§4: \"\" (200) when there is no leader";
}

TEST_F(ConsulClientCluster, ADownAgentRefusesAtOnce) {
  cluster_.stop_agent(agent_);
  const std::int64_t start = world_.now_ns();
  auto refused = run(client_.kv_get("k"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ConsulErrorKind::transport);
  EXPECT_EQ(refused.error().transport_kind, TransportErrorKind::refused);
  EXPECT_EQ(refused.error().http_status, 0);
  EXPECT_EQ(elapsed_since(start), 0);
  cluster_.start_agent(agent_);
  world_.run_for(seconds(1));
  EXPECT_TRUE(run(client_.kv_get("k")).ok());
}

TEST_F(ConsulClientCluster, APausedAgentTimesOut) {
  ConsulClient impatient(transport_, ConsulClientOptions{.request_timeout = 9s});
  cluster_.agent_node(agent_).pause();
  const std::int64_t start = world_.now_ns();
  auto hung = run(impatient.kv_put("k", "v"));
  ASSERT_FALSE(hung.ok());
  EXPECT_EQ(hung.error().kind, ConsulErrorKind::transport);
  EXPECT_EQ(hung.error().transport_kind, TransportErrorKind::timeout);
  EXPECT_EQ(elapsed_since(start), seconds(9));
  cluster_.agent_node(agent_).resume();
}

// A crash is a process death: the engine's call in flight dies with it, its answer arriving
// later is dropped, and the restarted process talks to Consul afresh.
TEST_F(ConsulClientCluster, AnEngineCrashTakesItsCallsInFlightWithIt) {
  ASSERT_TRUE(run(client_.kv_put("k", "v1")).value());
  const QueryMeta first = run(client_.kv_get("k")).value().meta;
  auto answered = std::make_shared<bool>(false);
  engine_.scope().spawn([](ConsulClient& client, std::uint64_t index, std::shared_ptr<bool> out) -> Task<void> {
    const auto changed = co_await client.kv_get("k", QueryOptions{.index = index, .wait = 60s});
    (void)changed;
    *out = true;
  }(client_, first.index, answered));
  world_.run_for(seconds(1));
  engine_.crash();
  // Another process on the machine changes the key: the dead query's answer comes back, and is
  // dropped.
  sim::Node& other = world_.add_node({.name = "baton-2"});
  other.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(1)); });
  sim::SimAgentTransport other_transport(cluster_, other, agent_);
  ConsulClient other_client(other_transport);
  ASSERT_TRUE(test::run_on(world_, other, other_client.kv_put("k", "v2")).value());
  world_.run_for(seconds(70));
  EXPECT_FALSE(*answered) << "no code of the dead incarnation ran";
  engine_.restart();
  auto fresh = run(client_.kv_get("k"));
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_EQ(fresh.value().value->value, "v2");
}

// ---- ACLs -----------------------------------------------------------------------------------

SimConsulClusterOptions with_acls() {
  SimConsulClusterOptions options;
  options.server.acl = fakes::consul::AclOptions{.enabled = true, .default_access = fakes::consul::Access::deny,
                                                 .management_token = "root"};
  return options;
}

class ConsulClientAcl : public ClusterFixture {
 protected:
  ConsulClientAcl() : ClusterFixture(with_acls()) {}

  std::string token_with(const std::string& name, const std::string& rules) {
    const http::Response policy =
        raw("PUT", "/v1/acl/policy?token=root", nlohmann::json({{"Name", name}, {"Rules", rules}}).dump());
    EXPECT_EQ(policy.status, 200) << policy.body;
    const http::Response token = raw("PUT", "/v1/acl/token?token=root", nlohmann::json({{"Policies", {{{"Name", name}}}}}).dump());
    EXPECT_EQ(token.status, 200) << token.body;
    return nlohmann::json::parse(token.body).value("SecretID", "");
  }
};

// §5 "Permission denied or "ACL not found" -> 403 with the text".
TEST_F(ConsulClientAcl, DeniedAndUnknownTokensArePermissionDenied) {
  auto anonymous = run(client_.kv_put("a", "x"));
  ASSERT_FALSE(anonymous.ok());
  EXPECT_EQ(anonymous.error().kind, ConsulErrorKind::permission_denied) << anonymous.error().message;
  EXPECT_EQ(anonymous.error().http_status, 403);
  EXPECT_NE(anonymous.error().message.find("Permission denied"), std::string::npos) << anonymous.error().message;

  ConsulClient unknown(transport_, ConsulClientOptions{.token = "nope"});
  auto not_found = run(unknown.kv_get("a"));
  ASSERT_FALSE(not_found.ok());
  EXPECT_EQ(not_found.error().kind, ConsulErrorKind::permission_denied);
  EXPECT_NE(not_found.error().message.find("ACL not found"), std::string::npos) << not_found.error().message;

  ConsulClient root(transport_, ConsulClientOptions{.token = "root"});
  EXPECT_TRUE(run(root.kv_put("a", "x")).value()) << "the token travels as X-Consul-Token";
  auto session = run(client_.session_create(ttl_session("anonymous")));
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().kind, ConsulErrorKind::permission_denied) << session.error().message;
}

TEST_F(ConsulClientAcl, AScopedTokenWritesOnlyItsPrefix) {
  const std::string token = token_with(
      "baton", R"({"key_prefix":{"consul-terraform-sync/":{"policy":"write"}},"session_prefix":{"":{"policy":"write"}}})");
  ConsulClient scoped(transport_, ConsulClientOptions{.token = token});
  auto session = run(scoped.session_create(ttl_session("baton-a")));
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_TRUE(run(scoped.kv_acquire("consul-terraform-sync/c/leader", "me", session.value())).value());
  auto outside = run(scoped.kv_put("elsewhere", "x"));
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().kind, ConsulErrorKind::permission_denied);
  // Inside a transaction a denied operation is an error of the transaction (409), not a 403.
  std::vector<TxnOp> ops = {TxnOp::set("consul-terraform-sync/c/meta", "1"), TxnOp::set("elsewhere", "x")};
  auto outcome = run(scoped.txn(ops));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const auto* rolled_back = std::get_if<TxnRolledBack>(&outcome.value());
  ASSERT_NE(rolled_back, nullptr);
  EXPECT_EQ(rolled_back->errors.at(0).op_index, 1u);
  EXPECT_NE(rolled_back->errors.at(0).what.find("Permission denied"), std::string::npos);
}

}  // namespace
}  // namespace baton::consul
