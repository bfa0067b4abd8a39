#include "fakes/consul/cluster/sim_consul_cluster.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>

#include "fakes/consul/raft/cluster_setup.hpp"
#include "fakes/consul/raft/configuration.hpp"
#include "sim/network/rpc.hpp"

namespace baton::fakes::consul {

struct SimConsulCluster::Slot {
  raft::Server server;
  sim::Node* node = nullptr;
  raft::RaftDurableState durable;  // the server's disk
  ConsulServer* live = nullptr;    // the running incarnation's
  ServerForwarder* forwarder = nullptr;
  ServerFlags flags;               // of the current (or next) start
  bool left = false;               // said goodbye to Serf (graceful leave); cleared on start
};

namespace {

// Consul's config builder: "BootstrapExpect is set to 1; this is the same as Bootstrap mode."
ServerFlags normalized(ServerFlags flags) {
  if (flags.bootstrap_expect == 1) return ServerFlags{.bootstrap_expect = 0, .bootstrap = true};
  return flags;
}

}  // namespace

// One server's ForwardRPC: a request across the network to the leader's node, answered there.
class SimConsulCluster::Forwarder final : public ServerForwarder {
 public:
  Forwarder(SimConsulCluster& cluster, sim::Node& self) : cluster_(cluster), self_(self) {}

