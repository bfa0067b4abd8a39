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

}  // namespace
}  // namespace baton::sim::run
