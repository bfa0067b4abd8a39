// Two task conditions of TaskRunner (engine/tasks/task_runner.hpp) against the fake Consul
// cluster and a scripted Terraform, in virtual time:
// - condition "schedule": the task runs at its cron activations (on the node's wall clock, in
//   UTC), applying only when a dependency changed since the last run, and storing an event
//   either way, as CTS v0.9.0's runScheduledTask / TaskRunNow do;
// - a services `regexp`: the health queries follow the catalog (services that start matching
//   are watched and rendered, those that go are dropped), non-matching services are ignored.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/driver/terraform/task_driver.hpp"
#include "engine/tasks/task_runner.hpp"
#include "engine/watch/dependency.hpp"
#include "engine/watch/watcher.hpp"
#include "sim/filesystem/memory_filesystem.hpp"
#include "sim/runtime/sim_log.hpp"
#include "tests/support/consul_client_support.hpp"
#include "tests/support/scripted_terraform.hpp"
#include "tests/support/sim_consul_engine.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::tasks {
namespace {

using baton::test::ms;
using baton::test::seconds;
using consul::test::run_on;
using driver::terraform::test::ScriptedTerraform;
namespace tf = driver::terraform;

// The node's wall clock reads 2026-01-01T00:00:00Z when its monotonic clock reads 0
// (sim::ClockOptions), so a cron activation at second S of the day is at monotonic S s.
constexpr std::int64_t kActivationPeriodNs = seconds(30);  // "0,30 * * * * * *"

class TaskRunnerConditionsTest : public ::testing::Test, protected test::SimConsulEngine {
 protected:
  TaskRunnerConditionsTest() : SimConsulEngine(31, "cts-01") {}
  ~TaskRunnerConditionsTest() override { engine_.crash(); }

  void start_runner(tf::TaskInput task, TaskRunnerOptions options) {
    const std::string name = task.name;
    driver_ = std::make_unique<tf::TaskDriver>(files_, terraform_, log_.logger_for(engine_), std::move(task),
                                               tf::TerraformTarget{name, "sync-tasks/" + name, name, {}});
    runner_ = std::make_unique<TaskRunner>(engine_, watcher_, *driver_, log_.logger_for(engine_), std::move(options),
                                           [] { return true; }, events_);
    engine_.scope().spawn(runner_->run(stop_.get_token()));
  }

  void register_service(std::string name, std::string id, std::string address) {
    consul::ServiceRegistration registration;
    registration.id = std::move(id);
    registration.name = std::move(name);
    registration.address = std::move(address);
    registration.port = 8080;
    ASSERT_TRUE(run_on(world_, engine_, client_.agent_service_register(registration)).ok());
  }

  void deregister_service(std::string id) {
    ASSERT_TRUE(run_on(world_, engine_, client_.agent_service_deregister(std::move(id))).ok());
  }

  std::vector<std::int64_t> apply_times_ns() const {
    std::vector<std::int64_t> times;
    for (std::size_t i = 0; i < terraform_.calls.size(); ++i) {
      if (terraform_.calls[i] == "apply") times.push_back(terraform_.call_times_ns[i]);
    }
    return times;
  }

  std::int64_t node_now_ns() const { return engine_.now().time_since_epoch().count(); }
  // Runs the world until the engine's monotonic clock reads `node_ns` (no drift here: the node's
  // clock and the World's true time differ by a constant).
  void run_until_node(std::int64_t node_ns) { world_.run_for(node_ns - node_now_ns()); }
  // The first activation strictly after the node's time now.
  std::int64_t next_activation_ns() const { return (node_now_ns() / kActivationPeriodNs + 1) * kActivationPeriodNs; }

  std::string tfvars(const std::string& name) {
    return files_.read_file("sync-tasks/" + name + "/terraform.tfvars").content.value_or("");
  }
  std::size_t log_count(const std::string& text) const {
    const std::string lines = log_lines_.str();
    std::size_t count = 0;
    for (std::size_t at = lines.find(text); at != std::string::npos; at = lines.find(text, at + 1)) ++count;
    return count;
  }

