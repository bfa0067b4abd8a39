// baton's high availability (engine/ha/leader_election.hpp) against the fake Consul cluster in
// virtual time: three Consul servers, three engine instances each with its own client agent.
// Each instance's term body records when it acted as leader, in true time, so the tests check
// DESIGN.md's properties directly: one acting leader at a time, failover after a crash within
// (2 x TTL - renew interval, 2 x TTL] plus a round trip, a graceful handover within a round trip,
// and a leader cut off from Consul fencing itself before its session can expire.
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/async/event.hpp"
#include "engine/ha/leader_election.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "sim/consul/sim_agent_transport.hpp"
#include "sim/network/network.hpp"
#include "sim/runtime/sim_log.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::ha {
namespace {

using baton::test::ms;
using baton::test::seconds;
using fakes::consul::SimConsulCluster;
using fakes::consul::SimConsulClusterOptions;

constexpr std::int64_t kTtlNs = seconds(10);

// One stretch of acting leadership, in the World's true time.
struct ActingInterval {
  std::string instance;
  std::uint64_t term = 0;
  std::int64_t start_ns = 0;
  std::optional<std::int64_t> end_ns;  // nullopt: still acting (or the instance crashed)
};

struct ActingLog {
  std::vector<ActingInterval> intervals;

  std::optional<std::int64_t> first_start_after(std::int64_t at_ns, const std::string& not_instance = "") const {
    for (const ActingInterval& interval : intervals) {
      if (interval.start_ns > at_ns && interval.instance != not_instance) return interval.start_ns;
    }
    return std::nullopt;
  }
};

// An engine instance: its node, its agent, its Consul client and its election.
struct Instance {
  Instance(sim::World& world, SimConsulCluster& cluster, const sim::SimLog& log, std::string id, std::string host,
           std::string address)
      : node(world.add_node({.name = id})),
        agent(cluster.add_agent(std::move(host), std::move(address))),
        transport(cluster, node, agent),
        client(transport),
        election(node, client, log.logger_for(node), options(id)) {}

  static LeaderElectionOptions options(const std::string& id) {
    LeaderElectionOptions options;
    options.cluster_name = "cluster-a";
    options.instance_id = id;
    options.instance_address = id + ".example.com";
    options.parent_path = "consul-terraform-sync/cluster-a";
    options.session_ttl = std::chrono::nanoseconds(kTtlNs);
    return options;
  }

  sim::Node& node;
  std::size_t agent;
  sim::SimAgentTransport transport;
  consul::ConsulClient client;
  LeaderElection election;
  std::stop_source stop;
};

// The term body: records the interval while it runs; the end is recorded only when the term
// ends cleanly (a crash destroys the frame and leaves the interval open, as a process death
// would). Runs in the instance's process.
Task<void> act_as_leader(sim::World& world, Runtime& runtime, ActingLog& log, std::string instance, LeaderTerm term,
                         std::stop_token stop) {
  log.intervals.push_back({instance, term.number, world.now_ns(), std::nullopt});
  const std::size_t mine = log.intervals.size() - 1;
  Event never(runtime);
  co_await never.wait(stop);
  log.intervals[mine].end_ns = world.now_ns();
}

class LeaderElectionTest : public ::testing::Test {
 protected:
  LeaderElectionTest() : cluster_(world_, network_, SimConsulClusterOptions{}) {
    cluster_.bootstrap_and_start();
    for (int i = 1; i <= 3; ++i) {
      const std::string id = "cts-0" + std::to_string(i);
      instances_.push_back(std::make_unique<Instance>(world_, cluster_, log_, id, "host-" + std::to_string(i),
                                                      "10.2.0." + std::to_string(i)));
      cluster_.start_agent(instances_.back()->agent);
    }
    run_until_consul_leader();
    world_.run_for(seconds(2));  // agents registered (serfHealth)
    for (auto& instance : instances_) start(*instance);
  }
  ~LeaderElectionTest() override {
    for (auto& instance : instances_) {
      if (instance->node.state() == sim::NodeState::running || instance->node.state() == sim::NodeState::paused) {
        instance->node.crash();
      }
    }
  }

