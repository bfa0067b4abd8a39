#pragma once
// World: the simulated universe's single-threaded event loop.
//
// True virtual time starts at 0 and jumps from one event to the next; nothing ever sleeps.
// Every event is a wake-up: a suspended coroutine of some node to resume, or a world action
// (a scripted step, a fault) to run. Events run in order of true time, ties in the order they
// were scheduled, so one seed always gives one run.
//
// What the World guarantees about a node's wake-ups (the node's state machine is in node.hpp):
//   running  - wake-ups run at their time.
//   paused   - wake-ups that come due are held; on resume they all run at once, late, in order.
//   crashed  - wake-ups armed before the crash are dropped without running, ever.
#include <coroutine>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "engine/ports/runtime.hpp"
#include "sim/runtime/event_queue.hpp"
#include "sim/runtime/node_clock.hpp"
#include "sim/runtime/trace.hpp"

namespace baton::sim {

class Node;
struct NodeOptions;

// A bug escaped a node's coroutine: the run stops, naming the node, the time and the seed.
class SimulationBug : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WorldOptions {
  // Seeds every node's random stream and anything the scenario draws.
  std::uint64_t seed = 1;
  TraceOptions trace;
};

class World {
 public:
  explicit World(WorldOptions options = {});
  World(const World&) = delete;
  World& operator=(const World&) = delete;
  ~World();

  // Nodes are named uniquely and live as long as the World; a crash does not remove one.
  Node& add_node(NodeOptions options);
  Node* find_node(std::string_view name) const;
  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }

  std::int64_t now_ns() const { return now_ns_; }
  std::uint64_t seed() const { return seed_; }
  Rng& rng() { return rng_; }
  Trace& trace() { return trace_; }
  // The node whose coroutine is running now, or nullptr between events and in world actions.
  Node* current_node() const { return current_; }

  // Runs `action` at true time `at_ns` (>= now): scripted steps and faults.
  void schedule_at(std::int64_t at_ns, std::function<void()> action);

  // Runs the next event; false when there is none.
  bool step() { return step_until(INT64_MAX); }
  // Runs the next event if it is due at or before `limit_ns`; false otherwise.
  bool step_until(std::int64_t limit_ns);
  // Runs every event due at or before `until_ns`, then moves the time to `until_ns`.
  void run_until(std::int64_t until_ns);
  void run_for(std::int64_t duration_ns) { run_until(now_ns_ + duration_ns); }
  // Runs until no event is left or `max_events` have run; returns the number run.
  std::uint64_t run_until_idle(std::uint64_t max_events = UINT64_MAX);
  std::uint64_t events_run() const { return events_run_; }

  // Runs `action` at once as code of `node`, which must be running: a message it receives.
  // The same as arming a wake-up due now and running it, without the trip through the queue;
  // an exception escaping `action` is a bug of `node`, as one escaping a coroutine would be.
  void run_as(Node& node, const std::function<void()>& action);

  // For Node, which implements the Runtime port on top of these.
  WakeupId arm(Node& node, std::coroutine_handle<> waiter, MonoTime local_deadline);
  void fire_now(WakeupId id);
  void disarm(WakeupId id);
  void release_held(Node& node);
  void drop_held(Node& node);
  void reschedule(Node& node);
  void fail(Node& node, std::exception_ptr bug);

 private:
  struct Slot {
    std::coroutine_handle<> waiter;
    std::function<void()> action;  // world actions only
    Node* node = nullptr;          // nullptr: a world action
    MonoTime local_deadline{};
    std::uint32_t generation = 1;  // identity of the current use; bumped when freed
    std::uint32_t node_incarnation = 0;
    bool armed = false;
    bool held = false;             // waiting for its paused node to resume
    std::uint64_t held_order = 0;  // when it was held, to release in due order
  };

  std::uint32_t allocate_slot();
  void free_slot(std::uint32_t index);
  Slot* find(WakeupId id);
  void enqueue(std::uint32_t index, std::int64_t at_ns);
  std::int64_t true_deadline(const Node& node, MonoTime local_deadline) const;
  void run_slot(std::uint32_t index, std::uint64_t sequence);
  void rethrow_failure();

  std::uint64_t seed_;
  Rng rng_;
  Trace trace_;
  std::int64_t now_ns_ = 0;
  std::uint64_t next_sequence_ = 0;
  std::uint64_t events_run_ = 0;
  std::uint64_t next_held_order_ = 0;
  Node* current_ = nullptr;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  EventQueue queue_;  // the armed slots that have a due time (not held ones)
  std::vector<std::unique_ptr<Node>> nodes_;
  std::exception_ptr failure_;
};

}  // namespace baton::sim
