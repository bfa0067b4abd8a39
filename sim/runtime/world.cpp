#include "sim/runtime/world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <utility>

#include "sim/runtime/node.hpp"

namespace baton::sim {
namespace {

std::uint32_t slot_of(WakeupId id) { return std::uint32_t(id); }
std::uint32_t generation_of(WakeupId id) { return std::uint32_t(id >> 32); }
WakeupId make_id(std::uint32_t slot, std::uint32_t generation) { return (WakeupId(generation) << 32) | slot; }

std::uint64_t hash_name(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : name) hash = (hash ^ std::uint8_t(c)) * 0x100000001b3ULL;
  return hash;
}

}  // namespace

World::World(WorldOptions options) : seed_(options.seed), rng_(options.seed), trace_(options.trace) {
  trace_.add(0, TraceKind::state, "", "seed", fmt::format("seed={}", seed_));
}

World::~World() {
  // Nodes go first: their frames disarm wake-ups in slots_, which must still exist.
  nodes_.clear();
}

Node& World::add_node(NodeOptions options) {
  assert(!options.name.empty() && find_node(options.name) == nullptr && "node names are unique");
  // Each node's stream derives from the seed and its name alone, so adding a node to a
  // scenario does not change the numbers the others draw.
  Rng node_rng(seed_ ^ hash_name(options.name));
  auto index = std::uint32_t(nodes_.size());
  nodes_.push_back(std::make_unique<Node>(*this, index, std::move(options), node_rng));
  return *nodes_.back();
}

Node* World::find_node(std::string_view name) const {
  for (const auto& node : nodes_) {
    if (node->name() == name) return node.get();
  }
  return nullptr;
}

void World::schedule_at(std::int64_t at_ns, std::function<void()> action) {
  assert(at_ns >= now_ns_ && "the past cannot be scheduled");
  const std::uint32_t index = allocate_slot();
  Slot& slot = slots_[index];
  slot.action = std::move(action);
  enqueue(index, at_ns);
}

bool World::step_until(std::int64_t limit_ns) {
  while (const std::optional<EventQueue::Entry> due = queue_.pop_due(limit_ns)) {
    const EventQueue::Entry entry = *due;
    Slot& slot = slots_[entry.slot];
    assert(slot.armed && "a freed slot leaves the queue");
    assert(entry.at_ns >= now_ns_ && "virtual time never runs backward");
    now_ns_ = entry.at_ns;
    if (slot.node != nullptr && slot.node_incarnation != slot.node->incarnation()) {
      free_slot(entry.slot);  // armed by a process that has since died
      continue;
    }
    if (slot.node != nullptr && slot.node->state() != NodeState::running) {
      slot.held = true;  // paused: runs when the node resumes
      slot.held_order = next_held_order_++;
      continue;
    }
    run_slot(entry.slot, entry.sequence);
    return true;
  }
  return false;
}

void World::run_slot(std::uint32_t index, std::uint64_t sequence) {
  ++events_run_;
  Slot& slot = slots_[index];
  if (slot.node == nullptr) {
    std::function<void()> action = std::move(slot.action);
    free_slot(index);
    action();
  } else {
    Node& node = *slot.node;
    const std::coroutine_handle<> waiter = slot.waiter;
    free_slot(index);
    trace_.add_wake(now_ns_, node.index(), node.name(), sequence);
    current_ = &node;
    waiter.resume();
    current_ = nullptr;
  }
  rethrow_failure();
}

void World::run_as(Node& node, const std::function<void()>& action) {
  assert(node.state() == NodeState::running && "a paused or dead node runs nothing");
  Node* const outer = std::exchange(current_, &node);
  try {
    action();
  } catch (...) {
    fail(node, std::current_exception());
  }
  current_ = outer;
}

void World::run_until(std::int64_t until_ns) {
  assert(until_ns >= now_ns_);
  while (step_until(until_ns)) {
  }
  now_ns_ = until_ns;
}