  void start(Instance& instance) {
    sim::World* world = &world_;
    ActingLog* acting = &acting_;
    Instance* self = &instance;
    instance.node.start([world, acting, self](sim::Node& node) -> Task<void> {
      self->stop = std::stop_source();
      TermBody body = [world, acting, self, &node](LeaderTerm term, std::stop_token stop) {
        return act_as_leader(*world, node, *acting, self->election.options().instance_id, std::move(term), std::move(stop));
      };
      co_await self->election.run(body, self->stop.get_token());
    });
  }

  void run_until_consul_leader() {
    const std::int64_t limit = world_.now_ns() + seconds(60);
    while (world_.now_ns() < limit && !cluster_.established_leader()) world_.run_for(ms(10));
    ASSERT_TRUE(cluster_.established_leader().has_value());
  }

  // Runs until some instance other than `other_than` leads (or the limit passes); returns it.
  Instance* run_until_leader(std::int64_t limit_ns, const Instance* other_than = nullptr) {
    const std::int64_t until = world_.now_ns() + limit_ns;
    while (world_.now_ns() < until) {
      for (auto& instance : instances_) {
        if (instance.get() == other_than) continue;
        if (instance->node.state() == sim::NodeState::running && instance->election.leading()) return instance.get();
      }
      world_.run_for(ms(5));
    }
    return nullptr;
  }

  // No two acting intervals overlap (an open interval of a crashed instance ends at its crash,
  // recorded by the test in crashed_at_).
  void expect_one_acting_leader_at_a_time() const {
    const auto end_of = [this](const ActingInterval& interval) {
      if (interval.end_ns) return *interval.end_ns;
      const auto crash = crashed_at_.find(interval.instance);
      return crash != crashed_at_.end() && crash->second >= interval.start_ns ? crash->second : INT64_MAX;
    };
    for (std::size_t i = 0; i < acting_.intervals.size(); ++i) {
      for (std::size_t j = i + 1; j < acting_.intervals.size(); ++j) {
        const ActingInterval& a = acting_.intervals[i];
        const ActingInterval& b = acting_.intervals[j];
        const bool overlap = a.start_ns < end_of(b) && b.start_ns < end_of(a);
        EXPECT_FALSE(overlap) << a.instance << " term " << a.term << " [" << a.start_ns << ", " << end_of(a) << ") and "
                              << b.instance << " term " << b.term << " [" << b.start_ns << ", " << end_of(b) << ")";
      }
    }
  }

  void crash(Instance& instance) {
    crashed_at_[instance.election.options().instance_id] = world_.now_ns();
    instance.node.crash();
  }

