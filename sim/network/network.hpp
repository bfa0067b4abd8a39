#pragma once
// Network: the wires between simulated nodes, on the World's virtual time.
//
// send() carries one message from one node to another: it arrives after a latency drawn from
// the World's seeded Rng, unless the link loses it or a partition cuts it (checked when it is
// sent and again when it arrives, so a cut made while it is in flight catches it). On arrival
// the message is handed to the receiver: a running receiver handles it at once, as its own
// code (World::run_as), a paused one when it resumes (as a task spawned into its Scope, whose
// wake-up is held), a crashed one never (the message is dropped at arrival; a crash while it is
// held drops it too, with the rest of the process).
//
// Every send, delivery and drop is one TraceKind::message record, and every partition change
// one TraceKind::fault record, so the trace digest covers the network.
#include <cstdint>
#include <functional>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/network/network_options.hpp"
#include "sim/network/partitions.hpp"
#include "sim/runtime/node.hpp"

namespace baton::sim {

// Identifies one message in the trace ("id=..."); 0 is never issued.
using MessageId = std::uint64_t;

struct NetworkStats {
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
  std::uint64_t lost = 0;     // dropped by the link's loss_percent
  std::uint64_t cut = 0;      // dropped by a partition, at send or at arrival
  std::uint64_t refused = 0;  // the receiver was not running or paused at arrival
};

class Network {
 public:
  explicit Network(World& world, NetworkOptions options = {});
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // Per-link settings, one direction at a time; both directions with set_link_both().
  void set_link(const Node& from, const Node& to, LinkOptions link);
  void set_link_both(const Node& a, const Node& b, LinkOptions link);
  const LinkOptions& link(const Node& from, const Node& to) const;

  // Partitions. Each is a fault in the trace. heal() undoes them all.
  void isolate(const Node& node);
  void rejoin(const Node& node);
  void cut(const Node& a, const Node& b);
  void cut_one_way(const Node& from, const Node& to);
  void heal_link(const Node& a, const Node& b);
  void split(const std::vector<std::vector<const Node*>>& groups);
  void heal();
  bool passes(const Node& from, const Node& to) const { return partitions_.passes(from.index(), to.index()); }
  // Changes with every partition or heal (not with latency or loss).
  std::uint64_t partitions_version() const { return partitions_.version(); }

  // Sends `description` (a short label for the trace) from `from` to `to`. `on_arrival` runs
  // as code of `to` when the message is delivered, and at most once (so it may move what it
  // holds out); it must be copyable. Returns the message's id.
  MessageId send(Node& from, Node& to, std::string_view description, std::function<void()> on_arrival);

  // For protocols built on send() (rpc.hpp): records a drop decided at the receiver, such as
  // a reply that came back after its caller stopped waiting.
  void note_drop(const Node& at, MessageId id, std::string_view description, std::string_view reason);

  World& world() const { return world_; }
  const NetworkStats& stats() const { return stats_; }

 private:
  // A message on the wire. Kept in a pool (in_flight_, reused through free_in_flight_) so that
  // the World's event for its arrival captures an index only, small enough for std::function
  // to hold without allocating, and so that labels reuse their slot's storage.
  struct InFlight {
    Node* from = nullptr;
    Node* to = nullptr;
    MessageId id = 0;
    std::string description;
    std::function<void()> on_arrival;
  };

  void arrive(std::uint32_t in_flight);
  void fault(std::string_view name, std::string_view detail);

  World& world_;
  NetworkOptions options_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, LinkOptions> links_;  // (from, to) overrides
  Partitions partitions_;
  MessageId next_id_ = 1;
  NetworkStats stats_;
  std::vector<InFlight> in_flight_;
  std::vector<std::uint32_t> free_in_flight_;
};

}  // namespace baton::sim
