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

TaskSpec web_task() {
  TaskSpec spec;
  spec.input.name = "web";
  spec.input.module_source = "/modules/web";
  spec.input.templates.push_back(tf::ServicesTemplate{{tf::ServiceQuery{"api", "", "", ""}}, true});
  spec.buffer = tasks::BufferPeriod{false, {}, {}};
  spec.working_dir = "sync-tasks/web";
  return spec;
}

struct Instance {
  Instance(sim::World& world, fakes::consul::SimConsulCluster& cluster, fakes::terraform::TerraformWorld& terraform_world,
           const sim::SimLog& log, const std::string& id, int n)
      : node(world.add_node({.name = id})),
        agent(cluster.add_agent("host-" + std::to_string(n), "10.2.0." + std::to_string(n))),
        transport(cluster, node, agent),
        client(transport),
        terraform(node, disk, client, terraform_world),
        controller(node, client, disk, terraform, log.logger_for(node), options(id), {web_task()}) {}

  static ControllerOptions options(const std::string& id) {
    ControllerOptions options;
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
  explicit BatonCluster(std::uint64_t seed) : world_(sim::WorldOptions{.seed = seed}), cluster_(world_, network_, fakes::consul::SimConsulClusterOptions{}) {
    cluster_.bootstrap_and_start();
    for (int i = 1; i <= 3; ++i) {
      instances_.push_back(std::make_unique<Instance>(world_, cluster_, terraform_world_, log_, "cts-0" + std::to_string(i), i));
      cluster_.start_agent(instances_.back()->agent);
    }
    while (!cluster_.established_leader()) world_.run_for(ms(10));
    world_.run_for(seconds(2));
    for (auto& instance : instances_) {
      HaController* controller = &instance->controller;
      instance->node.start([controller](sim::Node&) -> Task<void> { co_await controller->run({}); });
    }
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
  const auto loaded = run_on(world_, other->node, state.load_events({}));
  ASSERT_TRUE(loaded.ok());
  EXPECT_NE(loaded.value().at("web").events().front().id, "forged");
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
