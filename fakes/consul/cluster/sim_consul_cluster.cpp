#include "fakes/consul/cluster/sim_consul_cluster.hpp"

#include "fakes/consul/cluster/cluster_slots.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>

#include "fakes/consul/raft/cluster_setup.hpp"
#include "fakes/consul/raft/configuration.hpp"
#include "sim/network/rpc.hpp"

namespace baton::fakes::consul {


// One server's ForwardRPC: a request across the network to the leader's node, answered there.
class SimConsulCluster::Forwarder final : public ServerForwarder {
 public:
  Forwarder(SimConsulCluster& cluster, sim::Node& self) : cluster_(cluster), self_(self) {}

  Task<std::optional<http::Response>> forward(std::string leader_id, http::Request request, AgentIdentity agent,
                                              Duration timeout, std::stop_token stop) override {
    Slot* leader = cluster_.slot_of(leader_id);
    if (leader == nullptr) co_return std::nullopt;
    // The leader this server still believes in has died on a reachable host: its kernel
    // refuses the connection at once (the caller retries within rpc_hold_timeout, as
    // ForwardRPC does), rather than the request vanishing until its timeout.
    if (cluster_.process_dead_on_reachable_host(self_, *leader->node)) co_return std::nullopt;
    // A call's handler runs once: it hands its request on rather than copying it.
    std::function<Task<http::Response>()> handler = [leader, request = std::move(request), agent = std::move(agent)]() mutable {
      return answer(*leader, std::move(request), std::move(agent));
    };
    co_return co_await sim::call<http::Response>(cluster_.network_, self_, *leader->node, "consul.forward", std::move(handler),
                                                 timeout, std::move(stop));
  }

 private:
  SimConsulCluster& cluster_;
  sim::Node& self_;
};

SimConsulCluster::SimConsulCluster(sim::World& world, sim::Network& network, SimConsulClusterOptions options)
    : world_(world), network_(network), options_(std::move(options)) {
  for (std::size_t i = 0; i < options_.servers; ++i) {
    auto slot = std::make_unique<Slot>();
    slot->server = raft::Server{.id = fmt::format("{}{}", options_.server_name_prefix, i + 1), .address = fmt::format("10.1.0.{}:8300", i + 1)};
    slot->node = &world_.add_node(sim::NodeOptions{.name = slot->server.id});
    directory_.add(slot->server.id, *slot->node);
    slots_.push_back(std::move(slot));
  }
}

SimConsulCluster::~SimConsulCluster() {
  // The processes' frames point into the slots: they die first, as in a crash.
  auto crash = [](sim::Node& node) {
    if (node.state() == sim::NodeState::running || node.state() == sim::NodeState::paused) node.crash();
  };
  for (auto& slot : slots_) crash(*slot->node);
  for (auto& agent : agents_) crash(*agent->node);
}

void SimConsulCluster::bootstrap_and_start() {
  const ServerFlags flags{.bootstrap_expect = static_cast<int>(slots_.size())};
  for (std::size_t i = 0; i < slots_.size(); ++i) start(i, flags);
}

void SimConsulCluster::start(std::size_t i, ServerFlags flags) {
  Slot& slot = *slots_[i];
  slot.flags = flags;
  slot.node->start([this, &slot](sim::Node& node) { return serve(*this, slot, node); });
}

void SimConsulCluster::set_flags(std::size_t i, ServerFlags flags) { slots_[i]->flags = flags; }

bool SimConsulCluster::interrupt(std::size_t i, std::int64_t limit_ns) {
  Slot& slot = *slots_[i];
  auto left = std::make_shared<std::optional<bool>>();
  if (options_.profile == ConsulProfile::legacy && slot.live != nullptr) {
    slot.left = true;  // a leaving member is not re-added by the leader (Serf status left)
    slot.node->scope().spawn([](ConsulServer& server, std::shared_ptr<std::optional<bool>> out) -> Task<void> {
      const bool done = co_await server.leave();
      *out = done;
    }(*slot.live, left));
    while (!*left && world_.now_ns() < limit_ns && world_.step_until(limit_ns)) {
    }
  }
  if (slot.node->state() == sim::NodeState::running || slot.node->state() == sim::NodeState::paused) slot.node->crash();
  return left->value_or(false);
}

bool SimConsulCluster::write_peers_json(std::size_t i, const std::vector<std::size_t>& servers) {
  assert(slots_[i]->node->state() != sim::NodeState::running && "peers.json is written while the server is stopped");
  raft::Configuration configuration;
  for (std::size_t index : servers) configuration.servers.push_back(slots_[index]->server);
  return raft::recover_cluster(slots_[i]->durable, configuration).ok();
}

std::shared_ptr<const StateStore> SimConsulCluster::save_snapshot() const {
  const std::optional<std::size_t> leader = established_leader();
  if (!leader) return nullptr;
  return std::make_shared<const StateStore>(slots_[*leader]->live->store());
}

bool SimConsulCluster::restore_snapshot(std::shared_ptr<const StateStore> snapshot, std::int64_t limit_ns) {
  const std::optional<std::size_t> leader = established_leader();
  if (!leader) return false;
  auto applied = std::make_shared<std::optional<bool>>();
  Slot& slot = *slots_[*leader];
  slot.node->scope().spawn([](ConsulServer& server, std::shared_ptr<const StateStore> contents,
                              std::shared_ptr<std::optional<bool>> out) -> Task<void> {
    Command restore = RestoreCommand{std::move(contents)};
    const RpcResult<CommandResult> result = co_await server.propose(std::move(restore));
    *out = result.ok();
  }(*slot.live, std::move(snapshot), applied));
  while (!*applied && world_.now_ns() < limit_ns && world_.step_until(limit_ns)) {
  }
  return applied->value_or(false);
}

sim::Node& SimConsulCluster::node(std::size_t i) const { return *slots_[i]->node; }

ConsulServer* SimConsulCluster::server(std::size_t i) const { return slots_[i]->live; }

std::optional<std::size_t> SimConsulCluster::established_leader() const {
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const Slot& slot = *slots_[i];
    if (slot.live == nullptr || slot.node->state() != sim::NodeState::running || !slot.live->is_leader()) continue;
    if (found) return std::nullopt;
    found = i;
  }
  return found;
}

