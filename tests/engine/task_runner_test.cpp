// A task on the leader (engine/tasks/task_runner.hpp) against the fake Consul cluster and a
// scripted Terraform, in virtual time: once-mode, CTS's buffer period to the nanosecond, one
// queued rerun for changes during a run, the lease check before an apply, and the events.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/driver/terraform/task_driver.hpp"
#include "engine/tasks/task_runner.hpp"
#include "engine/watch/watcher.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "sim/consul/sim_agent_transport.hpp"
#include "sim/filesystem/memory_filesystem.hpp"
#include "sim/network/network.hpp"
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

tf::TaskInput web_task() {
  tf::TaskInput task;
  task.name = "web";
  task.module_source = "/modules/web";
  task.templates.push_back(tf::ServicesTemplate{{tf::ServiceQuery{"api", "", "", ""}}, true});
  return task;
}

class TaskRunnerTest : public ::testing::Test, protected test::SimConsulEngine {
 protected:
  TaskRunnerTest() : SimConsulEngine(23, "cts-01") {}
  ~TaskRunnerTest() override { engine_.crash(); }

  void start_runner(TaskRunnerOptions options) {
    runner_ = std::make_unique<TaskRunner>(engine_, watcher_, driver_, log_.logger_for(engine_), std::move(options),
                                           [this] { return may_act_; }, events_);
    engine_.scope().spawn(runner_->run(stop_.get_token()));
  }

  void register_instance(std::string id, std::string address) {
    consul::ServiceRegistration registration;
    registration.id = std::move(id);
    registration.name = "api";
    registration.address = std::move(address);
    registration.port = 8080;
    ASSERT_TRUE(run_on(world_, engine_, client_.agent_service_register(registration)).ok());
  }

  std::vector<std::int64_t> apply_times_ns() const {
    std::vector<std::int64_t> times;
    for (std::size_t i = 0; i < terraform_.calls.size(); ++i) {
      if (terraform_.calls[i] == "apply") times.push_back(terraform_.call_times_ns[i]);
    }
    return times;
  }

  sim::SimLog log_{world_, sim::SimLogOptions{}};
  watch::Watcher watcher_{engine_, client_, log_.logger_for(engine_)};
  sim::MemoryFileSystem files_;
  ScriptedTerraform terraform_{engine_};
  tf::TaskDriver driver_{files_, terraform_, log_.logger_for(engine_), web_task(), tf::TerraformTarget{"web", "sync-tasks/web", "web", {}}};
  TaskEvents events_;
  bool may_act_ = true;
  std::stop_source stop_;
  std::unique_ptr<TaskRunner> runner_;
};

// The node's monotonic clock and the World's true time run together here (no skew), so the
// scripted Terraform's call times (node clock) compare with world times after this offset.
std::int64_t node_offset_ns(sim::World& world, sim::Node& node) {
  return node.now().time_since_epoch().count() - world.now_ns();
}

TEST_F(TaskRunnerTest, OnceModeAppliesAsSoonAsEveryDependencyHasAnswered) {
  start_runner(TaskRunnerOptions{});
  world_.run_for(seconds(2));
  EXPECT_EQ(terraform_.calls, (std::vector<std::string>{"init", "validate", "apply"}));
  EXPECT_TRUE(runner_->once_done());
  ASSERT_EQ(events_.events().size(), 1u);
  EXPECT_TRUE(events_.events().front().success);
  EXPECT_EQ(events_.status(), TaskStatus::successful);
}

TEST_F(TaskRunnerTest, AChangeRunsTheTaskBufferMinAfterIt) {
  start_runner(TaskRunnerOptions{.buffer = {true, std::chrono::seconds(5), std::chrono::seconds(20)}});
  world_.run_for(seconds(2));
  // Records, on the engine's clock, the instant the watcher saw the change.
  auto changed_at_node_ns = std::make_shared<std::int64_t>(0);
  auto api = watcher_.watch(watch::HealthServiceDependency{"api", "", "", "", true});
  engine_.scope().spawn([](std::shared_ptr<watch::WatchedDependency> watched, Runtime& runtime,
                           std::shared_ptr<std::int64_t> at) -> Task<void> {
    co_await watched->changed().wait();
    *at = runtime.now().time_since_epoch().count();
  }(api, engine_, changed_at_node_ns));
  register_instance("api-1", "10.0.0.1");
  world_.run_for(seconds(10));
  ASSERT_NE(*changed_at_node_ns, 0);
  const std::vector<std::int64_t> applies = apply_times_ns();
  ASSERT_EQ(applies.size(), 2u);
  // Exactly 5 s after the watcher saw the change, to the nanosecond of virtual time.
  EXPECT_EQ(applies[1] - *changed_at_node_ns, seconds(5));
  EXPECT_NE(files_.read_file("sync-tasks/web/terraform.tfvars").content.value_or("").find("api-1"), std::string::npos);
}

