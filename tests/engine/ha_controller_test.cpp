// A baton cluster in virtual time: three instances (HaController) against the fake Consul
// cluster, with the simulator's Terraform (fakes/terraform) and disks. The leader runs the task
// once on promotion and on each change; when it crashes, the next leader takes over within the
// session window, runs every task once, and continues the stored event history; no apply ever
// runs twice at once; a deposed leader's state write is refused by Consul.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <set>
#include <string>
#include <vector>

#include "engine/config/cts/load.hpp"
#include "engine/controller/engine_config.hpp"
#include "engine/controller/ha_controller.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "fakes/terraform/fake_terraform.hpp"
#include "fakes/terraform/terraform_world.hpp"
#include "sim/consul/sim_agent_transport.hpp"
#include "sim/filesystem/memory_filesystem.hpp"
#include "sim/network/network.hpp"
#include "sim/runtime/sim_log.hpp"
#include "tests/support/consul_client_support.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::controller {
namespace {

using baton::test::ms;
using baton::test::seconds;
using consul::test::run_on;
namespace tf = driver::terraform;

constexpr std::int64_t kTtlNs = seconds(10);

// Each instance's configuration, as a file would hold it.
const char* const kWebConfig = R"(
task {
  name = "web"
  module = "/modules/web"
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

// One task definition, as the API would create it.
config::cts::TaskConfig task_definition(const std::string& hcl_task_block) {
  config::cts::Config config = load_config_text(hcl_task_block);
  EXPECT_EQ(config.tasks.value_or_zero().size(), 1u);
  return config.tasks.value_or_zero().empty() ? config::cts::TaskConfig{} : config.tasks->front();
}

struct Instance {
  Instance(sim::World& world, fakes::consul::SimConsulCluster& cluster, fakes::terraform::TerraformWorld& terraform_world,
           const sim::SimLog& log, const std::string& id, int n, const std::string& config_text, bool reset_storage)
      : node(world.add_node({.name = id})),
        agent(cluster.add_agent("host-" + std::to_string(n), "10.2.0." + std::to_string(n))),
        transport(cluster, node, agent),
        client(transport),
        terraform(node, disk, client, terraform_world),
        controller(node, client, disk, terraform, log.logger_for(node), options(id, reset_storage),
                   controller_tasks(load_config_text(config_text), disk, "/")) {}

  static ControllerOptions options(const std::string& id, bool reset_storage) {
    ControllerOptions options;
    options.reset_storage = reset_storage;
    options.election.cluster_name = "cluster-a";
    options.election.instance_id = id;
    options.election.parent_path = "consul-terraform-sync/cluster-a";
    options.election.session_ttl = std::chrono::nanoseconds(kTtlNs);
    return options;
  }

  sim::Node& node;
  std::size_t agent;
  sim::SimAgentTransport transport;
  consul::ConsulClient client;
  sim::MemoryFileSystem disk;
  fakes::terraform::FakeTerraform terraform;
  HaController controller;
};

// Three instances and a three-server Consul, started; one seed decides everything.
struct BatonCluster {
  explicit BatonCluster(std::uint64_t seed, int instances = 3)
      : world_(sim::WorldOptions{.seed = seed}), cluster_(world_, network_, fakes::consul::SimConsulClusterOptions{}) {
    cluster_.bootstrap_and_start();
    for (int i = 1; i <= instances; ++i) add_instance(kWebConfig);
    while (!cluster_.established_leader()) world_.run_for(ms(10));
    world_.run_for(seconds(2));
    for (auto& instance : instances_) start(*instance);
  }
  Instance& add_instance(const std::string& config_text, bool reset_storage = false) {
    const int n = static_cast<int>(instances_.size()) + 1;
    instances_.push_back(std::make_unique<Instance>(world_, cluster_, terraform_world_, log_, "cts-0" + std::to_string(n), n,
                                                    config_text, reset_storage));
    cluster_.start_agent(instances_.back()->agent);
    return *instances_.back();
  }
  static void start(Instance& instance) {
    HaController* controller = &instance.controller;
    instance.node.start([controller](sim::Node&) -> Task<void> { co_await controller->run({}); });
  }
  ~BatonCluster() {
    for (auto& instance : instances_) {
      if (instance->node.state() == sim::NodeState::running) instance->node.crash();
    }
  }

  Instance* leader() {
    for (auto& instance : instances_) {
      if (instance->node.state() == sim::NodeState::running && instance->controller.election().leading()) return instance.get();
    }
    return nullptr;
  }
  Instance* run_until_once_mode_done(std::int64_t limit_ns, const Instance* other_than = nullptr) {
    const std::int64_t until = world_.now_ns() + limit_ns;
    while (world_.now_ns() < until) {
      Instance* current = leader();
      if (current != nullptr && current != other_than && current->controller.once_mode_done_terms() > 0) return current;
      world_.run_for(ms(10));
    }
    return nullptr;
  }
  bool an_apply_is_running() const {
    for (const auto& record : terraform_world_.ledger().records()) {
      if (!record.ended()) return true;
    }
    return false;
  }
  void register_instance(Instance& via, std::string id) {
    consul::ServiceRegistration registration;
    registration.id = std::move(id);
    registration.name = "api";
    registration.address = "10.0.0.9";
    registration.port = 8080;
    ASSERT_TRUE(run_on(world_, via.node, via.client.agent_service_register(registration)).ok());
  }

  sim::World world_;
  sim::Network network_{world_};
  fakes::consul::SimConsulCluster cluster_;
  std::ostringstream log_text_;
  sim::SimLog log_{world_, sim::SimLogOptions{.out = &log_text_}};
  fakes::terraform::TerraformWorld terraform_world_{world_};
  std::vector<std::unique_ptr<Instance>> instances_;
};

class HaControllerTest : public ::testing::Test, protected BatonCluster {
 protected:
  HaControllerTest() : BatonCluster(31) {}
};

TEST_F(HaControllerTest, TheNextLeaderRerunsTheTaskAndContinuesTheEventHistory) {
  Instance* first = run_until_once_mode_done(seconds(60));
  ASSERT_NE(first, nullptr);
  register_instance(*first, "api-1");
  world_.run_for(seconds(20));
  const std::vector<tasks::TaskEvent> before(first->controller.events().at("web").events().begin(),
                                             first->controller.events().at("web").events().end());
  ASSERT_GE(before.size(), 2u) << "once-mode, then the change";
  for (const auto& event : before) EXPECT_TRUE(event.success) << event.error;
  while (an_apply_is_running()) world_.run_for(ms(100));
  const std::int64_t crash_ns = world_.now_ns();
  first->node.crash();

  Instance* next = run_until_once_mode_done(3 * kTtlNs, first);
  ASSERT_NE(next, nullptr);
  const std::int64_t failover_ns = world_.now_ns() - crash_ns;
  EXPECT_LE(failover_ns, 2 * kTtlNs + seconds(10)) << "failover plus the once-mode run";
  const auto& after = next->controller.events().at("web").events();
  ASSERT_EQ(after.size(), before.size() + 1) << "the stored history, then the once-mode run";
  EXPECT_TRUE(after.front().success) << after.front().error;
  std::set<std::string> ids;
  for (const auto& event : after) ids.insert(event.id);
  for (const auto& event : before) EXPECT_TRUE(ids.count(event.id)) << "event " << event.id << " survived the failover";
  EXPECT_TRUE(terraform_world_.ledger().overlaps(fakes::terraform::ApplySpan::call, world_.now_ns()).empty());
  const auto* infrastructure = terraform_world_.find_infrastructure("web");
  ASSERT_NE(infrastructure, nullptr);
  EXPECT_EQ(infrastructure->services.size(), 1u);
}

TEST_F(HaControllerTest, ADeposedLeadersStateWriteIsRefused) {
  Instance* current = run_until_once_mode_done(seconds(60));
  ASSERT_NE(current, nullptr);
  Instance* other = current == instances_[0].get() ? instances_[1].get() : instances_[0].get();
  state::PersistedState state(other->client, log_.logger_for(other->node), "consul-terraform-sync/cluster-a");
  tasks::TaskEvents forged;
  forged.add(tasks::TaskEvent{"forged", "web", true, {}, {}, {}});
  const auto written = run_on(world_, other->node, state.save_events("web", forged, other->controller.election().session_id(), {}));
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_FALSE(written.value()) << "check-session on the lock refused a follower's session";
  const auto loaded = run_on(world_, other->node, state.load({}));
  ASSERT_TRUE(loaded.ok());
  EXPECT_NE(loaded.value().events.at("web").events().front().id, "forged");
}

// CTS's compatibility check: every instance, leader or not, reports a local module directory
// that does not exist, at start and every 5 minutes, until it appears.
TEST_F(HaControllerTest, EveryInstanceReportsAMissingLocalModuleUntilItAppears) {
  world_.run_for(seconds(1));
  for (auto& instance : instances_) EXPECT_EQ(instance->controller.missing_modules(), 1u);
  EXPECT_NE(log_text_.str().find(
                "[ERROR] ha.compat: error=\"compatibility check failure: stat /modules/web: no such file or directory\""),
            std::string::npos)
      << log_text_.str().substr(0, 2000);
  ASSERT_TRUE(instances_[0]->disk.make_directories("/modules/web").ok());
  world_.run_for(seconds(5 * 60));
  EXPECT_EQ(instances_[0]->controller.missing_modules(), 0u);
  EXPECT_EQ(instances_[1]->controller.missing_modules(), 1u) << "each instance checks its own disk";
}

// Applies of `task` that started at or after `since_ns`.
std::size_t applies_since(const fakes::terraform::TerraformWorld& terraform, const std::string& task, std::int64_t since_ns) {
  std::size_t count = 0;
  for (const auto& record : terraform.ledger().records()) {
    if (record.task == task && record.start_true_ns >= since_ns) ++count;
  }
  return count;
}

const char* const kDbTask = R"(task {
  name = "db"
  module = "/modules/db"
  condition "services" { names = ["api"] }
  buffer_period { enabled = false }
})";

