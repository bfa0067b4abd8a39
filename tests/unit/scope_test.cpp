// Structured spawning on the simulation runtime: start order, join, stop propagation, values
// and bugs travelling through awaited tasks.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "engine/async/scope.hpp"
#include "sim/runtime/node.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::sim {
namespace {

using test::ms;

Task<void> note(std::vector<std::string>& notes, std::string text) {
  notes.push_back(std::move(text));
  co_return;
}

Task<void> sleep_then_note(Runtime& runtime, std::int64_t delay_ns, std::stop_token stop,
                           std::vector<std::string>& notes, std::string text) {
  const WaitResult result = co_await sleep_for(runtime, Duration(delay_ns), stop);
  notes.push_back(text + ":" + to_string(result));
}

TEST(Scope, SpawnStartsOnTheNextTurnNeverInline) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<std::string> notes;
  node.start([&](Node& self) -> Task<void> {
    self.scope().spawn(note(notes, "child"));
    notes.push_back("parent after spawn");
    co_return;
  });
  world.run_until_idle();
  EXPECT_EQ(notes, (std::vector<std::string>{"parent after spawn", "child"}));
}

TEST(Scope, JoinWaitsForEveryChildAndStopReachesNestedScopes) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::vector<std::string> notes;
  std::optional<Scope> outer;
  node.start([&](Node& self) -> Task<void> {
    outer.emplace(self);
    Scope inner(self, outer->token());
    inner.spawn(sleep_then_note(self, ms(500), inner.token(), notes, "inner"));
    inner.spawn(sleep_then_note(self, ms(10), inner.token(), notes, "short"));
    co_await inner.join();
    notes.push_back("joined at " + std::to_string(self.world().now_ns() / 1'000'000) + "ms");
  });
  world.schedule_at(ms(100), [&] { outer->request_stop(); });
  world.run_until_idle();
  EXPECT_EQ(notes, (std::vector<std::string>{"short:deadline", "inner:cancelled", "joined at 100ms"}));
  outer.reset();
}

Task<int> add_slowly(Runtime& runtime, int a, int b) {
  co_await sleep_for(runtime, std::chrono::milliseconds(1));
  co_return a + b;
}

Task<int> sum_to(Runtime& runtime, int n) {
  int total = 0;
  for (int i = 1; i <= n; ++i) total = co_await add_slowly(runtime, total, i);
  co_return total;
}

TEST(Scope, AwaitedTasksReturnValues) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  int result = 0;
  node.start([&](Node& self) -> Task<void> { result = co_await sum_to(self, 100); });
  world.run_until_idle();
  EXPECT_EQ(result, 5050);
  EXPECT_EQ(world.now_ns(), ms(100));
}

Task<void> finish_at_once() { co_return; }

Task<void> loop_of_synchronous_awaits(int iterations, int& done) {
  for (int i = 0; i < iterations; ++i) co_await finish_at_once();
  done = iterations;
}

TEST(Scope, SymmetricTransferKeepsTheStackFlat) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  int done = 0;
  node.start([&](Node&) { return loop_of_synchronous_awaits(1'000'000, done); });
  world.run_until_idle();
  EXPECT_EQ(done, 1'000'000);
}

Task<int> throw_after(Runtime& runtime, std::int64_t delay_ns) {
  co_await sleep_for(runtime, Duration(delay_ns));
  throw std::logic_error("invariant broken");
}

TEST(Scope, AnExceptionTravelsToTheAwaitingTask) {
  World world;
  Node& node = world.add_node({.name = "n1"});
  std::string caught;
  node.start([&](Node& self) -> Task<void> {
    try {
      co_await throw_after(self, ms(3));
    } catch (const std::logic_error& error) {
      caught = error.what();
    }
  });
  world.run_until_idle();
  EXPECT_EQ(caught, "invariant broken");
}

TEST(Scope, AnExceptionLeavingASpawnedTaskStopsTheRunNamingNodeAndSeed) {
  World world(WorldOptions{.seed = 42});
  Node& node = world.add_node({.name = "cts-02"});
  node.start([](Node& self) -> Task<void> { (void)co_await throw_after(self, ms(7)); });
  try {
    world.run_until_idle();
    FAIL() << "the bug went unnoticed";
  } catch (const SimulationBug& bug) {
    EXPECT_STREQ(bug.what(), "bug in node cts-02 at t=7000000ns: invariant broken (reproduce with seed=42)");
  }
}

}  // namespace
}  // namespace baton::sim
