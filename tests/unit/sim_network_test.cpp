// The simulated network: latency, loss, partitions (isolation, cuts, splits, one-way cuts,
// heal), delivery to paused and crashed receivers, request/reply under crashes, determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/async/scope.hpp"
#include "engine/async/wait.hpp"
#include "sim/network/network.hpp"
#include "sim/network/rpc.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::sim {
namespace {

using namespace std::chrono_literals;
using test::ms;
using test::seconds;

// A node that runs nothing of its own: messages and calls give it work.
Node& idle_node(World& world, std::string name) {
  Node& node = world.add_node({.name = std::move(name)});
  node.start(nullptr);
  return node;
}

// Sends a message now (from a world action) and notes the true time it is handled.
void send_noting(Network& network, Node& from, Node& to, std::vector<std::int64_t>& arrivals) {
  World& world = network.world();
  network.send(from, to, "ping", [&world, &arrivals] { arrivals.push_back(world.now_ns()); });
}

std::size_t count_records(World& world, std::string_view name, std::string_view detail_part) {
  const auto& records = world.trace().records();
  return std::size_t(std::count_if(records.begin(), records.end(), [&](const TraceRecord& record) {
    return record.kind == TraceKind::message && record.name == name &&
           record.detail.find(detail_part) != std::string::npos;
  }));
}

TEST(SimNetwork, LatencyIsDrawnWithinTheLinksBounds) {
  World world(WorldOptions{.seed = 7});
  Network network(world, {.default_link = {.latency_us_min = 1000, .latency_us_max = 3000}});
  Node& a = idle_node(world, "a");
  Node& b = idle_node(world, "b");
  std::vector<std::int64_t> arrivals;
  for (int i = 0; i < 500; ++i) send_noting(network, a, b, arrivals);
  world.run_until_idle();

  ASSERT_EQ(arrivals.size(), 500u);
  const auto [low, high] = std::minmax_element(arrivals.begin(), arrivals.end());
  EXPECT_GE(*low, ms(1));
  EXPECT_LE(*high, ms(3));
  EXPECT_LT(*low, ms(1) + 50'000) << "uniform draws reach near the lower bound";
  EXPECT_GT(*high, ms(3) - 50'000) << "and near the upper one";
}

TEST(SimNetwork, PerLinkSettingsOverrideTheDefaultOneDirectionAtATime) {
  World world;
  Network network(world, {.default_link = {.latency_us_min = 100, .latency_us_max = 100}});
  Node& a = idle_node(world, "a");
  Node& b = idle_node(world, "b");
  network.set_link(a, b, {.latency_us_min = 5000, .latency_us_max = 5000});
  std::vector<std::int64_t> to_b, to_a;
  send_noting(network, a, b, to_b);
  send_noting(network, b, a, to_a);
  world.run_until_idle();
  EXPECT_EQ(to_b, (std::vector<std::int64_t>{ms(5)}));
  EXPECT_EQ(to_a, (std::vector<std::int64_t>{100'000}));
}

TEST(SimNetwork, LossDropsAboutTheConfiguredShareWithAFixedSeed) {
  World world(WorldOptions{.seed = 42});
  Network network(world, {.default_link = {.loss_percent = 30}});
  Node& a = idle_node(world, "a");
  Node& b = idle_node(world, "b");
  std::vector<std::int64_t> arrivals;
  for (int i = 0; i < 4000; ++i) send_noting(network, a, b, arrivals);
  world.run_until_idle();

  // 4000 draws at p = 0.3: the standard deviation is 29, so +-150 is over five of them.
  EXPECT_NEAR(double(network.stats().lost), 1200.0, 150.0);
  EXPECT_EQ(arrivals.size() + network.stats().lost, 4000u);
  EXPECT_EQ(count_records(world, "drop", "reason=loss"), network.stats().lost);
}

TEST(SimNetwork, IsolationCutsEveryLinkOfTheNodeUntilItRejoins) {
  World world;
  Network network(world);
  Node& a = idle_node(world, "a");
  Node& b = idle_node(world, "b");
  Node& c = idle_node(world, "c");
  std::vector<std::int64_t> at_a, at_b, at_c;
  network.isolate(a);
  send_noting(network, a, b, at_b);
  send_noting(network, c, a, at_a);
  send_noting(network, b, c, at_c);  // not involved: passes
  world.run_until(ms(10));
  EXPECT_TRUE(at_a.empty());
  EXPECT_TRUE(at_b.empty());
  EXPECT_EQ(at_c.size(), 1u);
  EXPECT_EQ(count_records(world, "drop", "reason=cut_at_send"), 2u);

  network.rejoin(a);
  send_noting(network, a, b, at_b);
  send_noting(network, c, a, at_a);
  world.run_until(ms(20));
  EXPECT_EQ(at_a.size(), 1u);
  EXPECT_EQ(at_b.size(), 1u);
}

TEST(SimNetwork, ACutMadeWhileAMessageIsInFlightDropsItAtArrival) {
  World world;
  Network network(world, {.default_link = {.latency_us_min = 5000, .latency_us_max = 5000}});
  Node& a = idle_node(world, "a");
  Node& b = idle_node(world, "b");
  std::vector<std::int64_t> arrivals;
  send_noting(network, a, b, arrivals);
  world.schedule_at(ms(2), [&] { network.cut(a, b); });
  world.run_until_idle();
  EXPECT_TRUE(arrivals.empty());
  EXPECT_EQ(count_records(world, "drop", "reason=cut_at_arrival"), 1u);
  EXPECT_EQ(network.stats().cut, 1u);
}

TEST(SimNetwork, ASplitCutsBetweenGroupsOnlyAndHealRestoresEverything) {
  World world;
  Network network(world);
  Node& a = idle_node(world, "a");
  Node& b = idle_node(world, "b");
  Node& c = idle_node(world, "c");
  Node& d = idle_node(world, "d");
  network.split({{&a, &b}, {&c}});  // d is in no group: it keeps every link

  EXPECT_TRUE(network.passes(a, b));
  EXPECT_TRUE(network.passes(b, a));
  EXPECT_FALSE(network.passes(a, c));
  EXPECT_FALSE(network.passes(c, b));
  EXPECT_TRUE(network.passes(d, c));
  EXPECT_TRUE(network.passes(a, d));

  network.heal();
  for (Node* from : {&a, &b, &c, &d}) {
    for (Node* to : {&a, &b, &c, &d}) EXPECT_TRUE(network.passes(*from, *to));
  }
}

TEST(SimNetwork, AnAsymmetricCutBlocksOneDirectionOnly) {
  World world;
  Network network(world);
  Node& a = idle_node(world, "a");
  Node& b = idle_node(world, "b");
  network.cut_one_way(a, b);
  std::vector<std::int64_t> at_a, at_b;
  send_noting(network, a, b, at_b);
  send_noting(network, b, a, at_a);
  world.run_until(ms(10));
  EXPECT_TRUE(at_b.empty());
  EXPECT_EQ(at_a.size(), 1u);

  network.heal_link(a, b);
  send_noting(network, a, b, at_b);
  world.run_until(ms(20));
  EXPECT_EQ(at_b.size(), 1u);
}

TEST(SimNetwork, APausedReceiverHandlesTheMessageWhenItResumes) {
  World world;
  Network network(world, {.default_link = {.latency_us_min = 1000, .latency_us_max = 1000}});
  Node& a = idle_node(world, "a");
  Node& b = idle_node(world, "b");
  std::vector<std::int64_t> arrivals;
  b.pause();
  send_noting(network, a, b, arrivals);
  world.schedule_at(ms(50), [&] { b.resume(); });
  world.run_until_idle();
  EXPECT_EQ(arrivals, (std::vector<std::int64_t>{ms(50)}));
  EXPECT_EQ(count_records(world, "deliver", "held=paused"), 1u);
}

TEST(SimNetwork, ACrashedReceiverNeverGetsTheMessageNotEvenAfterItRestarts) {
  World world;
  Network network(world, {.default_link = {.latency_us_min = 1000, .latency_us_max = 1000}});
  Node& a = idle_node(world, "a");
  Node& b = idle_node(world, "b");
  std::vector<std::int64_t> arrivals;
  b.crash();
  send_noting(network, a, b, arrivals);
  world.schedule_at(ms(10), [&] { b.restart(); });
  // A message held by a paused node dies with it if it crashes before resuming.
  world.schedule_at(ms(20), [&] {
    b.pause();
    send_noting(network, a, b, arrivals);
  });
  world.schedule_at(ms(30), [&] { b.crash(); });
  world.schedule_at(ms(40), [&] { b.restart(); });
  world.run_until_idle();
  EXPECT_TRUE(arrivals.empty());
  EXPECT_EQ(count_records(world, "drop", "reason=receiver_crashed"), 1u);
}

// --- request and reply ---------------------------------------------------------------------

struct Echo {
  std::string text;
  std::string served_by;
  std::uint32_t served_incarnation = 0;
};

// The callee's handler: optionally slow, notes where it ran.
Task<Echo> echo_after(Node& self, std::string text, Duration delay, bool& finished) {
  if (delay > Duration::zero()) co_await sleep_for(self, delay);
  finished = true;
  co_return Echo{std::move(text), std::string(self.name()), self.incarnation()};
}

struct CallLog {
  std::vector<std::pair<std::int64_t, std::optional<Echo>>> results;
};

Task<void> call_once(Network& network, Node& caller, Node& callee, Duration handler_delay, Duration timeout,
                     bool& handler_finished, CallLog& log, std::stop_token stop = {}) {
  std::function<Task<Echo>()> handler = [&callee, handler_delay, &handler_finished] {
    return echo_after(callee, "hello", handler_delay, handler_finished);
  };
  std::optional<Echo> reply =
      co_await call<Echo>(network, caller, callee, "echo", std::move(handler), timeout, std::move(stop));
  log.results.emplace_back(caller.world().now_ns(), std::move(reply));
}

struct RpcFixture {
  World world{WorldOptions{.seed = 3}};
  Network network{world, {.default_link = {.latency_us_min = 1000, .latency_us_max = 1000}}};
  Node& a = idle_node(world, "a");
  Node& b = idle_node(world, "b");
  bool handler_finished = false;
  CallLog log;

  void start_call(Duration handler_delay, Duration timeout) {
    a.scope().spawn(call_once(network, a, b, handler_delay, timeout, handler_finished, log));
  }
};

TEST(SimRpc, TheHandlerRunsOnTheCalleeAndTheReplyComesBackAfterTwoLatencies) {
  RpcFixture f;
  f.start_call(5ms, 1s);
  f.world.run_until_idle();
  ASSERT_EQ(f.log.results.size(), 1u);
  EXPECT_EQ(f.log.results[0].first, ms(7));
  ASSERT_TRUE(f.log.results[0].second.has_value());
  EXPECT_EQ(f.log.results[0].second->text, "hello");
  EXPECT_EQ(f.log.results[0].second->served_by, "b");
}

TEST(SimRpc, AnUnreachableCalleeCostsTheFullTimeout) {
  RpcFixture f;
  f.network.isolate(f.b);
  f.start_call(0ms, 250ms);
  f.world.run_until_idle();
  ASSERT_EQ(f.log.results.size(), 1u);
  EXPECT_EQ(f.log.results[0].first, ms(250));
  EXPECT_FALSE(f.log.results[0].second.has_value());
  EXPECT_FALSE(f.handler_finished);
}

TEST(SimRpc, ALostReplyAfterTheHandlerRanStillTimesOut) {
  RpcFixture f;
  f.network.cut_one_way(f.b, f.a);  // the request gets there, the reply does not
  f.start_call(0ms, 100ms);
  f.world.run_until_idle();
  ASSERT_EQ(f.log.results.size(), 1u);
  EXPECT_FALSE(f.log.results[0].second.has_value());
  EXPECT_TRUE(f.handler_finished);
}

// The callee's process dies mid-handler: its kernel resets the connection, and the reset
// reaches the caller one latency later, so the call fails then, not at its timeout.
TEST(SimRpc, TheCalleeCrashingMidHandlerResetsTheCallWhichFailsAtOnce) {
  RpcFixture f;
  f.start_call(50ms, 200ms);
  f.world.schedule_at(ms(20), [&] { f.b.crash(); });
  f.world.schedule_at(ms(30), [&] { f.b.restart(); });
  f.world.run_until_idle();
  ASSERT_EQ(f.log.results.size(), 1u);
  EXPECT_EQ(f.log.results[0].first, ms(21)) << "the crash at 20 ms plus one latency";
  EXPECT_FALSE(f.log.results[0].second.has_value());
  EXPECT_FALSE(f.handler_finished) << "the handler's frame died with its process";
}

// A reset travels like any message: cut off, it never arrives, and the call costs its timeout.
TEST(SimRpc, ACalleeCrashingBehindAPartitionCostsTheFullTimeout) {
  RpcFixture f;
  f.start_call(50ms, 200ms);
  f.world.schedule_at(ms(10), [&] { f.network.isolate(f.b); });
  f.world.schedule_at(ms(20), [&] { f.b.crash(); });
  f.world.run_until_idle();
  ASSERT_EQ(f.log.results.size(), 1u);
  EXPECT_EQ(f.log.results[0].first, ms(200));
  EXPECT_FALSE(f.log.results[0].second.has_value());
}

TEST(SimRpc, TheCallerCrashingWhileWaitingDropsTheLateReply) {
  RpcFixture f;
  f.start_call(50ms, 1s);
  f.world.schedule_at(ms(20), [&] { f.a.crash(); });
  f.world.schedule_at(ms(30), [&] { f.a.restart(); });  // a new incarnation gets the reply
  f.world.run_until_idle();
  EXPECT_TRUE(f.handler_finished);
  EXPECT_TRUE(f.log.results.empty()) << "nothing of the dead caller resumed";
  EXPECT_EQ(count_records(f.world, "drop", "reason=stale_reply"), 1u);
}

TEST(SimRpc, APausedCalleeAnswersAfterItResumesIfTheCallerStillWaits) {
  RpcFixture f;
  f.b.pause();
  f.start_call(0ms, 500ms);
  f.world.schedule_at(ms(100), [&] { f.b.resume(); });
  f.world.run_until_idle();
  ASSERT_EQ(f.log.results.size(), 1u);
  EXPECT_EQ(f.log.results[0].first, ms(101));
  EXPECT_TRUE(f.log.results[0].second.has_value());
}

TEST(SimRpc, APausedCallerGetsTheReplyWhenItResumes) {
  RpcFixture f;
  f.start_call(10ms, 500ms);
  f.world.schedule_at(ms(5), [&] { f.a.pause(); });
  f.world.schedule_at(ms(300), [&] { f.a.resume(); });
  f.world.run_until_idle();
  ASSERT_EQ(f.log.results.size(), 1u);
  EXPECT_EQ(f.log.results[0].first, ms(300));
  EXPECT_TRUE(f.log.results[0].second.has_value());
}

// call_answered_at_once: the handler answers as the request is delivered, with no task.
Task<void> call_at_once(Network& network, Node& caller, Node& callee, CallLog& log) {
  std::function<Echo()> handler = [&callee] { return Echo{"hi", std::string(callee.name()), callee.incarnation()}; };
  std::optional<Echo> reply =
      co_await call_answered_at_once<Echo>(network, caller, callee, "echo", std::move(handler), 300ms);
  log.results.emplace_back(caller.world().now_ns(), std::move(reply));
}

// Runs one call_answered_at_once from a to b to the end; the one result: when, and whether a
// reply came.
void expect_answer_at_once(RpcFixture& f, std::int64_t at_ns, bool replied) {
  f.a.scope().spawn(call_at_once(f.network, f.a, f.b, f.log));
  f.world.run_until_idle();
  ASSERT_EQ(f.log.results.size(), 1u);
  EXPECT_EQ(f.log.results[0].first, at_ns);
  EXPECT_EQ(f.log.results[0].second.has_value(), replied);
}

TEST(SimRpc, AnAnswerAtOnceComesBackAfterTwoLatencies) {
  RpcFixture f;
  expect_answer_at_once(f, ms(2), true);
}

TEST(SimRpc, AnAnswerAtOnceFromAPausedCalleeComesWhenItResumes) {
  RpcFixture f;
  f.b.pause();
  f.world.schedule_at(ms(100), [&] { f.b.resume(); });
  expect_answer_at_once(f, ms(101), true);
}

TEST(SimRpc, AnAnswerAtOnceThatIsLostCostsTheTimeout) {
  RpcFixture f;
  f.network.cut_one_way(f.b, f.a);
  expect_answer_at_once(f, ms(300), false);
}

// The request is answered at 1 ms; the caller dies and restarts before the answer lands at 2.
TEST(SimRpc, AnAnswerAtOnceReachingARestartedCallerIsDropped) {
  RpcFixture f;
  f.a.scope().spawn(call_at_once(f.network, f.a, f.b, f.log));
  f.world.schedule_at(ms(1) + 400'000, [&] { f.a.crash(); });
  f.world.schedule_at(ms(1) + 600'000, [&] { f.a.restart(); });
  f.world.run_until_idle();
  EXPECT_TRUE(f.log.results.empty()) << "nothing of the dead caller resumed";
  EXPECT_EQ(count_records(f.world, "drop", "reason=stale_reply"), 1u);
}

TEST(SimRpc, AStopRequestEndsTheWaitAtOnce) {
  RpcFixture f;
  std::stop_source stop;
  f.a.scope().spawn(call_once(f.network, f.a, f.b, 50ms, 1s, f.handler_finished, f.log, stop.get_token()));
  f.world.schedule_at(ms(10), [&] { stop.request_stop(); });
  f.world.run_until_idle();
  ASSERT_EQ(f.log.results.size(), 1u);
  EXPECT_EQ(f.log.results[0].first, ms(10));
  EXPECT_FALSE(f.log.results[0].second.has_value());
  EXPECT_EQ(count_records(f.world, "drop", "reason=stale_reply"), 1u);
}

// --- determinism ---------------------------------------------------------------------------

// Three nodes calling each other at random under random loss, partitions and crashes.
Task<void> chatter(Network& network, Node& self, std::vector<Node*> peers, bool& sink, CallLog& log) {
  for (;;) {
    co_await sleep_for(self, self.rng().between(Duration(1ms), Duration(40ms)));
    Node& peer = *peers[self.rng().below(peers.size())];
    const Duration delay = self.rng().between(Duration(0ms), Duration(20ms));
    self.scope().spawn(call_once(network, self, peer, delay, 60ms, sink, log));
  }
}

std::string run_chatter(std::uint64_t seed) {
  World world(WorldOptions{.seed = seed});
  Network network(world, {.default_link = {.latency_us_min = 100, .latency_us_max = 9000, .loss_percent = 5}});
  std::vector<Node*> nodes;
  for (const char* name : {"n1", "n2", "n3"}) nodes.push_back(&world.add_node({.name = name}));
  bool sink = false;
  CallLog log;
  for (Node* node : nodes) {
    std::vector<Node*> peers;
    for (Node* other : nodes) {
      if (other != node) peers.push_back(other);
    }
    node->start([&network, peers, &sink, &log](Node& self) { return chatter(network, self, peers, sink, log); });
  }
  for (std::int64_t at = ms(500); at < seconds(20); at += ms(500)) {
    world.schedule_at(at, [&world, &network, &nodes] {
      Node& victim = *nodes[world.rng().below(nodes.size())];
      switch (world.rng().below(4)) {
        case 0:
          if (victim.state() == NodeState::running) victim.crash();
          else if (victim.state() == NodeState::crashed) victim.restart();
          break;
        case 1: network.isolate(victim); break;
        case 2: network.cut_one_way(victim, *nodes[(victim.index() + 1) % nodes.size()]); break;
        default: network.heal(); break;
      }
    });
  }
  world.run_until(seconds(20));
  return world.trace().digest_hex() + "/" + std::to_string(log.results.size());
}

TEST(SimNetwork, TheSameSeedGivesTheSameTraceDigest) {
  const std::string first = run_chatter(11);
  EXPECT_EQ(first, run_chatter(11));
  EXPECT_NE(first, run_chatter(12));
}

}  // namespace
}  // namespace baton::sim
