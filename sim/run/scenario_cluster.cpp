#include "sim/run/scenario_cluster.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

#include "engine/config/cts/validate.hpp"
#include "engine/controller/engine_config.hpp"
#include "engine/config/cts/decode.hpp"
#include "engine/config/cts/finalize.hpp"

namespace baton::sim::run {

namespace {

using namespace std::chrono_literals;
constexpr std::int64_t kMs = 1'000'000;
// How long an operator's call may take before the step fails.
constexpr std::int64_t kCallLimitNs = 60'000 * kMs;

template <class T>
Task<void> capture_into(Task<T> task, std::shared_ptr<std::optional<T>> out) {
  T value = co_await std::move(task);
  out->emplace(std::move(value));
}

// Runs `task` on `process` until it returns; nullopt when the process died first or it took
// longer than kCallLimitNs.
template <class T>
std::optional<T> call_on(World& world, Node& process, Task<T> task) {
  auto out = std::make_shared<std::optional<T>>();
  process.scope().spawn(capture_into(std::move(task), out));
  const std::int64_t give_up = world.now_ns() + kCallLimitNs;
  while (!out->has_value() && process.state() != NodeState::crashed && world.step_until(give_up)) {
  }
  return std::move(*out);
}

fakes::terraform::FakeTerraformOptions terraform_options(const scenario::TerraformSpec& spec, std::int64_t ttl_ns) {
  fakes::terraform::FakeTerraformOptions options;
  options.apply_time_ms_min = spec.apply_time.min.resolve_ns(ttl_ns) / kMs;
  options.apply_time_ms_max = spec.apply_time.max.resolve_ns(ttl_ns) / kMs;
  options.init_time_ms_min = spec.init_time.min.resolve_ns(ttl_ns) / kMs;
  options.init_time_ms_max = spec.init_time.max.resolve_ns(ttl_ns) / kMs;
  return options;
}

fakes::consul::SimConsulClusterOptions consul_options(const scenario::ConsulSpec& spec) {
  fakes::consul::SimConsulClusterOptions options;
  options.servers = static_cast<std::size_t>(spec.servers);
  options.server_name_prefix = "consul-";  // as scenarios name them
  options.server.session_ttl_multiplier = spec.session_ttl_multiplier;
  options.timing.raft_multiplier = spec.raft_multiplier;
  options.profile = spec.profile == "legacy" ? fakes::consul::ConsulProfile::legacy : fakes::consul::ConsulProfile::modern;
  return options;
}

NetworkOptions network_options(const scenario::NetworkSpec& spec) {
  NetworkOptions options;
  options.default_link.latency_us_min = spec.latency.min.ns / 1000;
  options.default_link.latency_us_max = spec.latency.max.ns / 1000;
  options.default_link.loss_percent = static_cast<std::uint32_t>(spec.loss * 100.0 + 0.5);
  return options;
}

}  // namespace

fakes::terraform::FailureRule failure_rule(const scenario::TerraformFailure& failure, std::int64_t from_ns) {
  using fakes::terraform::TerraformStep;
  using fakes::terraform::FailureMode;
  fakes::terraform::FailureRule rule;
  rule.task = failure.task;
  rule.instance = failure.instance;
  rule.from_true_ns = from_ns;
  rule.step = failure.command == "init"       ? TerraformStep::init
              : failure.command == "validate" ? TerraformStep::validate
              : failure.command == "plan"     ? TerraformStep::plan
                                              : TerraformStep::apply;
  rule.mode = failure.mode == "partial" ? FailureMode::fail_after_partial_change
              : failure.mode == "hang"  ? FailureMode::hang
                                        : FailureMode::fail_before_change;
  if (failure.times > 0) rule.times = static_cast<std::uint32_t>(failure.times);
  rule.summary = failure.message;
  return rule;
}

Instance::Instance(World& world, fakes::consul::SimConsulCluster& consul, fakes::terraform::TerraformWorld& terraform_world,
                   const std::string& name_in, int number, fakes::terraform::FakeTerraformOptions terraform_options)
    : name(name_in),
      node(world.add_node({.name = name_in})),
      agent(consul.add_agent("host-" + std::to_string(number), "10.3.0." + std::to_string(number))),
      transport(consul, node, agent),
      client(transport),
      terraform(node, disk, client, terraform_world, std::move(terraform_options)) {}

ScenarioCluster::ScenarioCluster(ClusterSetup setup)
    : setup_(std::move(setup)),
      world_(WorldOptions{.seed = setup_.scenario.seed, .trace = TraceOptions{.keep_messages = setup_.keep_messages}}),
      network_(world_, network_options(setup_.scenario.network)),
      log_(world_, SimLogOptions{.out = setup_.log_out}),
      consul_(world_, network_, consul_options(setup_.scenario.consul)),
      terraform_world_(world_) {
  const scenario::Scenario& s = setup_.scenario;
  for (int i = 1; i <= s.engine.instances; ++i) {
    const std::string name = fmt::format("cts-{:02}", i);
    instances_.push_back(std::make_unique<Instance>(world_, consul_, terraform_world_, name, i,
                                                    terraform_options(s.terraform, setup_.session_ttl_ns)));
    const auto reset = s.engine.reset_storage.find(name);
    instances_.back()->reset_storage = reset != s.engine.reset_storage.end() && reset->second;
  }
  for (const scenario::TerraformFailure& failure : s.terraform.failures) terraform_world_.failures().add(failure_rule(failure, 0));
}

ScenarioCluster::~ScenarioCluster() {
  // Instances first: their frames reference the clients and disks destroyed with them.
  for (auto& instance : instances_) {
    if (instance->node.state() == NodeState::running || instance->node.state() == NodeState::paused) instance->node.crash();
  }
}

void ScenarioCluster::start() {
  const scenario::ConsulSpec& spec = setup_.scenario.consul;
  for (std::size_t i = 0; i < consul_.size(); ++i) {
    fakes::consul::ServerFlags flags;
    flags.bootstrap_expect = spec.bootstrap_expect;
    flags.bootstrap = spec.bootstrap_expect == 0 && i == 0;
    consul_.start(i, flags);
  }
  for (auto& instance : instances_) consul_.start_agent(instance->agent);
  for (auto& instance : instances_) {
    install_modules(*instance, setup_.config);
    boot(*instance);
  }
}

// The operator installed the configured tasks' local modules on the machine.
void ScenarioCluster::install_modules(Instance& instance, const config::cts::Config& config) {
  for (const auto& task : config.tasks.value_or_zero()) {
    const std::string module = task.module.value_or_zero();
    if (!module.empty() && module[0] == '/') instance.disk.make_directories(module);
  }
}

void ScenarioCluster::boot(Instance& instance) {
  Instance* self = &instance;
  auto boot_process = [this, self](Node&) -> Task<void> {
    config::cts::Config config = self->config_override ? *self->config_override : setup_.config;
    config.id.set(self->name);
    controller::ControllerOptions options;
    auto engine = controller::engine_config(config, self->disk, "/");
    if (engine.ok()) options = engine.value().options;  // else each task's error is logged as it is built
    options.reset_storage = self->reset_storage;
    options.bugs = setup_.scenario.bugs;
    self->stop = std::stop_source();
    self->exited = false;
    self->controller = std::make_unique<controller::HaController>(self->node, self->client, self->disk, self->terraform,
                                                                  log_.logger_for(self->node), std::move(options),
                                                                  controller::controller_tasks(config, self->disk, "/"));
    co_await self->controller->run(self->stop.get_token());
    self->exited = true;
  };
  if (instance.node.state() == NodeState::created) {
    instance.node.start(boot_process);
  } else {
    instance.node.restart();
  }
}

Instance* ScenarioCluster::leader() const {
  for (const auto& instance : instances_) {
    if (instance->node.state() == NodeState::running && instance->controller && instance->controller->election().leading()) {
      return instance.get();
    }
  }
  return nullptr;
}

Instance* ScenarioCluster::find_instance(const std::string& name) const {
  for (const auto& instance : instances_) {
    if (instance->name == name) return instance.get();
  }
  return nullptr;
}

std::optional<std::size_t> ScenarioCluster::find_server(const std::string& name) const {
  for (std::size_t i = 0; i < consul_.size(); ++i) {
    if (server_name(i) == name) return i;
  }
  return std::nullopt;
}

std::vector<Instance*> ScenarioCluster::select_instances(const scenario::Target& target) const {
  std::vector<Instance*> selected;
  Instance* current = leader();
  for (const auto& instance : instances_) {
    const bool alive = instance->node.state() == NodeState::running && !instance->exited;
    switch (target.select) {
      case scenario::Target::Select::leader:
        if (instance.get() == current) selected.push_back(instance.get());
        break;
      case scenario::Target::Select::follower:
        if (alive && instance.get() != current && selected.empty()) selected.push_back(instance.get());
        break;
      case scenario::Target::Select::name:
        if (instance->name == target.name) selected.push_back(instance.get());
        break;
      case scenario::Target::Select::all: selected.push_back(instance.get()); break;
    }
  }
  return selected;
}

std::vector<std::size_t> ScenarioCluster::select_servers(const scenario::Target& target) const {
  std::vector<std::size_t> selected;
  const std::optional<std::size_t> current = consul_.established_leader();
  for (std::size_t i = 0; i < consul_.size(); ++i) {
    const bool alive = consul_.node(i).state() == NodeState::running;
    switch (target.select) {
      case scenario::Target::Select::leader:
        if (current == i) selected.push_back(i);
        break;
      case scenario::Target::Select::follower:
        if (alive && current != i && selected.empty()) selected.push_back(i);
        break;
      case scenario::Target::Select::name:
        if (server_name(i) == target.name) selected.push_back(i);
        break;
      case scenario::Target::Select::all: selected.push_back(i); break;
    }
  }
  return selected;
}

namespace {

}  // namespace

std::string ScenarioCluster::describe(const scenario::Target& target) const {
  using Select = scenario::Target::Select;
  const bool instance = target.kind == scenario::Target::Kind::instance;
  switch (target.select) {
    case Select::name: return target.name;
    case Select::all: return instance ? "every instance" : "every consul server";
    case Select::follower: return instance ? "a follower" : "a consul follower";
    case Select::leader:
      if (instance) {
        const Instance* current = leader();
        return current ? fmt::format("the leader ({})", current->name) : "the leader (none)";
      }
      return consul_.established_leader() ? fmt::format("the consul leader ({})", server_name(*consul_.established_leader()))
                                          : "the consul leader (none)";
  }
  return target.name;
}

std::optional<std::string> ScenarioCluster::nothing_selected(const scenario::Target& target) const {
  return fmt::format("{} selects no process now", describe(target));
}

std::optional<std::string> ScenarioCluster::crash(const scenario::Target& target) {
  if (target.kind == scenario::Target::Kind::instance) {
    auto selected = select_instances(target);
    if (selected.empty()) return nothing_selected(target);
    for (Instance* instance : selected) {
      if (instance->node.state() == NodeState::crashed) return instance->name + " is not running";
      instance->node.crash();
    }
    return std::nullopt;
  }
  auto selected = select_servers(target);
  if (selected.empty()) return nothing_selected(target);
  for (std::size_t i : selected) {
    if (consul_.node(i).state() == NodeState::crashed) return server_name(i) + " is not running";
    consul_.node(i).crash();
  }
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::restart(const scenario::Target& target, std::optional<bool> reset_storage,
                                                    std::optional<int> bootstrap_expect, std::optional<config::cts::Config> config) {
  if (target.kind == scenario::Target::Kind::instance) {
    auto selected = select_instances(target);
    if (selected.empty()) return nothing_selected(target);
    for (Instance* instance : selected) {
      if (instance->node.state() != NodeState::crashed) {
        if (target.select == scenario::Target::Select::all) continue;  // "restart every instance": the stopped ones
        return instance->name + " is running: crash or stop it first";
      }
      if (reset_storage) instance->reset_storage = *reset_storage;
      if (config) {
        install_modules(*instance, *config);
        instance->config_override = *config;
      }
      boot(*instance);
    }
    return std::nullopt;
  }
  auto selected = select_servers(target);
  if (selected.empty()) return nothing_selected(target);
  for (std::size_t i : selected) {
    if (consul_.node(i).state() != NodeState::crashed) {
      if (target.select == scenario::Target::Select::all) continue;
      return server_name(i) + " is running: crash or stop it first";
    }
    // Consul's flags for this start; a server with Raft data ignores bootstrap_expect.
    fakes::consul::ServerFlags flags;
    flags.bootstrap_expect = bootstrap_expect.value_or(setup_.scenario.consul.bootstrap_expect);
    consul_.set_flags(i, flags);
    consul_.node(i).restart();
  }
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::stop(const scenario::Target& target) {
  if (target.kind == scenario::Target::Kind::instance) {
    auto selected = select_instances(target);
    if (selected.empty()) return nothing_selected(target);
    for (Instance* instance : selected) {
      if (instance->node.state() != NodeState::running) return instance->name + " is not running";
      instance->stop.request_stop();
    }
    // SIGTERM: the process releases its lock and exits; give it its shutdown timeout (10s).
    const std::int64_t give_up = world_.now_ns() + 10'000 * kMs;
    while (world_.now_ns() < give_up) {
      bool all_exited = true;
      for (Instance* instance : selected) all_exited = all_exited && instance->exited;
      if (all_exited) break;
      // Nothing due before the deadline (every other process idle or paused): time just passes.
      if (!world_.step_until(give_up)) world_.run_until(give_up);
    }
    for (Instance* instance : selected) {
      if (instance->node.state() != NodeState::crashed) instance->node.exit();
    }
    return std::nullopt;
  }
  auto selected = select_servers(target);
  if (selected.empty()) return nothing_selected(target);
  for (std::size_t i : selected) consul_.interrupt(i, 30'000 * kMs);
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::pause(const scenario::Target& target) {
  std::vector<Node*> nodes;
  if (target.kind == scenario::Target::Kind::instance) {
    for (Instance* instance : select_instances(target)) nodes.push_back(&instance->node);
  } else {
    for (std::size_t i : select_servers(target)) nodes.push_back(&consul_.node(i));
  }
  if (nodes.empty()) return nothing_selected(target);
  for (Node* node : nodes) {
    if (node->state() != NodeState::running) return std::string(node->name()) + " is not running";
    node->pause();
  }
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::resume(const scenario::Target& target) {
  std::vector<Node*> nodes;
  if (target.kind == scenario::Target::Kind::instance) {
    for (const auto& instance : instances_) {
      const bool named = target.select == scenario::Target::Select::name ? instance->name == target.name : true;
      if (named && instance->node.state() == NodeState::paused) nodes.push_back(&instance->node);
    }
  } else {
    for (std::size_t i = 0; i < consul_.size(); ++i) {
      const bool named = target.select == scenario::Target::Select::name ? server_name(i) == target.name : true;
      if (named && consul_.node(i).state() == NodeState::paused) nodes.push_back(&consul_.node(i));
    }
  }
  if (nodes.empty()) return fmt::format("{} selects no paused process", describe(target));
  for (Node* node : nodes) node->resume();
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::partition(const scenario::Partition& partition) {
  std::vector<const Node*> sides;
  if (partition.target.kind == scenario::Target::Kind::instance) {
    auto selected = select_instances(partition.target);
    if (selected.empty()) return nothing_selected(partition.target);
    for (Instance* instance : selected) {
      const Node& agent = consul_.agent_node(instance->agent);
      if (partition.from_consul) {
        // The machine loses the servers: its agent can no longer reach them.
        for (std::size_t i = 0; i < consul_.size(); ++i) network_.cut(agent, consul_.node(i));
      } else if (partition.from_instances) {
        for (const auto& other : instances_) {
          if (other.get() != instance) network_.cut(instance->node, other->node);
        }
      } else if (partition.from) {
        if (partition.from->kind == scenario::Target::Kind::consul_server) {
          for (std::size_t i : select_servers(*partition.from)) network_.cut(agent, consul_.node(i));
        } else {
          for (Instance* other : select_instances(*partition.from)) network_.cut(instance->node, other->node);
        }
      } else {
        network_.isolate(instance->node);
        network_.isolate(agent);
      }
    }
    return std::nullopt;
  }
  auto selected = select_servers(partition.target);
  if (selected.empty()) return nothing_selected(partition.target);
  for (std::size_t i : selected) {
    if (partition.from) {
      for (std::size_t j : select_servers(*partition.from)) network_.cut(consul_.node(i), consul_.node(j));
    } else {
      network_.isolate(consul_.node(i));
    }
  }
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::heal(const scenario::Heal& heal) {
  if (!heal.target) {
    network_.heal();
    return std::nullopt;
  }
  // Every cut this step's partitions could have made around the target's processes.
  std::vector<const Node*> healed;
  if (heal.target->kind == scenario::Target::Kind::instance) {
    for (Instance* instance : select_instances(*heal.target)) {
      healed.push_back(&instance->node);
      healed.push_back(&consul_.agent_node(instance->agent));
    }
  } else {
    for (std::size_t i : select_servers(*heal.target)) healed.push_back(&consul_.node(i));
  }
  if (healed.empty()) return nothing_selected(*heal.target);
  std::vector<const Node*> everyone;
  for (const auto& instance : instances_) {
    everyone.push_back(&instance->node);
    everyone.push_back(&consul_.agent_node(instance->agent));
  }
  for (std::size_t i = 0; i < consul_.size(); ++i) everyone.push_back(&consul_.node(i));
  for (const Node* node : healed) {
    network_.rejoin(*node);
    for (const Node* other : everyone) {
      if (other != node) network_.heal_link(*node, *other);
    }
  }
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::clock_skew(const scenario::ClockSkew& skew) {
  std::vector<Node*> nodes;
  if (skew.target.kind == scenario::Target::Kind::instance) {
    for (Instance* instance : select_instances(skew.target)) nodes.push_back(&instance->node);
  } else {
    for (std::size_t i : select_servers(skew.target)) nodes.push_back(&consul_.node(i));
  }
  if (nodes.empty()) return nothing_selected(skew.target);
  for (Node* node : nodes) node->step_wall_clock(skew.offset_ns);
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::clock_drift(const scenario::ClockDrift& drift) {
  std::vector<Node*> nodes;
  if (drift.target.kind == scenario::Target::Kind::instance) {
    for (Instance* instance : select_instances(drift.target)) nodes.push_back(&instance->node);
  } else {
    for (std::size_t i : select_servers(drift.target)) nodes.push_back(&consul_.node(i));
  }
  if (nodes.empty()) return nothing_selected(drift.target);
  for (Node* node : nodes) node->set_drift_ppm(drift.drift_ppm);
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::write_peers_json(const scenario::WritePeersJson& write) {
  auto selected = select_servers(write.server);
  if (selected.size() != 1) return fmt::format("write_peers_json needs exactly one server; {} selects {}", describe(write.server), selected.size());
  std::vector<std::size_t> peers;
  for (const std::string& name : write.peers) {
    const auto index = find_server(name);
    if (!index) return "unknown server " + name;
    peers.push_back(*index);
  }
  if (!consul_.write_peers_json(selected.front(), peers)) return server_name(selected.front()) + " must be stopped to write peers.json";
  return std::nullopt;
}

std::size_t ScenarioCluster::service_agent(const std::string& node_name) {
  const auto found = service_agents_.find(node_name);
  if (found != service_agents_.end()) return found->second;
  const std::size_t number = service_agents_.size() + 1;
  const std::size_t agent = consul_.add_agent(node_name, "10.2." + std::to_string(number / 250) + "." + std::to_string(number % 250 + 1));
  consul_.start_agent(agent);
  service_agents_[node_name] = agent;
  // Its node must be in the catalog before services can be registered on it.
  const std::int64_t give_up = world_.now_ns() + 30'000 * kMs;
  while (world_.now_ns() < give_up) {
    world_.run_for(200 * kMs);
    const std::optional<std::size_t> leader_server = consul_.established_leader();
    const fakes::consul::ConsulServer* server = leader_server ? consul_.server(*leader_server) : nullptr;
    if (server != nullptr && server->store().node(node_name) != nullptr) break;
  }
  return agent;
}

// As an operator's script would: a call that gets no answer or a server error is tried again,
// up to kCallAttempts times, a second apart (a Consul server may be down or electing).
std::optional<std::string> ScenarioCluster::agent_call(std::size_t agent, http::Request request) {
  constexpr int kCallAttempts = 10;
  Node& from = consul_.agent_node(agent);
  std::string last_error;
  for (int attempt = 1; attempt <= kCallAttempts; ++attempt) {
    if (attempt > 1) world_.run_for(1'000 * kMs);
    if (from.state() != NodeState::running) return "the agent " + std::string(from.name()) + " is not running";
    auto answered = call_on(world_, from, consul_.agent_request(from, agent, request, Duration(10s)));
    if (!answered || !answered->has_value()) {
      last_error = "the Consul agent did not answer";
      continue;
    }
    const http::Response& response = **answered;
    if (response.status == 200) return std::nullopt;
    last_error = fmt::format("Consul answered {}: {}", response.status, response.body);
    if (response.status < 500) break;
  }
  return fmt::format("{} (after {} attempts)", last_error, kCallAttempts);
}

std::optional<std::string> ScenarioCluster::register_service(const scenario::Register& registration) {
  const std::string id = registration.id.empty() ? registration.service : registration.id;
  nlohmann::json body{{"ID", id},
                      {"Name", registration.service},
                      {"Tags", registration.tags},
                      {"Address", registration.address},
                      {"Port", registration.port},
                      {"Meta", registration.meta},
                      {"Check", {{"CheckID", "service:" + id}, {"Name", "scenario check"}, {"TTL", "87600h"}, {"Status", registration.status}}}};
  const std::size_t agent = service_agent(registration.node);
  if (auto error = agent_call(agent, http::Request{"PUT", "/v1/agent/service/register", {}, body.dump()})) return error;
  registered_[id] = Registered{registration.service, registration.node, registration.status == "passing"};
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::deregister_service(const std::string& id) {
  const auto found = registered_.find(id);
  if (found == registered_.end()) return "no service instance " + id + " was registered";
  const std::size_t agent = service_agent(found->second.node);
  std::optional<std::string> error = agent_call(agent, http::Request{"PUT", "/v1/agent/service/deregister/" + id, {}, {}});
  // A 404 (Unknown service ID) means it is not registered there: an earlier attempt whose
  // answer was lost deregistered it (found by sim swarm seed 2491: the scenario kept counting it
  // as registered, and the convergence check expected it).
  if (error && error->find("Consul answered 404") != std::string::npos) error.reset();
  if (error) return error;
  registered_.erase(found);
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::set_check(const scenario::SetCheck& check) {
  const auto found = registered_.find(check.id);
  if (found == registered_.end()) return "no service instance " + check.id + " was registered";
  const std::string verb = check.status == "passing" ? "pass" : check.status == "warning" ? "warn" : "fail";
  const std::size_t agent = service_agent(found->second.node);
  if (auto error = agent_call(agent, http::Request{"PUT", "/v1/agent/check/" + verb + "/service:" + check.id, {}, {}})) return error;
  found->second.passing = check.status == "passing";
  return std::nullopt;
}

std::optional<std::string> ScenarioCluster::kv_put(const scenario::KvPut& put) {
  return agent_call(service_agent("node-1"), http::Request{"PUT", "/v1/kv/" + put.key, {}, put.value});
}

std::optional<std::string> ScenarioCluster::kv_delete(const scenario::KvDelete& deletion) {
  return agent_call(service_agent("node-1"),
                    http::Request{"DELETE", "/v1/kv/" + deletion.key + (deletion.recurse ? "?recurse" : ""), {}, {}});
}

std::optional<std::string> ScenarioCluster::api_call(const scenario::ApiCall& call) {
  Instance* current = leader();
  if (current == nullptr) return "no instance leads: the API call has no leader to go to";
  controller::HaController& controller = *current->controller;
  std::optional<controller::TaskOpResult> result;
  switch (call.op) {
    case scenario::ApiCall::Op::create: {
      auto decoded = config::cts::decode_config_file("api task " + call.task, call.task_hcl);
      if (!decoded.ok()) return "error decoding the request: " + config::hcl::to_string(decoded.error());
      if (decoded.value().tasks.value_or_zero().size() != 1) return "error decoding the request: the body must hold one task block";
      config::cts::Config holder = setup_.config;
      holder.tasks.set({decoded.value().tasks->front()});
      config::cts::Environment environment;
      environment.working_directory = "/";
      // The API finalizes a created task as the configuration's tasks are.
      config::cts::finalize(holder, environment);
      if (auto invalid = config::cts::validate_task(holder.tasks->front())) return "error with task configuration: " + invalid->message;
      result = call_on(world_, current->node, controller.create_task(holder.tasks->front()));
      break;
    }
    case scenario::ApiCall::Op::remove: result = call_on(world_, current->node, controller.delete_task(call.task)); break;
    case scenario::ApiCall::Op::enable: result = call_on(world_, current->node, controller.set_task_enabled(call.task, true)); break;
    case scenario::ApiCall::Op::disable: result = call_on(world_, current->node, controller.set_task_enabled(call.task, false)); break;
  }
  if (!result) {
    api_records_.push_back(ApiRecord{world_.now_ns(), call, true});
    return "the leader died during the API call";
  }
  if (!result->ok()) {
    if (result->error == controller::TaskOpError::storage) api_records_.push_back(ApiRecord{world_.now_ns(), call, true});
    return result->message;
  }
  api_records_.push_back(ApiRecord{world_.now_ns(), call});
  return std::nullopt;
}

}  // namespace baton::sim::run
