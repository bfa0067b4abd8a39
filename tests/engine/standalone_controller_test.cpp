// A baton instance without high availability (StandaloneController, CTS's daemon) and the passes
// of `start -once` and `start -inspect` (once_pass.hpp), against the fake Consul cluster with the
// simulator's Terraform (fakes/terraform) and disk, in virtual time:
// - the daemon runs every task once, then on each change, and takes the API's task changes in
//   memory (nothing is written to Consul KV);
// - a configured task's failing first run ends the daemon with its error, after one apply (CTS's
//   runNewTask does not retry); a task created later never ends it;
// - -once applies each task in turn, one after the other, and stops at the first error;
// - -inspect logs each task's plan as CTS does and applies nothing.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/config/cts/load.hpp"
#include "engine/controller/engine_config.hpp"
#include "engine/controller/once_pass.hpp"
#include "engine/controller/standalone_controller.hpp"
#include "engine/state/persisted_state.hpp"
#include "fakes/terraform/fake_terraform.hpp"
#include "fakes/terraform/terraform_world.hpp"
#include "sim/filesystem/memory_filesystem.hpp"
#include "sim/runtime/sim_log.hpp"
#include "tests/support/consul_client_support.hpp"
#include "tests/support/sim_consul_engine.hpp"

namespace baton::controller {
namespace {

using baton::test::ms;
using baton::test::seconds;
using consul::test::run_on;

const char* const kWebTask = R"(
task {
  name = "web"
  module = "/modules/web"
  condition "services" { names = ["api"] }
  buffer_period { enabled = false }
}
)";

const char* const kDbTask = R"(
task {
  name = "db"
  module = "/modules/db"
  condition "services" { names = ["api"] }
  buffer_period { enabled = false }
}
)";

config::cts::Config load_config_text(const std::string& text) {
  config::cts::Environment environment;
  environment.hostname = "host";
  environment.working_directory = "/";
  auto loaded = config::cts::load_config({config::cts::ConfigPath{"config.hcl", false, {config::cts::ConfigFile{"config.hcl", text}}}},
                                         environment);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : config::hcl::to_string(loaded.error()));
  return loaded.ok() ? loaded.value() : config::cts::Config{};
}

config::cts::TaskConfig task_definition(const std::string& hcl_task_block) {
  config::cts::Config config = load_config_text(hcl_task_block);
  EXPECT_EQ(config.tasks.value_or_zero().size(), 1u);
  return config.tasks.value_or_zero().empty() ? config::cts::TaskConfig{} : config.tasks->front();
}

// Crashes the engine process when a test's locals go, before the controller its frames use.
struct CrashAtExit {
  sim::Node& node;
  ~CrashAtExit() {
    if (node.state() == sim::NodeState::running) node.crash();
  }
};

template <class T>
Task<void> store_result(Task<T> task, std::shared_ptr<std::optional<T>> out) {
  T value = co_await std::move(task);
  out->emplace(std::move(value));
}

// One engine process beside the fake Consul, with the simulator's disk and Terraform.
class StandaloneTest : public ::testing::Test, protected test::SimConsulEngine {
 protected:
  StandaloneTest() : SimConsulEngine(17) {}
  ~StandaloneTest() override {
    if (engine_.state() == sim::NodeState::running) engine_.crash();  // before the members its frames use
  }

  ControllerTasks tasks_of(const std::string& config_text) { return controller_tasks(load_config_text(config_text), disk_, "/"); }
  Logger logger() { return log_.logger_for(engine_); }

