#pragma once
// The client's side of Consul's blocking queries: pure functions, and one small value type for a
// watch loop's state.
//
// Sources: consul-semantics.md §3 ("Client rules (docs): reset the index to 0 if it goes
// backwards; check it is > 0; rate-limit") and consul-lock-failure-modes.md item 22 ("index
// backwards -> reset to 0; index 0 -> busy loops (clamp to >= 1); replies up to wait/16 late;
// rate-limit churn; a release wakes every waiter at once").
#include <cstdint>
#include <optional>
#include <stop_token>

#include "engine/async/task.hpp"
#include "engine/consul/types.hpp"
#include "engine/ports/runtime.hpp"
#include "engine/ports/time.hpp"
#include "engine/random/rng.hpp"

namespace baton::consul {

// Consul's defaults for blocking queries (agent config default_query_time, max_query_time).
inline constexpr Duration kDefaultQueryTime = std::chrono::minutes(5);
inline constexpr Duration kMaxQueryTime = std::chrono::minutes(10);

// What to do after a blocking query answered.
struct BlockingStep {
  // The ?index= of the next query. Always >= 1: asking with 0 would not block, and a loop that
  // never blocks hammers Consul (item 22). After the index went backwards this is 1, Consul's
  // documented reset to 0 clamped to 1: it returns at once with fresh data whenever the real
  // index is past 1, yet cannot spin on a cluster that really reports 1.
  std::uint64_t next_index = 1;
  // The answer's index as the next step must compare against: X-Consul-Index, 0 taken as 1.
  std::uint64_t seen_index = 1;
  // The answer may hold news: the first answer, or an index that moved either way. An
  // unchanged index is a wait that timed out (or a wake-up with nothing new).
  bool changed = false;
  // The index went backwards (snapshot restore, a deleted key in a list, a new cluster): the
  // watch restarts.
  bool went_backwards = false;
};

// `seen_index` is the previous answer's BlockingStep::seen_index (0 before the first answer);
// `reply_index` the new answer's X-Consul-Index.
BlockingStep next_blocking_step(std::uint64_t seen_index, std::uint64_t reply_index);

// The state of one watch loop: what to ask next, and what it last saw.
class BlockingIndex {
 public:
  // The ?index= of the next query: 0 (a plain read) before the first answer, >= 1 after.
  std::uint64_t next() const { return next_; }
  // Folds an answer's X-Consul-Index in.
  BlockingStep observe(std::uint64_t reply_index) {
    const BlockingStep step = next_blocking_step(seen_, reply_index);
    seen_ = step.seen_index;
    next_ = step.next_index;
    return step;
  }
  BlockingStep observe(const QueryMeta& meta) { return observe(meta.index); }
  // Starts over, as after an error that may have lost track (a new agent, a new cluster).
  void reset() { seen_ = next_ = 0; }

 private:
  std::uint64_t seen_ = 0;
  std::uint64_t next_ = 0;
};

// The wait Consul will actually apply to a blocking query asking `wait`: zero or less becomes
// default_query_time, more than max_query_time is clamped to it.
Duration effective_wait(Duration wait);

// How long the client gives a blocking query before it calls it a timeout: the effective wait,
// plus the up to wait/16 of jitter Consul adds, plus `headroom` for the round trip and a leader
// hold (rpc_hold_timeout). Shorter would cut healthy queries off (item 22).
Duration blocking_timeout(Duration wait, Duration headroom);

// Exponential back-off between failed attempts, with jitter drawn from the process's Rng (so
// the simulator replays it from its seed).
struct BackoffPolicy {
  // Delay after the first failure, before jitter.
  Duration base = std::chrono::milliseconds(500);
  // Largest delay, before jitter.
  Duration cap = std::chrono::seconds(30);
};

// Delay before the retry that follows `failures` consecutive failures (>= 1): base x 2^(n-1),
// capped, then drawn uniformly from [delay/2, delay] ("equal jitter"): never zero, so no hot
// loop, and spread so that instances woken together (a lock release wakes every waiter) do not
// retry together.
Duration backoff_delay(const BackoffPolicy& policy, std::uint32_t failures, Rng& rng);

// Consecutive failures, for a retry loop: failed() gives the next delay, succeeded() resets.
class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy = {}) : policy_(policy) {}

  Duration failed(Rng& rng) { return backoff_delay(policy_, ++failures_, rng); }
  void succeeded() { failures_ = 0; }
  std::uint32_t failures() const { return failures_; }

 private:
  BackoffPolicy policy_;
  std::uint32_t failures_ = 0;
};

// Consul's client rule "rate-limit" (failure mode 22's churn): the queries of one loop start at
// least `interval` apart, so an index that moves on every answer, or a Consul that answers at
// once, cannot turn a watch into a hot loop. The first query does not wait.
class QueryPacer {
 public:
  explicit QueryPacer(Duration interval) : interval_(interval) {}

  // Waits until `interval` has passed since the previous start (or `stop`), then counts a start.
  Task<void> next(Runtime& runtime, std::stop_token stop);

 private:
  Duration interval_;
  std::optional<MonoTime> last_start_;
};

}  // namespace baton::consul
