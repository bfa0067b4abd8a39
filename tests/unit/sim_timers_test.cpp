// Timers and waits on the simulation runtime: deadline order, tie-break, cancellation,
// destruction, early wake-ups.
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

struct Fired {
  std::string label;
  std::int64_t at_ns;
  WaitResult result;
};

Task<void> sleep_and_record(Node& node, std::int64_t duration_ns, std::string label, std::stop_token stop,
                            std::vector<Fired>& fired) {
  const WaitResult result = co_await sleep_for(node, Duration(duration_ns), stop);
  fired.push_back({label, node.world().now_ns(), result});
}

std::vector<std::string> labels(const std::vector<Fired>& fired) {
  std::vector<std::string> out;
  for (const Fired& f : fired) out.push_back(f.label);
  return out;
}

TEST(SimTimers, FireInDeadlineOrderAndTiesInArmingOrder) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<Fired> fired;
  node.start([&](Node& self) -> Task<void> {
    for (auto [label, delay] : std::vector<std::pair<std::string, std::int64_t>>{
             {"c", ms(30)}, {"a1", ms(10)}, {"a2", ms(10)}, {"b", ms(20)}, {"a3", ms(10)}, {"now", 0}}) {
      self.scope().spawn(sleep_and_record(self, delay, label, {}, fired));
    }
    co_return;
  });
  world.run_until_idle();
  EXPECT_EQ(labels(fired), (std::vector<std::string>{"now", "a1", "a2", "a3", "b", "c"}));
  EXPECT_EQ(fired[1].at_ns, ms(10));  // virtual time lands exactly on the deadline
  EXPECT_EQ(fired[5].at_ns, ms(30));
  for (const Fired& f : fired) EXPECT_EQ(f.result, WaitResult::deadline);
}

TEST(SimTimers, StopRequestCancelsASleepAtTheInstantOfTheRequest) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<Fired> fired;
  std::optional<Scope> workers;
  node.start([&](Node& self) -> Task<void> {
    workers.emplace(self);
    workers->spawn(sleep_and_record(self, seconds(10), "long", workers->token(), fired));
    co_return;
  });
  world.schedule_at(ms(5), [&] { workers->request_stop(); });
  world.run_until_idle();
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].result, WaitResult::cancelled);
  EXPECT_EQ(fired[0].at_ns, ms(5));
  workers.reset();
}

TEST(SimTimers, AWaitStartedAfterTheStopRequestDoesNotSuspend) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::stop_source stop;
  stop.request_stop();
  std::vector<Fired> fired;
  node.start([&](Node& self) { return sleep_and_record(self, seconds(1), "x", stop.get_token(), fired); });
  world.run_until_idle();
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].result, WaitResult::cancelled);
  EXPECT_EQ(fired[0].at_ns, 0);
}

TEST(SimTimers, DestroyingASuspendedTaskDisarmsItsTimer) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<Fired> fired;
  std::optional<Scope> workers;
  node.start([&](Node& self) -> Task<void> {
    workers.emplace(self);
    workers->spawn(sleep_and_record(self, seconds(1), "never", {}, fired));
    co_return;
  });
  world.run_until(ms(1));                // the task has started and sleeps
  workers.reset();                       // torn down without a stop request
  world.run_until_idle();
  EXPECT_TRUE(fired.empty());
  EXPECT_EQ(world.now_ns(), ms(1));      // the disarmed timer was not even visited
}

Task<void> wait_for_event(Node& node, Event& event, std::string label, std::int64_t timeout_ns,
                          std::stop_token stop, std::vector<Fired>& fired) {
  const WaitResult result = co_await event.wait(stop, node.now() + Duration(timeout_ns));
  fired.push_back({label, node.world().now_ns(), result});
}

TEST(SimTimers, EventWakesWaitersInOrderAndRespectsDeadlinesAndStops) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<Fired> fired;
  std::optional<Event> event;
  std::stop_source stop_third;
  node.start([&](Node& self) -> Task<void> {
    event.emplace(self);
    self.scope().spawn(wait_for_event(self, *event, "first", seconds(10), {}, fired));
    self.scope().spawn(wait_for_event(self, *event, "times-out", ms(50), {}, fired));
    self.scope().spawn(wait_for_event(self, *event, "stopped", seconds(10), stop_third.get_token(), fired));
    self.scope().spawn(wait_for_event(self, *event, "second", seconds(10), {}, fired));
    co_return;
  });
  world.schedule_at(ms(70), [&] { stop_third.request_stop(); });
  world.schedule_at(ms(100), [&] { event->set(); });
  world.schedule_at(ms(200), [&] { node.scope().spawn(wait_for_event(node, *event, "already-set", ms(1), {}, fired)); });
  world.run_until_idle();

  ASSERT_EQ(fired.size(), 5u);
  EXPECT_EQ(labels(fired), (std::vector<std::string>{"times-out", "stopped", "first", "second", "already-set"}));
  EXPECT_EQ(fired[0].result, WaitResult::deadline);
  EXPECT_EQ(fired[0].at_ns, ms(50));
  EXPECT_EQ(fired[1].result, WaitResult::cancelled);
  EXPECT_EQ(fired[1].at_ns, ms(70));
  EXPECT_EQ(fired[2].result, WaitResult::woken);
  EXPECT_EQ(fired[2].at_ns, ms(100));
  EXPECT_EQ(fired[3].result, WaitResult::woken);
  EXPECT_EQ(fired[4].result, WaitResult::woken);
  EXPECT_EQ(fired[4].at_ns, ms(200));
  event.reset();
}

TEST(SimTimers, WorldActionsInterleaveWithNodeTimersByTimeThenSchedulingOrder) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<std::string> order;
  node.start([&](Node& self) -> Task<void> {
    co_await sleep_for(self, Duration(ms(10)));
    order.push_back("node@10");
  });
  world.schedule_at(ms(10), [&] { order.push_back("action@10"); });
  world.schedule_at(ms(5), [&] { order.push_back("action@5"); });
  world.run_until_idle();
  // The node's timer was armed when its boot ran, after both actions had been scheduled.
  EXPECT_EQ(order, (std::vector<std::string>{"action@5", "action@10", "node@10"}));
}

// Regression: stale queue entries (a timer disarmed, or rescheduled by an early wake) used to
// let run_until() run the next live event even when it was due after the bound.
TEST(SimTimers, RunUntilNeverRunsAnEventBeyondItsBound) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<Fired> fired;
  std::optional<Scope> doomed;
  node.start([&](Node& self) -> Task<void> {
    doomed.emplace(self);
    doomed->spawn(sleep_and_record(self, ms(10), "disarmed", {}, fired));
    self.scope().spawn(sleep_and_record(self, ms(30), "late", {}, fired));
    co_return;
  });
  world.run_until(ms(1));
  doomed.reset();  // leaves a stale entry at 10 ms
  world.run_until(ms(20));
  EXPECT_TRUE(fired.empty()) << "the 30 ms timer ran at " << (fired.empty() ? 0 : fired[0].at_ns);
  EXPECT_EQ(world.now_ns(), ms(20));
  world.run_until(ms(40));
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].at_ns, ms(30));
}

}  // namespace
}  // namespace baton::sim
