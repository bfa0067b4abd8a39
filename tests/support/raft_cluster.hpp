#pragma once
// A cluster of Raft servers on simulated nodes, for tests: one node per server, the servers'
// durable state kept here (outside the processes, so crashes keep it), every server's state
// machine a list of the string commands it applied, and a RaftSafetyChecker told of every
// election, apply and acknowledged proposal as they happen.
#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/async/wait.hpp"
#include "fakes/consul/raft/cluster_setup.hpp"
#include "fakes/consul/raft/configuration.hpp"
#include "fakes/consul/raft/raft_node.hpp"
#include "fakes/consul/raft/sim_transport.hpp"
#include "fakes/consul/raft/typed_raft.hpp"
#include "sim/network/network.hpp"
#include "sim/runtime/sim_log.hpp"
#include "tests/support/raft_safety_checker.hpp"

namespace baton::test {

namespace raft = fakes::consul::raft;

// The state machine of the tests: commands are strings, the result is the index applied at.
using StringRaft = raft::TypedRaft<std::string, std::uint64_t>;

struct RaftClusterOptions {
  std::uint64_t seed = 1;
  std::size_t servers = 3;
  // Consul's defaults (raft_multiplier 5: heartbeat and election 5s, lease 2.5s).
  raft::RaftTiming timing;
  sim::LinkOptions link;
  bool clear_peers_on_leave = false;
  // Keep trace records (tests that read them); off for property runs.
  bool keep_trace_records = true;
  // Where Raft's log lines are printed (nullptr: only into the trace).
  std::ostream* log_out = nullptr;
};

struct RaftServerSlot {
  raft::Server server;
  sim::Node* node = nullptr;
  raft::RaftDurableState durable;  // the server's disk: survives its crashes
  raft::RaftNode* raft = nullptr;  // the running incarnation's, while there is one
  std::vector<std::pair<std::uint64_t, std::string>> applied;  // this incarnation's state machine
};

// What the tests' client got back from one proposal.
struct Proposal {
  std::string command;
  bool done = false;
  std::optional<std::uint64_t> index;         // committed at
  std::optional<raft::RaftError> error;
};

class RaftCluster {
 public:
  explicit RaftCluster(RaftClusterOptions options = {})
      : options_(options),
        world_(sim::WorldOptions{.seed = options.seed, .trace = {.keep_records = options.keep_trace_records}}),
        network_(world_, sim::NetworkOptions{.default_link = options.link}),
        logs_(world_, sim::SimLogOptions{.out = log_output(options), .level = LogLevel::info}) {
    for (std::size_t i = 0; i < options_.servers; ++i) add_server(i);
  }

  // Bootstraps the first `count` servers (all by default) with the configuration of them
  // all, then starts them. The others stay unstarted, with no state.
  void bootstrap_and_start(std::size_t count = SIZE_MAX) {
    count = std::min(count, slots_.size());
    raft::Configuration configuration;
    for (std::size_t i = 0; i < count; ++i) configuration.servers.push_back(slots_[i]->server);
    for (std::size_t i = 0; i < count; ++i) {
      const raft::RaftStatus status = raft::bootstrap_cluster(slots_[i]->durable, configuration);
      assert(status.ok());
      (void)status;
    }
    for (std::size_t i = 0; i < count; ++i) start(*slots_[i]);
  }

  void start(RaftServerSlot& slot) {
    slot.node->start([this, &slot](sim::Node& node) { return serve(*this, slot, node); });
  }

  raft::Configuration full_configuration() const {
    raft::Configuration configuration;
    for (const auto& slot : slots_) configuration.servers.push_back(slot->server);
    return configuration;
  }

  // The running servers that believe they lead.
  std::vector<RaftServerSlot*> leaders() {
    std::vector<RaftServerSlot*> found;
    for (auto& slot : slots_) {
      if (slot->raft != nullptr && slot->node->state() == sim::NodeState::running && slot->raft->is_leader()) {
        found.push_back(slot.get());
      }
    }
    return found;
  }

  // Runs until exactly one running server leads and every other running one follows it, or
  // until `limit_ns`; the leader, if so.
  RaftServerSlot* run_until_stable_leader(std::int64_t limit_ns, std::int64_t poll_ns = 10'000'000) {
    for (;;) {
      world_.run_until(world_.now_ns());  // what is due now first (a resumed node's held wake-ups)
      if (RaftServerSlot* leader = stable_leader()) return leader;
      if (world_.now_ns() >= limit_ns) return nullptr;
      world_.run_until(std::min(world_.now_ns() + poll_ns, limit_ns));
    }
  }

