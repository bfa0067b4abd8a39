// The task driver (engine/driver/terraform/task_driver.hpp) and CTS's retries around apply
// (apply_retry.hpp), in virtual time, against a Terraform that answers from a script and the
// simulator's in-memory disk.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "engine/driver/terraform/apply_retry.hpp"
#include "engine/driver/terraform/files.hpp"
#include "engine/driver/terraform/task_driver.hpp"
#include "sim/filesystem/memory_filesystem.hpp"
#include "sim/runtime/sim_log.hpp"
#include "sim/runtime/world.hpp"
#include "tests/support/consul_client_support.hpp"
#include "tests/support/scripted_terraform.hpp"

namespace baton::driver::terraform {
namespace {

using namespace std::chrono_literals;
using consul::test::run_on;
using test::ScriptedTerraform;

// Counts writes, and fails them on demand, in front of the in-memory disk.
class CountingFileSystem final : public FileSystem {
 public:
  FileRead read_file(const std::string& path) override { return disk.read_file(path); }
  FileStatus write_file(const std::string& path, const std::string& content) override {
    if (fail_writes) return FileStatus{FileError{"write " + path + ": Permission denied"}};
    written.push_back(path);
    return disk.write_file(path, content);
  }
  FileStatus make_directories(const std::string& path) override { return disk.make_directories(path); }
  FileStatus remove_all(const std::string& path) override { return disk.remove_all(path); }
  std::vector<std::string> list_directory(const std::string& path) override { return disk.list_directory(path); }
  bool exists(const std::string& path) override { return disk.exists(path); }

  sim::MemoryFileSystem disk;
  std::vector<std::string> written;
  bool fail_writes = false;
};

StepResult exit_status_1(std::string terraform_error) {
  return {StepEnd::failed, "exit status 1\n\nError: " + std::move(terraform_error) + "\n", {}};
}

TaskInput web_task() {
  TaskInput task;
  task.name = "web";
  task.description = "the web tier";
  task.module_source = "/modules/web";
  task.templates.push_back(ServicesTemplate{{ServiceQuery{"api", "", "", ""}}, true});
  return task;
}

ServiceInstance api_instance(std::string id, std::string node, std::string address) {
  ServiceInstance instance;
  instance.id = std::move(id);
  instance.name = "api";
  instance.address = std::move(address);
  instance.port = 8080;
  instance.status = "passing";
  instance.node = std::move(node);
  instance.node_address = "10.0.0.1";
  instance.node_datacenter = "dc1";
  return instance;
}

class TaskDriverTest : public ::testing::Test {
 protected:
  TaskDriverTest() {
    node_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24)); });
  }
  ~TaskDriverTest() override { node_.crash(); }

  template <class T>
  T run(Task<T> task) {
    return run_on(world_, node_, std::move(task));
  }
  std::string on_disk(std::string_view file) {
    return files_.disk.read_file("sync-tasks/web/" + std::string(file)).content.value_or("<missing>");
  }

  sim::World world_{sim::WorldOptions{.seed = 5}};
  sim::Node& node_ = world_.add_node({.name = "baton-1"});
  CountingFileSystem files_;
  ScriptedTerraform terraform_{node_};
  sim::SimLog log_{world_, sim::SimLogOptions{}};
  Logger logger_ = log_.logger_for(node_);
  TaskDriver driver_{files_, terraform_, logger_, web_task(), TerraformTarget{"web", "sync-tasks/web", "web", {}}};
};

TEST_F(TaskDriverTest, InitTaskWritesTheRootModuleThenInitsAndValidates) {
  const StepResult result = run(driver_.init_task({}));
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(terraform_.calls, (std::vector<std::string>{"init", "validate"}));
  EXPECT_EQ(terraform_.workspaces, (std::vector<std::string>{"web", "web"}));
  EXPECT_EQ(on_disk(kMainTf), render_main_tf(web_task()));
  EXPECT_EQ(on_disk(kVariablesTf), render_variables_tf(web_task()));
  EXPECT_EQ(on_disk(kTfvarsTemplate), render_tfvars_template(web_task()));
  EXPECT_EQ(on_disk(kTfvars), "<missing>") << "terraform.tfvars is render()'s, written on Consul data";
  EXPECT_EQ(on_disk(kModuleVariablesTf), "<missing>") << "no module input variables";
}

TEST_F(TaskDriverTest, AnUnchangedTaskRewritesNothingButInitsAgain) {
  ASSERT_TRUE(run(driver_.init_task({})).ok());
  const std::size_t writes = files_.written.size();
  ASSERT_TRUE(run(driver_.init_task({})).ok());
  EXPECT_EQ(files_.written.size(), writes);
  EXPECT_EQ(terraform_.calls, (std::vector<std::string>{"init", "validate", "init", "validate"}));
}

