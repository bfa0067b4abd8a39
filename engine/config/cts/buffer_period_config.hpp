#pragma once
// buffer_period { enabled, min, max } (CTS v0.9.0 config/buffer_period.go), at the top level
// (the default for every task) and in a task.
#include "engine/config/cts/opt.hpp"
#include "engine/ports/time.hpp"

namespace baton::config::cts {

inline constexpr Duration kDefaultBufferPeriodMin = std::chrono::seconds(5);
inline constexpr Duration kDefaultBufferPeriodMax = 4 * kDefaultBufferPeriodMin;

struct BufferPeriodConfig {
  Opt<bool> enabled;
  Opt<Duration> min;
  Opt<Duration> max;
  friend bool operator==(const BufferPeriodConfig&, const BufferPeriodConfig&) = default;
};

}  // namespace baton::config::cts