TEST_F(TaskRunnerTest, ChangesEveryThreeSecondsRunTheTaskAtTheBufferMax) {
  start_runner(TaskRunnerOptions{.buffer = {true, std::chrono::seconds(5), std::chrono::seconds(20)}});
  world_.run_for(seconds(2));
  const std::int64_t first_change_ns = world_.now_ns() + node_offset_ns(world_, engine_);
  for (int i = 0; i < 10; ++i) {
    register_instance("api-" + std::to_string(i), "10.0.0." + std::to_string(i + 1));
    world_.run_for(seconds(3));
  }
  world_.run_for(seconds(10));
  const std::vector<std::int64_t> applies = apply_times_ns();
  ASSERT_GE(applies.size(), 2u);
  // Snoozed by every change, but never past 20 s after the first one.
  EXPECT_GE(applies[1] - first_change_ns, seconds(19));
  EXPECT_LE(applies[1] - first_change_ns, seconds(20) + ms(50));
}

TEST_F(TaskRunnerTest, ChangesDuringARunQueueExactlyOneRerun) {
  terraform_.step_time = std::chrono::seconds(10);
  start_runner(TaskRunnerOptions{.buffer = {false, {}, {}}});
  world_.run_for(seconds(35));  // init, validate, once-mode apply: 30 s in all
  ASSERT_EQ(apply_times_ns().size(), 1u);
  register_instance("api-1", "10.0.0.1");  // starts a run at once (no buffer)
  world_.run_for(seconds(3));
  ASSERT_EQ(apply_times_ns().size(), 2u);
  register_instance("api-2", "10.0.0.2");  // three changes during that run
  register_instance("api-3", "10.0.0.3");
  register_instance("api-4", "10.0.0.4");
  world_.run_for(seconds(60));
  EXPECT_EQ(apply_times_ns().size(), 3u) << "one rerun for the three changes";
  const std::string tfvars = files_.read_file("sync-tasks/web/terraform.tfvars").content.value_or("");
  EXPECT_NE(tfvars.find("api-4"), std::string::npos) << "the rerun saw the last change";
  EXPECT_EQ(events_.events().size(), 3u);
}

TEST_F(TaskRunnerTest, AFencedLeaderStartsNoApply) {
  start_runner(TaskRunnerOptions{.buffer = {false, {}, {}}});
  world_.run_for(seconds(2));
  ASSERT_EQ(apply_times_ns().size(), 1u);
  may_act_ = false;
  register_instance("api-1", "10.0.0.1");
  world_.run_for(seconds(5));
  EXPECT_EQ(apply_times_ns().size(), 1u);
}

TEST_F(TaskRunnerTest, FailedRunsMakeTheTaskErroredThenCritical) {
  for (int i = 0; i < 6; ++i) terraform_.scripted["apply"].push_back({tf::StepEnd::failed, "exit status 1\n\nError: boom\n", {}});
  start_runner(TaskRunnerOptions{.buffer = {false, {}, {}}});
  world_.run_for(seconds(10));  // once-mode: three tries, all failing
  ASSERT_EQ(events_.events().size(), 1u);
  EXPECT_FALSE(events_.events().front().success);
  EXPECT_EQ(events_.status(), TaskStatus::errored);
  EXPECT_NE(events_.events().front().error.find("could not apply changes for task web: retry attempt #2 failed"), std::string::npos)
      << events_.events().front().error;
  register_instance("api-1", "10.0.0.1");
  world_.run_for(seconds(10));
  EXPECT_EQ(events_.status(), TaskStatus::critical);
}

// hcat's timers (buffer_period.go): inactiveTick arms min and sets the deadline at max;
// activeTick snoozes for min, or only up to the deadline.
TEST(BufferTimer, SnoozesByMinUpToTheDeadline) {
  using std::chrono::seconds;
  const MonoTime t0{};
  BufferTimer buffer(BufferPeriod{true, seconds(5), seconds(20)});
  EXPECT_FALSE(buffer.fire_at().has_value());
  buffer.on_change(t0);
  EXPECT_EQ(*buffer.fire_at(), t0 + seconds(5));
  buffer.on_change(t0 + seconds(3));
  EXPECT_EQ(*buffer.fire_at(), t0 + seconds(8));
  buffer.on_change(t0 + seconds(16));
  EXPECT_EQ(*buffer.fire_at(), t0 + seconds(20)) << "16 + 5 is past the deadline: the deadline";
  buffer.on_change(t0 + seconds(25));
  EXPECT_EQ(*buffer.fire_at(), t0 + seconds(20)) << "past the deadline nothing moves";
  buffer.fired();
  buffer.on_change(t0 + seconds(30));
  EXPECT_EQ(*buffer.fire_at(), t0 + seconds(35)) << "a new period";
  BufferTimer off(BufferPeriod{false, seconds(5), seconds(20)});
  off.on_change(t0 + seconds(1));
  EXPECT_EQ(*off.fire_at(), t0 + seconds(1));
}

}  // namespace
}  // namespace baton::tasks