TEST_F(TaskDriverTest, AChangedTaskRewritesOnlyTheFilesThatDiffer) {
  ASSERT_TRUE(run(driver_.init_task({})).ok());
  files_.written.clear();
  TaskInput changed = web_task();
  changed.module_source = "/modules/web-v2";
  driver_.update_task(changed);
  ASSERT_TRUE(run(driver_.init_task({})).ok());
  EXPECT_EQ(files_.written, (std::vector<std::string>{"sync-tasks/web/main.tf"}));
}

TEST_F(TaskDriverTest, RenderWritesTfvarsOnlyWhenTheDataChanges) {
  ConsulData data;
  data.services.push_back(api_instance("api-1", "node-a", "10.1.0.1"));
  ASSERT_TRUE(files_.disk.make_directories("sync-tasks/web").ok());
  const RenderResult written = driver_.render(data);
  ASSERT_TRUE(written.ok()) << written.error;
  EXPECT_TRUE(written.changed);
  EXPECT_FALSE(files_.disk.exists("sync-tasks/web/main.tf")) << "render writes terraform.tfvars alone";
  EXPECT_EQ(on_disk(kTfvars), render_tfvars(web_task(), data));
  EXPECT_NE(on_disk(kTfvars).find("api-1.node-a.dc1"), std::string::npos);

  EXPECT_FALSE(driver_.render(data).changed);
  data.services.push_back(api_instance("api-2", "node-b", ""));
  EXPECT_TRUE(driver_.render(data).changed);
  EXPECT_NE(on_disk(kTfvars).find("api-2.node-b.dc1"), std::string::npos);
}

TEST_F(TaskDriverTest, RenderIntoAMissingDirectoryIsAnErrorNamingThePath) {
  const RenderResult result = driver_.render(ConsulData{});
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("sync-tasks/web/terraform.tfvars"), std::string::npos) << result.error;
}

TEST_F(TaskDriverTest, ApplyInitsFirstOnceThenAppliesWithCtsWording) {
  terraform_.scripted["apply"].push_back(exit_status_1("Invalid reference"));
  const StepResult failed = run(driver_.apply({}));
  EXPECT_EQ(failed.end, StepEnd::failed);
  EXPECT_EQ(failed.error, "error tf-apply for 'web': exit status 1\n\nError: Invalid reference\n");
  const StepResult succeeded = run(driver_.apply({}));
  EXPECT_TRUE(succeeded.ok()) << succeeded.error;
  EXPECT_EQ(terraform_.calls, (std::vector<std::string>{"init", "apply", "apply"}));
}

TEST_F(TaskDriverTest, AFailedInitIsRetriedOnTheNextApplyAndNeverApplies) {
  terraform_.scripted["init"].push_back(exit_status_1("Failed to get existing workspaces"));
  const StepResult failed = run(driver_.apply({}));
  EXPECT_EQ(failed.error, "error tf-init for 'web': exit status 1\n\nError: Failed to get existing workspaces\n");
  EXPECT_EQ(terraform_.calls, (std::vector<std::string>{"init"}));
  EXPECT_TRUE(run(driver_.apply({})).ok());
  EXPECT_EQ(terraform_.calls, (std::vector<std::string>{"init", "init", "apply"}));
}

TEST_F(TaskDriverTest, ValidateErrorsComeAsTheClientWordsThem) {
  terraform_.scripted["validate"].push_back(
      StepResult{StepEnd::failed, "\nmodule for task \"web\" is missing the \"services\" variable\n", {}});
  const StepResult result = run(driver_.init_task({}));
  EXPECT_EQ(result.error, "\nmodule for task \"web\" is missing the \"services\" variable\n");
}

TEST_F(TaskDriverTest, AWriteFailureStopsInitTaskBeforeTerraform) {
  files_.fail_writes = true;
  const StepResult result = run(driver_.init_task({}));
  EXPECT_EQ(result.end, StepEnd::failed);
  EXPECT_EQ(result.error, "write sync-tasks/web/main.tf: Permission denied");
  EXPECT_TRUE(terraform_.calls.empty());
}

TEST_F(TaskDriverTest, InspectReturnsThePlanOrCtsWordedError) {
  const InspectPlan planned = run(driver_.inspect({}));
  ASSERT_TRUE(planned.step.ok());
  EXPECT_TRUE(planned.changes_present);
  EXPECT_EQ(planned.plan, "Plan: 1 to add");
  terraform_.scripted["plan"].push_back(exit_status_1("Unsupported argument"));
  const InspectPlan failed = run(driver_.inspect({}));
  EXPECT_EQ(failed.step.error, "error tf-plan for 'web': exit status 1\n\nError: Unsupported argument\n");
  EXPECT_FALSE(failed.changes_present);
}

