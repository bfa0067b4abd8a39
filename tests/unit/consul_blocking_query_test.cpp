// The client rules of blocking queries (consul-semantics.md §3 "Client rules", failure mode 22)
// and the retry back-off, as properties.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "engine/consul/blocking_query.hpp"

namespace baton::consul {
namespace {

using namespace std::chrono_literals;

TEST(BlockingIndex, Examples) {
  // The first answer is news, and the next query blocks on its index.
  EXPECT_EQ(next_blocking_step(0, 42).next_index, 42u);
  EXPECT_TRUE(next_blocking_step(0, 42).changed);
  // A timeout: same index, nothing new.
  EXPECT_FALSE(next_blocking_step(42, 42).changed);
  EXPECT_EQ(next_blocking_step(42, 42).next_index, 42u);
  // A change.
  EXPECT_TRUE(next_blocking_step(42, 50).changed);
  EXPECT_EQ(next_blocking_step(42, 50).next_index, 50u);
  // Backwards (a snapshot restore): reset, clamped to 1, and treat the answer as news.
  const BlockingStep reset = next_blocking_step(50, 7);
  EXPECT_TRUE(reset.went_backwards);
  EXPECT_TRUE(reset.changed);
  EXPECT_EQ(reset.next_index, 1u);
  // A reply of 0 (a Consul bug) never makes the next query non-blocking.
  EXPECT_EQ(next_blocking_step(0, 0).next_index, 1u);
  EXPECT_EQ(next_blocking_step(1, 0).next_index, 1u);
  EXPECT_FALSE(next_blocking_step(1, 0).changed);
  EXPECT_EQ(next_blocking_step(1, 0).seen_index, 1u);
}

// Never ask with 0 after the first answer.
RC_GTEST_PROP(BlockingIndex, NextIndexIsNeverZero, (std::uint64_t seen, std::uint64_t reply)) {
  RC_ASSERT(next_blocking_step(seen, reply).next_index >= 1u);
}

// Moving forward (or standing still) is followed; backwards resets.
RC_GTEST_PROP(BlockingIndex, ForwardIsFollowedBackwardsResets, (std::uint64_t seen, std::uint64_t reply)) {
  const BlockingStep step = next_blocking_step(seen, reply);
  const std::uint64_t clamped = std::max<std::uint64_t>(reply, 1);
  if (seen == 0 || clamped >= seen) {
    RC_ASSERT(!step.went_backwards);
    RC_ASSERT(step.next_index == clamped);
  } else {
    RC_ASSERT(step.went_backwards);
    RC_ASSERT(step.next_index == 1u);
  }
  RC_ASSERT(step.changed == (seen == 0 || clamped != seen));
}

// A watch loop over any sequence of answers: it never asks with 0 after the first answer, never
// blocks on an index beyond what Consul last said (which would miss updates for a whole wait:
// the bug a backwards index causes when not reset), reports every movement of the index as
// news exactly once, and a timeout (same index) as none.
RC_GTEST_PROP(BlockingIndex, AWatchLoopReportsEveryMovementOnce, (std::vector<std::uint64_t> replies)) {
  BlockingIndex watch;
  RC_ASSERT(watch.next() == 0u);
  std::optional<std::uint64_t> last;
  for (std::uint64_t reply : replies) {
    const BlockingStep step = watch.observe(reply);
    const std::uint64_t clamped = std::max<std::uint64_t>(reply, 1);
    RC_ASSERT(watch.next() >= 1u);
    RC_ASSERT(watch.next() <= clamped);
    RC_ASSERT(step.changed == (!last || *last != clamped));
    last = clamped;
  }
}

// After a reset, the restart read returns the same data at once: it is not news again.
TEST(BlockingIndex, TheRestartReadAfterAResetIsNotNewsAgain) {
  BlockingIndex watch;
  (void)watch.observe(50);
  EXPECT_TRUE(watch.observe(7).went_backwards);
  EXPECT_EQ(watch.next(), 1u);
  const BlockingStep restart = watch.observe(7);
  EXPECT_FALSE(restart.changed);
  EXPECT_EQ(watch.next(), 7u);
  EXPECT_TRUE(watch.observe(QueryMeta{.index = 9}).changed);
  EXPECT_EQ(watch.next(), 9u);
  watch.reset();
  EXPECT_EQ(watch.next(), 0u);
}

TEST(BlockingTimeout, WaitPlusJitterPlusHeadroom) {
  EXPECT_EQ(effective_wait(0s), 300s);
  EXPECT_EQ(effective_wait(-1s), 300s);
  EXPECT_EQ(effective_wait(30s), 30s);
  EXPECT_EQ(effective_wait(11min), 600s);
  EXPECT_EQ(blocking_timeout(16s, 10s), 16s + 1s + 10s);
  EXPECT_EQ(blocking_timeout(0s, 10s), 300s + 18750ms + 10s);
}

// Consul answers a blocking query at most wait + wait/16 after it arrives: the client's timeout
// always leaves that, plus its headroom.
RC_GTEST_PROP(BlockingTimeout, CoversConsulsLatestAnswer, ()) {
  const Duration wait = std::chrono::milliseconds(*rc::gen::inRange<std::int64_t>(-1000, 700'000));
  const Duration headroom = std::chrono::milliseconds(*rc::gen::inRange<std::int64_t>(0, 30'000));
  const Duration applied = effective_wait(wait);
  RC_ASSERT(applied > Duration::zero());
  RC_ASSERT(applied <= kMaxQueryTime);
  RC_ASSERT(blocking_timeout(wait, headroom) >= applied + applied / 16 + headroom);
}

TEST(Backoff, DoublesFromTheBaseUpToTheCap) {
  Rng rng(7);
  const BackoffPolicy policy{.base = 1s, .cap = 8s};
  const std::vector<Duration> ceilings = {1s, 2s, 4s, 8s, 8s, 8s};
  for (std::size_t i = 0; i < ceilings.size(); ++i) {
    const Duration delay = backoff_delay(policy, std::uint32_t(i + 1), rng);
    EXPECT_GE(delay, ceilings[i] / 2) << "failure " << i + 1;
    EXPECT_LE(delay, ceilings[i]) << "failure " << i + 1;
  }
}

TEST(Backoff, CountsFailuresAndResetsOnSuccess) {
  Rng rng(11);
  Backoff backoff(BackoffPolicy{.base = 100ms, .cap = 10s});
  (void)backoff.failed(rng);
  (void)backoff.failed(rng);
  EXPECT_EQ(backoff.failures(), 2u);
  EXPECT_GE(backoff.failed(rng), 200ms);
  backoff.succeeded();
  EXPECT_EQ(backoff.failures(), 0u);
  EXPECT_LE(backoff.failed(rng), 100ms);
}

// Never zero (no hot loop), never over the cap, however many failures; the same seed gives the
// same delays (the simulator replays them).
RC_GTEST_PROP(Backoff, BoundedJitteredAndDeterministic, (std::uint32_t failures_raw, std::uint64_t seed)) {
  const std::uint32_t failures = failures_raw % 100000 + 1;
  const Duration base = std::chrono::milliseconds(*rc::gen::inRange<std::int64_t>(1, 10'000));
  const Duration cap = base * *rc::gen::inRange<std::int64_t>(1, 1000);
  const BackoffPolicy policy{.base = base, .cap = cap};
  Rng first(seed);
  Rng second(seed);
  const Duration delay = backoff_delay(policy, failures, first);
  RC_ASSERT(delay >= base / 2);
  RC_ASSERT(delay > Duration::zero());
  RC_ASSERT(delay <= cap);
  RC_ASSERT(delay == backoff_delay(policy, failures, second));
}

// Instances that fail together (a lock release wakes every waiter at once) spread out.
TEST(Backoff, JitterSpreadsInstancesThatFailTogether) {
  const BackoffPolicy policy{.base = 1s, .cap = 30s};
  std::vector<Duration> delays;
  for (std::uint64_t instance = 0; instance < 20; ++instance) {
    Rng rng(1000 + instance);
    delays.push_back(backoff_delay(policy, 3, rng));
  }
  std::sort(delays.begin(), delays.end());
  EXPECT_GT(std::unique(delays.begin(), delays.end()) - delays.begin(), 15);
}

}  // namespace
}  // namespace baton::consul
