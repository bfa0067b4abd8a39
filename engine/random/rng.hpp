#pragma once
// xoshiro256** (Blackman and Vigna, 2018), seeded through splitmix64. Written out here rather
// than taken from <random> because the standard's distributions differ between library
// implementations, and a seed must replay the same run on any machine.
#include <chrono>
#include <cstdint>
#include <limits>

namespace baton {

__extension__ using uint128_t = unsigned __int128;  // GCC and Clang; -Wpedantic knows it is not ISO

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound), without modulo bias (Lemire's multiply-and-reject). bound > 0.
  std::uint64_t below(std::uint64_t bound);

  // Uniform in [low, high], both inclusive. low <= high.
  std::int64_t between(std::int64_t low, std::int64_t high);

  template <class Rep, class Period>
  std::chrono::duration<Rep, Period> between(std::chrono::duration<Rep, Period> low,
                                             std::chrono::duration<Rep, Period> high) {
    return std::chrono::duration<Rep, Period>(between(std::int64_t(low.count()), std::int64_t(high.count())));
  }

  // True with probability `percent` / 100, for percent in [0, 100].
  bool chance_percent(std::uint32_t percent) { return below(100) < percent; }

  // A new independent stream, for handing one to each child (node, component) so that adding
  // draws in one place does not shift every other place's numbers.
  Rng derive(std::uint64_t stream) { return Rng(next_u64() ^ splitmix64(stream)); }

  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t state_[4];
};

inline std::uint64_t Rng::below(std::uint64_t bound) {
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  uint128_t product = uint128_t(next_u64()) * bound;
  auto low = std::uint64_t(product);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      product = uint128_t(next_u64()) * bound;
      low = std::uint64_t(product);
    }
  }
  return std::uint64_t(product >> 64);
}

inline std::int64_t Rng::between(std::int64_t low, std::int64_t high) {
  const auto span = std::uint64_t(high) - std::uint64_t(low);
  if (span == std::numeric_limits<std::uint64_t>::max()) return std::int64_t(next_u64());
  return std::int64_t(std::uint64_t(low) + below(span + 1));
}

}  // namespace baton