// DESIGN.md "Persistence": tasks created, deleted, enabled or disabled through the API on one
// leader are seen by the next one.
TEST_F(HaControllerTest, TaskChangesOnOneLeaderAreSeenByTheNext) {
  Instance* first = run_until_once_mode_done(seconds(60));
  ASSERT_NE(first, nullptr);
  TaskOpResult created = run_on(world_, first->node, first->controller.create_task(task_definition(kDbTask)));
  ASSERT_TRUE(created.ok()) << created.message;
  TaskOpResult again = run_on(world_, first->node, first->controller.create_task(task_definition(kDbTask)));
  EXPECT_EQ(again.error, TaskOpError::exists);
  EXPECT_EQ(again.message, "task with name db already exists");
  TaskOpResult temporary = run_on(world_, first->node, first->controller.create_task(task_definition(R"(task {
  name = "tmp"
  module = "/modules/tmp"
  condition "services" { names = ["api"] }
})")));
  ASSERT_TRUE(temporary.ok()) << temporary.message;
  world_.run_for(seconds(10));
  EXPECT_EQ(applies_since(terraform_world_, "db", 0), 1u) << "a created task runs once, as a new task";
  while (an_apply_is_running()) world_.run_for(ms(100));
  TaskOpResult disabled = run_on(world_, first->node, first->controller.set_task_enabled("web", false));
  ASSERT_TRUE(disabled.ok()) << disabled.message;
  TaskOpResult deleted = run_on(world_, first->node, first->controller.delete_task("tmp"));
  ASSERT_TRUE(deleted.ok()) << deleted.message;
  world_.run_for(seconds(1));
  EXPECT_EQ(first->controller.task_definitions().count("tmp"), 0u);
  TaskOpResult unknown = run_on(world_, first->node, first->controller.delete_task("tmp"));
  EXPECT_EQ(unknown.error, TaskOpError::not_found);
  EXPECT_EQ(unknown.message, "a task with name 'tmp' does not exist or has not been initialized yet");

  Instance* follower = first == instances_[0].get() ? instances_[1].get() : instances_[0].get();
  TaskOpResult refused = run_on(world_, follower->node, follower->controller.create_task(task_definition(kDbTask)));
  EXPECT_EQ(refused.error, TaskOpError::not_leader);

  const std::int64_t crash_ns = world_.now_ns();
  first->node.crash();
  Instance* next = run_until_once_mode_done(3 * kTtlNs, first);
  ASSERT_NE(next, nullptr);
  world_.run_for(seconds(10));
  const auto& definitions = next->controller.task_definitions();
  ASSERT_EQ(definitions.size(), 2u) << "web and db; tmp was deleted";
  EXPECT_FALSE(definitions.at("web").enabled.value_or(true));
  EXPECT_TRUE(definitions.count("db"));
  EXPECT_EQ(next->controller.events().count("tmp"), 0u) << "a deleted task's events go with it";
  EXPECT_EQ(applies_since(terraform_world_, "web", crash_ns), 0u) << "web stays disabled";
  EXPECT_EQ(applies_since(terraform_world_, "db", crash_ns), 1u) << "once-mode runs db";
  EXPECT_EQ(applies_since(terraform_world_, "tmp", crash_ns), 0u);

  const std::int64_t enabled_ns = world_.now_ns();
  TaskOpResult enabled = run_on(world_, next->node, next->controller.set_task_enabled("web", true));
  ASSERT_TRUE(enabled.ok()) << enabled.message;
  world_.run_for(seconds(10));
  EXPECT_EQ(applies_since(terraform_world_, "web", enabled_ns), 1u) << "an enabled task runs";
  EXPECT_TRUE(terraform_world_.ledger().overlaps(fakes::terraform::ApplySpan::call, world_.now_ns()).empty());
}

// ?run=now on the leader (CTS's TaskCreateAndRun): the task runs before the answer; a failed run
// stores nothing; a run that succeeded stores the task and that run's event (fenced writes, as
// every change), and the task is not run again until its data changes.
TEST_F(HaControllerTest, CreateAndRunStoresTheTaskOnlyWhenItsRunSucceeds) {
  Instance* leader = run_until_once_mode_done(seconds(60));
  ASSERT_NE(leader, nullptr);
  fakes::terraform::FailureRule rule;
  rule.task = "db";
  rule.summary = "module refused";
  const fakes::terraform::FailureRuleId failing = terraform_world_.failures().add(rule);
  const TaskOpResult failed = run_on(world_, leader->node, leader->controller.create_and_run_task(task_definition(kDbTask)));
  EXPECT_EQ(failed.error, TaskOpError::run_failed);
  EXPECT_EQ(failed.message.rfind("error tf-apply for 'db': ", 0), 0u) << failed.message;
  EXPECT_EQ(applies_since(terraform_world_, "db", 0), 1u) << "one apply, no retry";
  EXPECT_EQ(leader->controller.task_definitions().count("db"), 0u);
  state::PersistedState state(leader->client, log_.logger_for(leader->node), "consul-terraform-sync/cluster-a");
  const auto after_failure = run_on(world_, leader->node, state.load({}));
  ASSERT_TRUE(after_failure.ok()) << after_failure.error().message;
  EXPECT_EQ(after_failure.value().tasks.count("db"), 0u) << "nothing stored";
  EXPECT_EQ(after_failure.value().events.count("db"), 0u);

  terraform_world_.failures().remove(failing);
  const TaskOpResult created = run_on(world_, leader->node, leader->controller.create_and_run_task(task_definition(kDbTask)));
  ASSERT_TRUE(created.ok()) << created.message;
  EXPECT_EQ(applies_since(terraform_world_, "db", 0), 2u) << "applied before the answer";
  world_.run_for(seconds(10));
  EXPECT_EQ(applies_since(terraform_world_, "db", 0), 2u) << "not run again: its data did not change";
  const auto stored = run_on(world_, leader->node, state.load({}));
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored.value().tasks.count("db"), 1u);
  ASSERT_EQ(stored.value().events.count("db"), 1u);
  ASSERT_EQ(stored.value().events.at("db").events().size(), 1u) << "the run's event, persisted";
  EXPECT_TRUE(stored.value().events.at("db").events().front().success);
}

