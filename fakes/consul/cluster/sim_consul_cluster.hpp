#pragma once
// SimConsulCluster: Consul servers on simulated nodes, talking Raft and forwarding requests to
// their leader across the simulated network. Each server's disk (its Raft log and peers) lives
// here, outside its process, so crashes keep it; everything else (the state store, session
// timers, the leader's duties) is rebuilt by the restarted process from its log.
//
// Agents reach a server with request(); a server that is not the leader forwards to the one it
// knows (Consul's ForwardRPC), holding up to rpc_hold_timeout when it knows none.
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "fakes/consul/api/http_api.hpp"
#include "fakes/consul/raft/sim_transport.hpp"
#include "sim/network/network.hpp"
#include "sim/runtime/sim_log.hpp"

namespace baton::fakes::consul {

// How servers take SIGINT/SIGTERM. modern (Consul >= 0.7, PR 2320): servers do not leave on a
// signal (skip_leave_on_interrupt = true); the process just stops. legacy (Consul 0.5-0.6): a
// server leaves the cluster gracefully on SIGINT, and leaving empties its peer set, which is
// how hashicorp/consul issue 993 wedged whole clusters.
enum class ConsulProfile { modern, legacy };

// A server's command-line flags for one start. They may change between restarts, as the seed's
// recovery recipe changes them (../shared/seeds/002_17f3ac04f5f0dc20.txt).
struct ServerFlags {
  // -bootstrap-expect: once this many servers are LAN members and none reports Raft peers,
  // bootstrap Raft with all of them (server_serf.go maybeBootstrap). Ignored once the server
  // has Raft data. 1 means -bootstrap, as Consul's config builder rewrites it.
  int bootstrap_expect = 0;
  // -bootstrap: this server bootstraps alone. modern: only when it has no Raft data
  // (server.go setupRaft). legacy: whenever its peer set is empty (old raft's EnableSingleNode).
  bool bootstrap = false;
};

struct SimConsulClusterOptions {
  std::size_t servers = 3;
  // Server i (from 0) is named this followed by i + 1: its node's name and its Raft id.
  std::string server_name_prefix = "consul-server-";
  // Raft timing: Consul's defaults (raft_multiplier 5: heartbeat and election 5s, lease 2.5s).
  raft::RaftTiming timing;
  // Applied to every server; node_name and address are set per server.
  ConsulServerOptions server;
  ConsulProfile profile = ConsulProfile::modern;
  // How often a server looks at the LAN members: stands in for Serf's member-join events,
  // which run maybeBootstrap and, on the leader, add new servers to Raft (joinConsulServer).
  Duration gossip_interval = 200ms;
  // Timeout of a Status.Peers call while bootstrapping.
  Duration status_peers_timeout = 1s;
  // Failure detection: a member that no running server can reach (directly or through one
  // other server, as memberlist's indirect probes do) for this long is failed, and the leader
  // turns its serfHealth check critical. memberlist's probe interval (1s), probe timeout and
  // suspicion timeout add up to a few seconds on a small LAN.
  Duration failure_detection = 5s;
  // Consul's leader also reconciles every member this often, events or not (ReconcileInterval,
  // agent/consul/config.go): a node deregistered by hand comes back within it.
  Duration reconcile_interval = 60s;
  // A client agent's connection to a server: how long a non-blocking call may take before it
  // fails as a dead connection (dial timeout, 10s in Consul's pool); a blocking query gets its
  // wait on top.
  Duration agent_rpc_timeout = 10s;
  // Where the servers log (bootstrap decisions, Raft); nullptr: nowhere.
  const sim::SimLog* log = nullptr;
};

class SimConsulCluster {
 public:
  SimConsulCluster(sim::World& world, sim::Network& network, SimConsulClusterOptions options = {});
  SimConsulCluster(const SimConsulCluster&) = delete;
  SimConsulCluster& operator=(const SimConsulCluster&) = delete;
  ~SimConsulCluster();