  std::ostringstream log_lines_;
  sim::SimLog log_{world_, sim::SimLogOptions{&log_lines_, LogLevel::info}};
  watch::Watcher watcher_{engine_, client_, log_.logger_for(engine_)};
  sim::MemoryFileSystem files_;
  ScriptedTerraform terraform_{engine_};
  TaskEvents events_;
  std::stop_source stop_;
  std::unique_ptr<tf::TaskDriver> driver_;
  std::unique_ptr<TaskRunner> runner_;
};

tf::TaskInput scheduled_task() {
  tf::TaskInput task;
  task.name = "sched";
  task.module_source = "/modules/sched";
  task.templates.push_back(tf::ServicesTemplate{{tf::ServiceQuery{"api", "", "", ""}}, true});  // a module_input
  task.schedule_cron = "0,30 * * * * * *";
  return task;
}

tf::TaskInput regexp_task() {
  tf::TaskInput task;
  task.name = "rx";
  task.module_source = "/modules/rx";
  task.templates.push_back(tf::ServicesRegexTemplate{"^api", "", "", "", true});
  return task;
}

TEST_F(TaskRunnerConditionsTest, ScheduledTaskRunsAtItsCronTimesAndAppliesOnlyWhatChanged) {
  start_runner(scheduled_task(), TaskRunnerOptions{});
  world_.run_for(seconds(2));
  // Once-mode first, as for every task (CTS's TaskCreateAndRun before the schedule starts).
  ASSERT_EQ(apply_times_ns().size(), 1u);
  ASSERT_TRUE(runner_->once_done());
  ASSERT_EQ(events_.events().size(), 1u);

  // An activation with nothing changed: no apply, but a successful event (TaskRunNow stores one
  // for scheduled tasks).
  const std::int64_t first = next_activation_ns();
  EXPECT_EQ(log_count("scheduled task next run time"), 1u);
  run_until_node(first + ms(1));
  EXPECT_EQ(apply_times_ns().size(), 1u);
  ASSERT_EQ(events_.events().size(), 2u);
  EXPECT_TRUE(events_.events().front().success);
  EXPECT_EQ(log_count("scheduled task triggered but had no changes"), 1u);
  EXPECT_EQ(events_.events().front().start_time.time_since_epoch().count() % kActivationPeriodNs, 0)
      << "the run started at the activation, to the nanosecond of the wall clock";

  // A change between activations starts no run (no buffer period, no trigger) ...
  register_service("api", "api-1", "10.0.0.1");
  const std::int64_t second = first + kActivationPeriodNs;
  run_until_node(second - ms(1));
  EXPECT_EQ(apply_times_ns().size(), 1u) << "a scheduled task does not run on changes";
  // ... the next activation applies it, exactly on time.
  run_until_node(second + ms(1));
  const std::vector<std::int64_t> applies = apply_times_ns();
  ASSERT_EQ(applies.size(), 2u);
  EXPECT_EQ(applies[1], second);
  EXPECT_NE(tfvars("sched").find("api-1"), std::string::npos);
  run_until_node(second + ms(500));  // the apply takes the scripted 100 ms
  EXPECT_EQ(events_.events().size(), 3u);
  EXPECT_TRUE(events_.events().front().success);

  // Nothing changed since: the activation after stores an event and applies nothing.
  run_until_node(second + kActivationPeriodNs + ms(1));
  EXPECT_EQ(apply_times_ns().size(), 2u);
  EXPECT_EQ(events_.events().size(), 4u);
  EXPECT_EQ(log_count("scheduled task triggered but had no changes"), 2u);
  EXPECT_NE(log_lines_.str().find("next_runtime=\"2026-01-01 00:"), std::string::npos) << log_lines_.str();
}

TEST_F(TaskRunnerConditionsTest, ScheduledRunWaitsForTheWallClockAfterItStepsBack) {
  start_runner(scheduled_task(), TaskRunnerOptions{});
  world_.run_for(seconds(2));
  ASSERT_EQ(apply_times_ns().size(), 1u);
  const std::int64_t activation = next_activation_ns();
  register_service("api", "api-1", "10.0.0.1");
  // NTP steps the wall clock back 5 s while the runner sleeps towards the activation: the run
  // comes when the wall clock reads the activation time, once (CTS's timer would fire 5 s early
  // by the wall clock, and Next would give the same activation again).
  engine_.step_wall_clock(-seconds(5));
  run_until_node(activation + seconds(5) - ms(1));
  EXPECT_EQ(apply_times_ns().size(), 1u);
  run_until_node(activation + seconds(5) + ms(1));
  ASSERT_EQ(apply_times_ns().size(), 2u);
  EXPECT_EQ(apply_times_ns()[1], activation + seconds(5));
  run_until_node(activation + seconds(5) + kActivationPeriodNs - ms(1));
  EXPECT_EQ(events_.events().size(), 2u) << "the same activation ran once";
  run_until_node(activation + seconds(5) + kActivationPeriodNs + ms(1));
  EXPECT_EQ(events_.events().size(), 3u);
}

TEST_F(TaskRunnerConditionsTest, AnUnparsableCronNeverRuns) {
  tf::TaskInput task = scheduled_task();
  task.schedule_cron = "61 * * * *";  // config validation refuses it first; the runner must not crash
  start_runner(std::move(task), TaskRunnerOptions{});
  world_.run_for(seconds(95));
  EXPECT_EQ(apply_times_ns().size(), 1u) << "once-mode only";
  EXPECT_EQ(log_count("error parsing task cron"), 1u);
}

TEST_F(TaskRunnerConditionsTest, RegexpServicesFollowTheCatalog) {
  register_service("api", "api-1", "10.0.0.1");
  register_service("db", "db-1", "10.0.1.1");
  start_runner(regexp_task(), TaskRunnerOptions{.buffer = {false, {}, {}}});
  world_.run_for(seconds(2));
  // Once-mode waited for the matched service's health query: its instance is rendered.
  ASSERT_EQ(apply_times_ns().size(), 1u);
  EXPECT_NE(tfvars("rx").find("api-1"), std::string::npos);
  EXPECT_EQ(tfvars("rx").find("db-1"), std::string::npos) << "db does not match ^api";
  EXPECT_EQ(watcher_.loops(), 2u) << "the catalog and api's health";

  // A service that starts matching is watched, and its instances applied.
  register_service("api-v2", "api-v2-1", "10.0.0.2");
  world_.run_for(seconds(3));
  ASSERT_EQ(apply_times_ns().size(), 2u);
  EXPECT_NE(tfvars("rx").find("api-v2-1"), std::string::npos);
  EXPECT_NE(tfvars("rx").find("api-1"), std::string::npos);
  EXPECT_EQ(watcher_.loops(), 3u);

  // One that does not match changes the catalog, and nothing else.
  register_service("web", "web-1", "10.0.2.1");
  world_.run_for(seconds(3));
  EXPECT_EQ(apply_times_ns().size(), 2u);
  EXPECT_EQ(watcher_.loops(), 3u);
  EXPECT_EQ(tfvars("rx").find("web-1"), std::string::npos);

  // A matching service that goes is dropped from the render and no longer watched.
  deregister_service("api-v2-1");
  world_.run_for(seconds(3));
  ASSERT_EQ(apply_times_ns().size(), 3u);
  EXPECT_EQ(tfvars("rx").find("api-v2-1"), std::string::npos);
  EXPECT_NE(tfvars("rx").find("api-1"), std::string::npos);
  EXPECT_EQ(watcher_.loops(), 2u);
}

TEST_F(TaskRunnerConditionsTest, RegexpOnceModeWaitsForEveryMatchedService) {
  register_service("api", "api-1", "10.0.0.1");
  register_service("api-admin", "api-admin-1", "10.0.0.9");
  start_runner(regexp_task(), TaskRunnerOptions{});
  world_.run_for(seconds(2));
  ASSERT_EQ(apply_times_ns().size(), 1u);
  EXPECT_NE(tfvars("rx").find("api-1"), std::string::npos);
  EXPECT_NE(tfvars("rx").find("api-admin-1"), std::string::npos);
}

// What servicesRegex matches: Go's regexp searched anywhere in the name, after TrimSpace; every
// health query asks for passing instances, with the template's datacenter, namespace and filter.
TEST(RegexpHealthDependencies, MatchLikeGoAndAskLikeServicesRegex) {
  const std::map<std::string, std::vector<std::string>> catalog{
      {"api", {}}, {"api-v2", {"v2"}}, {"web", {}}, {"API", {}}, {"my-api", {}}, {"consul", {}}};
  const auto names = [&catalog](tf::ServicesRegexTemplate tmpl) {
    std::vector<std::string> out;
    for (const watch::Dependency& dependency : watch::regexp_health_dependencies(tmpl, catalog)) {
      out.push_back(std::get<watch::HealthServiceDependency>(dependency).name);
    }
    return out;
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(names({"^api", "", "", "", true}), (Names{"api", "api-v2"}));
  EXPECT_EQ(names({"api", "", "", "", true}), (Names{"api", "api-v2", "my-api"}));
  EXPECT_EQ(names({"^api$", "", "", "", true}), (Names{"api"}));
  EXPECT_EQ(names({"(?i)^api$", "", "", "", true}), (Names{"API", "api"}));
  EXPECT_EQ(names({"  ^web$ ", "", "", "", true}), (Names{"web"})) << "servicesRegex trims the option's value";
  EXPECT_EQ(names({"", "", "", "", true}).size(), catalog.size()) << "an empty regexp matches every service";
  EXPECT_EQ(names({"\\Aapi\\z", "", "", "", true}), (Names{"api"})) << "Go's \\A and \\z";
  EXPECT_TRUE(names({"(", "", "", "", true}).empty()) << "a pattern Go refuses matches nothing";

  const auto dependencies =
      watch::regexp_health_dependencies(tf::ServicesRegexTemplate{"^web$", "dc2", "team", "Checks.Status == passing", true}, catalog);
  ASSERT_EQ(dependencies.size(), 1u);
  EXPECT_EQ(std::get<watch::HealthServiceDependency>(dependencies[0]),
            (watch::HealthServiceDependency{"web", "dc2", "team", "Checks.Status == passing", true}))
      << "?passing even when the filter names Checks.Status (services_regex.go: Health().Service(s, \"\", true, opts))";
}

}  // namespace
}  // namespace baton::tasks