// Stored definitions are read through a memo keyed by their key and text (read_memo.hpp): every
// load must still see every change, addition and removal since the one before.
TEST_F(HaControllerTest, EveryLoadSeesTheDefinitionsAsStoredNow) {
  Instance* leader = run_until_once_mode_done(seconds(60));
  ASSERT_NE(leader, nullptr);
  state::PersistedState state(leader->client, log_.logger_for(leader->node), "consul-terraform-sync/cluster-a");
  const std::string session = leader->controller.election().session_id();
  const auto load = [&] {
    auto loaded = run_on(world_, leader->node, state.load({}));
    EXPECT_TRUE(loaded.ok()) << loaded.error().message;
    return loaded.ok() ? loaded.value().tasks : std::map<std::string, config::cts::TaskConfig>{};
  };
  const config::cts::TaskConfig db = task_definition(kDbTask);
  ASSERT_TRUE(run_on(world_, leader->node, state.save_task(db, session, {})).value());
  const auto first = load();
  ASSERT_EQ(first.count("db"), 1u);
  EXPECT_EQ(first.at("db"), db);
  EXPECT_EQ(load(), first) << "unchanged";

  config::cts::TaskConfig changed = db;
  changed.module = std::string("/modules/db-v2");
  ASSERT_TRUE(run_on(world_, leader->node, state.save_task(changed, session, {})).value());
  const auto second = load();
  ASSERT_EQ(second.count("db"), 1u);
  ASSERT_TRUE(second.at("db").module);
  EXPECT_EQ(*second.at("db").module, "/modules/db-v2");
  EXPECT_EQ(second.at("db"), changed);
  EXPECT_EQ(second.at("web"), first.at("web")) << "the other definition, unchanged";

  ASSERT_TRUE(run_on(world_, leader->node, state.delete_task("db", session, {})).value());
  EXPECT_EQ(load().count("db"), 0u);
  ASSERT_TRUE(run_on(world_, leader->node, state.save_task(db, session, {})).value());
  EXPECT_EQ(load().at("db"), db) << "stored again after a load that did not see it";
}

