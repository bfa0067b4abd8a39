// How a fake Consul cluster comes to exist and comes back: bootstrap_expect, -bootstrap, new
// servers joining, and the seed's recovery recipe (consul-semantics.md §6,
// ../shared/seeds/002_17f3ac04f5f0dc20.txt, consul-lock-failure-modes.md item 24).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "fakes/consul/raft/configuration.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::fakes::consul {
namespace {

using test::ms;
using test::seconds;

// A cluster of `options.servers` servers that nobody has started yet, a client node to send
// requests from, and the servers' log (bootstrap decisions) kept for the tests to read.
class BootstrapHarness {
 public:
  explicit BootstrapHarness(SimConsulClusterOptions options) : cluster_(world_, network_, with_log(std::move(options))) {
    client_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24 * 365)); });
  }

  // Servers that consider themselves leader right now.
  std::vector<std::size_t> leaders() const {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < cluster_.size(); ++i) {
      if (cluster_.server(i) != nullptr && cluster_.node(i).state() == sim::NodeState::running && cluster_.server(i)->is_leader()) {
        found.push_back(i);
      }
    }
    return found;
  }

  std::optional<std::size_t> leader_within(std::int64_t within_ns) {
    const std::int64_t limit = world_.now_ns() + within_ns;
    while (world_.now_ns() < limit) {
      if (auto leader = cluster_.established_leader()) return leader;
      world_.run_until(world_.now_ns() + ms(10));
    }
    return std::nullopt;
  }

  std::optional<http::Response> call(std::size_t i, std::string method, std::string target, std::string body = {}) {
    auto answer = std::make_shared<std::optional<std::optional<http::Response>>>();
    http::Request request{std::move(method), std::move(target), {}, std::move(body)};
    client_.scope().spawn([](SimConsulCluster& cluster, sim::Node& from, std::size_t server, http::Request r,
                             std::shared_ptr<std::optional<std::optional<http::Response>>> out) -> Task<void> {
      *out = co_await cluster.request(from, server, std::move(r), std::chrono::seconds(60));
    }(cluster_, client_, i, std::move(request), answer));
    while (!*answer && world_.step()) {
    }
    return answer->value_or(std::nullopt);
  }

  std::size_t voters_known_to(std::size_t i) const {
    return cluster_.server(i)->raft()->latest_configuration().servers.size();
  }

  void crash_all() {
    for (std::size_t i = 0; i < cluster_.size(); ++i) {
      if (cluster_.node(i).state() != sim::NodeState::crashed) cluster_.node(i).crash();
    }
  }
  void restart_all_with(ServerFlags flags) {
    for (std::size_t i = 0; i < cluster_.size(); ++i) {
      cluster_.set_flags(i, flags);
      cluster_.node(i).restart();
    }
  }

  // How many lines server `i` has logged containing `text` (nullopt: any server).
  std::size_t logged(std::string_view text, std::optional<std::size_t> i = std::nullopt) const {
    std::size_t count = 0;
    std::istringstream lines(log_text_.str());
    for (std::string line; std::getline(lines, line);) {
      const bool by_server = !i || line.rfind(std::string(cluster_.node(*i).name()) + " ", 0) == 0;
      if (by_server && line.find(text) != std::string::npos) ++count;
    }
    return count;
  }

 private:
  SimConsulClusterOptions with_log(SimConsulClusterOptions options) const {
    options.log = &log_;
    return options;
  }

 protected:
  sim::World world_{sim::WorldOptions{.seed = 11}};
  sim::Network network_{world_};
  std::ostringstream log_text_;
  sim::SimLog log_{world_, sim::SimLogOptions{.out = &log_text_}};
  SimConsulCluster cluster_;
  sim::Node& client_ = world_.add_node({.name = "agent-client"});
};

class ConsulBootstrap : public ::testing::TestWithParam<ConsulProfile>, public BootstrapHarness {
 protected:
  ConsulBootstrap() : BootstrapHarness(SimConsulClusterOptions{.profile = GetParam()}) {}
};

