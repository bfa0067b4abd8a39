// RapidCheck properties over random fault schedules (issue 9): RapidCheck generates the
// episodes, so a failing schedule shrinks to the fewest, shortest episodes that still fail.
// Each case is a whole simulated run (a few virtual minutes), so the default run checks a CI-sized
// budget; the *ManyCases variants (label slow: ctest -L slow) check 20x more.
//
//   - safety and liveness: any schedule of instance, Consul and Terraform faults keeps every
//     invariant of DESIGN.md and converges once healed;
//   - the catalog: any sequence of registrations, deregistrations and health changes, under
//     crashes and graceful stops, converges to the right final infrastructure;
//   - the API: any sequence of task creates, deletes, enables and disables across failovers is
//     kept by every next leader.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <sstream>

#include "sim/scenario/scenario_writer.hpp"
#include "sim/swarm/schedule_scenario.hpp"
#include "sim/swarm/seed_outcome.hpp"
#include "sim/swarm/swarm_base.hpp"
#include "tests/sim/scenario_builders.hpp"
#include "tests/support/rapidcheck_cases.hpp"

namespace baton::sim::swarm {
namespace {

using run::test::kSecond;
constexpr std::int64_t kTtlNs = 15 * kSecond;  // web_cluster's session_ttl
constexpr std::int64_t kHealAtNs = 150 * kSecond;

SwarmBase web_base() {
  scenario::Scenario s = run::test::web_cluster("property");
  s.steps.push_back(run::test::step(run::test::web("web-1", "10.0.0.1")));
  s.steps.push_back(run::test::step(run::test::web("web-2", "10.0.0.2")));
  return std::get<SwarmBase>(make_swarm_base(s));
}

rc::Gen<Episode> episode_gen(std::vector<FaultKind> kinds) {
  return rc::gen::apply(
      [](FaultKind kind, std::int64_t start_ms, std::int64_t hold_ms, std::uint32_t target, std::uint32_t variant, std::int64_t amount) {
        return Episode{kind, start_ms * 1'000'000, hold_ms * 1'000'000, target, variant, amount};
      },
      rc::gen::elementOf(kinds), rc::gen::inRange<std::int64_t>(30'000, kHealAtNs / 1'000'000),
      rc::gen::inRange<std::int64_t>(100, 3 * kTtlNs / 1'000'000), rc::gen::inRange<std::uint32_t>(0, 6),
      rc::gen::inRange<std::uint32_t>(0, 4), rc::gen::inRange<std::int64_t>(-500, 500));
}

// Runs the schedule; a failure's message holds the scenario as a file, ready for `sim run`.
run::RunResult run_schedule(const SwarmBase& base, const std::vector<Episode>& episodes, std::uint64_t seed) {
  FaultSchedule schedule;
  schedule.episodes = episodes;
  schedule.heal_at_ns = kHealAtNs;
  const ScheduledScenario scheduled = schedule_scenario(base, schedule, seed);
  RC_TAG(scheduled.kept.size());
  run::RunResult result = run::run_scenario(scheduled.scenario, run::RunOptions{});
  if (!result.passed()) {
    std::ostringstream evidence;
    for (const std::string& name : failed_check_names(result)) evidence << name << " ";
    for (const run::Verdict& verdict : result.verdicts) {
      for (const std::string& line : verdict.evidence) evidence << "\n  " << verdict.name << ": " << line;
    }
    RC_FAIL(evidence.str() + "\n" + scenario::write_scenario_yaml(scheduled.scenario));
  }
  return result;
}

void invariants_hold_under_random_faults() {
  const SwarmBase base = web_base();
  const auto seed = *rc::gen::inRange<std::uint64_t>(1, 1'000'000);
  const auto episodes = *rc::gen::resize(
      8, rc::gen::container<std::vector<Episode>>(episode_gen({FaultKind::crash, FaultKind::graceful_stop, FaultKind::pause, FaultKind::partition,
                                                              FaultKind::consul_crash, FaultKind::consul_partition, FaultKind::clock,
                                                              FaultKind::terraform})));
  run_schedule(base, episodes, seed);
}

void catalog_changes_converge() {
  const SwarmBase base = web_base();
  const auto seed = *rc::gen::inRange<std::uint64_t>(1, 1'000'000);
  const auto episodes = *rc::gen::resize(
      12, rc::gen::container<std::vector<Episode>>(
              episode_gen({FaultKind::catalog, FaultKind::catalog, FaultKind::catalog, FaultKind::crash, FaultKind::graceful_stop})));
  run_schedule(base, episodes, seed);
}

void api_changes_survive_failovers() {
  const SwarmBase base = web_base();
  const auto seed = *rc::gen::inRange<std::uint64_t>(1, 1'000'000);
  const auto episodes = *rc::gen::resize(
      10, rc::gen::container<std::vector<Episode>>(
              episode_gen({FaultKind::api, FaultKind::api, FaultKind::crash, FaultKind::graceful_stop, FaultKind::catalog})));
  const run::RunResult result = run_schedule(base, episodes, seed);
  RC_TAG(result.failovers.size() > 0 ? "failed over" : "no failover");
}

TEST(FaultScheduleProperty, InvariantsHoldUnderRandomFaults) { test::check_cases(invariants_hold_under_random_faults, 30); }
TEST(FaultScheduleProperty, CatalogChangesConvergeToTheFinalCatalog) { test::check_cases(catalog_changes_converge, 20); }
TEST(FaultScheduleProperty, ApiTaskChangesSurviveFailovers) { test::check_cases(api_changes_survive_failovers, 20); }

TEST(FaultScheduleProperty, DISABLED_ManyCases) {
  test::check_cases(invariants_hold_under_random_faults, 1200);
  test::check_cases(catalog_changes_converge, 800);
  test::check_cases(api_changes_survive_failovers, 800);
}

}  // namespace
}  // namespace baton::sim::swarm