// ?run=inspect on the leader: a plan of the task, made by a runner of its own against the
// task's workspace; nothing is created, stored, applied or recorded. A follower refuses.
TEST_F(HaControllerTest, InspectPlansATaskWithoutCreatingOrApplyingIt) {
  Instance* leader = run_until_once_mode_done(seconds(60));
  ASSERT_NE(leader, nullptr);
  const std::int64_t before_ns = world_.now_ns();
  const InspectResult inspected = run_on(world_, leader->node, leader->controller.inspect_task(task_definition(kDbTask)));
  ASSERT_TRUE(inspected.status.ok()) << inspected.status.message;
  EXPECT_FALSE(inspected.plan.empty());
  EXPECT_EQ(leader->controller.task_definitions().count("db"), 0u) << "inspect creates nothing";
  EXPECT_EQ(leader->controller.events().count("db"), 0u) << "and records no event";
  world_.run_for(seconds(10));
  EXPECT_EQ(applies_since(terraform_world_, "db", before_ns), 0u) << "and applies nothing";
  Instance* follower = leader == instances_[0].get() ? instances_[1].get() : instances_[0].get();
  const InspectResult refused = run_on(world_, follower->node, follower->controller.inspect_task(task_definition(kDbTask)));
  EXPECT_EQ(refused.status.error, TaskOpError::not_leader);
}

