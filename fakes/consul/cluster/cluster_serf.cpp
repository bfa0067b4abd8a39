// SimConsulCluster, Serf's side of the servers: bootstrap flags and bootstrap_expect counting
// (server_serf.go maybeBootstrap), the leader adding joining servers to Raft (leader.go
// joinConsulServer) and reconciling every member into the catalog (leader.go reconcileMember).
//
// Serf itself is a membership oracle here, not gossip: see fakes/consul/README.md.
#include <algorithm>

#include "engine/async/wait.hpp"
#include "fakes/consul/cluster/cluster_slots.hpp"
#include "fakes/consul/raft/cluster_setup.hpp"
#include "fakes/consul/raft/configuration.hpp"
#include "sim/network/rpc.hpp"

namespace baton::fakes::consul {

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
  Reconciled reconciled;
  std::vector<std::uint64_t> view;  // the membership view at this tick (its storage reused)
  while (true) {
    const raft::RaftNode* raft = server.raft();
    if (expect <= 1 && raft != nullptr && !raft->is_leader() && !server.is_leader()) {
      // A follower past bootstrapping has nothing to do here until it leads: it waits for
      // Raft to change (pulsed on every change of role or leader) instead of polling.
      reconciled = Reconciled{};
      const WaitResult changed = co_await server.changed().wait(stop);
      if (changed == WaitResult::cancelled) co_return;
      continue;
    }
    const WaitResult waited = co_await sleep_for(*slot.node, cluster.options_.gossip_interval, stop);
    if (waited == WaitResult::cancelled) co_return;
    if (expect > 1) expect = co_await maybe_bootstrap(cluster, slot, server, expect, log, stop);
    if (!server.is_leader()) {
      reconciled = Reconciled{};
      continue;
    }
    cluster.membership_view(server, view);
    if (cluster.round_can_be_skipped(reconciled, view)) continue;
    const bool joined = co_await join_new_servers(cluster, slot, server, log, stop);
    const bool settled = co_await reconcile_members(cluster, slot, server, reconciled, log, stop);
    if (joined && settled) {
      reconciled.settled_view = view;
    } else {
      reconciled.settled_view.clear();
    }
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

void SimConsulCluster::membership_view(const ConsulServer& server, std::vector<std::uint64_t>& view) const {
  view.clear();
  view.push_back(network_.partitions_version());
  view.push_back(server.raft() != nullptr ? server.raft()->latest_configuration_index() : 0);
  for (const auto& slot : slots_) {
    const ServerFlags flags = normalized(slot->flags);
    view.insert(view.end(), {std::uint64_t(slot->node->state()), slot->node->incarnation(), slot->live != nullptr,
                             slot->left, std::uint64_t(flags.bootstrap_expect), flags.bootstrap});
  }
  for (const auto& agent : agents_) {
    view.insert(view.end(), {std::uint64_t(agent->node->state()), agent->node->incarnation(), agent->left,
                             agent->gossip_blocked, 0});
  }
}

bool SimConsulCluster::round_can_be_skipped(const Reconciled& reconciled, const std::vector<std::uint64_t>& view) const {
  if (reconciled.settled_view.empty() || !reconciled.all_at_ns) return false;
  const std::int64_t interval_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(options_.reconcile_interval).count();
  if (world_.now_ns() - *reconciled.all_at_ns >= interval_ns) return false;
  return view == reconciled.settled_view;
}

// leader.go joinConsulServer, run for every alive server member the configuration lacks.
Task<bool> SimConsulCluster::join_new_servers(SimConsulCluster& cluster, Slot& slot, ConsulServer& server,
                                              const std::optional<Logger>& log, std::stop_token stop) {
  const std::vector<Slot*> members = cluster.members_seen_by(slot);
  bool all_joined = true;
  for (const Slot* member : members) {
    raft::RaftNode* raft = server.raft();
    if (!raft->is_leader()) co_return false;
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
    if (added) continue;
    if (log) log->error("failed to add raft peer", "server", member->server.id, "error", raft::to_string(added.error()));
    all_joined = false;
  }
  co_return all_joined;
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


bool SimConsulCluster::gossip_reaches(const sim::Node& member, const Slot& leader) const {
  auto both_ways = [this](const sim::Node& a, const sim::Node& b) { return network_.passes(a, b) && network_.passes(b, a); };
  if (&member == leader.node || both_ways(member, *leader.node)) return true;
  // memberlist's indirect probe: another server that reaches both.
  return std::any_of(slots_.begin(), slots_.end(), [&](const auto& other) {
    return other->live != nullptr && other->node->state() == sim::NodeState::running && other->node != &member &&
           both_ways(*other->node, *leader.node) && both_ways(*other->node, member);
  });
}

SimConsulCluster::MemberStatus SimConsulCluster::member_status(const sim::Node& member, bool left, bool gossip_blocked,
                                                               std::optional<std::int64_t>& unreachable_since_ns,
                                                               const Slot& leader) const {
  if (left) return MemberStatus::left;
  const bool reachable = member.state() == sim::NodeState::running && !gossip_blocked && gossip_reaches(member, leader);
  if (reachable) {
    unreachable_since_ns.reset();
    return MemberStatus::alive;
  }
  const std::int64_t now_ns = world_.now_ns();
  if (!unreachable_since_ns) unreachable_since_ns = now_ns;
  const std::int64_t detection_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(options_.failure_detection).count();
  return now_ns - *unreachable_since_ns >= detection_ns ? MemberStatus::failed : MemberStatus::alive;
}

namespace {

// What the leader writes for one member, if anything (handleAliveMember, handleFailedMember,
// handleLeftMember).
std::optional<Command> member_change(const StateStore& store, const std::string& name, const std::string& address,
                                     const std::string& datacenter, bool alive, bool left, Rng& rng) {
  const CatalogNode* node = store.node(name);
  if (left) {
    if (node == nullptr) return std::nullopt;
    return Command{DeregisterCommand{.node = name}};
  }
  const CheckStatus wanted = alive ? CheckStatus::passing : CheckStatus::critical;
  const char* output = alive ? "Agent alive and reachable" : "Agent not live or unreachable";
  if (node != nullptr) {
    const HealthCheck* serf_health = store.node_check(name, kSerfHealthCheckId);
    if (serf_health != nullptr && serf_health->status == wanted) return std::nullopt;
  }
  Registration registration{
      .node = {.id = node != nullptr ? node->id : generate_uuid(rng), .name = name, .address = address, .datacenter = datacenter},
      .checks = {HealthCheck{.id = kSerfHealthCheckId, .name = "Serf Health Status", .status = wanted, .output = output}}};
  return Command{RegisterCommand{std::move(registration)}};
}

}  // namespace

Task<bool> SimConsulCluster::reconcile_members(SimConsulCluster& cluster, Slot& leader, ConsulServer& server,
                                               Reconciled& reconciled, const std::optional<Logger>& log,
                                               std::stop_token stop) {
  struct Member {
    std::string name;
    std::string address;
    MemberStatus status;
  };
  const std::int64_t now_ns = cluster.world_.now_ns();
  const std::int64_t interval_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(cluster.options_.reconcile_interval).count();
  const bool all = !reconciled.all_at_ns || now_ns - *reconciled.all_at_ns >= interval_ns;
  if (all) reconciled.all_at_ns = now_ns;
  std::vector<Member> members;
  bool settled = true;
  auto consider = [&](const std::string& name, std::string_view address, MemberStatus status) {
    auto known = reconciled.status.find(name);
    if (!all && known != reconciled.status.end() && known->second == status) return;
    members.push_back({name, std::string(address), status});
  };
  // A member unreachable but not failed yet needs the rounds to go on until it fails.
  auto awaiting_detection = [](MemberStatus status, const std::optional<std::int64_t>& unreachable_since_ns) {
    return status == MemberStatus::alive && unreachable_since_ns.has_value();
  };
  for (auto& slot : cluster.slots_) {
    const std::string_view address = std::string_view(slot->server.address).substr(0, slot->server.address.find(':'));
    const MemberStatus status = cluster.member_status(*slot->node, slot->left, false, slot->unreachable_since_ns, leader);
    if (awaiting_detection(status, slot->unreachable_since_ns)) settled = false;
    consider(slot->server.id, address, status);
  }
  for (auto& agent : cluster.agents_) {
    if (agent->node->state() == sim::NodeState::created) continue;  // never joined
    const MemberStatus status =
        cluster.member_status(*agent->node, agent->left, agent->gossip_blocked, agent->unreachable_since_ns, leader);
    if (awaiting_detection(status, agent->unreachable_since_ns)) settled = false;
    consider(agent->name, agent->address, status);
  }
  for (const Member& member : members) {
    if (!server.is_leader()) co_return false;
    std::optional<Command> change =
        member_change(server.store(), member.name, member.address, server.options().datacenter,
                      member.status == MemberStatus::alive, member.status == MemberStatus::left, leader.node->rng());
    if (!change) {
      reconciled.status.insert_or_assign(member.name, member.status);
      continue;
    }
    if (log) log->info("reconciling member", "member", member.name,
                       "status", member.status == MemberStatus::alive ? "alive" : member.status == MemberStatus::failed ? "failed" : "left");
    Command command = std::move(*change);
    const RpcResult<CommandResult> written = co_await server.propose(std::move(command), stop);
    // Not written: reconciled again next round, as Consul retries a failed reconcile.
    if (written.ok()) {
      reconciled.status.insert_or_assign(member.name, member.status);
    } else {
      settled = false;
    }
  }
  co_return settled;
}

}  // namespace baton::fakes::consul