SimConsulCluster::Slot* SimConsulCluster::slot_of(const std::string& id) const {
  for (const auto& slot : slots_) {
    if (slot->server.id == id) return slot.get();
  }
  return nullptr;
}

// Clears the slot's pointers when the process's frames die (a crash) or it stops.
struct LiveServer {
  ConsulServer*& server;
  ServerForwarder*& forwarder;
  ~LiveServer() {
    server = nullptr;
    forwarder = nullptr;
  }
};

Task<void> SimConsulCluster::serve(SimConsulCluster& cluster, Slot& slot, sim::Node& node) {
  slot.left = false;
  std::optional<Logger> log;
  if (cluster.options_.log != nullptr) log = cluster.options_.log->logger_for(node).named("agent.server");
  cluster.bootstrap_alone_if_asked(slot, log);
  raft::SimRaftTransport transport(cluster.network_, cluster.directory_, node, slot.server.id);
  ConsulServerOptions options = cluster.options_.server;
  options.node_name = slot.server.id;
  options.address = slot.server.address.substr(0, slot.server.address.find(':'));
  sim::World& world = node.world();
  const std::string server_name(node.name());
  options.on_session_expired = [&world, server_name](const std::string& id, const std::string& name) {
    world.trace().add(world.now_ns(), sim::TraceKind::state, server_name, "consul.session.expired",
                      "session=" + id + " name=" + name);
  };
  raft::RaftOptions raft_options{.self = slot.server, .timing = cluster.options_.timing,
                                 .clear_peers_on_leave = cluster.options_.profile == ConsulProfile::legacy};
  std::optional<Logger> raft_log;
  if (log) raft_log = log->named("raft");
  ConsulServer server(node, std::move(options), ServerRaft{transport, slot.durable, std::move(raft_options), raft_log});
  Forwarder forwarder(cluster, node);
  LiveServer live{slot.live, slot.forwarder};
  slot.live = &server;
  slot.forwarder = &forwarder;
  Scope serf(node, node.scope().token());
  serf.spawn(gossip(cluster, slot, server, log, serf.token()));
  co_await server.run(node.scope().token());
  serf.request_stop();
  co_await serf.join();
}

Task<http::Response> SimConsulCluster::answer(Slot& slot, http::Request request, AgentIdentity agent) {
  // A request that lands while the process is still starting meets a closed port.
  if (slot.live == nullptr) co_return http::Response{.status = 500, .body = "rpc error making call: connection refused"};
  HttpApi api(*slot.live, std::move(agent), slot.forwarder);
  co_return co_await api.handle(std::move(request));
}

Task<std::optional<http::Response>> SimConsulCluster::request(sim::Node& from, std::size_t i, http::Request request,
                                                               Duration timeout) {
  AgentIdentity agent{.node_name = slots_[i]->server.id};
  co_return co_await send_to_server(from, i, std::move(request), std::move(agent), timeout);
}

Task<std::optional<http::Response>> SimConsulCluster::send_to_server(sim::Node& from, std::size_t i, http::Request request,
                                                                      AgentIdentity agent, Duration timeout) {
  Slot* slot = slots_[i].get();
  std::function<Task<http::Response>()> handler = [slot, request = std::move(request), agent = std::move(agent)]() mutable {
    return answer(*slot, std::move(request), std::move(agent));
  };
  co_return co_await sim::call<http::Response>(network_, from, *slot->node, "consul.http", std::move(handler), timeout);
}

}  // namespace baton::fakes::consul
