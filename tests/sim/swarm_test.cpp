// sim swarm (sim/swarm): a seed draws the same schedule every time, schedules drop what cannot
// happen and end healed with a change to converge on, seeds run clean on the default base, and
// a planted bug is found by the swarm and shrunk to a scenario of a few steps that fails the
// same way when read back from its file.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "sim/scenario/scenario_parser.hpp"
#include "sim/scenario/scenario_writer.hpp"
#include "sim/swarm/schedule_draw.hpp"
#include "sim/swarm/schedule_scenario.hpp"
#include "sim/swarm/seed_outcome.hpp"
#include "sim/swarm/shrink.hpp"
#include "sim/swarm/swarm.hpp"
#include "sim/swarm/swarm_base.hpp"
#include "tests/sim/scenario_builders.hpp"

namespace baton::sim::swarm {
namespace {

using run::test::kSecond;

SwarmBase web_base(PlantedBugs bugs = {}) {
  scenario::Scenario s = run::test::web_cluster("swarm-test");
  s.bugs = bugs;
  s.steps.push_back(run::test::step(run::test::web("web-1", "10.0.0.1")));
  s.steps.push_back(run::test::step(run::test::web("web-2", "10.0.0.2")));
  auto base = make_swarm_base(s);
  EXPECT_TRUE(std::holds_alternative<SwarmBase>(base)) << std::get<std::string>(base);
  return std::get<SwarmBase>(std::move(base));
}

std::string text_of(const scenario::Scenario& s) { return scenario::write_scenario_yaml(s); }

template <class T>
std::size_t count_steps(const scenario::Scenario& s) {
  return static_cast<std::size_t>(std::count_if(s.steps.begin(), s.steps.end(), [](const scenario::Step& step) {
    return std::holds_alternative<T>(step.action);
  }));
}

Episode episode(FaultKind kind, double start_s, double hold_s, std::uint32_t target = 0, std::uint32_t variant = 0) {
  return Episode{kind, static_cast<std::int64_t>(start_s * kSecond), static_cast<std::int64_t>(hold_s * kSecond), target, variant, 0};
}

TEST(SwarmDraw, TheSameSeedDrawsTheSameScheduleAndOthersDiffer) {
  const SwarmBase base = web_base();
  const DrawOptions options;
  const SeedPlan first = plan_seed(base, 42, options);
  const SeedPlan again = plan_seed(base, 42, options);
  EXPECT_EQ(text_of(first.scheduled.scenario), text_of(again.scheduled.scenario));
  EXPECT_EQ(first.drawn.mix_text(), again.drawn.mix_text());
  std::set<std::string> mixes;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const DrawnSchedule drawn = draw_schedule(base, seed, options);
    EXPECT_FALSE(drawn.enabled.empty()) << "seed " << seed;
    mixes.insert(fault_list_text(drawn.enabled));
    for (const Episode& e : drawn.schedule.episodes) {
      EXPECT_GE(e.start_ns, options.warmup_ns);
      EXPECT_LT(e.start_ns, options.heal_at_ns);
    }
  }
  EXPECT_GT(mixes.size(), 30u) << "swarm testing: seeds should draw different mixes";
}

TEST(SwarmDraw, OnlyTheAllowedFaultsAreDrawn) {
  const SwarmBase base = web_base();
  DrawOptions options;
  options.allowed = {FaultKind::pause};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const DrawnSchedule drawn = draw_schedule(base, seed, options);
    ASSERT_EQ(drawn.enabled, std::vector<FaultKind>{FaultKind::pause});
    for (const Episode& e : drawn.schedule.episodes) EXPECT_EQ(e.kind, FaultKind::pause);
    EXPECT_FALSE(drawn.schedule.network);
  }
  EXPECT_EQ(parse_fault_list("crash,bogus").error,
            "--faults: unknown fault \"bogus\" (known: crash,graceful_stop,pause,partition,consul_crash,consul_partition,link,"
            "clock,terraform,slow_apply,api,catalog)");
}

TEST(ScheduleScenario, EpisodesThatCannotHappenAreDropped) {
  const SwarmBase base = web_base();
  FaultSchedule schedule;
  schedule.heal_at_ns = 120 * kSecond;
  schedule.episodes = {
      episode(FaultKind::crash, 40, 30, 0),           // cts-01 down 40..70
      episode(FaultKind::pause, 50, 5, 3),            // cts-01 again (3 mod 3): still down, dropped
      episode(FaultKind::pause, 50, 5, 1),            // cts-02: kept
      episode(FaultKind::consul_crash, 45, 30, 0),    // consul-1 down 45..75
      episode(FaultKind::consul_partition, 60, 5, 1), // a second server at once: no majority left untouched, dropped
      episode(FaultKind::api, 61, 0, 0, 1),           // delete a task: kept (web exists)
      episode(FaultKind::catalog, 62, 0, 5, 1),       // deregister one of the two instances: kept
      episode(FaultKind::crash, 130, 5, 2),           // after the heal: dropped
  };
  const ScheduledScenario out = schedule_scenario(base, schedule, 7);
  ASSERT_EQ(out.kept.size(), 5u);
  EXPECT_EQ(count_steps<scenario::Crash>(out.scenario), 2u);
  EXPECT_EQ(count_steps<scenario::Restart>(out.scenario), 2u);
  EXPECT_EQ(count_steps<scenario::Pause>(out.scenario), 1u);
  EXPECT_EQ(count_steps<scenario::Partition>(out.scenario), 0u);
  EXPECT_EQ(count_steps<scenario::ApiCall>(out.scenario), 1u);
  EXPECT_EQ(count_steps<scenario::Deregister>(out.scenario), 1u);
  EXPECT_TRUE(out.scenario.continue_after_step_errors);
  EXPECT_EQ(out.scenario.seed, 7u);
}