  RaftServerSlot* stable_leader() {
    const std::vector<RaftServerSlot*> found = leaders();
    if (found.size() != 1) return nullptr;
    for (auto& slot : slots_) {
      if (slot->raft == nullptr || slot->node->state() != sim::NodeState::running || slot.get() == found[0]) continue;
      if (!raft::has_vote(slot->raft->latest_configuration(), slot->server.id)) continue;  // removed: not following
      const auto& followed = slot->raft->leader();
      if (!followed || followed->id != found[0]->server.id) return nullptr;
    }
    return found[0];
  }

  // Proposes `command` from a client task on `slot`'s node; the result lands in the returned
  // Proposal (owned here) when it comes.
  Proposal& propose(RaftServerSlot& slot, std::string command) {
    proposals_.push_back(std::make_unique<Proposal>(Proposal{.command = std::move(command)}));
    Proposal& proposal = *proposals_.back();
    assert(slot.raft != nullptr);
    slot.node->scope().spawn(client(*this, *slot.raft, proposal));
    return proposal;
  }

  // Runs until `proposal` is answered or `limit_ns`.
  bool run_until_answered(const Proposal& proposal, std::int64_t limit_ns) {
    while (!proposal.done && world_.now_ns() < limit_ns) world_.run_until(std::min(world_.now_ns() + 10'000'000, limit_ns));
    return proposal.done;
  }

  // Runs until every running server has applied `index`, or `limit_ns`.
  bool run_until_applied_everywhere(std::uint64_t index, std::int64_t limit_ns) {
    for (;;) {
      bool all = true;
      for (auto& slot : slots_) {
        if (slot->node->state() == sim::NodeState::crashed) continue;
        if (slot->raft == nullptr || slot->raft->last_applied() < index) all = false;
      }
      if (all) return true;
      if (world_.now_ns() >= limit_ns) return false;
      world_.run_until(std::min(world_.now_ns() + 10'000'000, limit_ns));
    }
  }

  // Runs `leave()` on `slot` to its end; its result, or nullopt if it did not end by `limit_ns`.
  std::optional<bool> leave(RaftServerSlot& slot, std::int64_t limit_ns) {
    auto outcome = std::make_shared<std::optional<bool>>();  // outlives this call if the leave does
    assert(slot.raft != nullptr);
    slot.node->scope().spawn(leaver(*slot.raft, outcome));
    while (!*outcome && world_.now_ns() < limit_ns) world_.run_until(std::min(world_.now_ns() + 10'000'000, limit_ns));
    return *outcome;
  }

  // Runs add_voter(server) on `leader` to its end; the configuration entry's index if it
  // committed by `limit_ns`.
  std::optional<std::uint64_t> add_voter(RaftServerSlot& leader, raft::Server server, std::int64_t limit_ns) {
    auto outcome = std::make_shared<std::optional<raft::RaftResult<std::uint64_t>>>();
    assert(leader.raft != nullptr);
    leader.node->scope().spawn(adder(*leader.raft, std::move(server), outcome));
    while (!*outcome && world_.now_ns() < limit_ns) world_.run_until(std::min(world_.now_ns() + 10'000'000, limit_ns));
    if (!*outcome || !(*outcome)->ok()) return std::nullopt;
    return (*outcome)->value();
  }

  void check_logs_hold_committed() {
    for (auto& slot : slots_) checker_.check_log(world_.now_ns(), slot->server.id, slot->durable);
  }

  RaftServerSlot& slot(std::size_t i) { return *slots_.at(i); }
  std::size_t size() const { return slots_.size(); }
  sim::World& world() { return world_; }
  sim::Network& network() { return network_; }
  RaftSafetyChecker& checker() { return checker_; }
  const RaftClusterOptions& options() const { return options_; }

  // Scaled timeouts, in true nanoseconds (the nodes' clocks do not drift here).
  std::int64_t heartbeat_ns() const { return options_.timing.scaled_heartbeat_timeout().count(); }
  std::int64_t election_ns() const { return options_.timing.scaled_election_timeout().count(); }
  std::int64_t lease_ns() const { return options_.timing.scaled_leader_lease_timeout().count(); }