  void register_api_instance(const std::string& id, const std::string& address) {
    consul::ServiceRegistration registration;
    registration.id = id;
    registration.name = "api";
    registration.address = address;
    registration.port = 8080;
    ASSERT_TRUE(run_on(world_, engine_, client_.agent_service_register(registration)).ok());
  }
  std::size_t applies_of(const std::string& task) const {
    std::size_t count = 0;
    for (const auto& record : terraform_world_.ledger().records()) count += record.task == task ? 1 : 0;
    return count;
  }
  const fakes::terraform::ApplyRecord* last_apply_of(const std::string& task) const {
    const fakes::terraform::ApplyRecord* last = nullptr;
    for (const auto& record : terraform_world_.ledger().records()) {
      if (record.task == task) last = &record;
    }
    return last;
  }
  // Spawns the controller's run in the engine's process; what the run returns lands in the result.
  std::shared_ptr<std::optional<std::string>> start(StandaloneController& controller, std::stop_token stop = {}) {
    auto ended = std::make_shared<std::optional<std::string>>();
    engine_.scope().spawn(store_result(controller.run(std::move(stop)), ended));
    return ended;
  }
  bool run_until(const std::function<bool()>& done, std::int64_t limit_ns) {
    const std::int64_t until = world_.now_ns() + limit_ns;
    while (world_.now_ns() < until) {
      if (done()) return true;
      world_.run_for(ms(10));
    }
    return done();
  }
  void fail_applies_of(const std::string& task) {
    fakes::terraform::FailureRule rule;
    rule.task = task;
    rule.summary = "module refused";
    terraform_world_.failures().add(rule);
  }

  std::ostringstream log_text_;
  sim::SimLog log_{world_, sim::SimLogOptions{.out = &log_text_}};
  sim::MemoryFileSystem disk_;
  fakes::terraform::TerraformWorld terraform_world_{world_};
  fakes::terraform::FakeTerraform terraform_{engine_, disk_, client_, terraform_world_};
};

TEST_F(StandaloneTest, RunsEachTaskOnceThenOnChangesAndKeepsApiChangesInMemory) {
  StandaloneController controller(engine_, client_, disk_, terraform_, logger(), ControllerOptions{}, tasks_of(kWebTask));
  const CrashAtExit crash_at_exit{engine_};
  std::stop_source stop;
  const auto ended = start(controller, stop.get_token());
  ASSERT_TRUE(run_until([&] { return controller.once_mode_done(); }, seconds(60))) << log_text_.str();
  EXPECT_EQ(applies_of("web"), 1u) << "once-mode";
  EXPECT_NE(log_text_.str().find("ctrl: all tasks completed once"), std::string::npos);

  register_api_instance("api-1", "10.0.0.9");
  ASSERT_TRUE(run_until([&] { return applies_of("web") == 2 && last_apply_of("web")->ended(); }, seconds(30)))
      << "the catalog change is applied";
  EXPECT_EQ(last_apply_of("web")->services.size(), 1u);

  const TaskOpResult created = run_on(world_, engine_, controller.create_task(task_definition(kDbTask)));
  ASSERT_TRUE(created.ok()) << created.message;
  ASSERT_TRUE(run_until([&] { return applies_of("db") == 1 && last_apply_of("db")->ended(); }, seconds(30)))
      << "a created task runs once, as a new task";
  const TaskOpResult again = run_on(world_, engine_, controller.create_task(task_definition(kDbTask)));
  EXPECT_EQ(again.error, TaskOpError::exists);
  EXPECT_EQ(again.message, "task with name db already exists");
  const TaskOpResult disabled = run_on(world_, engine_, controller.set_task_enabled("web", false));
  ASSERT_TRUE(disabled.ok()) << disabled.message;
  EXPECT_FALSE(controller.task_definitions().at("web").enabled.value_or(true));
  const TaskOpResult deleted = run_on(world_, engine_, controller.delete_task("db"));
  ASSERT_TRUE(deleted.ok()) << deleted.message;
  world_.run_for(seconds(1));
  EXPECT_EQ(controller.task_definitions().count("db"), 0u);
  EXPECT_EQ(controller.events().count("db"), 0u);

  register_api_instance("api-2", "10.0.0.10");
  world_.run_for(seconds(10));
  EXPECT_EQ(applies_of("web"), 2u) << "a disabled task does not run";

  // Without high availability nothing is stored in Consul (CTS: state.NewInMemoryStore).
  state::PersistedState stored(client_, logger(), "consul-terraform-sync/cluster-a");
  const auto loaded = run_on(world_, engine_, stored.load({}));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_FALSE(loaded.value().initialized);

  stop.request_stop();
  ASSERT_TRUE(run_until([&] { return ended->has_value(); }, seconds(10)));
  EXPECT_EQ(**ended, "") << "a stop is no failure";
}

