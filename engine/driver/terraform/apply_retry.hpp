#pragma once
// The retries around a task's apply, as CTS v0.9.0 runs them (controller/tasks_manager.go:
// retry.NewRetry(defaultRetry = 2); retry/retry.go): one try, then up to two more, each after
// an exponential back-off with random delay: before retry n (n = 1, 2) it waits
// 2^(n-1) s plus up to half that again (1 to 1.5 s, then 2 to 3 s), capped at 15 minutes.
//
// The error after the last failure is CTS's, word for word: the first try's error is dropped
// and each retry's is wrapped, newest first:
//   retry attempt #2 failed 'error tf-apply for 'web': ...': retry attempt #1 failed '...'
// A stop request ends the wait or the try at once ("context canceled", followed by the errors
// so far when there are some), and a cancelled try is not retried.
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string_view>

#include "engine/async/task.hpp"
#include "engine/driver/terraform/terraform_client.hpp"
#include "engine/log/logger.hpp"
#include "engine/ports/runtime.hpp"

namespace baton::driver::terraform {

struct RetryPolicy {
  int retries_max = 2;  // retries after the first try: CTS's defaultRetry, so 3 tries in all
  Duration wait_max = std::chrono::minutes(15);  // CTS's retry.DefaultMaxWaitTime
};

// The wait before retry number `attempt` (0 before the first retry), CTS's retry.WaitTime:
// 2^attempt seconds plus a random share of up to half of that, or `wait_max` once
// attempt >= log2(wait_max in seconds). `unit_random` is in [0, 1).
Duration retry_wait(int attempt, double unit_random, Duration wait_max);

// A uniform double in [0, 1) from the runtime's stream (Go's rand.Float64 role).
double unit_random(Rng& rng);

// Runs `try_once` until it succeeds, is cancelled, or the retries run out. `description`
// names the work in log lines ("ApplyTask web"). Bind `try_once` to a named local before the
// co_await (engine/README.md, GCC 12 pitfalls).
Task<StepResult> run_with_retries(Runtime& runtime, const Logger& logger, RetryPolicy policy,
                                  std::string_view description,
                                  std::function<Task<StepResult>(std::stop_token)> try_once,
                                  std::stop_token stop);

}  // namespace baton::driver::terraform
