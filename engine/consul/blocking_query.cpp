#include "engine/consul/blocking_query.hpp"

#include <algorithm>
#include <cassert>

#include "engine/async/wait.hpp"

namespace baton::consul {

BlockingStep next_blocking_step(std::uint64_t seen_index, std::uint64_t reply_index) {
  // Consul replaces an index of 0 by 1 itself; a reply saying 0 anyway is a Consul bug, and
  // blocking on 0 would not block.
  const std::uint64_t reply = std::max<std::uint64_t>(reply_index, 1);
  BlockingStep step;
  step.seen_index = reply;
  step.went_backwards = seen_index > 0 && reply < seen_index;
  step.changed = seen_index == 0 || reply != seen_index;
  step.next_index = step.went_backwards ? 1 : reply;
  return step;
}

Duration effective_wait(Duration wait) {
  if (wait <= Duration::zero()) return kDefaultQueryTime;
  return std::min(wait, kMaxQueryTime);
}

Duration blocking_timeout(Duration wait, Duration headroom) {
  const Duration applied = effective_wait(wait);
  return applied + applied / 16 + headroom;
}

Duration backoff_delay(const BackoffPolicy& policy, std::uint32_t failures, Rng& rng) {
  assert(failures >= 1 && policy.base > Duration::zero() && policy.cap >= policy.base);
  Duration delay = policy.base;
  // Doubling stops at the cap, so no overflow however many failures.
  for (std::uint32_t i = 1; i < failures && delay < policy.cap; ++i) delay = std::min(delay * 2, policy.cap);
  delay = std::min(delay, policy.cap);
  return rng.between(delay / 2, delay);
}

Task<void> QueryPacer::next(Runtime& runtime, std::stop_token stop) {
  if (last_start_ && runtime.now() - *last_start_ < interval_) {
    co_await sleep_until(runtime, *last_start_ + interval_, std::move(stop));
  }
  last_start_ = runtime.now();
}

}  // namespace baton::consul
