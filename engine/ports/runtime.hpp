#pragma once
// The seam between the engine and the world it runs in.
//
// One Runtime stands for one process: in production the whole daemon (bindings/asio), in the
// simulator one simulated node (sim/runtime/node.hpp). Engine code reaches time, timers,
// scheduling and randomness only through it, so that the same coroutines run on Boost.Asio in
// real time and on the simulator's virtual clock.
//
// Guarantees every binding gives:
// - Single-threaded: all coroutines of one Runtime run one at a time, on one thread.
// - now() only advances between resumptions, never during one.
// - A wake-up resumes its coroutine at most once, never inline from arm() or fire_now(): always
//   from the runtime's own loop, so no engine code re-enters itself.
// - Wake-ups due at the same instant resume in the order they were armed (or fired early).
#include <coroutine>
#include <cstdint>
#include <exception>
#include <string_view>

#include "engine/ports/time.hpp"
#include "engine/random/rng.hpp"

namespace baton {

// Names one armed wake-up of one Runtime. Stale ids are harmless: every operation on an id
// that has fired or been disarmed does nothing. 0 is never issued.
using WakeupId = std::uint64_t;

class Runtime {
 public:
  virtual ~Runtime() = default;

  // The node's monotonic clock, for deadlines and durations.
  virtual MonoTime now() const = 0;
  // The node's calendar clock, for log lines and event timestamps.
  virtual WallTime wall_now() const = 0;

  // Arms a one-shot wake-up: `waiter` is resumed once `deadline` has passed on this node's
  // monotonic clock (kNoDeadline: only when fired), unless disarmed first.
  virtual WakeupId arm(std::coroutine_handle<> waiter, MonoTime deadline) = 0;
  // Resumes an armed wake-up's waiter as soon as possible instead of at its deadline.
  virtual void fire_now(WakeupId id) = 0;
  // Forgets an armed wake-up: its waiter will not be resumed by it.
  virtual void disarm(WakeupId id) = 0;

  // This process's random stream. Seeded from the world in production, from the scenario
  // seed in the simulator.
  virtual Rng& rng() = 0;

  // True while the process is being torn down by a crash: coroutine frames are being destroyed
  // without resuming, and destructors must not call out (see engine/README.md).
  virtual bool dying() const = 0;

  // An exception escaped a spawned task: a bug, never an expected error. Production stops the
  // daemon with it; the simulator stops the run and reports the seed.
  virtual void fail(std::exception_ptr bug) = 0;

  // The process's name: the instance id in production, the node name in the simulator.
  virtual std::string_view name() const = 0;
};

}  // namespace baton