// §6 maybeBootstrap: "counts same-DC voters with a matching expect value ... at N it asks each
// for Status.Peers; if none has peers it bootstraps Raft with all of them".
TEST_P(ConsulBootstrap, Semantics6_BootstrapExpectWaitsForTheExpectedNumberOfServers) {
  cluster_.start(0, {.bootstrap_expect = 3});
  cluster_.start(1, {.bootstrap_expect = 3});
  EXPECT_FALSE(leader_within(seconds(60))) << "two of three expected: nobody bootstraps";
  EXPECT_EQ(voters_known_to(0), 0u);
  cluster_.start(2, {.bootstrap_expect = 3});
  const std::optional<std::size_t> leader = leader_within(seconds(60));
  ASSERT_TRUE(leader);
  EXPECT_EQ(voters_known_to(*leader), 3u);
  EXPECT_EQ(call(*leader, "PUT", "/v1/kv/k", "v")->body, "true");
}

// §6 "a conflicting value or a server in -bootstrap mode aborts".
TEST_P(ConsulBootstrap, Semantics6_AConflictingExpectValueAbortsTheBootstrap) {
  cluster_.start(0, {.bootstrap_expect = 3});
  cluster_.start(1, {.bootstrap_expect = 3});
  cluster_.start(2, {.bootstrap_expect = 2});
  EXPECT_FALSE(leader_within(seconds(60)));
  for (std::size_t i = 0; i < cluster_.size(); ++i) EXPECT_EQ(voters_known_to(i), 0u) << "server " << i;
}

// §6 "a conflicting value or a server in -bootstrap mode aborts": servers started with
// bootstrap_expect meet one started with -bootstrap, and maybeBootstrap gives up at that member
// ("Member has bootstrap mode. Expect disabled.") before it asks anyone for Status.Peers. The
// -bootstrap server leads alone and adds them (joinConsulServer): one cluster, one leader.
TEST_P(ConsulBootstrap, Semantics6_AMemberInBootstrapModeAbortsTheExpectBootstrap) {
  cluster_.start(0, {.bootstrap = true});
  cluster_.start(1, {.bootstrap_expect = 2});
  cluster_.start(2, {.bootstrap_expect = 2});
  const std::optional<std::size_t> leader = leader_within(seconds(60));
  ASSERT_EQ(leader, std::optional<std::size_t>(0));
  world_.run_for(seconds(10));
  EXPECT_GE(logged("Member has bootstrap mode. Expect disabled.", 1), 1u);
  EXPECT_GE(logged("Member has bootstrap mode. Expect disabled.", 2), 1u);
  EXPECT_EQ(logged("Existing Raft peers reported by server"), 0u) << "aborted before asking for peers";
  EXPECT_EQ(logged("Found expected number of peers"), 0u);
  EXPECT_EQ(leaders(), std::vector<std::size_t>{0});
  for (std::size_t i = 0; i < cluster_.size(); ++i) EXPECT_EQ(voters_known_to(i), 3u) << "server " << i;
}

// §6 "if Raft already has data it logs 'Raft data found, disabling bootstrap mode':
// bootstrap_expect is ignored on restart." A restart with another expect value changes nothing.
TEST_P(ConsulBootstrap, Semantics6_BootstrapExpectIsIgnoredOnceRaftHasData) {
  cluster_.bootstrap_and_start();
  const std::optional<std::size_t> first = leader_within(seconds(60));
  ASSERT_TRUE(first);
  ASSERT_EQ(call(*first, "PUT", "/v1/kv/k", "v")->body, "true");
  crash_all();
  restart_all_with({.bootstrap_expect = 5});
  const std::optional<std::size_t> again = leader_within(seconds(60));
  ASSERT_TRUE(again) << "the log's configuration elects, whatever bootstrap_expect now says";
  EXPECT_EQ(voters_known_to(*again), 3u);
  EXPECT_EQ(call(*again, "GET", "/v1/kv/k")->status, 200);
}

// §6 "Single-server clusters need -bootstrap or -bootstrap-expect=1"; the other servers then
// join, and the leader adds them to Raft (leader.go joinConsulServer).
TEST_P(ConsulBootstrap, Semantics6_OneServerBootstrapsAloneAndTheLeaderAddsTheOthers) {
  cluster_.start(0, {.bootstrap = true});
  const std::optional<std::size_t> alone = leader_within(seconds(60));
  ASSERT_EQ(alone, std::optional<std::size_t>(0));
  EXPECT_EQ(voters_known_to(0), 1u);
  cluster_.start(1);
  cluster_.start(2);
  world_.run_for(seconds(30));
  EXPECT_EQ(cluster_.established_leader(), std::optional<std::size_t>(0));
  EXPECT_EQ(voters_known_to(0), 3u) << "servers that join are added as voters";
}

