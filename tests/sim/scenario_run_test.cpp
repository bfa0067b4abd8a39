// sim/run against scenarios built in code: a leader crash runs end to end, every checker
// passes, the failover lands in CTS's window; the same seed gives the same trace.
#include <gtest/gtest.h>

#include <iostream>

#include "sim/run/console_report.hpp"
#include "sim/run/convergence_watch.hpp"
#include "sim/run/run_scenario.hpp"
#include "tests/sim/scenario_builders.hpp"

namespace baton::sim::run {
namespace {

using namespace test;

Scenario leader_crash() {
  Scenario s = web_cluster("leader-crash");
  s.steps.push_back(step(web("web-1", "10.0.0.1")));
  s.steps.push_back(step(applied("web")));
  s.steps.push_back(step(Crash{the_leader()}, seconds(5), true));
  s.steps.push_back(step(once_mode_done()));
  s.steps.push_back(step(web("web-2", "10.0.0.2"), seconds(10), true));
  s.steps.push_back(step(applied("web")));
  s.expect.leader_changes = 1;
  s.expect.final_infrastructure["web"] = {"web-1", "web-2"};
  s.expect.log_contains = {"acquired leadership lock"};
  return s;
}

TEST(ScenarioRun, LeaderCrashPassesEveryChecker) {
  const RunResult result = run_scenario(leader_crash(), RunOptions{});
  print_report(std::cout, result, "scenario_run_tests");
  ASSERT_FALSE(result.setup_error) << *result.setup_error;
  EXPECT_FALSE(result.step_error) << *result.step_error;
  EXPECT_TRUE(result.passed());
  ASSERT_EQ(result.failovers.size(), 1u);
  const Failover& failover = result.failovers.front();
  EXPECT_EQ(failover.cause, "crash");
  ASSERT_TRUE(failover.duration_ns());
  EXPECT_GT(*failover.duration_ns(), 15 * kSecond * 3 / 2) << "2 x TTL - renew interval";
  EXPECT_LE(*failover.duration_ns(), 31 * kSecond);
  EXPECT_TRUE(failover.session_expired_ns);
  EXPECT_TRUE(failover.once_mode_done_ns);
}

TEST(ScenarioRun, TheSameSeedGivesTheSameTrace) {
  const RunResult first = run_scenario(leader_crash(), RunOptions{.seed = 7});
  const RunResult second = run_scenario(leader_crash(), RunOptions{.seed = 7});
  const RunResult other = run_scenario(leader_crash(), RunOptions{.seed = 8});
  EXPECT_EQ(first.trace_digest, second.trace_digest);
  EXPECT_NE(first.trace_digest, other.trace_digest);
}

// The last step is a change; the cluster has ten minutes to apply it and needs well under one.
Scenario change_then_converge(bool stop_when_converged) {
  Scenario s = web_cluster("change-then-converge");
  s.steps.push_back(step(web("web-1", "10.0.0.1")));
  s.steps.push_back(step(applied("web")));
  s.steps.push_back(step(web("web-2", "10.0.0.2"), seconds(10), true));
  s.expect.convergence = seconds(600);
  s.expect.stop_when_converged = stop_when_converged;
  s.expect.final_infrastructure["web"] = {"web-1", "web-2"};
  return s;
}

std::int64_t last_step_ns(const RunResult& result) { return result.steps.back().at_ns; }
// How long the run went on after its last step began (which takes a round trip to Consul).
std::int64_t after_last_step_ns(const RunResult& result) { return result.end_ns - last_step_ns(result); }
constexpr std::int64_t kStepTimeMaxNs = kSecond;

TEST(ScenarioRun, StopWhenConvergedEndsTheRunOnceTheChangeIsApplied) {
  const RunResult whole = run_scenario(change_then_converge(false), RunOptions{});
  const RunResult early = run_scenario(change_then_converge(true), RunOptions{});
  ASSERT_TRUE(whole.passed());
  ASSERT_TRUE(early.passed());
  EXPECT_GE(after_last_step_ns(whole), 600 * kSecond) << "without it, the whole bound runs";
  EXPECT_LE(after_last_step_ns(whole), 600 * kSecond + kStepTimeMaxNs);
  EXPECT_LT(after_last_step_ns(early), 120 * kSecond) << "converged within two minutes, then stopped";
  EXPECT_GE(after_last_step_ns(early), 2 * kConvergencePollNs) << "two looks, the change applied";
  EXPECT_EQ(early.timeline.applies.size(), whole.timeline.applies.size()) << "nothing the bound's rest would have run";
}

TEST(ScenarioRun, StopWhenConvergedRunsTheWholeBoundWhenTheClusterNeverConverges) {
  Scenario s = change_then_converge(true);
  TerraformFailure failure;
  failure.task = "web";
  s.steps.insert(s.steps.end() - 1, step(TerraformFail{failure}));
  s.expect.convergence = seconds(120);
  const RunResult result = run_scenario(s, RunOptions{});
  EXPECT_GE(after_last_step_ns(result), 120 * kSecond);
  EXPECT_LE(after_last_step_ns(result), 120 * kSecond + kStepTimeMaxNs);
  EXPECT_FALSE(result.passed());
  bool converged_failed = false;
  for (const Verdict& verdict : result.verdicts) converged_failed |= verdict.name == "converged" && !verdict.passed;
  EXPECT_TRUE(converged_failed) << "the failing apply leaves web-2 out";
}

TEST(ScenarioRun, AConfigurationWithoutHighAvailabilityIsRefusedBeforeRunning) {
  Scenario s = leader_crash();
  s.engine.config_hcl = "task {\n name = \"web\"\n module = \"/m\"\n condition \"services\" { names = [\"web\"] }\n}\n";
  const RunResult result = run_scenario(s, RunOptions{});
  ASSERT_TRUE(result.setup_error);
  EXPECT_NE(result.setup_error->find("no high_availability block"), std::string::npos) << *result.setup_error;
}

}  // namespace
}  // namespace baton::sim::run