 private:
  // BATON_RAFT_LOG=1 in the environment prints every server's Raft log lines, for debugging.
  static std::ostream* log_output(const RaftClusterOptions& options) {
    if (options.log_out != nullptr) return options.log_out;
    return std::getenv("BATON_RAFT_LOG") != nullptr ? &std::clog : nullptr;
  }

  void add_server(std::size_t i) {
    auto slot = std::make_unique<RaftServerSlot>();
    slot->server = raft::Server{.id = fmt::format("s{}", i + 1), .address = fmt::format("10.0.0.{}:8300", i + 1)};
    slot->node = &world_.add_node(sim::NodeOptions{.name = slot->server.id});
    directory_.add(slot->server.id, *slot->node);
    slots_.push_back(std::move(slot));
  }

  // Clears the slot's pointer to its RaftNode when the process's frames die.
  struct LiveRaft {
    RaftServerSlot& slot;
    ~LiveRaft() { slot.raft = nullptr; }
  };

  static Task<void> serve(RaftCluster& cluster, RaftServerSlot& slot, sim::Node& node) {
    raft::SimRaftTransport transport(cluster.network_, cluster.directory_, node, slot.server.id);
    slot.applied.clear();  // a new process: its state machine starts empty
    raft::RaftOptions options{.self = slot.server, .timing = cluster.options_.timing,
                              .clear_peers_on_leave = cluster.options_.clear_peers_on_leave};
    raft::RaftNode raft(node, transport, slot.durable, std::move(options), callbacks(cluster, slot, node),
                        cluster.logs_.logger_for(node).named("raft"));
    LiveRaft live{slot};
    slot.raft = &raft;
    co_await raft.run(node.scope().token());
  }

  static raft::RaftCallbacks callbacks(RaftCluster& cluster, RaftServerSlot& slot, sim::Node& node) {
    raft::RaftCallbacks callbacks;
    callbacks.apply = StringRaft::apply([&cluster, &slot, &node](std::uint64_t index, const std::string& command) {
      cluster.checker_.applied(cluster.world_.now_ns(), slot.server.id, node.incarnation(), index, command);
      slot.applied.emplace_back(index, command);
      return index;
    });
    callbacks.reset = [&cluster, &slot, &node] {
      cluster.checker_.reset(slot.server.id, node.incarnation());
      slot.applied.clear();
    };
    callbacks.leadership_changed = [&cluster, &slot](bool leading) {
      if (leading && slot.raft != nullptr) {
        cluster.checker_.leader_elected(cluster.world_.now_ns(), slot.raft->current_term(), slot.server.id, slot.durable);
      }
    };
    return callbacks;
  }

  static Task<void> client(RaftCluster& cluster, raft::RaftNode& node, Proposal& proposal) {
    std::string command = proposal.command;
    std::stop_token no_stop;
    raft::RaftResult<std::uint64_t> outcome = co_await StringRaft::propose(node, std::move(command), no_stop);
    proposal.done = true;
    if (!outcome) {
      proposal.error = outcome.error();
      co_return;
    }
    proposal.index = outcome.value();
    cluster.checker_.committed(cluster.world_.now_ns(), outcome.value(), proposal.command);
  }

  static Task<void> leaver(raft::RaftNode& node, std::shared_ptr<std::optional<bool>> outcome) {
    std::stop_token no_stop;
    raft::RaftResult<bool> left = co_await node.leave(no_stop);
    *outcome = left.ok() && left.value();
  }

  static Task<void> adder(raft::RaftNode& node, raft::Server server,
                          std::shared_ptr<std::optional<raft::RaftResult<std::uint64_t>>> outcome) {
    std::stop_token no_stop;
    raft::RaftResult<std::uint64_t> added = co_await node.add_voter(std::move(server), no_stop);
    outcome->emplace(std::move(added));
  }

  RaftClusterOptions options_;
  // Declared before the World: the processes' frames unbind from the directory and clear
  // their slot as the World destroys them.
  raft::SimRaftDirectory directory_;
  std::vector<std::unique_ptr<RaftServerSlot>> slots_;
  std::vector<std::unique_ptr<Proposal>> proposals_;
  RaftSafetyChecker checker_;
  sim::World world_;
  sim::Network network_;
  sim::SimLog logs_;
};

}  // namespace baton::test