  // A fresh cluster: every server starts with bootstrap_expect = size(); they count each other
  // over gossip, bootstrap together and elect a leader.
  void bootstrap_and_start();
  // Starts server `i` with `flags`; a later restart of its node reuses them until set_flags.
  void start(std::size_t i, ServerFlags flags = {});
  void set_flags(std::size_t i, ServerFlags flags);

  std::size_t size() const { return slots_.size(); }
  sim::Node& node(std::size_t i) const;
  // The running incarnation's server, or nullptr while it is down.
  ConsulServer* server(std::size_t i) const;
  // SIGINT to server `i`: under the legacy profile it leaves gracefully first; then the process
  // exits (the node is crashed: its disk stays, nothing else). Runs the world until it exits
  // or `limit_ns`; whether the leave was seen to complete.
  bool interrupt(std::size_t i, std::int64_t limit_ns);
  // An operator writes raft/peers.json on stopped server `i` listing `servers` (by index): at
  // its next start it takes that configuration (RecoverCluster).
  bool write_peers_json(std::size_t i, const std::vector<std::size_t>& servers);

  // Client agents: one Consul agent process per machine that runs an engine instance, on its
  // own simulated node. Once started it is a LAN member: the leader registers its node with a
  // serfHealth check, turns that critical when the agent is failed, and deregisters the node
  // when it leaves (which destroys the node's sessions). Requests to an agent are forwarded to
  // a server as Consul's Client.RPC does it (see agent_request).
  std::size_t add_agent(std::string name, std::string address);
  void start_agent(std::size_t a);
  std::size_t agent_count() const { return agents_.size(); }
  sim::Node& agent_node(std::size_t a) const;
  // SIGTERM to a client agent (leave_on_terminate is a client's default): it leaves Serf, so
  // the leader deregisters its node and every session on it (failure mode 2), then it exits.
  // start_agent() or a restart of its node brings it back as a new member.
  void stop_agent(std::size_t a);
  // Drops the agent's gossip while its RPC still flows (failure mode 1: a gossip flap).
  void set_gossip_blocked(std::size_t a, bool blocked);
  // An HTTP request from `from` (a process on the agent's machine) to agent `a`. The agent
  // sends it to a server (trying them in turn; a failed one moves to the back), retries while
  // there is no leader for up to rpc_hold_timeout, and prefixes the servers' RPC errors (500,
  // 403) with "rpc error making call: ". nullopt when the agent cannot be reached: at once if
  // its process is down (connection refused), after `timeout` if it hangs (paused).
  Task<std::optional<http::Response>> agent_request(sim::Node& from, std::size_t a, http::Request request,
                                                    Duration timeout);

  // `consul snapshot save`: a copy of the established leader's state store; nullptr without one.
  std::shared_ptr<const StateStore> save_snapshot() const;
  // `consul snapshot restore` through the established leader: every server's store becomes the
  // snapshot's (indexes go backwards, sessions made since vanish, old holders reappear,
  // lock-delays are gone) and the leader restarts every session timer (failure mode 7). Runs the
  // world until it is applied or `limit_ns`; whether it was.
  bool restore_snapshot(std::shared_ptr<const StateStore> snapshot, std::int64_t limit_ns);

  // The one running server that has established its leadership, if exactly one has.
  std::optional<std::size_t> established_leader() const;

  // An HTTP request from `from` (an agent's node) to server `i`, across the network; nullopt
  // when no answer came within `timeout`.
  Task<std::optional<http::Response>> request(sim::Node& from, std::size_t i, http::Request request, Duration timeout);