std::uint64_t World::run_until_idle(std::uint64_t max_events) {
  std::uint64_t count = 0;
  while (count < max_events && step()) ++count;
  return count;
}

WakeupId World::arm(Node& node, std::coroutine_handle<> waiter, MonoTime local_deadline) {
  const std::uint32_t index = allocate_slot();
  Slot& slot = slots_[index];
  slot.waiter = waiter;
  slot.node = &node;
  slot.node_incarnation = node.incarnation();
  slot.local_deadline = local_deadline;
  if (local_deadline != kNoDeadline) enqueue(index, true_deadline(node, local_deadline));
  return make_id(index, slot.generation);
}

void World::fire_now(WakeupId id) {
  Slot* slot = find(id);
  if (slot == nullptr || slot->held) return;  // a held wake-up runs on resume anyway
  slot->local_deadline = MonoTime::min();     // due now, whatever the clock does next
  enqueue(slot_of(id), now_ns_);
}

void World::disarm(WakeupId id) {
  if (find(id) != nullptr) free_slot(slot_of(id));
}

void World::release_held(Node& node) {
  // Late wake-ups run in the order they came due, which is not the order of their slots.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> held;  // (held_order, slot)
  for (std::uint32_t index = 0; index < slots_.size(); ++index) {
    const Slot& slot = slots_[index];
    if (slot.armed && slot.held && slot.node == &node) held.emplace_back(slot.held_order, index);
  }
  std::sort(held.begin(), held.end());
  for (auto [unused, index] : held) {
    slots_[index].held = false;
    enqueue(index, now_ns_);
  }
}

void World::drop_held(Node& node) {
  for (std::uint32_t index = 0; index < slots_.size(); ++index) {
    const Slot& slot = slots_[index];
    if (slot.armed && slot.held && slot.node == &node) free_slot(index);
  }
}

void World::reschedule(Node& node) {
  for (std::uint32_t index = 0; index < slots_.size(); ++index) {
    const Slot& slot = slots_[index];
    if (!slot.armed || slot.held || slot.node != &node || slot.local_deadline == kNoDeadline) continue;
    enqueue(index, true_deadline(node, slot.local_deadline));
  }
}

void World::fail(Node& node, std::exception_ptr bug) {
  if (failure_) return;
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(bug);
  } catch (const std::exception& error) {
    what = error.what();
  } catch (...) {
  }
  trace_.add(now_ns_, TraceKind::check, node.name(), "bug", what);
  failure_ = std::make_exception_ptr(SimulationBug(
      fmt::format("bug in node {} at t={}ns: {} (reproduce with seed={})", node.name(), now_ns_, what, seed_)));
}

void World::rethrow_failure() {
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

std::uint32_t World::allocate_slot() {
  std::uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = std::uint32_t(slots_.size());
    slots_.emplace_back();
  }
  slots_[index].armed = true;
  return index;
}

void World::free_slot(std::uint32_t index) {
  Slot& slot = slots_[index];
  slot.waiter = {};
  slot.action = nullptr;
  slot.node = nullptr;
  slot.armed = false;
  slot.held = false;
  ++slot.generation;
  queue_.cancel(index);
  free_slots_.push_back(index);
}

World::Slot* World::find(WakeupId id) {
  const std::uint32_t index = slot_of(id);
  if (index >= slots_.size()) return nullptr;
  Slot& slot = slots_[index];
  return slot.armed && slot.generation == generation_of(id) ? &slot : nullptr;
}

void World::enqueue(std::uint32_t index, std::int64_t at_ns) {
  queue_.schedule(index, std::max(at_ns, now_ns_), next_sequence_++, now_ns_);
}

std::int64_t World::true_deadline(const Node& node, MonoTime local_deadline) const {
  if (local_deadline.time_since_epoch().count() <= node.clock().local_at(now_ns_)) return now_ns_;
  return node.clock().true_at(local_deadline.time_since_epoch().count());
}

}  // namespace baton::sim
