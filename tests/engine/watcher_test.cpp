// The engine's Consul watching (engine/watch) against the fake Consul cluster in virtual time:
// one shared blocking query per distinct dependency (CTS issue 146), loops that end with their
// last watcher, and no change lost across a Consul leader change (CTS issue 884).
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "engine/watch/watcher.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "sim/consul/sim_agent_transport.hpp"
#include "sim/network/network.hpp"
#include "sim/runtime/sim_log.hpp"
#include "tests/support/consul_client_support.hpp"
#include "tests/support/sim_consul_engine.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::watch {
namespace {

using baton::test::ms;
using baton::test::seconds;
using consul::test::run_on;
using fakes::consul::SimConsulCluster;

class WatcherTest : public ::testing::Test, protected test::SimConsulEngine {
 protected:
  WatcherTest() : SimConsulEngine(17, "baton-1") {}
  ~WatcherTest() override { engine_.crash(); }

  // Registers through the agent, retrying while the cluster has no leader.
  void register_instance(std::string id, std::string name, std::string address) {
    consul::ServiceRegistration registration;
    registration.id = std::move(id);
    registration.name = std::move(name);
    registration.address = std::move(address);
    registration.port = 8080;
    for (int attempt = 0; attempt < 10; ++attempt) {
      if (run_on(world_, engine_, client_.agent_service_register(registration)).ok()) return;
      world_.run_for(seconds(1));
    }
    FAIL() << "could not register " << registration.id;
  }

  std::size_t instances_of(const WatchedDependency& watched) const {
    if (!watched.data()) return 0;
    return std::get<std::vector<consul::ServiceEntry>>(*watched.data()).size();
  }

  sim::SimLog log_{world_, sim::SimLogOptions{.out = std::getenv("WATCH_DEBUG") ? &std::cerr : nullptr, .level = LogLevel::trace}};
  Watcher watcher_{engine_, client_, log_.logger_for(engine_)};
};

const Dependency kApi = HealthServiceDependency{"api", "", "", "", true};

TEST_F(WatcherTest, TasksWatchingOneServiceShareOneBlockingQuery) {
  std::shared_ptr<WatchedDependency> first = watcher_.watch(kApi);
  std::shared_ptr<WatchedDependency> second = watcher_.watch(kApi);
  std::shared_ptr<WatchedDependency> other = watcher_.watch(HealthServiceDependency{"web", "", "", "", true});
  EXPECT_EQ(first, second);
  EXPECT_EQ(watcher_.loops(), 2u);
  world_.run_for(seconds(1));
  EXPECT_EQ(first->version(), 1u) << "the first answer, empty";
  EXPECT_EQ(instances_of(*first), 0u);

  register_instance("api-1", "api", "10.0.0.1");
  world_.run_for(seconds(2));
  EXPECT_EQ(first->version(), 2u);
  EXPECT_EQ(instances_of(*first), 1u);
  EXPECT_EQ(other->version(), 1u) << "another service's change is no news for web";
}

TEST_F(WatcherTest, ALoopEndsWithItsLastWatcher) {
  std::shared_ptr<WatchedDependency> first = watcher_.watch(kApi);
  std::shared_ptr<WatchedDependency> second = watcher_.watch(kApi);
  world_.run_for(seconds(1));
  first.reset();
  world_.run_for(seconds(1));
  EXPECT_EQ(watcher_.loops(), 1u);
  second.reset();
  world_.run_for(seconds(1));
  EXPECT_EQ(watcher_.loops(), 0u) << "the blocking query was abandoned at once";
  std::shared_ptr<WatchedDependency> again = watcher_.watch(kApi);
  world_.run_for(seconds(1));
  EXPECT_EQ(watcher_.loops(), 1u);
  EXPECT_EQ(again->version(), 1u);
}

TEST_F(WatcherTest, NoChangeIsLostAcrossAConsulLeaderChange) {
  std::shared_ptr<WatchedDependency> api = watcher_.watch(kApi);
  register_instance("api-1", "api", "10.0.0.1");
  world_.run_for(seconds(2));
  ASSERT_EQ(instances_of(*api), 1u);
  const std::size_t consul_leader = *cluster_.established_leader();
  cluster_.node(consul_leader).crash();
  if (std::getenv("WATCH_DEBUG")) std::cerr << "crashed consul leader " << consul_leader << " at " << world_.now_ns() << "\n";
  // The change lands while the old leader is down and the watcher's query has failed over.
  register_instance("api-2", "api", "10.0.0.2");
  if (std::getenv("WATCH_DEBUG")) std::cerr << "registered api-2 at " << world_.now_ns() << "\n";
  world_.run_for(seconds(60));
  EXPECT_EQ(instances_of(*api), 2u);
  cluster_.node(consul_leader).restart();
  register_instance("api-3", "api", "10.0.0.3");
  world_.run_for(seconds(60));
  EXPECT_EQ(instances_of(*api), 3u);
}

TEST(Dependencies, OneQueryPerDistinctDependencyOfATask) {
  driver::terraform::TaskInput task;
  task.templates.push_back(driver::terraform::ServicesTemplate{{{"api", "", "", ""}, {"web", "dc2", "", ""}}, true});
  task.templates.push_back(driver::terraform::ServicesTemplate{{{"api", "", "", ""}}, true});
  task.templates.push_back(driver::terraform::ConsulKvTemplate{"config/", true, "", "", true});
  const std::vector<Dependency> dependencies = task_dependencies(task);
  ASSERT_EQ(dependencies.size(), 3u);
  EXPECT_EQ(dependency_key(dependencies[0]), dependency_key(kApi));
  EXPECT_NE(dependency_key(dependencies[0]), dependency_key(dependencies[1]));
  // A filter on Checks.Status asks for every instance, not ?passing (hcat).
  driver::terraform::TaskInput filtered;
  filtered.templates.push_back(
      driver::terraform::ServicesTemplate{{{"api", "", "", "Checks.Status == \"critical\""}}, true});
  EXPECT_FALSE(std::get<HealthServiceDependency>(task_dependencies(filtered)[0]).passing_only);
}

}  // namespace
}  // namespace baton::watch