// bootstrap_expect = 1 is -bootstrap (Consul's config builder rewrites it).
TEST_P(ConsulBootstrap, Semantics6_BootstrapExpectOneIsBootstrapMode) {
  cluster_.start(1, {.bootstrap_expect = 1});
  EXPECT_EQ(leader_within(seconds(60)), std::optional<std::size_t>(1));
}

// The seed's recipe, step by step: after every server left (hashicorp/consul issue 993),
// restart all with bootstrap_expect=1, then one by one with bootstrap_expect=3.
//
// What it does in this model, and why:
// - modern: bootstrap flags are ignored once Raft has data, and servers do not leave on
//   SIGINT, so there is no wedge to repair; the restarts just elect again. Harmless, useless.
// - legacy: a server in bootstrap mode with an empty peer set elects itself (old raft's
//   EnableSingleNode), so step 1 makes THREE one-server clusters, each a leader that accepts
//   writes: split brain (consul-lock-failure-modes.md item 24). Two servers both in bootstrap
//   mode refuse to add each other ("Two nodes are in bootstrap mode"). Step 2 drops bootstrap
//   mode; the leaders now add each other, the clusters merge under one leader, and the losers'
//   writes are gone. The seed saw "one leader, one follower, one error" after step 1, which
//   depends on start order and old gossip timing; the one-by-one step 2 is what repairs it,
//   at the price of whatever was written to the losing clusters in between.
TEST_P(ConsulBootstrap, Seed002_TheBootstrapExpectOneRecipe) {
  cluster_.bootstrap_and_start();
  const std::optional<std::size_t> first = leader_within(seconds(60));
  ASSERT_TRUE(first);
  ASSERT_EQ(call(*first, "PUT", "/v1/kv/before", "x")->body, "true");
  world_.run_for(seconds(1));
  for (std::size_t i = 0; i < cluster_.size(); ++i) {
    cluster_.interrupt(i, world_.now_ns() + seconds(30));
    world_.run_for(seconds(1));
  }
  restart_all_with({});
  const bool wedged = !leader_within(seconds(120)).has_value();
  EXPECT_EQ(wedged, GetParam() == ConsulProfile::legacy) << "issue 993 wedges legacy clusters only";

  // Step 1: every server with bootstrap_expect=1.
  crash_all();
  restart_all_with({.bootstrap_expect = 1});
  world_.run_for(seconds(60));
  if (GetParam() == ConsulProfile::legacy) {
    EXPECT_EQ(leaders().size(), 3u) << "three one-server clusters: split brain";
    for (std::size_t i = 0; i < cluster_.size(); ++i) {
      EXPECT_EQ(call(i, "PUT", "/v1/kv/split-" + std::to_string(i), "w")->body, "true") << "each accepts writes";
    }
  } else {
    EXPECT_EQ(leaders().size(), 1u) << "the flags are ignored: Raft data found";
  }

  // Step 2: one by one, with bootstrap_expect=3.
  for (std::size_t i = 0; i < cluster_.size(); ++i) {
    cluster_.node(i).crash();
    cluster_.set_flags(i, {.bootstrap_expect = 3});
    cluster_.node(i).restart();
    world_.run_for(seconds(20));
  }
  const std::optional<std::size_t> leader = leader_within(seconds(120));
  ASSERT_TRUE(leader) << "after step 2 one leader leads all three";
  world_.run_for(seconds(10));
  for (std::size_t i = 0; i < cluster_.size(); ++i) EXPECT_EQ(voters_known_to(i), 3u) << "server " << i;
  EXPECT_EQ(call(*leader, "GET", "/v1/kv/before")->status, 200) << "what was committed before the outage survives";
  if (GetParam() == ConsulProfile::legacy) {
    int surviving_split_writes = 0;
    for (std::size_t i = 0; i < cluster_.size(); ++i) {
      surviving_split_writes += call(*leader, "GET", "/v1/kv/split-" + std::to_string(i))->status == 200 ? 1 : 0;
    }
    EXPECT_LE(surviving_split_writes, 1) << "writes accepted by the losing clusters during the split are lost";
  }
}

// Five servers, so that two survivors of three losses are a pair to recover.
class ConsulRecovery : public ::testing::TestWithParam<ConsulProfile>, public BootstrapHarness {
 protected:
  ConsulRecovery() : BootstrapHarness(SimConsulClusterOptions{.servers = 5, .profile = GetParam()}) {}
};

