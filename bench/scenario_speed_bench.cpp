// How fast `sim run` runs a scenario: simulated seconds per wall-clock second for a leader
// crash in a cluster of 3 instances and 3 Consul servers over one virtual hour, with the whole
// engine (HA, watching, tasks, state) and the fakes (Consul's Raft, Terraform) doing their work.
//   scenario_speed/10/100      10 tasks, 100 service instances (issue 7's target: >= 50,000x)
//   scenario_speed/100/1000   100 tasks, 1,000 service instances
// Each task watches one service of ten instances. The leader crashes at 30 minutes and restarts
// 5 minutes later; every 5 minutes one instance's check flips, so tasks keep applying.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "sim/run/run_scenario.hpp"

namespace {

using namespace baton::sim;
using namespace baton::sim::scenario;
constexpr std::int64_t kSecond = 1'000'000'000;

Step at(std::int64_t seconds, Action action) {
  Step step;
  step.at = DurationSpec{seconds * kSecond};
  step.action = std::move(action);
  return step;
}

Scenario large_cluster(int tasks, int service_instances) {
  Scenario s;
  s.name = fmt::format("speed-{}-{}", tasks, service_instances);
  s.engine.instances = 3;
  std::string config = R"(
high_availability {
  cluster {
    name = "cts-cluster"
    storage "consul" { session_ttl = "15s" }
  }
}
)";
  for (int t = 0; t < tasks; ++t) {
    config += fmt::format("task {{\n  name = \"task-{0}\"\n  module = \"/modules/m\"\n  condition \"services\" {{ names = [\"svc-{0}\"] }}\n}}\n", t);
  }
  s.engine.config_hcl = config;
  s.terraform.apply_time = DurationRange{DurationSpec{2 * kSecond}, DurationSpec{6 * kSecond}};
  for (int i = 0; i < service_instances; ++i) {
    Register r{fmt::format("svc-{}", i % tasks), fmt::format("svc-{}-{}", i % tasks, i / tasks), fmt::format("10.9.{}.{}", i / 250, i % 250 + 1),
               8080, {}, {}, fmt::format("node-{}", i % 10 + 1), "passing"};
    s.steps.push_back(at(0, r));
  }
  for (int minute = 5; minute < 60; minute += 5) {
    const std::string id = fmt::format("svc-{}-0", (minute / 5) % tasks);
    s.steps.push_back(at(minute * 60, SetCheck{id, (minute / 5) % 2 == 1 ? "critical" : "passing"}));
    if (minute == 30) s.steps.push_back(at(minute * 60, Crash{Target{Target::Kind::instance, Target::Select::leader, {}}}));
    if (minute == 35) s.steps.push_back(at(minute * 60, Restart{Target{Target::Kind::instance, Target::Select::all, {}}, {}, {}}));
  }
  s.duration = DurationSpec{3600 * kSecond};
  s.expect.convergence = DurationSpec{60 * kSecond};
  return s;
}

void BM_ScenarioSpeed(benchmark::State& state) {
  const Scenario scenario = large_cluster(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  std::int64_t simulated_ns = 0;
  bool passed = true;
  std::string digest;
  for (auto _ : state) {
    run::RunResult result = run::run_scenario(scenario, run::RunOptions{});
    simulated_ns += result.end_ns;
    passed = passed && result.passed();
    benchmark::DoNotOptimize(result.trace_digest);
    digest = result.trace_digest;
    state.counters["events"] = static_cast<double>(result.events_run);
    state.counters["trace_records"] = static_cast<double>(result.trace_records);
    state.counters["applies"] = static_cast<double>(result.timeline.applies.size());
  }
  state.counters["sim_s_per_wall_s"] =
      benchmark::Counter(static_cast<double>(simulated_ns) / 1e9, benchmark::Counter::kIsRate);
  state.counters["passed"] = passed ? 1 : 0;
  // The digest shows that a speed-up changed no behaviour: it must stay the same.
  state.SetLabel("digest=" + digest);
}
BENCHMARK(BM_ScenarioSpeed)->Args({10, 100})->Args({100, 1000})->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
