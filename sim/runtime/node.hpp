#pragma once
// Node: one simulated process, and the simulator's binding of the Runtime port.
//
// States (every transition is traced as a fault or state record):
//   created  --start-->   running
//   running  --pause-->   paused   --resume--> running   (held wake-ups run late)
//   running  --crash-->   crashed  --restart-> running   (boot runs again from scratch)
//   paused   --crash-->   crashed
//
// A crash is a process death: from that instant no code of the node runs again. Its coroutine
// frames are destroyed without being resumed (destructors run, as an OS reclaims memory, but
// see Runtime::dying()), its pending wake-ups are dropped, its random stream goes on. What
// survives is what it had written elsewhere (Consul, disk) and its clock.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/async/scope.hpp"
#include "engine/ports/runtime.hpp"
#include "sim/runtime/node_clock.hpp"
#include "sim/runtime/world.hpp"

namespace baton::sim {

struct NodeOptions {
  std::string name;
  ClockOptions clock;
};

enum class NodeState { created, running, paused, crashed };
const char* to_string(NodeState state);

class Node final : public Runtime {
 public:
  // What the node runs when it starts and on every restart: its main().
  using Boot = std::function<Task<void>(Node&)>;

  Node(World& world, std::uint32_t index, NodeOptions options, Rng rng);
  ~Node() override;

  // Runtime port.
  MonoTime now() const override;
  WallTime wall_now() const override;
  WakeupId arm(std::coroutine_handle<> waiter, MonoTime deadline) override;
  void fire_now(WakeupId id) override { world_.fire_now(id); }
  void disarm(WakeupId id) override { world_.disarm(id); }
  Rng& rng() override { return rng_; }
  bool dying() const override { return dying_; }
  void fail(std::exception_ptr bug) override { world_.fail(*this, bug); }
  std::string_view name() const override { return name_; }

  // Lifecycle.
  void start(Boot boot);
  void crash();
  // The process ended by itself (after a graceful stop): a crash in every way but its name in
  // the trace. Like crash, called from outside the node's own code.
  void exit();
  void restart();
  void pause();
  void resume();

  // Clock faults; each reschedules the node's pending timers against the new clock.
  void set_drift_ppm(std::int64_t drift_ppm);
  void step_monotonic_clock(std::int64_t forward_ns);
  void step_wall_clock(std::int64_t delta_ns);

  NodeState state() const { return state_; }
  // Counts starts: 1 after start(), 2 after the first restart... Wake-ups remember it.
  std::uint32_t incarnation() const { return incarnation_; }
  std::uint32_t index() const { return index_; }
  const NodeClock& clock() const { return clock_; }
  Scope& scope() { return *scope_; }
  World& world() const { return world_; }

 private:
  void boot();
  void die(std::string_view how);
  void fault(std::string_view name, std::string_view detail = {});

  World& world_;
  std::uint32_t index_;
  std::string name_;
  NodeClock clock_;
  Rng rng_;
  NodeState state_ = NodeState::created;
  std::uint32_t incarnation_ = 0;
  bool dying_ = false;
  Boot boot_;
  std::optional<Scope> scope_;
};

}  // namespace baton::sim
