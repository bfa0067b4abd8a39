// Event throughput of the simulation runtime: how many wake-ups (timers scheduled and fired,
// coroutine switches) one core runs per second of real time. The swarm's seeds per hour and
// the failover benchmarks' cost follow from it. Target: >= 2 million events/s (issue 3).
#include <benchmark/benchmark.h>

#include "engine/async/event.hpp"
#include "engine/async/scope.hpp"
#include "sim/runtime/node.hpp"

namespace baton::sim {
namespace {

using namespace std::chrono_literals;

Task<void> sleep_loop(Node& node, std::int64_t iterations, std::int64_t max_delay_ns) {
  for (std::int64_t i = 0; i < iterations; ++i) {
    co_await sleep_for(node, Duration(node.rng().between(std::int64_t(1), max_delay_ns)));
  }
}

// Many coroutines on several nodes sleeping random durations: every event is a timer armed,
// ordered among thousands of others in the queue, fired, and a coroutine resumed.
void BM_TimersScheduledAndFired(benchmark::State& state) {
  const auto coroutines = std::int64_t(state.range(0));
  const std::int64_t sleeps_each = 200'000 / coroutines;
  std::uint64_t events = 0;
  for (auto _ : state) {
    World world(WorldOptions{.seed = 1, .trace = {.keep_records = false}});
    for (int n = 0; n < 4; ++n) {
      Node& node = world.add_node({.name = "node-" + std::to_string(n)});
      node.start([coroutines, sleeps_each](Node& self) -> Task<void> {
        for (std::int64_t c = 0; c < coroutines / 4; ++c) self.scope().spawn(sleep_loop(self, sleeps_each, 1'000'000'000));
        co_return;
      });
    }
    events += world.run_until_idle();
  }
  state.counters["events/s"] = benchmark::Counter(double(events), benchmark::Counter::kIsRate);
  state.counters["pending_timers"] = double(coroutines);
}
BENCHMARK(BM_TimersScheduledAndFired)->Arg(4)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

Task<void> ping(Event& mine, Event& theirs, std::int64_t rounds) {
  for (std::int64_t i = 0; i < rounds; ++i) {
    theirs.set();
    co_await mine.wait();
    mine.reset();
  }
  theirs.set();
}

// Two coroutines handing control back and forth through events at one instant: pure
// coroutine switches through the event queue, no time passing.
void BM_CoroutineSwitches(benchmark::State& state) {
  constexpr std::int64_t kRounds = 200'000;
  std::uint64_t events = 0;
  for (auto _ : state) {
    World world(WorldOptions{.seed = 1, .trace = {.keep_records = false}});
    Node& node = world.add_node({.name = "node"});
    Event a(node), b(node);
    node.start([&](Node& self) -> Task<void> {
      self.scope().spawn(ping(a, b, kRounds));
      self.scope().spawn(ping(b, a, kRounds));
      co_return;
    });
    events += world.run_until_idle();
  }
  state.counters["events/s"] = benchmark::Counter(double(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CoroutineSwitches)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace baton::sim

BENCHMARK_MAIN();