// §6 "Outage recovery: raft/peers.json ... listing only the surviving servers, ingested at start
// then deleted." Three of five servers are lost for good, the leader among them; the two
// survivors cannot elect (2 of 5 is no majority) until each is stopped, given a peers.json
// naming the two of them, and started: then they elect, with the data committed before.
TEST_P(ConsulRecovery, Semantics6_PeersJsonWithTheSurvivorsOnlyBringsBackALeaderAndTheData) {
  cluster_.bootstrap_and_start();
  const std::optional<std::size_t> leader = leader_within(seconds(60));
  ASSERT_TRUE(leader);
  ASSERT_EQ(call(*leader, "PUT", "/v1/kv/before", "x")->body, "true");
  world_.run_for(seconds(2));  // every server has it, not only a majority
  std::vector<std::size_t> survivors;
  for (std::size_t i = 0; i < cluster_.size(); ++i) {
    if (i != *leader && survivors.size() < 2) {
      survivors.push_back(i);
    } else {
      cluster_.node(i).crash();
    }
  }
  EXPECT_FALSE(leader_within(seconds(60))) << "two of five voters are no majority";

  for (std::size_t i : survivors) {
    cluster_.node(i).crash();
    ASSERT_TRUE(cluster_.write_peers_json(i, survivors));
  }
  for (std::size_t i : survivors) cluster_.node(i).restart();
  const std::optional<std::size_t> recovered = leader_within(seconds(60));
  ASSERT_TRUE(recovered) << "peers.json recovery restores a leader";
  EXPECT_NE(std::find(survivors.begin(), survivors.end(), *recovered), survivors.end());
  EXPECT_EQ(voters_known_to(*recovered), 2u);
  std::optional<http::Response> read = call(*recovered, "GET", "/v1/kv/before");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200) << "the data committed before the outage is back";
  EXPECT_EQ(call(*recovered, "PUT", "/v1/kv/after", "y")->body, "true") << "and the pair commits new writes";
}

// §6 maybeBootstrap: "at N it asks each for Status.Peers; if none has peers it bootstraps".
// A fourth server started later with the same bootstrap_expect counts enough members, but the
// others report peers ("Existing Raft peers reported by server, disabling bootstrap mode"): it
// does not bootstrap a cluster of its own, and joins the existing one once the leader sees it.
// It starts cut off from the leader so that it is its own Status.Peers query, not the leader
// adding it first, that keeps it from bootstrapping.
class ConsulBootstrapLateServer : public ::testing::Test, public BootstrapHarness {
 protected:
  ConsulBootstrapLateServer() : BootstrapHarness(SimConsulClusterOptions{.servers = 4}) {}
};

TEST_F(ConsulBootstrapLateServer, Semantics6_ANewServerThatSeesExistingPeersJoinsInsteadOfBootstrapping) {
  for (std::size_t i = 0; i < 3; ++i) cluster_.start(i, {.bootstrap_expect = 3});
  const std::optional<std::size_t> leader = leader_within(seconds(60));
  ASSERT_TRUE(leader);
  ASSERT_EQ(call(*leader, "PUT", "/v1/kv/k", "v")->body, "true");
  const std::size_t late = 3;
  network_.cut(cluster_.node(late), cluster_.node(*leader));
  cluster_.start(late, {.bootstrap_expect = 3});
  world_.run_for(seconds(10));
  EXPECT_GE(logged("Existing Raft peers reported by server, disabling bootstrap mode", late), 1u);
  EXPECT_EQ(logged("Found expected number of peers", late), 0u);
  EXPECT_EQ(voters_known_to(late), 0u) << "no cluster of its own";

  network_.heal();
  world_.run_for(seconds(20));
  EXPECT_EQ(cluster_.established_leader(), leader);
  EXPECT_EQ(voters_known_to(*leader), 4u) << "the leader added it";
  EXPECT_EQ(voters_known_to(late), 4u);
  ASSERT_NE(cluster_.server(late)->store().kv_get("k"), nullptr) << "it replicated the existing data";
}

INSTANTIATE_TEST_SUITE_P(Profiles, ConsulBootstrap, ::testing::Values(ConsulProfile::modern, ConsulProfile::legacy),
                         [](const auto& param_info) { return param_info.param == ConsulProfile::modern ? "modern" : "legacy"; });

INSTANTIATE_TEST_SUITE_P(Profiles, ConsulRecovery, ::testing::Values(ConsulProfile::modern, ConsulProfile::legacy),
                         [](const auto& param_info) { return param_info.param == ConsulProfile::modern ? "modern" : "legacy"; });

}  // namespace
}  // namespace baton::fakes::consul
