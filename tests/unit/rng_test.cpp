// The PRNG behind every seed: its stream must be the published xoshiro256** one, identical on
// every machine, or seeds stop replaying.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "engine/random/rng.hpp"

namespace baton {
namespace {

TEST(Rng, MatchesTheReferenceStream) {
  // Expected values from an independent Python transcription of the reference C code
  // (prng.di.unimi.it/xoshiro256starstar.c, splitmix64.c), state seeded by splitmix64(0).
  Rng rng(0);
  EXPECT_EQ(rng.next_u64(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(rng.next_u64(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(rng.next_u64(), 0x1a5f849d4933e6e0ULL);
}

RC_GTEST_PROP(Rng, BetweenStaysWithinInclusiveBounds, (std::uint64_t seed, std::int64_t a, std::int64_t b)) {
  Rng rng(seed);
  const std::int64_t low = std::min(a, b);
  const std::int64_t high = std::max(a, b);
  for (int i = 0; i < 20; ++i) {
    const std::int64_t value = rng.between(low, high);
    RC_ASSERT(value >= low);
    RC_ASSERT(value <= high);
  }
}

TEST(Rng, BelowIsRoughlyUniform) {
  Rng rng(7);
  std::array<int, 6> counts{};
  for (int i = 0; i < 60'000; ++i) ++counts[rng.below(6)];
  for (int count : counts) {
    EXPECT_GT(count, 9'400);
    EXPECT_LT(count, 10'600);
  }
}

TEST(Rng, DerivedStreamsDifferFromTheParentAndEachOther) {
  Rng parent(3);
  Rng first = parent.derive(1);
  Rng second = parent.derive(2);
  EXPECT_NE(first.next_u64(), second.next_u64());
}

}  // namespace
}  // namespace baton