 private:
  struct Slot;
  struct AgentSlot;
  class Forwarder;
  static Task<void> serve(SimConsulCluster& cluster, Slot& slot, sim::Node& node);
  // What the flags do to the disk before Raft starts (-bootstrap, legacy single-node mode).
  void bootstrap_alone_if_asked(Slot& slot, const std::optional<Logger>& log) const;
  // Serf's side of a server: bootstrap_expect counting, and the leader adding new servers.
  static Task<void> gossip(SimConsulCluster& cluster, Slot& slot, ConsulServer& server, std::optional<Logger> log,
                           std::stop_token stop);
  static Task<int> maybe_bootstrap(SimConsulCluster& cluster, Slot& slot, ConsulServer& server, int expect,
                                   const std::optional<Logger>& log, std::stop_token stop);
  // True when every alive server member is in the configuration (or could not be added only
  // because of a conflict that retrying does not change); false when an addition failed.
  static Task<bool> join_new_servers(SimConsulCluster& cluster, Slot& slot, ConsulServer& server,
                                     const std::optional<Logger>& log, std::stop_token stop);
  // The servers `slot` sees as alive LAN members (itself included): running, and reachable
  // both ways across the network.
  std::vector<Slot*> members_seen_by(const Slot& slot) const;
  Task<std::optional<std::vector<std::string>>> status_peers(Slot& from, Slot& to, std::stop_token stop);
  enum class MemberStatus { alive, failed, left };
  // What one leadership last reconciled (leader.go): a member is reconciled when its status
  // changes (Serf's member events on reconcileCh), and every member every reconcile_interval.
  struct Reconciled {
    std::map<std::string, MemberStatus, std::less<>> status;  // by member name
    std::optional<std::int64_t> all_at_ns;                    // the last full round
    // The membership view (membership_view()) of the last round that left nothing to do: no
    // failed write, no member waiting out failure detection. While the view is the same, a
    // round would find what that one found, so the leader skips it.
    std::vector<std::uint64_t> settled_view;
  };
  // Everything a membership round reads that can change between rounds: the partitions, and
  // each server's and agent's process (state, incarnation), leave, gossip block and boot flags,
  // and the leader's Raft configuration. Into `view` (cleared first), so that its storage is reused.
  void membership_view(const ConsulServer& server, std::vector<std::uint64_t>& view) const;
  // Whether the leader's round at this tick, whose membership view is `view`, can be skipped:
  // nothing it reads has changed since a round that settled everything, and no full round is due.
  bool round_can_be_skipped(const Reconciled& reconciled, const std::vector<std::uint64_t>& view) const;
  // leader.go reconcileMember, for every server and agent (or those whose status changed):
  // alive members registered with serfHealth passing, failed ones critical, left ones
  // deregistered. True when it settled everything: every write succeeded and no member is
  // unreachable but not yet failed.
  static Task<bool> reconcile_members(SimConsulCluster& cluster, Slot& leader, ConsulServer& server,
                                      Reconciled& reconciled, const std::optional<Logger>& log, std::stop_token stop);
  MemberStatus member_status(const sim::Node& member, bool left, bool gossip_blocked,
                             std::optional<std::int64_t>& unreachable_since_ns, const Slot& leader) const;
  bool gossip_reaches(const sim::Node& member, const Slot& leader) const;
  // A crashed process whose host still answers: connections to it are refused at once.
  bool process_dead_on_reachable_host(const sim::Node& from, const sim::Node& to) const;
  // Client.RPC on agent `agent`'s node.
  static Task<http::Response> agent_rpc(SimConsulCluster& cluster, AgentSlot& agent, http::Request request);
  Task<std::optional<http::Response>> send_to_server(sim::Node& from, std::size_t i, http::Request request,
                                                     AgentIdentity agent, Duration timeout);
  static Task<http::Response> answer(Slot& slot, http::Request request, AgentIdentity agent);
  Slot* slot_of(const std::string& id) const;

  sim::World& world_;
  sim::Network& network_;
  SimConsulClusterOptions options_;
  raft::SimRaftDirectory directory_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::unique_ptr<AgentSlot>> agents_;
};

}  // namespace baton::fakes::consul