  Task<std::optional<http::Response>> forward(std::string leader_id, http::Request request, AgentIdentity agent,
                                              Duration timeout, std::stop_token stop) override {
    Slot* leader = cluster_.slot_of(leader_id);
    if (leader == nullptr) co_return std::nullopt;
    std::function<Task<http::Response>()> handler = [leader, request = std::move(request), agent = std::move(agent)]() {
      return answer(*leader, request, agent);
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
    slot->server = raft::Server{.id = fmt::format("consul-server-{}", i + 1), .address = fmt::format("10.1.0.{}:8300", i + 1)};
    slot->node = &world_.add_node(sim::NodeOptions{.name = slot->server.id});
    directory_.add(slot->server.id, *slot->node);
    slots_.push_back(std::move(slot));
  }
}

SimConsulCluster::~SimConsulCluster() {
  // The servers' frames point into the slots: they die first, as in a crash.
  for (auto& slot : slots_) {
    if (slot->node->state() == sim::NodeState::running || slot->node->state() == sim::NodeState::paused) slot->node->crash();
  }
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

void SimConsulCluster::bootstrap_alone_if_asked(Slot& slot, const std::optional<Logger>& log) const {
  if (!normalized(slot.flags).bootstrap) return;
  const raft::Configuration alone{.servers = {slot.server}};
  if (!slot.durable.has_existing_state()) {
    if (log) log->info("bootstrapping a single-server cluster", "server", slot.server.id);
    raft::bootstrap_cluster(slot.durable, alone);
    return;
  }
  // Old raft's EnableSingleNode: a server in bootstrap mode with no peers elects itself,
  // whatever its log holds. Current Consul bootstraps only a server without Raft state.
  if (options_.profile == ConsulProfile::legacy && raft::stored_configuration(slot.durable).servers.empty()) {
    if (log) log->warn("bootstrap mode with no peers: electing itself as a single node", "server", slot.server.id);
    raft::recover_cluster(slot.durable, alone);
  }
}

Task<void> SimConsulCluster::gossip(SimConsulCluster& cluster, Slot& slot, ConsulServer& server,
                                    std::optional<Logger> log, std::stop_token stop) {
  int expect = normalized(slot.flags).bootstrap_expect;
  while (true) {
    const WaitResult waited = co_await sleep_for(*slot.node, cluster.options_.gossip_interval, stop);
    if (waited == WaitResult::cancelled) co_return;
    if (expect > 1) expect = co_await maybe_bootstrap(cluster, slot, server, expect, log, stop);
    if (server.is_leader()) co_await join_new_servers(cluster, slot, server, log, stop);
  }
}

// server_serf.go maybeBootstrap; returns the bootstrap_expect still in force (0: done or disabled).
Task<int> SimConsulCluster::maybe_bootstrap(SimConsulCluster& cluster, Slot& slot, ConsulServer& server, int expect,
                                            const std::optional<Logger>& log, std::stop_token stop) {
  if (slot.durable.last_index() != 0) {
    if (log) log->info("Raft data found, disabling bootstrap mode");
    co_return 0;
  }
  const std::vector<Slot*> members = cluster.members_seen_by(slot);
  for (const Slot* member : members) {
    const ServerFlags flags = normalized(member->flags);
    if (flags.bootstrap_expect != 0 && flags.bootstrap_expect != expect) {
      if (log) log->error("Member has a conflicting expect value. All nodes should expect the same number.", "member", member->server.id);
      co_return expect;
    }
    if (flags.bootstrap) {
      if (log) log->error("Member has bootstrap mode. Expect disabled.", "member", member->server.id);
      co_return expect;
    }
  }
  if (members.size() < static_cast<std::size_t>(expect)) co_return expect;
  for (Slot* member : members) {
    const std::optional<std::vector<std::string>> peers = co_await cluster.status_peers(slot, *member, stop);
    if (!peers) co_return expect;  // Consul retries with back-off; the next round retries here
    if (!peers->empty()) {
      if (log) log->info("Existing Raft peers reported by server, disabling bootstrap mode", "server", member->server.id);
      co_return 0;
    }
  }
  raft::Configuration configuration;
  for (const Slot* member : members) configuration.servers.push_back(member->server);
  if (log) log->info("Found expected number of peers, attempting bootstrap", "peers", raft::describe(configuration));
  const raft::RaftStatus status = server.raft()->bootstrap(configuration);
  if (!status && log) log->error("Failed to bootstrap cluster", "error", raft::to_string(status.error()));
  co_return 0;
}

// leader.go joinConsulServer, run for every alive server member the configuration lacks.
Task<void> SimConsulCluster::join_new_servers(SimConsulCluster& cluster, Slot& slot, ConsulServer& server,
                                              const std::optional<Logger>& log, std::stop_token stop) {
  const std::vector<Slot*> members = cluster.members_seen_by(slot);
  for (const Slot* member : members) {
    raft::RaftNode* raft = server.raft();
    if (!raft->is_leader()) co_return;
    if (raft::find_server(raft->latest_configuration(), member->server.id) != nullptr) continue;
    if (normalized(member->flags).bootstrap) {
      const auto other = std::find_if(members.begin(), members.end(), [member](const Slot* candidate) {
        return candidate != member && normalized(candidate->flags).bootstrap;
      });
      if (other != members.end()) {
        if (log) log->error("Two nodes are in bootstrap mode. Only one node should be in bootstrap mode, not adding Raft peer.",
                            "node_to_add", member->server.id, "other", (*other)->server.id);
        continue;
      }
    }
    if (log) log->info("Adding server to the Raft configuration", "server", member->server.id);
    const raft::RaftResult<std::uint64_t> added = co_await raft->add_voter(member->server, stop);
    if (!added && log) log->error("failed to add raft peer", "server", member->server.id, "error", raft::to_string(added.error()));
  }
}

std::vector<SimConsulCluster::Slot*> SimConsulCluster::members_seen_by(const Slot& slot) const {
  std::vector<Slot*> members;
  for (const auto& candidate : slots_) {
    if (candidate->live == nullptr || candidate->left || candidate->node->state() != sim::NodeState::running) continue;
    if (candidate.get() != &slot &&
        (!network_.passes(*slot.node, *candidate->node) || !network_.passes(*candidate->node, *slot.node))) {
      continue;
    }
    members.push_back(candidate.get());
  }
  return members;
}

// Status.Peers: the addresses in the server's latest Raft configuration.
Task<std::optional<std::vector<std::string>>> SimConsulCluster::status_peers(Slot& from, Slot& to, std::stop_token stop) {
  std::function<Task<std::vector<std::string>>()> handler = [&to]() -> Task<std::vector<std::string>> {
    std::vector<std::string> peers;
    if (to.live != nullptr && to.live->raft() != nullptr) {
      for (const raft::Server& server : to.live->raft()->latest_configuration().servers) peers.push_back(server.address);
    }
    co_return peers;
  };
  co_return co_await sim::call<std::vector<std::string>>(network_, *from.node, *to.node, "consul.status_peers",
                                                         std::move(handler), options_.status_peers_timeout, std::move(stop));
}

Task<http::Response> SimConsulCluster::answer(Slot& slot, http::Request request, AgentIdentity agent) {
  // A request that lands while the process is still starting meets a closed port.
  if (slot.live == nullptr) co_return http::Response{.status = 500, .body = "rpc error making call: connection refused"};
  HttpApi api(*slot.live, std::move(agent), slot.forwarder);
  co_return co_await api.handle(std::move(request));
}

Task<std::optional<http::Response>> SimConsulCluster::request(sim::Node& from, std::size_t i, http::Request request,
                                                               Duration timeout) {
  Slot* slot = slots_[i].get();
  AgentIdentity agent{.node_name = slot->server.id};
  std::function<Task<http::Response>()> handler = [slot, request = std::move(request), agent = std::move(agent)]() {
    return answer(*slot, request, agent);
  };
  co_return co_await sim::call<http::Response>(network_, from, *slot->node, "consul.http", std::move(handler), timeout);
}

}  // namespace baton::fakes::consul
