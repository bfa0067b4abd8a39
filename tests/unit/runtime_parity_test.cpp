// One coroutine workload, written once against the Runtime port, run on Boost.Asio in real
// time and on the simulator in virtual time: the logical results must be the same. Steps are
// 40 ms apart so that scheduling noise on a loaded machine cannot reorder them; the test
// compares only order and outcomes, never durations.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <string>
#include <vector>

#include "engine/async/event.hpp"
#include "engine/async/scope.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "sim/runtime/node.hpp"

namespace baton {
namespace {

using namespace std::chrono_literals;
constexpr Duration kStep = 40ms;

Task<void> worker(Runtime& runtime, std::string name, Duration delay, std::stop_token stop,
                  std::vector<std::string>& log) {
  const WaitResult result = co_await sleep_for(runtime, delay, stop);
  log.push_back(name + ":" + to_string(result));
}

Task<void> set_later(Runtime& runtime, Event& event, Duration delay) {
  co_await sleep_for(runtime, delay);
  event.set();
}

Task<int> square_after_a_tick(Runtime& runtime, int value) {
  co_await yield_now(runtime);
  co_return value * value;
}

Task<void> workload(Runtime& runtime, std::vector<std::string>& log) {
  Scope scope(runtime);
  Scope doomed(runtime);
  scope.spawn(worker(runtime, "slow", 3 * kStep, scope.token(), log));
  scope.spawn(worker(runtime, "fast", 1 * kStep, scope.token(), log));
  doomed.spawn(worker(runtime, "doomed", 100 * kStep, doomed.token(), log));

  co_await sleep_for(runtime, 2 * kStep);
  doomed.request_stop();
  co_await doomed.join();
  log.push_back("doomed joined");

  Event ready(runtime);
  scope.spawn(set_later(runtime, ready, 2 * kStep));
  log.push_back(std::string("ready:") + to_string(co_await ready.wait({}, runtime.now() + 10 * kStep)));
  Event never(runtime);
  log.push_back(std::string("never:") + to_string(co_await never.wait({}, runtime.now() + kStep)));

  int sum = 0;
  for (int i = 1; i <= 4; ++i) sum += co_await square_after_a_tick(runtime, i);
  log.push_back("sum of squares:" + std::to_string(sum));

  co_await scope.join();
  log.push_back("all joined");
}

const std::vector<std::string> kExpected = {
    "fast:deadline",    "doomed:cancelled", "doomed joined",        "slow:deadline",
    "ready:woken",      "never:deadline",   "sum of squares:30",    "all joined",
};

TEST(RuntimeParity, SimulationRuntimeGivesTheExpectedResults) {
  sim::World world;
  sim::Node& node = world.add_node({.name = "n1"});
  std::vector<std::string> log;
  node.start([&](sim::Node& self) { return workload(self, log); });
  world.run_until_idle();
  EXPECT_EQ(log, kExpected);
}

TEST(RuntimeParity, AsioRuntimeGivesTheSameResults) {
  AsioRuntime runtime(AsioRuntimeOptions{.name = "n1", .seed = 1});
  std::vector<std::string> log;
  runtime.scope().spawn(workload(runtime, log));
  runtime.run();
  EXPECT_EQ(log, kExpected);
}

Task<void> throw_soon(Runtime& runtime) {
  co_await yield_now(runtime);
  throw std::runtime_error("bug");
}

TEST(RuntimeParity, AsioRuntimeRethrowsABugFromASpawnedTask) {
  AsioRuntime runtime;
  runtime.scope().spawn(throw_soon(runtime));
  EXPECT_THROW(runtime.run(), std::runtime_error);
}

Task<void> raise_after_a_tick(Runtime& runtime, int signal_number) {
  co_await yield_now(runtime);
  std::raise(signal_number);
}

Task<void> record_signals(AsioRuntime& runtime, int count, std::stop_token stop, std::vector<std::string>& log) {
  for (int i = 0; i < count; ++i) {
    const std::optional<int> received = co_await runtime.next_signal(stop);
    log.push_back(received ? "signal " + std::to_string(*received) : "stopped");
  }
}

TEST(AsioRuntime, DeliversWatchedSignalsAndStopsWaitingOnRequest) {
  AsioRuntime runtime;
  runtime.watch_signals({SIGUSR1, SIGUSR2});
  std::vector<std::string> log;
  std::stop_source stop;
  runtime.scope().spawn(record_signals(runtime, 3, stop.get_token(), log));
  runtime.scope().spawn(raise_after_a_tick(runtime, SIGUSR2));
  runtime.scope().spawn([](Runtime& rt, std::stop_source& source) -> Task<void> {
    co_await sleep_for(rt, 4 * kStep);
    std::raise(SIGUSR1);
    co_await sleep_for(rt, 4 * kStep);
    source.request_stop();
  }(runtime, stop));
  runtime.run();
  EXPECT_EQ(log, (std::vector<std::string>{"signal " + std::to_string(SIGUSR2), "signal " + std::to_string(SIGUSR1), "stopped"}));
}

}  // namespace
}  // namespace baton
