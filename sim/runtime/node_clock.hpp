#pragma once
// A simulated node's clocks, as functions of true virtual time (the World's time).
//
//   monotonic(t) = anchor_local + (t - anchor_true) * (1e6 + drift_ppm) / 1e6
//   wall(t)      = wall_start + monotonic(t) + wall_offset
//
// The monotonic clock drives the node's timers. It can run fast or slow (drift) and can step
// forward (a host resumed from suspend, a hypervisor catching up), never backward: engine code
// rightly assumes a steady clock is steady. The wall clock follows it plus an offset that can
// step either way (an NTP correction), which moves log timestamps and nothing else.
#include <cstdint>

#include "engine/ports/time.hpp"

namespace baton::sim {

// Drift is bounded so a node's second stays within half to one and a half true seconds.
inline constexpr std::int64_t kDriftPpmMax = 500'000;

struct ClockOptions {
  // Parts per million the node's clock runs fast (> 0) or slow (< 0) against true time.
  std::int64_t drift_ppm = 0;
  // What the monotonic clock reads at true time zero, in ns (a node booted earlier reads more).
  std::int64_t monotonic_start_ns = 0;
  // What the wall clock reads, in ns since the Unix epoch, when the monotonic clock reads 0.
  // Default: 2026-01-01T00:00:00Z.
  std::int64_t wall_start_unix_ns = 1'767'225'600'000'000'000;
};

class NodeClock {
 public:
  explicit NodeClock(ClockOptions options = {});

  // The monotonic reading at true time `true_ns`. Non-decreasing in true_ns.
  std::int64_t local_at(std::int64_t true_ns) const;
  // The earliest true time at which the monotonic clock reads at least `local_ns`.
  std::int64_t true_at(std::int64_t local_ns) const;
  WallTime wall_at(std::int64_t true_ns) const;

  // From true time `true_now_ns` on, the clock runs at the new rate. |drift_ppm| <= kDriftPpmMax.
  void set_drift_ppm(std::int64_t drift_ppm, std::int64_t true_now_ns);
  // The monotonic clock jumps ahead by `forward_ns` >= 0 at `true_now_ns`.
  void step_monotonic(std::int64_t forward_ns, std::int64_t true_now_ns);
  // The wall clock alone jumps by `delta_ns`, forward or backward.
  void step_wall(std::int64_t delta_ns) { wall_offset_ns_ += delta_ns; }

  std::int64_t drift_ppm() const { return drift_ppm_; }
  std::int64_t wall_offset_ns() const { return wall_offset_ns_; }

 private:
  std::int64_t anchor_true_ns_ = 0;
  std::int64_t anchor_local_ns_;
  std::int64_t drift_ppm_;
  std::int64_t wall_start_unix_ns_;
  std::int64_t wall_offset_ns_ = 0;
};

}  // namespace baton::sim
