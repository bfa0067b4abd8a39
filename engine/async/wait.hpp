#pragma once
// The one awaiter every wait is built on: suspend until woken, until a deadline on the node's
// monotonic clock, or until a stop is requested, whichever comes first. Sleeps, events, queues
// and the fakes' blocking queries all reduce to it, so cancellation and crash behave the same
// everywhere.
#include <coroutine>
#include <optional>
#include <stop_token>

#include "engine/ports/runtime.hpp"

namespace baton {

enum class WaitResult {
  woken,      // the owner of the wait woke it (an event was set, a message arrived)
  deadline,   // the deadline passed first (for a sleep: it slept its full time)
  cancelled,  // a stop was requested first
};

const char* to_string(WaitResult result);

class WaitAwaiter {
 public:
  WaitAwaiter(Runtime& runtime, MonoTime deadline, std::stop_token stop)
      : runtime_(runtime), deadline_(deadline), stop_(std::move(stop)) {}
  // Built in place (returned as a prvalue): a stop callback points into it.
  WaitAwaiter(const WaitAwaiter&) = delete;
  WaitAwaiter& operator=(const WaitAwaiter&) = delete;
  ~WaitAwaiter() {
    // Destroyed while suspended: its frame is being destroyed (a crash or a torn-down scope).
    if (id_ != 0) runtime_.disarm(id_);
  }

  bool await_ready() noexcept {
    if (!stop_.stop_requested()) return false;
    result_ = WaitResult::cancelled;
    return true;
  }
  void await_suspend(std::coroutine_handle<> waiter) {
    id_ = runtime_.arm(waiter, deadline_);
    if (stop_.stop_possible()) on_stop_.emplace(stop_, OnStop{this});
  }
  WaitResult await_resume() noexcept {
    on_stop_.reset();
    id_ = 0;
    return result_;
  }

  // Wakes the suspended waiter with `result`; the first wake wins, later ones do nothing.
  void wake(WaitResult result) {
    if (id_ == 0 || woken_) return;
    woken_ = true;
    result_ = result;
    runtime_.fire_now(id_);
  }

  bool suspended() const { return id_ != 0; }
  Runtime& runtime() const { return runtime_; }

 private:
  struct OnStop {
    WaitAwaiter* self;
    void operator()() const noexcept { self->wake(WaitResult::cancelled); }
  };

  Runtime& runtime_;
  MonoTime deadline_;
  std::stop_token stop_;
  WakeupId id_ = 0;
  bool woken_ = false;
  WaitResult result_ = WaitResult::deadline;
  std::optional<std::stop_callback<OnStop>> on_stop_;
};

// Suspends until `deadline` on the node's monotonic clock; WaitResult::deadline when it has
// passed, WaitResult::cancelled if `stop` was requested first.
inline WaitAwaiter sleep_until(Runtime& runtime, MonoTime deadline, std::stop_token stop = {}) {
  return WaitAwaiter(runtime, deadline, std::move(stop));
}

inline WaitAwaiter sleep_for(Runtime& runtime, Duration duration, std::stop_token stop = {}) {
  return WaitAwaiter(runtime, runtime.now() + duration, std::move(stop));
}

// Lets every other coroutine that is ready now run first.
inline WaitAwaiter yield_now(Runtime& runtime) { return sleep_for(runtime, Duration::zero()); }

}  // namespace baton
