#pragma once
// A version 4 UUID drawn from an Rng, so that a simulated node's ids (events, API request ids)
// come from its own random stream and replay with the seed.
#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "engine/random/rng.hpp"

namespace baton {

inline std::string uuid_v4(Rng& rng) {
  const std::uint64_t high = rng.next_u64();
  const std::uint64_t low = rng.next_u64();
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", std::uint32_t(high >> 32), std::uint32_t(high >> 16) & 0xFFFF,
                     std::uint32_t(high) & 0x0FFF, (std::uint32_t(low >> 48) & 0x3FFF) | 0x8000, low & 0xFFFFFFFFFFFFull);
}

}  // namespace baton
