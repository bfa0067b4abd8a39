#include "engine/driver/terraform/apply_retry.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <utility>

#include "engine/async/wait.hpp"

namespace baton::driver::terraform {

Duration retry_wait(int attempt, double unit_random, Duration wait_max) {
  const double wait_max_seconds = std::chrono::duration<double>(wait_max).count();
  const double a = attempt;
  if (wait_max_seconds <= 0 || a >= std::log2(wait_max_seconds)) return wait_max;
  const double base_seconds = std::exp2(a);
  const double delay_range_seconds = (std::exp2(a + 1) - base_seconds) / 2;
  const double wait_seconds = base_seconds + unit_random * delay_range_seconds;
  // Go truncates the float nanoseconds to time.Duration.
  return Duration(static_cast<std::int64_t>(wait_seconds * 1e9));
}

double unit_random(Rng& rng) { return static_cast<double>(rng.next_u64() >> 11) * 0x1.0p-53; }

namespace {

// errors.Wrap(errs, err.Error()) in Go prints "<err>: <errs>".
void add_failure(std::string& errors, int attempt, const std::string& error) {
  std::string failure = fmt::format("retry attempt #{} failed '{}'", attempt, error);
  errors = errors.empty() ? std::move(failure) : failure + ": " + errors;
}

StepResult cancelled_with(const std::string& errors) {
  std::string message = "context canceled";
  if (!errors.empty()) message += ": " + errors;
  return {StepEnd::cancelled, std::move(message), {}};
}

}  // namespace

Task<StepResult> run_with_retries(Runtime& runtime, const Logger& logger, RetryPolicy policy,
                                  std::string_view description,
                                  std::function<Task<StepResult>(std::stop_token)> try_once,
                                  std::stop_token stop) {
  const Logger retry_logger = logger.named("retry");
  StepResult first = co_await try_once(stop);
  if (first.ok() || policy.retries_max == 0) co_return first;
  // CTS drops the first try's error; a cancelled one ends as the context does.
  if (first.end == StepEnd::cancelled) co_return cancelled_with({});

  std::string errors;
  for (int attempt = 1; policy.retries_max < 0 || attempt <= policy.retries_max; ++attempt) {
    const Duration wait = retry_wait(attempt - 1, unit_random(runtime.rng()), policy.wait_max);
    const WaitResult waited = co_await sleep_for(runtime, wait, stop);
    if (waited == WaitResult::cancelled) {
      retry_logger.info("stopping retry", "description", description);
      co_return cancelled_with(errors);
    }
    if (attempt > 1) retry_logger.warn("retrying", "attempt_number", attempt, "description", description);
    StepResult result = co_await try_once(stop);
    if (result.ok()) co_return result;
    add_failure(errors, attempt, result.error);
    if (result.end == StepEnd::cancelled) co_return cancelled_with(errors);
  }
  co_return StepResult{StepEnd::failed, std::move(errors), {}};
}

}  // namespace baton::driver::terraform
