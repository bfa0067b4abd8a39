// The clock model's arithmetic, for every drift and time the simulator may use.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "sim/runtime/node_clock.hpp"

namespace baton::sim {
namespace {

constexpr std::int64_t kYearNs = 365LL * 24 * 3600 * 1'000'000'000;

RC_GTEST_PROP(NodeClock, TrueAtIsTheEarliestInstantTheLocalClockReachesADeadline, ()) {
  NodeClock clock(ClockOptions{.drift_ppm = *rc::gen::inRange<std::int64_t>(-kDriftPpmMax, kDriftPpmMax + 1),
                               .monotonic_start_ns = *rc::gen::inRange<std::int64_t>(0, kYearNs)});
  const std::int64_t change_at = *rc::gen::inRange<std::int64_t>(0, kYearNs);
  if (*rc::gen::arbitrary<bool>()) clock.set_drift_ppm(*rc::gen::inRange<std::int64_t>(-kDriftPpmMax, kDriftPpmMax + 1), change_at);
  if (*rc::gen::arbitrary<bool>()) clock.step_monotonic(*rc::gen::inRange<std::int64_t>(0, kYearNs), change_at);

  const std::int64_t deadline = clock.local_at(change_at) + *rc::gen::inRange<std::int64_t>(1, kYearNs);
  const std::int64_t fires_at = clock.true_at(deadline);
  RC_ASSERT(clock.local_at(fires_at) >= deadline);
  RC_ASSERT(clock.local_at(fires_at - 1) < deadline);
}

RC_GTEST_PROP(NodeClock, LocalTimeNeverRunsBackward, ()) {
  NodeClock clock(ClockOptions{.drift_ppm = *rc::gen::inRange<std::int64_t>(-kDriftPpmMax, kDriftPpmMax + 1)});
  std::int64_t true_ns = 0;
  std::int64_t last_local = clock.local_at(0);
  for (int i = 0; i < 50; ++i) {
    true_ns += *rc::gen::inRange<std::int64_t>(0, 10'000'000'000);
    switch (*rc::gen::inRange(0, 3)) {
      case 0: clock.set_drift_ppm(*rc::gen::inRange<std::int64_t>(-kDriftPpmMax, kDriftPpmMax + 1), true_ns); break;
      case 1: clock.step_monotonic(*rc::gen::inRange<std::int64_t>(0, 10'000'000'000), true_ns); break;
      default: clock.step_wall(*rc::gen::inRange<std::int64_t>(-10'000'000'000, 10'000'000'000)); break;
    }
    const std::int64_t local = clock.local_at(true_ns);
    RC_ASSERT(local >= last_local);
    last_local = local;
  }
}

TEST(NodeClock, WallClockFollowsTheMonotonicClockPlusItsOwnSteps) {
  NodeClock clock(ClockOptions{.monotonic_start_ns = 5'000, .wall_start_unix_ns = 1'000'000});
  EXPECT_EQ(clock.wall_at(0).time_since_epoch().count(), 1'005'000);
  clock.step_wall(-2'000);
  EXPECT_EQ(clock.wall_at(10).time_since_epoch().count(), 1'003'010);
  EXPECT_EQ(clock.local_at(10), 5'010);
}

}  // namespace
}  // namespace baton::sim