TEST_F(StandaloneTest, AConfiguredTasksFailingFirstRunEndsTheRunWithItsError) {
  fail_applies_of("db");
  StandaloneController controller(engine_, client_, disk_, terraform_, logger(), ControllerOptions{},
                                  tasks_of(std::string(kWebTask) + kDbTask));
  const CrashAtExit crash_at_exit{engine_};
  const auto ended = start(controller);
  ASSERT_TRUE(run_until([&] { return ended->has_value(); }, seconds(60))) << log_text_.str();
  EXPECT_NE((*ended)->find("module refused"), std::string::npos) << **ended;
  EXPECT_EQ(applies_of("db"), 1u) << "the first run applies once, without retries (CTS's runNewTask)";
  EXPECT_FALSE(controller.once_mode_done());
  EXPECT_NE(log_text_.str().find("[ERROR] ctrl: error running task once: task_name=db"), std::string::npos) << log_text_.str();
  EXPECT_TRUE(controller.events().at("db").events().front().error.find("module refused") != std::string::npos);
}

TEST_F(StandaloneTest, ATaskCreatedLaterThatFailsDoesNotEndTheRun) {
  fail_applies_of("db");
  StandaloneController controller(engine_, client_, disk_, terraform_, logger(), ControllerOptions{}, tasks_of(kWebTask));
  const CrashAtExit crash_at_exit{engine_};
  std::stop_source stop;
  const auto ended = start(controller, stop.get_token());
  ASSERT_TRUE(run_until([&] { return controller.once_mode_done(); }, seconds(60)));
  const TaskOpResult created = run_on(world_, engine_, controller.create_task(task_definition(kDbTask)));
  ASSERT_TRUE(created.ok()) << created.message;
  world_.run_for(seconds(30));
  EXPECT_GE(applies_of("db"), 1u);
  EXPECT_FALSE(controller.events().at("db").events().front().success);
  EXPECT_FALSE(ended->has_value()) << "errors after once-mode are logged, never fatal";
  stop.request_stop();
  ASSERT_TRUE(run_until([&] { return ended->has_value(); }, seconds(10)));
  EXPECT_EQ(**ended, "");
}

