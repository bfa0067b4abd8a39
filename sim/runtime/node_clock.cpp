#include "sim/runtime/node_clock.hpp"

#include <cassert>
#include <cstdlib>

namespace baton::sim {
namespace {

constexpr std::int64_t kMillion = 1'000'000;
__extension__ using int128_t = __int128;

// floor(a * b / c) and ceil(a * b / c) for c > 0, in 128 bits so that years of nanoseconds
// times a million cannot overflow.
std::int64_t scale_floor(std::int64_t a, std::int64_t b, std::int64_t c) {
  const int128_t product = int128_t(a) * b;
  int128_t quotient = product / c;
  if (product % c != 0 && product < 0) --quotient;
  return std::int64_t(quotient);
}
std::int64_t scale_ceil(std::int64_t a, std::int64_t b, std::int64_t c) {
  const int128_t product = int128_t(a) * b;
  int128_t quotient = product / c;
  if (product % c != 0 && product > 0) ++quotient;
  return std::int64_t(quotient);
}

}  // namespace

NodeClock::NodeClock(ClockOptions options)
    : anchor_local_ns_(options.monotonic_start_ns),
      drift_ppm_(options.drift_ppm),
      wall_start_unix_ns_(options.wall_start_unix_ns) {
  assert(std::llabs(drift_ppm_) <= kDriftPpmMax);
}

std::int64_t NodeClock::local_at(std::int64_t true_ns) const {
  // Without drift the scale is 1: the same result without a 128-bit division.
  if (drift_ppm_ == 0) return anchor_local_ns_ + (true_ns - anchor_true_ns_);
  return anchor_local_ns_ + scale_floor(true_ns - anchor_true_ns_, kMillion + drift_ppm_, kMillion);
}

std::int64_t NodeClock::true_at(std::int64_t local_ns) const {
  if (local_ns <= anchor_local_ns_) return anchor_true_ns_;
  if (drift_ppm_ == 0) return anchor_true_ns_ + (local_ns - anchor_local_ns_);
  const std::int64_t true_ns = anchor_true_ns_ + scale_ceil(local_ns - anchor_local_ns_, kMillion, kMillion + drift_ppm_);
  assert(local_at(true_ns) >= local_ns);
  return true_ns;
}

WallTime NodeClock::wall_at(std::int64_t true_ns) const {
  return WallTime(Duration(wall_start_unix_ns_ + local_at(true_ns) + wall_offset_ns_));
}

void NodeClock::set_drift_ppm(std::int64_t drift_ppm, std::int64_t true_now_ns) {
  assert(std::llabs(drift_ppm) <= kDriftPpmMax);
  anchor_local_ns_ = local_at(true_now_ns);
  anchor_true_ns_ = true_now_ns;
  drift_ppm_ = drift_ppm;
}

void NodeClock::step_monotonic(std::int64_t forward_ns, std::int64_t true_now_ns) {
  assert(forward_ns >= 0 && "a monotonic clock never steps backward");
  anchor_local_ns_ = local_at(true_now_ns) + forward_ns;
  anchor_true_ns_ = true_now_ns;
}

}  // namespace baton::sim