TEST(ScheduleScenario, EndsHealedWithALeaderAndANewInstanceOfEveryWatchedService) {
  const SwarmBase base = web_base();
  FaultSchedule schedule;
  schedule.heal_at_ns = 100 * kSecond;
  schedule.episodes = {episode(FaultKind::partition, 40, 500, 0, 1)};  // held past the heal: cut short
  const ScheduledScenario out = schedule_scenario(base, schedule, 1);
  const auto& steps = out.scenario.steps;
  ASSERT_GE(steps.size(), 6u);
  // The base's two registrations, the partition and its heal at the heal time, then the tail.
  EXPECT_TRUE(std::holds_alternative<scenario::Partition>(steps[2].action));
  ASSERT_TRUE(std::holds_alternative<scenario::Heal>(steps[3].action));
  EXPECT_EQ(steps[3].at->ns, 100 * kSecond);
  EXPECT_TRUE(std::holds_alternative<scenario::Heal>(steps[4].action));
  EXPECT_TRUE(std::holds_alternative<scenario::TerraformRecover>(steps[5].action));
  ASSERT_TRUE(std::holds_alternative<scenario::WaitUntil>(steps[6].action));
  ASSERT_TRUE(std::holds_alternative<scenario::Register>(steps.back().action));
  EXPECT_EQ(std::get<scenario::Register>(steps.back().action).id, "web-final");
  EXPECT_EQ(out.scenario.expect.invariants, kSwarmInvariants);
}

TEST(ScheduleScenario, TheScenarioIsAnOrdinaryFileThatReadsBackTheSame) {
  const SwarmBase base = web_base();
  DrawOptions options;
  options.heal_at_ns = 120 * kSecond;
  const SeedPlan plan = plan_seed(base, 3, options);
  const std::string text = text_of(plan.scheduled.scenario);
  auto parsed = scenario::parse_scenario("swarm.yaml", text, scenario::MemoryScenarioFiles{});
  ASSERT_TRUE(std::holds_alternative<scenario::Scenario>(parsed)) << std::get<scenario::ScenarioError>(parsed).to_string();
  EXPECT_EQ(text_of(std::get<scenario::Scenario>(parsed)), text);
}

TEST(Swarm, SeedsOnTheDefaultBaseRunWithoutAViolation) {
  auto bases = load_bases(std::string(BATON_SOURCE_DIR) + "/scenarios/swarm");
  ASSERT_TRUE(std::holds_alternative<std::vector<SwarmBase>>(bases)) << std::get<std::string>(bases);
  DrawOptions options;
  options.heal_at_ns = 180 * kSecond;
  std::vector<SeedOutcome> outcomes;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto& all = std::get<std::vector<SwarmBase>>(bases);
    outcomes.push_back(run_seed(base_of(all, seed), seed, options));
    const SeedOutcome& outcome = outcomes.back();
    EXPECT_TRUE(outcome.passed) << "seed " << seed << " (" << outcome.mix << "): " << ::testing::PrintToString(outcome.evidence);
    EXPECT_GE(outcome.virtual_ns, 180 * kSecond);
  }
  // What the worker processes send is what the parent reads.
  const std::optional<SeedOutcome> back = from_line(to_line(outcomes.front()));
  ASSERT_TRUE(back);
  EXPECT_EQ(to_line(*back), to_line(outcomes.front()));
}

// The planted bug: a leader whose lease ran out keeps acting (no fencing). Pauses and
// partitions from Consul make a lease run out under a live leader; the swarm must find a seed
// where that leads to two acting leaders, and shrink it to a few steps.
TEST(Swarm, FindsAPlantedFencingBugAndShrinksItToAFewSteps) {
  PlantedBugs bugs;
  bugs.skip_fencing = true;
  const SwarmBase base = web_base(bugs);
  DrawOptions options;
  options.allowed = {FaultKind::pause, FaultKind::partition};
  options.heal_at_ns = 150 * kSecond;
  std::optional<std::uint64_t> failing;
  for (std::uint64_t seed = 1; seed <= 30 && !failing; ++seed) {
    const SeedOutcome outcome = run_seed(base, seed, options);
    if (!outcome.passed) failing = seed;
  }
  ASSERT_TRUE(failing) << "30 seeds of pauses and partitions never caught a leader acting without fencing";
  const SeedPlan plan = plan_seed(base, *failing, options);
  const ShrinkResult shrunk = shrink_scenario(plan.scheduled.scenario);
  ASSERT_TRUE(shrunk.failed);
  EXPECT_EQ(shrunk.primary_failure, "one-acting-leader: violations");
  EXPECT_LE(shrunk.steps_after, 5u) << text_of(shrunk.scenario);
  EXPECT_LT(shrunk.steps_after, shrunk.steps_before);

  // Written out and read back, it fails the same way.
  const std::string text = scenario::write_scenario_yaml(shrunk.scenario);
  auto parsed = scenario::parse_scenario("shrunk.yaml", text, scenario::MemoryScenarioFiles{});
  ASSERT_TRUE(std::holds_alternative<scenario::Scenario>(parsed)) << std::get<scenario::ScenarioError>(parsed).to_string();
  const run::RunResult again = run::run_scenario(std::get<scenario::Scenario>(parsed), run::RunOptions{});
  const std::vector<std::string> failed = failed_check_names(again);
  EXPECT_NE(std::find(failed.begin(), failed.end(), "one-acting-leader"), failed.end()) << text;
  std::cout << "seed " << *failing << " shrunk from " << shrunk.steps_before << " to " << shrunk.steps_after << " steps in "
            << shrunk.runs << " runs:\n" << text;
}

}  // namespace
}  // namespace baton::sim::swarm
