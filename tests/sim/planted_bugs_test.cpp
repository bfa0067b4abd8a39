// Each invariant broken on purpose, and the checker catching it with evidence that names the
// instances and the times. The bugs are planted through the engine's PlantedBugs options and
// the configuration; the same scenarios pass without them (scenario_run_test.cpp, scenarios/).
#include <gtest/gtest.h>

#include <iostream>

#include "sim/run/console_report.hpp"
#include "sim/run/run_scenario.hpp"
#include "tests/sim/scenario_builders.hpp"

namespace baton::sim::run {
namespace {

using namespace test;

const Verdict* find_verdict(const RunResult& result, const std::string& name) {
  for (const Verdict& verdict : result.verdicts) {
    if (verdict.name == name) return &verdict;
  }
  return nullptr;
}

// Runs `s`, prints its report (the evidence is what a person would read), and returns it.
RunResult run_and_show(const Scenario& s) {
  RunResult result = run_scenario(s, RunOptions{});
  print_report(std::cout, result, "planted_bugs_tests");
  EXPECT_FALSE(result.setup_error) << result.setup_error.value_or("");
  return result;
}

bool evidence_mentions(const Verdict& verdict, const std::string& part) {
  for (const std::string& line : verdict.evidence) {
    if (line.find(part) != std::string::npos) return true;
  }
  return false;
}

// A lock-delay longer than the failover window pushes every crash failover past 2 x TTL.
TEST(PlantedBugs, ALockDelayBreaksTheFailoverBound) {
  Scenario s = web_cluster("lock-delay", R"(lock_delay = "20s")");
  s.steps.push_back(step(web("web-1", "10.0.0.1")));
  s.steps.push_back(step(applied("web")));
  s.steps.push_back(step(Crash{the_leader()}));
  s.steps.push_back(step(once_mode_done()));
  s.expect.invariants = {"failover-bound"};
  const RunResult result = run_and_show(s);
  const Verdict* verdict = find_verdict(result, "failover-bound");
  ASSERT_NE(verdict, nullptr);
  EXPECT_FALSE(verdict->passed);
  ASSERT_EQ(verdict->evidence.size(), 1u);
  EXPECT_TRUE(evidence_mentions(*verdict, "crash of cts-")) << verdict->evidence.front();
  EXPECT_TRUE(evidence_mentions(*verdict, "x TTL")) << verdict->evidence.front();
  EXPECT_FALSE(result.passed());
}

// A leader cut off from Consul that does not fence itself keeps leading while another takes
// the lock: two acting leaders.
TEST(PlantedBugs, SkippingFencingGivesTwoActingLeaders) {
  Scenario s = web_cluster("skip-fencing");
  s.bugs.skip_fencing = true;
  s.steps.push_back(step(web("web-1", "10.0.0.1")));
  s.steps.push_back(step(applied("web")));
  Partition cut;
  cut.target = the_leader();
  cut.from_consul = true;
  s.steps.push_back(step(cut));
  s.steps.push_back(step(RunFor{ttls(3)}));
  s.steps.push_back(step(Heal{}));
  s.expect.invariants = {"one-acting-leader"};
  const RunResult result = run_and_show(s);
  const Verdict* verdict = find_verdict(result, "one-acting-leader");
  ASSERT_NE(verdict, nullptr);
  EXPECT_FALSE(verdict->passed);
  EXPECT_TRUE(evidence_mentions(*verdict, "both acted as leader")) << verdict->summary;
}

// The same scenario with the engine as built: the cut-off leader fences at one TTL, long
// before the follower can take the lock.
TEST(PlantedBugs, WithoutTheBugTheCutOffLeaderFences) {
  Scenario s = web_cluster("fencing");
  s.steps.push_back(step(web("web-1", "10.0.0.1")));
  s.steps.push_back(step(applied("web")));
  Partition cut;
  cut.target = the_leader();
  cut.from_consul = true;
  s.steps.push_back(step(cut));
  s.steps.push_back(step(RunFor{ttls(3)}));
  s.steps.push_back(step(Heal{}));
  s.expect.invariants = {"one-acting-leader", "exclusive-apply", "converged"};
  const RunResult result = run_and_show(s);
  EXPECT_TRUE(result.passed());
}

// API task changes that are never stored vanish at the next failover.
TEST(PlantedBugs, UnstoredApiChangesAreLostAcrossAFailover) {
  Scenario s = web_cluster("skip-storing");
  s.bugs.skip_storing_task_changes = true;
  s.steps.push_back(step(web("web-1", "10.0.0.1")));
  s.steps.push_back(step(applied("web")));
  ApiCall create{ApiCall::Op::create, "db", R"(task {
  name = "db"
  module = "/modules/web"
  condition "services" { names = ["web"] }
})"};
  s.steps.push_back(step(create));
  s.steps.push_back(step(applied("db")));
  s.steps.push_back(step(Crash{the_leader()}));
  s.steps.push_back(step(once_mode_done()));
  s.expect.invariants = {"persistence"};
  const RunResult result = run_and_show(s);
  const Verdict* verdict = find_verdict(result, "persistence");
  ASSERT_NE(verdict, nullptr);
  EXPECT_FALSE(verdict->passed);
  EXPECT_TRUE(evidence_mentions(*verdict, "task db: the API left it enabled")) << verdict->summary;
}

// A fake Consul that expires sessions at 1 x TTL instead of 2 x: a crash fails over faster than
// CTS's documented minimum, and the bound's lower side catches it.
TEST(PlantedBugs, AConsulExpiringSessionsAtOneTtlBreaksTheFailoverBoundsLowerSide) {
  Scenario s = web_cluster("early-expiry");
  s.consul.session_ttl_multiplier = 1;
  s.steps.push_back(step(web("web-1", "10.0.0.1")));
  s.steps.push_back(step(applied("web")));
  s.steps.push_back(step(Crash{the_leader()}));
  s.steps.push_back(step(once_mode_done()));
  s.expect.invariants = {"failover-bound"};
  const RunResult result = run_and_show(s);
  const Verdict* verdict = find_verdict(result, "failover-bound");
  ASSERT_NE(verdict, nullptr);
  EXPECT_FALSE(verdict->passed);
  ASSERT_EQ(result.failovers.size(), 1u);
  ASSERT_TRUE(result.failovers.front().duration_ns());
  EXPECT_LT(*result.failovers.front().duration_ns(), 15 * kSecond) << "under one TTL";
}

// A promotion that skips once-mode: the new leader says once-mode is done without running web.
TEST(PlantedBugs, SkippingOnceModeIsCaught) {
  Scenario s = web_cluster("skip-once-mode");
  s.bugs.skip_once_mode = true;
  s.steps.push_back(step(web("web-1", "10.0.0.1")));
  s.steps.push_back(step(RunFor{seconds(30)}));
  s.steps.push_back(step(Crash{the_leader()}));
  s.steps.push_back(step(once_mode_done()));
  s.expect.invariants = {"once-mode"};
  const RunResult result = run_and_show(s);
  const Verdict* verdict = find_verdict(result, "once-mode");
  ASSERT_NE(verdict, nullptr);
  EXPECT_FALSE(verdict->passed);
  EXPECT_TRUE(evidence_mentions(*verdict, "without running web")) << verdict->summary;
}

// A change that arrives while the task applies is dropped: the last change never reaches the
// infrastructure.
TEST(PlantedBugs, DroppingAChangeDuringARunIsCaughtAsNotConverged) {
  Scenario s = web_cluster("drop-changes");
  s.bugs.drop_changes_during_run = true;
  s.terraform.apply_time = DurationRange{seconds(8), seconds(8)};
  s.steps.push_back(step(web("web-1", "10.0.0.1")));
  s.steps.push_back(step(applied("web")));
  s.steps.push_back(step(once_mode_done()));
  s.steps.push_back(step(web("web-2", "10.0.0.2")));
  // The buffer period (5 s) ends, the 8 s apply starts; web-3 arrives during it.
  s.steps.push_back(step(web("web-3", "10.0.0.3"), seconds(9), true));
  s.expect.invariants = {"converged"};
  const RunResult result = run_and_show(s);
  const Verdict* verdict = find_verdict(result, "converged");
  ASSERT_NE(verdict, nullptr);
  EXPECT_FALSE(verdict->passed);
  EXPECT_TRUE(evidence_mentions(*verdict, "web-3")) << verdict->summary;
}

// Runs that do not queue behind one another: two applies of one task at once.
TEST(PlantedBugs, ConcurrentRunsAreCaughtAsOverlappingApplies) {
  Scenario s = web_cluster("concurrent-runs");
  s.bugs.concurrent_runs = true;
  s.terraform.apply_time = DurationRange{seconds(20), seconds(20)};
  s.steps.push_back(step(web("web-1", "10.0.0.1")));
  s.steps.push_back(step(applied("web")));
  s.steps.push_back(step(once_mode_done()));
  s.steps.push_back(step(web("web-2", "10.0.0.2")));
  s.steps.push_back(step(web("web-3", "10.0.0.3"), seconds(8), true));
  s.expect.invariants = {"exclusive-apply"};
  const RunResult result = run_and_show(s);
  const Verdict* verdict = find_verdict(result, "exclusive-apply");
  ASSERT_NE(verdict, nullptr);
  EXPECT_FALSE(verdict->passed);
  EXPECT_TRUE(evidence_mentions(*verdict, "task web: apply #")) << verdict->summary;
}

}  // namespace
}  // namespace baton::sim::run