// Stored tasks are the cluster's: an instance whose configuration differs leads with the stored
// tasks, unless it was started with -reset-storage, which replaces them (and their events) with
// its own, on every promotion.
TEST(HaControllerStorage, StoredTasksWinUntilResetStorageReplacesThem) {
  BatonCluster cluster(41, 1);
  Instance* first = cluster.run_until_once_mode_done(seconds(60));
  ASSERT_NE(first, nullptr);
  const std::string other_config = std::string(kDbTask);
  Instance& plain = cluster.add_instance(other_config);
  Instance& resetting = cluster.add_instance(other_config, /*reset_storage=*/true);
  BatonCluster::start(plain);
  cluster.world_.run_for(seconds(2));
  EXPECT_EQ(plain.controller.task_definitions().count("db"), 1u) << "a follower knows its configured tasks";

  first->node.crash();
  Instance* second = cluster.run_until_once_mode_done(3 * kTtlNs, first);
  ASSERT_EQ(second, &plain);
  EXPECT_EQ(plain.controller.task_definitions().count("web"), 1u) << "the stored task";
  EXPECT_EQ(plain.controller.task_definitions().count("db"), 0u) << "its configured task is not the cluster's";
  EXPECT_EQ(plain.controller.events().count("web"), 1u) << "the event history continues";

  BatonCluster::start(resetting);
  cluster.world_.run_for(seconds(1));
  plain.node.crash();
  Instance* third = cluster.run_until_once_mode_done(3 * kTtlNs, second);
  ASSERT_EQ(third, &resetting);
  EXPECT_EQ(resetting.controller.task_definitions().count("web"), 0u);
  EXPECT_EQ(resetting.controller.task_definitions().count("db"), 1u) << "-reset-storage stored its own tasks";
  EXPECT_EQ(resetting.controller.events().count("web"), 0u) << "and discarded the old events";
  EXPECT_NE(cluster.log_text_.str().find("reset-storage: replacing the stored tasks"), std::string::npos);
}

// Determinism: the same seed gives the same trace (every message, wake-up digest and log line),
// through an election, a change, a crash and a failover; another seed gives another.
std::uint64_t failover_trace_digest(std::uint64_t seed) {
  BatonCluster cluster(seed);
  Instance* first = cluster.run_until_once_mode_done(seconds(60));
  if (first == nullptr) return 0;
  cluster.register_instance(*first, "api-1");
  cluster.world_.run_for(seconds(10));
  first->node.crash();
  cluster.run_until_once_mode_done(3 * kTtlNs, first);
  cluster.world_.run_for(seconds(5));
  return cluster.world_.trace().digest();
}

TEST(HaControllerDeterminism, TheSameSeedGivesTheSameTrace) {
  const std::uint64_t first = failover_trace_digest(5);
  ASSERT_NE(first, 0u);
  EXPECT_EQ(failover_trace_digest(5), first);
  EXPECT_NE(failover_trace_digest(6), first);
}

}  // namespace
}  // namespace baton::controller
