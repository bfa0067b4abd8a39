#include "sim/runtime/node.hpp"

#include <fmt/format.h>

#include <cassert>

namespace baton::sim {

const char* to_string(NodeState state) {
  switch (state) {
    case NodeState::created: return "created";
    case NodeState::running: return "running";
    case NodeState::paused: return "paused";
    case NodeState::crashed: return "crashed";
  }
  return "unknown";
}

Node::Node(World& world, std::uint32_t index, NodeOptions options, Rng rng)
    : world_(world), index_(index), name_(std::move(options.name)), clock_(options.clock), rng_(rng) {}

Node::~Node() {
  // The World is being torn down: the same as a crash, untraced.
  dying_ = true;
  scope_.reset();
}

MonoTime Node::now() const { return MonoTime(Duration(clock_.local_at(world_.now_ns()))); }

WallTime Node::wall_now() const { return clock_.wall_at(world_.now_ns()); }

WakeupId Node::arm(std::coroutine_handle<> waiter, MonoTime deadline) {
  // A paused node's wake-ups are held (World::run_slot); a dead one arms nothing.
  assert((state_ == NodeState::running || state_ == NodeState::paused) && "a dead node cannot wait");
  return world_.arm(*this, waiter, deadline);
}

void Node::start(Boot boot) {
  assert(state_ == NodeState::created);
  boot_ = std::move(boot);
  world_.trace().add(world_.now_ns(), TraceKind::state, name_, "start");
  this->boot();
}

void Node::boot() {
  state_ = NodeState::running;
  ++incarnation_;
  scope_.emplace(*this);
  if (boot_) scope_->spawn(boot_(*this));
}

void Node::crash() { die("crash"); }

void Node::exit() { die("exit"); }

void Node::die(std::string_view how) {
  assert(state_ == NodeState::running || state_ == NodeState::paused);
  assert(world_.current_node() != this && "a node cannot crash itself from its own code");
  fault(how);
  state_ = NodeState::crashed;
  world_.drop_held(*this);
  dying_ = true;
  scope_.reset();  // every frame goes, none resumes
  dying_ = false;
}

void Node::restart() {
  assert(state_ == NodeState::crashed);
  fault("restart");
  boot();
}

void Node::pause() {
  assert(state_ == NodeState::running);
  fault("pause");
  state_ = NodeState::paused;
}

void Node::resume() {
  assert(state_ == NodeState::paused);
  fault("resume");
  state_ = NodeState::running;
  world_.release_held(*this);
}

void Node::set_drift_ppm(std::int64_t drift_ppm) {
  fault("clock_drift", fmt::format("drift_ppm={}", drift_ppm));
  clock_.set_drift_ppm(drift_ppm, world_.now_ns());
  world_.reschedule(*this);
}

void Node::step_monotonic_clock(std::int64_t forward_ns) {
  fault("clock_step", fmt::format("monotonic_ns=+{}", forward_ns));
  clock_.step_monotonic(forward_ns, world_.now_ns());
  world_.reschedule(*this);
}

void Node::step_wall_clock(std::int64_t delta_ns) {
  fault("wall_clock_step", fmt::format("wall_ns={:+}", delta_ns));
  clock_.step_wall(delta_ns);
}

void Node::fault(std::string_view name, std::string_view detail) {
  world_.trace().add(world_.now_ns(), TraceKind::fault, name_, name, detail);
}

}  // namespace baton::sim
