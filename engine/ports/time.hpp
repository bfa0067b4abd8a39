#pragma once
// Time types shared by every port. Engine code never asks the operating system for the time:
// it asks its Runtime (ports/runtime.hpp), which reads a real clock in production and the
// node's simulated clock in the simulator.
#include <chrono>
#include <cstdint>

namespace baton {

using Duration = std::chrono::nanoseconds;

// The clock behind MonoTime: the node's own monotonic clock. It has no now(): only a Runtime
// can tell the time. Only differences between two MonoTimes of one node mean anything.
struct MonoClock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<MonoClock>;
  static constexpr bool is_steady = true;
};

using MonoTime = MonoClock::time_point;

// Calendar time, as the node's wall clock reads it: for log lines and event timestamps, never
// for deadlines (a wall clock may step backwards).
using WallTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

// The deadline of a wait that has none.
inline constexpr MonoTime kNoDeadline = MonoTime::max();

}  // namespace baton