// CTS's retry/retry.go WaitTime, checked at its edges.
TEST(RetryWait, ExponentialWithHalfAgainAsRandomDelayAndACap) {
  EXPECT_EQ(retry_wait(0, 0.0, 15min), 1s);
  EXPECT_EQ(retry_wait(0, 0.5, 15min), 1250ms);
  EXPECT_EQ(retry_wait(1, 0.0, 15min), 2s);
  EXPECT_EQ(retry_wait(1, 1.0, 15min), 3s);
  EXPECT_EQ(retry_wait(9, 0.0, 15min), 512s);  // log2(900) = 9.81: not capped yet
  EXPECT_EQ(retry_wait(10, 0.0, 15min), 15min);
}

class ApplyRetryTest : public TaskDriverTest {
 protected:
  StepResult apply_with_retries(std::stop_token stop = {}) {
    std::function<Task<StepResult>(std::stop_token)> try_once = [this](std::stop_token token) {
      return driver_.apply(std::move(token));
    };
    return run(run_with_retries(node_, logger_, RetryPolicy{}, "ApplyTask web", try_once, stop));
  }
  std::vector<std::int64_t> apply_times_ns() const {
    std::vector<std::int64_t> times;
    for (std::size_t i = 0; i < terraform_.calls.size(); ++i) {
      if (terraform_.calls[i] == "apply") times.push_back(terraform_.call_times_ns[i]);
    }
    return times;
  }
};

TEST_F(ApplyRetryTest, ThreeTriesWithCtsBackoffAndCtsErrorText) {
  for (const char* error : {"first", "second", "third"}) terraform_.scripted["apply"].push_back(exit_status_1(error));
  const StepResult result = apply_with_retries();
  EXPECT_EQ(result.end, StepEnd::failed);
  EXPECT_EQ(result.error,
            "retry attempt #2 failed 'error tf-apply for 'web': exit status 1\n\nError: third\n': "
            "retry attempt #1 failed 'error tf-apply for 'web': exit status 1\n\nError: second\n'");
  const std::vector<std::int64_t> times = apply_times_ns();
  ASSERT_EQ(times.size(), 3u);
  const std::int64_t step_ns = std::chrono::nanoseconds(terraform_.step_time).count();
  const std::int64_t first_wait_ns = times[1] - times[0] - step_ns;
  const std::int64_t second_wait_ns = times[2] - times[1] - step_ns;
  EXPECT_GE(first_wait_ns, 1'000'000'000);
  EXPECT_LE(first_wait_ns, 1'500'000'000);
  EXPECT_GE(second_wait_ns, 2'000'000'000);
  EXPECT_LE(second_wait_ns, 3'000'000'000);
}

TEST_F(ApplyRetryTest, ASuccessfulRetryEndsTheRetries) {
  terraform_.scripted["apply"].push_back(exit_status_1("flaky"));
  const StepResult result = apply_with_retries();
  EXPECT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(apply_times_ns().size(), 2u);
}

TEST_F(ApplyRetryTest, AStopDuringTheBackoffEndsItWithTheErrorsSoFar) {
  for (const char* error : {"first", "second"}) terraform_.scripted["apply"].push_back(exit_status_1(error));
  std::stop_source stop;
  // The first try ends at 0.2 s (init, apply), the first retry at 1.3 s at the earliest and
  // fails; stop in the second back-off, which lasts at least 2 s.
  world_.schedule_at(world_.now_ns() + 2'500'000'000, [&stop] { stop.request_stop(); });
  const StepResult result = apply_with_retries(stop.get_token());
  EXPECT_EQ(result.end, StepEnd::cancelled);
  EXPECT_EQ(result.error, "context canceled: retry attempt #1 failed 'error tf-apply for 'web': exit status 1\n\nError: second\n'");
  EXPECT_EQ(apply_times_ns().size(), 2u);
}

TEST_F(ApplyRetryTest, ACancelledTryIsNotRetried) {
  std::stop_source stop;
  world_.schedule_at(world_.now_ns() + 150'000'000, [&stop] { stop.request_stop(); });  // mid-apply
  const StepResult result = apply_with_retries(stop.get_token());
  EXPECT_EQ(result.end, StepEnd::cancelled);
  EXPECT_EQ(result.error, "context canceled");
  EXPECT_EQ(apply_times_ns().size(), 1u);
}

}  // namespace
}  // namespace baton::driver::terraform
