// A simulated node's faults: crash, restart, pause, resume, clock drift and steps.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/async/event.hpp"
#include "engine/async/scope.hpp"
#include "sim/runtime/node.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::sim {
namespace {

using test::ms;
using test::seconds;

// Sets a flag when the frame holding it is destroyed, and notes whether the node was dying.
struct FrameGuard {
  Node& node;
  bool& destroyed;
  bool& destroyed_while_dying;
  ~FrameGuard() {
    destroyed = true;
    destroyed_while_dying = node.dying();
  }
};

struct Ticks {
  std::vector<std::int64_t> at_ns;  // true times of each tick
  std::vector<std::uint32_t> incarnation;
  bool destroyed = false;
  bool destroyed_while_dying = false;
};

Task<void> tick_every_second(Node& node, Ticks& ticks) {
  FrameGuard guard{node, ticks.destroyed, ticks.destroyed_while_dying};
  for (;;) {
    co_await sleep_for(node, std::chrono::seconds(1));
    ticks.at_ns.push_back(node.world().now_ns());
    ticks.incarnation.push_back(node.incarnation());
  }
}

TEST(SimNode, CrashDestroysEveryFrameWithoutResumingAndDropsItsTimers) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  Ticks ticks;
  node.start([&](Node& self) { return tick_every_second(self, ticks); });
  world.schedule_at(ms(3500), [&] { node.crash(); });
  world.run_until(seconds(10));

  EXPECT_EQ(ticks.at_ns, (std::vector<std::int64_t>{seconds(1), seconds(2), seconds(3)}));
  EXPECT_TRUE(ticks.destroyed);
  EXPECT_TRUE(ticks.destroyed_while_dying);
  EXPECT_FALSE(node.dying());
  EXPECT_EQ(node.state(), NodeState::crashed);
  EXPECT_EQ(world.run_until_idle(), 0u) << "the 4 s timer of the dead process must be gone";
}

TEST(SimNode, RestartRunsBootAgainAsANewIncarnation) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  Ticks ticks;
  node.start([&](Node& self) { return tick_every_second(self, ticks); });
  world.schedule_at(ms(2500), [&] { node.crash(); });
  world.schedule_at(ms(5200), [&] { node.restart(); });
  world.run_until(ms(7500));

  EXPECT_EQ(ticks.at_ns, (std::vector<std::int64_t>{seconds(1), seconds(2), ms(6200), ms(7200)}));
  EXPECT_EQ(ticks.incarnation, (std::vector<std::uint32_t>{1, 1, 2, 2}));
  EXPECT_EQ(node.state(), NodeState::running);
}

TEST(SimNode, PauseHoldsWakeUpsAndResumeRunsThemLateInTheOrderTheyCameDue) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<std::pair<std::string, std::int64_t>> woke;
  auto sleeper = [&](Node& self, std::int64_t delay_ns, std::string label) -> Task<void> {
    co_await sleep_for(self, Duration(delay_ns));
    woke.emplace_back(label, self.world().now_ns());
  };
  node.start([&](Node& self) -> Task<void> {
    self.scope().spawn(sleeper(self, seconds(4), "due-4s"));
    self.scope().spawn(sleeper(self, seconds(3), "due-3s"));
    self.scope().spawn(sleeper(self, seconds(1), "due-1s"));
    self.scope().spawn(sleeper(self, seconds(9), "due-9s"));
    co_return;
  });
  world.schedule_at(ms(2500), [&] { node.pause(); });
  world.schedule_at(seconds(6), [&] { node.resume(); });
  world.run_until_idle();

  using Woke = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(woke, (Woke{{"due-1s", seconds(1)}, {"due-3s", seconds(6)}, {"due-4s", seconds(6)}, {"due-9s", seconds(9)}}));
}

TEST(SimNode, CrashWhilePausedDropsTheHeldWakeUps) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  Ticks ticks;
  node.start([&](Node& self) { return tick_every_second(self, ticks); });
  world.schedule_at(ms(1500), [&] { node.pause(); });
  world.schedule_at(ms(4500), [&] { node.crash(); });
  world.run_until_idle();
  EXPECT_EQ(ticks.at_ns, (std::vector<std::int64_t>{seconds(1)}));
  EXPECT_TRUE(ticks.destroyed_while_dying);
}

// An event owned by one task's frame and awaited by another's: a crash destroys both frames in
// whichever order, and neither destructor may touch the other's freed memory (ASan checks).
Task<void> own_event(Node& node, Event*& published, Event& ready) {
  Event mine(node);
  published = &mine;
  ready.set();
  co_await sleep_for(node, std::chrono::hours(1));
}
Task<void> await_published(Node& node, Event*& published, Event& ready) {
  co_await ready.wait();
  co_await published->wait();
  ADD_FAILURE() << "resumed after its event's owner died";
  (void)node;
}

