#pragma once
// Virtual-time literals for tests: true time in the World is int64 nanoseconds.
#include <cstdint>

namespace baton::test {

constexpr std::int64_t ms(std::int64_t milliseconds) { return milliseconds * 1'000'000; }
constexpr std::int64_t seconds(std::int64_t whole_seconds) { return whole_seconds * 1'000'000'000; }

}  // namespace baton::test