// The API's ?run=now, CTS's TaskCreateAndRun (controller/tasks_manager.go): the task runs before
// the answer. A failed run creates nothing (no definition, no event, no later apply) and answers
// the apply's own error (runNewTask, one apply, no retry); a run that succeeded creates the task
// with that one event, and the task is not applied again until its data changes.
TEST_F(StandaloneTest, CreateAndRunRunsBeforeAnsweringAndCreatesOnlyWhenTheRunSucceeds) {
  StandaloneController controller(engine_, client_, disk_, terraform_, logger(), ControllerOptions{}, tasks_of(kWebTask));
  const CrashAtExit crash_at_exit{engine_};
  std::stop_source stop;
  const auto ended = start(controller, stop.get_token());
  ASSERT_TRUE(run_until([&] { return controller.once_mode_done(); }, seconds(60))) << log_text_.str();

  fail_applies_of("db");
  const TaskOpResult failed = run_on(world_, engine_, controller.create_and_run_task(task_definition(kDbTask)));
  EXPECT_EQ(failed.error, TaskOpError::run_failed);
  EXPECT_EQ(failed.message.rfind("error tf-apply for 'db': ", 0), 0u) << failed.message;
  EXPECT_NE(failed.message.find("module refused"), std::string::npos) << failed.message;
  EXPECT_EQ(applies_of("db"), 1u) << "one apply, no retry";
  EXPECT_EQ(controller.task_definitions().count("db"), 0u) << "the task is not created";
  EXPECT_EQ(controller.events().count("db"), 0u) << "nor its event kept";
  world_.run_for(seconds(30));
  EXPECT_EQ(applies_of("db"), 1u) << "nothing runs it later";
  EXPECT_FALSE(ended->has_value()) << "a created task's failure never ends the daemon";

  terraform_world_.failures().clear();
  auto created = std::make_shared<std::optional<TaskOpResult>>();
  engine_.scope().spawn(store_result(controller.create_and_run_task(task_definition(kDbTask)), created));
  world_.run_for(ms(1));
  const TaskOpResult meanwhile = run_on(world_, engine_, controller.create_task(task_definition(kDbTask)));
  EXPECT_EQ(meanwhile.error, TaskOpError::exists) << "the name is taken while its run=now run is under way";
  ASSERT_TRUE(run_until([&] { return created->has_value(); }, seconds(60)));
  ASSERT_TRUE((*created)->ok()) << (*created)->message;
  ASSERT_EQ(applies_of("db"), 2u);
  EXPECT_TRUE(last_apply_of("db")->ended()) << "applied before the answer";
  ASSERT_EQ(controller.task_definitions().count("db"), 1u);
  ASSERT_EQ(controller.events().at("db").events().size(), 1u) << "the run's event";
  EXPECT_TRUE(controller.events().at("db").events().front().success);
  world_.run_for(seconds(30));
  EXPECT_EQ(applies_of("db"), 2u) << "no second first run: the data did not change";
  EXPECT_EQ(controller.events().at("db").events().size(), 1u);

  register_api_instance("api-1", "10.0.0.9");
  ASSERT_TRUE(run_until([&] { return applies_of("db") == 3 && last_apply_of("db")->ended(); }, seconds(30)))
      << "then it runs on changes as any task";
  EXPECT_EQ(controller.events().at("db").events().size(), 2u);
  stop.request_stop();
  ASSERT_TRUE(run_until([&] { return ended->has_value(); }, seconds(10)));
}

// runNewTask skips a disabled task: created with ?run=now, it is created without a run.
TEST_F(StandaloneTest, CreateAndRunCreatesADisabledTaskWithoutRunningIt) {
  StandaloneController controller(engine_, client_, disk_, terraform_, logger(), ControllerOptions{}, tasks_of(kWebTask));
  const CrashAtExit crash_at_exit{engine_};
  std::stop_source stop;
  const auto ended = start(controller, stop.get_token());
  ASSERT_TRUE(run_until([&] { return controller.once_mode_done(); }, seconds(60))) << log_text_.str();
  config::cts::TaskConfig disabled = task_definition(kDbTask);
  disabled.enabled.set(false);
  const TaskOpResult created = run_on(world_, engine_, controller.create_and_run_task(disabled));
  ASSERT_TRUE(created.ok()) << created.message;
  EXPECT_EQ(controller.task_definitions().count("db"), 1u);
  world_.run_for(seconds(10));
  EXPECT_EQ(applies_of("db"), 0u);
  stop.request_stop();
  ASSERT_TRUE(run_until([&] { return ended->has_value(); }, seconds(10)));
}

TEST_F(StandaloneTest, OncePassAppliesEachTaskInTurnThenEnds) {
  const ControllerTasks tasks = tasks_of(std::string(kWebTask) + kDbTask);
  TaskManager manager(engine_, client_, disk_, terraform_, logger(), TaskManagerOptions{}, tasks.build, tasks.configured);
  const CrashAtExit crash_at_exit{engine_};
  register_api_instance("api-1", "10.0.0.9");
  const std::string error = run_on(world_, engine_, run_tasks_once(manager, tasks.configured, logger(), {}));
  EXPECT_EQ(error, "");
  ASSERT_EQ(applies_of("web"), 1u);
  ASSERT_EQ(applies_of("db"), 1u);
  const auto* web = last_apply_of("web");
  const auto* db = last_apply_of("db");
  ASSERT_TRUE(web->ended() && db->ended());
  EXPECT_EQ(web->services.size(), 1u);
  EXPECT_LE(*web->end_true_ns, db->start_true_ns) << "one task after the other, in the configuration's order";
  EXPECT_TRUE(manager.events().at("web").events().front().success);
  const std::string log = log_text_.str();
  EXPECT_NE(log.find("ctrl: executing all tasks once through"), std::string::npos) << log;
  EXPECT_NE(log.find("ctrl: running task once: task_name=web"), std::string::npos);
  EXPECT_NE(log.find("ctrl: all tasks completed once"), std::string::npos);
}

