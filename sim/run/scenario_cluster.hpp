#pragma once
// ScenarioCluster: everything a scenario runs, in one World: the Consul servers
// (fakes/consul), one client agent per baton instance's machine plus the agents services are
// registered on, the baton instances themselves (the engine's HaController with the Terraform
// fake and an in-memory disk each), and the operations the scenario's steps perform on them.
//
// Each instance is a process: a crash drops it (its controller's frames go unresumed), a
// restart boots a new controller from the same configuration and disk, a graceful stop
// cancels its run (which releases leadership) and then exits the process.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/config/cts/config.hpp"
#include "engine/consul/client.hpp"
#include "engine/controller/ha_controller.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "fakes/terraform/fake_terraform.hpp"
#include "fakes/terraform/terraform_world.hpp"
#include "sim/consul/sim_agent_transport.hpp"
#include "sim/filesystem/memory_filesystem.hpp"
#include "sim/network/network.hpp"
#include "sim/runtime/sim_log.hpp"
#include "sim/runtime/world.hpp"
#include "sim/scenario/scenario.hpp"

namespace baton::sim::run {

// One baton instance: its process, its machine's Consul agent, its disk and Terraform.
struct Instance {
  Instance(World& world, fakes::consul::SimConsulCluster& consul, fakes::terraform::TerraformWorld& terraform_world,
           const std::string& name, int number, fakes::terraform::FakeTerraformOptions terraform_options);

  std::string name;
  Node& node;
  std::size_t agent;
  SimAgentTransport transport;
  consul::ConsulClient client;
  MemoryFileSystem disk;  // survives crashes, as a disk does
  fakes::terraform::FakeTerraform terraform;
  std::unique_ptr<controller::HaController> controller;  // the running process's; rebuilt on each boot
  std::stop_source stop;  // a graceful stop (SIGTERM) of the running process
  bool reset_storage = false;
  // Its own configuration once a restart gave it one (an operator edited its file); else the
  // scenario's shared one.
  std::optional<config::cts::Config> config_override;
  bool exited = false;  // its run() returned after a graceful stop: the process is gone
};

struct ClusterSetup {
  scenario::Scenario scenario;
  config::cts::Config config;  // the instances' configuration, loaded and validated
  std::int64_t session_ttl_ns = 0;
  std::ostream* log_out = nullptr;  // -v: every log line
  bool keep_messages = false;       // keep message records in the trace (--trace)
};

// A scenario's Terraform failure as the fake's rule, in force from `from_ns` (true time).
fakes::terraform::FailureRule failure_rule(const scenario::TerraformFailure& failure, std::int64_t from_ns);

class ScenarioCluster {
 public:
  explicit ScenarioCluster(ClusterSetup setup);
  ~ScenarioCluster();
  ScenarioCluster(const ScenarioCluster&) = delete;
  ScenarioCluster& operator=(const ScenarioCluster&) = delete;

  // Bootstraps Consul, waits for its leader, starts every instance.
  void start();

  World& world() { return world_; }
  Network& network() { return network_; }
  fakes::consul::SimConsulCluster& consul() { return consul_; }
  const fakes::consul::SimConsulCluster& consul() const { return consul_; }
  fakes::terraform::TerraformWorld& terraform_world() { return terraform_world_; }
  const fakes::terraform::TerraformWorld& terraform_world() const { return terraform_world_; }
  const std::vector<std::unique_ptr<Instance>>& instances() const { return instances_; }
  std::int64_t session_ttl_ns() const { return setup_.session_ttl_ns; }
  const config::cts::Config& config() const { return setup_.config; }

  // The instance that leads now (running, its lease valid), if any.
  Instance* leader() const;
  Instance* find_instance(const std::string& name) const;
  std::optional<std::size_t> find_server(const std::string& name) const;  // "consul-1" -> 0
  std::string server_name(std::size_t i) const { return "consul-" + std::to_string(i + 1); }
  // A target as people read it, resolved now: "the leader (cts-01)", "a follower", "consul-2".
  std::string describe(const scenario::Target& target) const;

  // Faults and operations; each returns an error sentence when it cannot be done (a crashed
  // instance cannot pause, a target selects nothing), which fails the scenario at that step.
  std::optional<std::string> crash(const scenario::Target& target);
  std::optional<std::string> restart(const scenario::Target& target, std::optional<bool> reset_storage,
                                     std::optional<int> bootstrap_expect, std::optional<config::cts::Config> config = {});
  std::optional<std::string> stop(const scenario::Target& target);
  std::optional<std::string> pause(const scenario::Target& target);
  std::optional<std::string> resume(const scenario::Target& target);
  std::optional<std::string> partition(const scenario::Partition& partition);
  std::optional<std::string> heal(const scenario::Heal& heal);

  std::optional<std::string> clock_skew(const scenario::ClockSkew& skew);
  std::optional<std::string> clock_drift(const scenario::ClockDrift& drift);
  std::optional<std::string> write_peers_json(const scenario::WritePeersJson& write);

  // Workload through a Consul agent, as an operator's tooling would send it.
  std::optional<std::string> register_service(const scenario::Register& registration);
  std::optional<std::string> deregister_service(const std::string& id);
  std::optional<std::string> set_check(const scenario::SetCheck& check);
  std::optional<std::string> kv_put(const scenario::KvPut& put);
  std::optional<std::string> kv_delete(const scenario::KvDelete& deletion);
  // The REST API's task changes, sent to the current leader.
  std::optional<std::string> api_call(const scenario::ApiCall& call);

  // The service instances as registered now: id -> (service name, passing).
  struct Registered {
    std::string service;
    std::string node;
    bool passing = true;
  };
  const std::map<std::string, Registered>& registered() const { return registered_; }
  // API operations that succeeded, in order, for the persistence check; and those whose
  // outcome is unknown (the store failed with an error that does not say whether Consul applied
  // it, "leadership lost while committing log", or the leader died mid-call): the change may be
  // there or not, so neither persistence nor once-mode can hold the task to either.
  struct ApiRecord {
    std::int64_t at_ns;
    scenario::ApiCall call;
    bool outcome_unknown = false;
  };
  const std::vector<ApiRecord>& api_records() const { return api_records_; }

 private:
  std::vector<Instance*> select_instances(const scenario::Target& target) const;
  std::vector<std::size_t> select_servers(const scenario::Target& target) const;
  void boot(Instance& instance);
  std::optional<std::string> nothing_selected(const scenario::Target& target) const;
  void install_modules(Instance& instance, const config::cts::Config& config);
  std::size_t service_agent(const std::string& node_name);
  std::optional<std::string> agent_call(std::size_t agent, http::Request request);
  void reap_exited();

  ClusterSetup setup_;
  World world_;
  Network network_;
  SimLog log_;
  fakes::consul::SimConsulCluster consul_;
  fakes::terraform::TerraformWorld terraform_world_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::map<std::string, std::size_t> service_agents_;  // node name -> agent index
  std::map<std::string, Registered> registered_;
  std::vector<ApiRecord> api_records_;
};

}  // namespace baton::sim::run