  sim::World world_{sim::WorldOptions{.seed = 41}};
  sim::Network network_{world_};
  SimConsulCluster cluster_;
  sim::SimLog log_{world_, sim::SimLogOptions{.out = getenv("LE_DEBUG") ? &std::cerr : nullptr, .level = LogLevel::debug}};
  std::vector<std::unique_ptr<Instance>> instances_;
  ActingLog acting_;
  std::map<std::string, std::int64_t> crashed_at_;
};

TEST_F(LeaderElectionTest, ExactlyOneInstanceLeadsAndEveryoneKnowsWho) {
  Instance* leader = run_until_leader(seconds(30));
  ASSERT_NE(leader, nullptr);
  world_.run_for(seconds(60));  // a minute of renewals: still one leader, the same
  int leading = 0;
  for (auto& instance : instances_) {
    leading += instance->election.leading() ? 1 : 0;
    ASSERT_TRUE(instance->election.known_leader().has_value()) << instance->election.options().instance_id;
    EXPECT_EQ(instance->election.known_leader()->id, leader->election.options().instance_id);
    EXPECT_EQ(instance->election.known_leader()->address, leader->election.options().instance_address);
  }
  EXPECT_EQ(leading, 1);
  EXPECT_EQ(acting_.intervals.size(), 1u);
  expect_one_acting_leader_at_a_time();
}

TEST_F(LeaderElectionTest, ALeaderCrashFailsOverWithinTheSessionWindow) {
  Instance* leader = run_until_leader(seconds(30));
  ASSERT_NE(leader, nullptr);
  world_.run_for(seconds(7));  // mid-way between two renewals
  const std::int64_t crash_ns = world_.now_ns();
  crash(*leader);
  Instance* next = run_until_leader(3 * kTtlNs, leader);
  ASSERT_NE(next, nullptr);
  const std::int64_t failover_ns = *acting_.first_start_after(crash_ns) - crash_ns;
  const std::int64_t renew_ns = kTtlNs / 2;
  // The session expires 2 x TTL after the last renewal Consul saw, at most renew_interval
  // before the crash; the followers' blocking reads then return at once and one acquires.
  EXPECT_GT(failover_ns, 2 * kTtlNs - renew_ns - ms(100)) << failover_ns;
  EXPECT_LE(failover_ns, 2 * kTtlNs + ms(500)) << failover_ns;
  expect_one_acting_leader_at_a_time();
}

TEST_F(LeaderElectionTest, AGracefulStopHandsOverWithinARoundTrip) {
  Instance* leader = run_until_leader(seconds(30));
  ASSERT_NE(leader, nullptr);
  world_.run_for(seconds(3));
  const std::int64_t stop_ns = world_.now_ns();
  leader->stop.request_stop();
  Instance* next = run_until_leader(seconds(5), leader);
  ASSERT_NE(next, nullptr);
  EXPECT_NE(next, leader);
  const std::int64_t handover_ns = *acting_.first_start_after(stop_ns) - stop_ns;
  EXPECT_LT(handover_ns, ms(500)) << handover_ns;
  world_.run_for(seconds(1));
  EXPECT_EQ(leader->node.state(), sim::NodeState::running);
  EXPECT_TRUE(leader->election.session_id().empty()) << "run() returned after destroying its session";
  expect_one_acting_leader_at_a_time();
}

TEST_F(LeaderElectionTest, ALeaderCutOffFromConsulFencesBeforeItsSessionCanExpire) {
  Instance* leader = run_until_leader(seconds(30));
  ASSERT_NE(leader, nullptr);
  world_.run_for(seconds(4));
  const std::int64_t cut_ns = world_.now_ns();
  // The leader's machine loses the network: its agent can reach no server.
  network_.isolate(cluster_.agent_node(leader->agent));
  Instance* next = run_until_leader(3 * kTtlNs, leader);
  ASSERT_NE(next, nullptr);
  EXPECT_NE(next, leader);
  ASSERT_FALSE(acting_.intervals.empty());
  const ActingInterval& first = acting_.intervals.front();
  ASSERT_TRUE(first.end_ns.has_value()) << "the cut-off leader ended its term by itself";
  EXPECT_LE(*first.end_ns - cut_ns, kTtlNs) << "fenced within one TTL of the last renewal";
  const std::int64_t next_start_ns = *acting_.first_start_after(cut_ns, first.instance);
  EXPECT_GE(next_start_ns - *first.end_ns, kTtlNs - seconds(6)) << "a TTL's margin, less the renew interval";
  EXPECT_FALSE(leader->election.leading());
  expect_one_acting_leader_at_a_time();
}

TEST_F(LeaderElectionTest, ALeaderWhoseSessionIsDestroyedStepsDownAndCampaignsAgain) {
  Instance* leader = run_until_leader(seconds(30));
  ASSERT_NE(leader, nullptr);
  const std::string session = leader->election.session_id();
  Instance* other = leader == instances_[0].get() ? instances_[1].get() : instances_[0].get();
  // An operator (or an agent restart, failure mode 2) destroys the leader's session.
  auto destroyed = std::make_shared<bool>(false);
  other->node.scope().spawn([](consul::ConsulClient& client, std::string id, std::shared_ptr<bool> done) -> Task<void> {
    auto result = co_await client.session_destroy(id);
    *done = result.ok();
  }(other->client, session, destroyed));
  const std::int64_t destroyed_ns = world_.now_ns();
  world_.run_for(seconds(1));
  ASSERT_TRUE(*destroyed);
  ASSERT_TRUE(acting_.intervals.front().end_ns.has_value()) << "the term ended when the lock was released";
  EXPECT_LT(*acting_.intervals.front().end_ns - destroyed_ns, ms(500));
  // Whoever leads now (the old leader too may win, with a new session: no lock-delay) holds
  // the lock with a session other than the destroyed one.
  Instance* next = run_until_leader(seconds(30));
  ASSERT_NE(next, nullptr);
  EXPECT_NE(next->election.session_id(), session);
  EXPECT_NE(leader->election.session_id(), session) << "a new session replaced the lost one";
  world_.run_for(seconds(20));
  expect_one_acting_leader_at_a_time();
}

// A Consul leader change with Consul's default timing (raft_multiplier 5: a follower waits 5 to
// 10 s without heartbeats before it stands) leaves Consul without a leader for longer than the
// lease: renewals fail ("No cluster leader" after rpc_hold_timeout), the leader fences. The new
// Consul leader resets every session timer, so the session survives and still holds the lock:
// the same instance leads again, in a new term, and nobody else led in between. This is the
// "election + 2 x TTL" bound of DESIGN.md, shown rather than hidden.
TEST_F(LeaderElectionTest, AConsulLeaderChangeFencesTheLeaderWhichThenResumesWithItsSession) {
  Instance* leader = run_until_leader(seconds(30));
  ASSERT_NE(leader, nullptr);
  const std::string session = leader->election.session_id();
  world_.run_for(seconds(3));
  const std::size_t consul_leader = *cluster_.established_leader();
  cluster_.node(consul_leader).crash();
  world_.run_for(seconds(60));
  EXPECT_TRUE(leader->election.leading());
  EXPECT_EQ(leader->election.session_id(), session);
  for (const ActingInterval& interval : acting_.intervals) EXPECT_EQ(interval.instance, leader->election.options().instance_id);
  expect_one_acting_leader_at_a_time();
}

// Losing Consul's quorum freezes every session (failure mode 23): renewals fail, and the leader
// fences within a TTL. When the quorum returns, its new leader resets the timers, the session
// is still there and still holds the lock: the same instance leads again, in a new term (DESIGN
// step 7), and nobody else led in between.
TEST_F(LeaderElectionTest, AfterConsulLosesQuorumTheLeaderFencesThenResumes) {
  Instance* leader = run_until_leader(seconds(30));
  ASSERT_NE(leader, nullptr);
  world_.run_for(seconds(3));
  const std::int64_t loss_ns = world_.now_ns();
  const std::size_t consul_leader = *cluster_.established_leader();
  const std::size_t follower = (consul_leader + 1) % cluster_.size();
  cluster_.node(consul_leader).crash();
  cluster_.node(follower).crash();
  world_.run_for(kTtlNs + seconds(1));
  EXPECT_FALSE(leader->election.leading());
  ASSERT_TRUE(acting_.intervals.front().end_ns.has_value());
  EXPECT_LE(*acting_.intervals.front().end_ns - loss_ns, kTtlNs);
  cluster_.node(consul_leader).restart();
  cluster_.node(follower).restart();
  Instance* resumed = run_until_leader(seconds(60));
  ASSERT_NE(resumed, nullptr);
  EXPECT_EQ(resumed, leader);
  EXPECT_EQ(leader->election.terms(), 2u);
  expect_one_acting_leader_at_a_time();
}

}  // namespace
}  // namespace baton::ha