TEST_F(StandaloneTest, OncePassStopsAtTheFirstError) {
  fail_applies_of("web");
  const ControllerTasks tasks = tasks_of(std::string(kWebTask) + kDbTask);
  TaskManager manager(engine_, client_, disk_, terraform_, logger(), TaskManagerOptions{}, tasks.build, tasks.configured);
  const CrashAtExit crash_at_exit{engine_};
  const std::string error = run_on(world_, engine_, run_tasks_once(manager, tasks.configured, logger(), {}));
  EXPECT_NE(error.find("module refused"), std::string::npos) << error;
  EXPECT_EQ(applies_of("web"), 1u) << "no retry";
  EXPECT_EQ(applies_of("db"), 0u) << "the pass ended at web";
  EXPECT_EQ(log_text_.str().find("all tasks completed once"), std::string::npos);
}

TEST_F(StandaloneTest, InspectPassLogsEachPlanAndAppliesNothing) {
  const ControllerTasks tasks = tasks_of(std::string(kWebTask) + kDbTask + R"(
task {
  name = "off"
  module = "/modules/off"
  enabled = false
  condition "services" { names = ["api"] }
}
)");
  TaskManager manager(engine_, client_, disk_, terraform_, logger(), TaskManagerOptions{}, tasks.build, tasks.configured);
  const CrashAtExit crash_at_exit{engine_};
  register_api_instance("api-1", "10.0.0.9");
  const std::string error = run_on(world_, engine_, inspect_tasks(manager, tasks.configured, logger(), {}));
  EXPECT_EQ(error, "");
  EXPECT_TRUE(terraform_world_.ledger().records().empty()) << "inspect applies nothing";
  EXPECT_EQ(manager.events().count("web"), 0u) << "and records no event";
  const std::string log = log_text_.str();
  EXPECT_NE(log.find("ctrl: inspecting all tasks"), std::string::npos) << log;
  // hclog's multi-line value: the plan on lines of its own, each prefixed "  | ".
  EXPECT_NE(log.find("[INFO] ctrl: inspection results: task_name=web\n  plan=\n  | \n  | Terraform will perform the following actions:\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("  | Plan: 1 to add, 0 to change, 0 to destroy.\n"), std::string::npos);
  EXPECT_NE(log.find("ctrl: inspection results: task_name=off plan=\"Task is disabled, inspection was skipped.\""),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("ctrl: all tasks inspected"), std::string::npos);
}

TEST_F(StandaloneTest, InspectPassEndsWithAPlanError) {
  fakes::terraform::FailureRule rule;
  rule.step = fakes::terraform::TerraformStep::plan;
  rule.summary = "plan refused";
  terraform_world_.failures().add(rule);
  const ControllerTasks tasks = tasks_of(std::string(kWebTask) + kDbTask);
  TaskManager manager(engine_, client_, disk_, terraform_, logger(), TaskManagerOptions{}, tasks.build, tasks.configured);
  const CrashAtExit crash_at_exit{engine_};
  const std::string error = run_on(world_, engine_, inspect_tasks(manager, tasks.configured, logger(), {}));
  EXPECT_NE(error.find("plan refused"), std::string::npos) << error;
  EXPECT_EQ(log_text_.str().find("inspecting task: task_name=db"), std::string::npos) << "the pass ended at web";
}

}  // namespace
}  // namespace baton::controller