TEST(SimNode, CrashTearsDownFramesThatShareAnEventInEitherOrder) {
  for (bool owner_first : {true, false}) {
    World world;
    Node& node = world.add_node({.name = "n1"});
    Event* published = nullptr;
    std::optional<Event> ready;
    node.start([&](Node& self) -> Task<void> {
      ready.emplace(self);
      if (owner_first) self.scope().spawn(own_event(self, published, *ready));
      self.scope().spawn(await_published(self, published, *ready));
      if (!owner_first) self.scope().spawn(own_event(self, published, *ready));
      co_return;
    });
    world.run_until(seconds(1));
    ASSERT_NE(published, nullptr);
    node.crash();
    world.run_until_idle();
    ready.reset();
  }
}

TEST(SimNode, DriftMakesAFastClockFireTimersEarlierInTrueTime) {
  World world;
  Node& fast = world.add_node({.name = "fast", .clock = {.drift_ppm = 100'000}});  // 10 % fast
  Node& slow = world.add_node({.name = "slow", .clock = {.drift_ppm = -200'000}});  // 20 % slow
  std::vector<std::pair<std::string, std::int64_t>> woke;
  auto sleep_ten = [&](Node& self) -> Task<void> {
    co_await sleep_for(self, std::chrono::seconds(10));
    woke.emplace_back(std::string(self.name()), self.world().now_ns());
  };
  fast.start(sleep_ten);
  slow.start(sleep_ten);
  world.run_until_idle();

  ASSERT_EQ(woke.size(), 2u);
  EXPECT_EQ(woke[0].first, "fast");
  EXPECT_EQ(woke[0].second, 9'090'909'091);  // ceil(10 s / 1.1)
  EXPECT_EQ(woke[1].first, "slow");
  EXPECT_EQ(woke[1].second, 12'500'000'000);  // 10 s / 0.8
  EXPECT_EQ(fast.now().time_since_epoch().count(), 13'750'000'000);  // 12.5 s true * 1.1
}

TEST(SimNode, ChangingDriftOrSteppingTheClockReschedulesPendingTimers) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<std::int64_t> woke_at_ns;
  node.start([&](Node& self) -> Task<void> {
    co_await sleep_for(self, std::chrono::seconds(10));
    woke_at_ns.push_back(self.world().now_ns());
    co_await sleep_for(self, std::chrono::seconds(10));
    woke_at_ns.push_back(self.world().now_ns());
  });
  // First sleep: 2 s at the true rate, then the clock runs 1.5x as fast: the 8 local seconds
  // left take 8 / 1.5 = 5.333 s of true time.
  world.schedule_at(seconds(2), [&] { node.set_drift_ppm(500'000); });
  // The second sleep starts at 7.333 s true; the clock jumps 4 s ahead at 9 s true.
  world.schedule_at(seconds(9), [&] { node.step_monotonic_clock(seconds(4)); });
  world.run_until_idle();

  ASSERT_EQ(woke_at_ns.size(), 2u);
  EXPECT_EQ(woke_at_ns[0], seconds(2) + 5'333'333'334);
  // Local at 9 s true: 10 s (end of first sleep) + 1.666666666 s * 1.5 = 12.5 s; +4 s step =
  // 16.5 s; the deadline is 20 s local: 3.5 local seconds = 2.333 true seconds after 9 s.
  EXPECT_EQ(woke_at_ns[1], seconds(9) + 2'333'333'334);
}

TEST(SimNode, AWallClockStepMovesTimestampsButNotTimers) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<std::int64_t> woke_at_ns;
  node.start([&](Node& self) -> Task<void> {
    co_await sleep_for(self, std::chrono::seconds(5));
    woke_at_ns.push_back(self.world().now_ns());
  });
  const WallTime before = node.wall_now();
  world.schedule_at(seconds(1), [&] { node.step_wall_clock(-seconds(3600)); });
  world.run_until_idle();
  EXPECT_EQ(woke_at_ns, std::vector<std::int64_t>{seconds(5)});
  EXPECT_EQ((node.wall_now() - before).count(), seconds(5) - seconds(3600));
}

TEST(SimNode, FaultsAreTraced) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  node.start([](Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(1)); });
  world.schedule_at(seconds(1), [&] { node.pause(); });
  world.schedule_at(seconds(2), [&] { node.resume(); });
  world.schedule_at(seconds(3), [&] { node.crash(); });
  world.schedule_at(seconds(4), [&] { node.restart(); });
  world.schedule_at(seconds(5), [&] { node.set_drift_ppm(-1000); });
  world.run_until(seconds(6));
  std::vector<std::pair<std::string, std::int64_t>> faults;
  for (const TraceRecord& record : world.trace().records()) {
    if (record.kind == TraceKind::fault) faults.emplace_back(record.name, record.at_ns);
  }
  using Faults = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(faults, (Faults{{"pause", seconds(1)}, {"resume", seconds(2)}, {"crash", seconds(3)},
                            {"restart", seconds(4)}, {"clock_drift", seconds(5)}}));
}

}  // namespace
}  // namespace baton::sim
