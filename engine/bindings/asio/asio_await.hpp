#pragma once
// The bridge from Asio completion handlers to baton::Task: co_await one Asio (or Beast)
// operation and get its error_code and byte count back as values.
//
//   AsioResult read = co_await asio_await(io, stop, deadline, connection,
//       [&](AsioHandler done) { socket.async_read_some(buffer, std::move(done)); },
//       [connection] { connection->socket.close(); });
//
// Resuming. The operation's completion handler resumes the awaiting coroutine directly: that is
// how AsioRuntime runs coroutines (one thread, one io_context), and Asio never runs a handler
// inline from the call that starts its operation, so no coroutine is resumed from inside its
// own await_suspend.
//
// Ending early. A stop request or the deadline, whichever comes first, calls `abort`, which must
// make the operation complete soon. Abort by closing the I/O object, not by cancel(): cancel()
// reaches only a step that is waiting in the reactor, so a composed operation (a Beast read)
// whose inner step has already completed and is queued would start its next step and miss it;
// after close() every next step fails at once. Close is what callers want anyway: a connection
// whose read or write was cut short is unusable.
//
// Frames destroyed mid-operation. Tearing down a Scope destroys awaiting frames without
// resuming them. The awaiter's destructor then marks the shared state abandoned and aborts the
// operation; its handler, when it runs later, sees the mark and resumes nothing. The operation
// still references the socket, buffers and parser it was given, so the handler owns
// `keep_alive` (the object that owns them) until Asio has finished with it.
//
// GCC 12.2 destroys a lambda written inside a co_await expression twice when it captures
// anything with a destructor (a shared_ptr's count drops below its owners). So `initiate` must
// capture only pointers and other trivially destructible values (a static_assert holds that),
// and an `abort` that captures a shared_ptr comes from a named function, as closer() does.
//
// Only engine/bindings includes this header: it pulls in Asio, which is slow to compile.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include <algorithm>
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <type_traits>
#include <utility>

#include "engine/ports/runtime.hpp"

namespace baton {

// Why an operation was ended early.
enum class AsioAbort {
  none,      // it was not: it completed, with or without an error, on its own
  stop,      // the stop token fired first
  deadline,  // the deadline passed first
};

struct AsioResult {
  boost::system::error_code error;
  std::size_t bytes = 0;             // transferred, for reads and writes
  AsioAbort aborted = AsioAbort::none;  // set only when `error` is set

  bool cancelled() const { return aborted == AsioAbort::stop; }
  bool timed_out() const { return aborted == AsioAbort::deadline; }
};

// `timeout` from now, saturating: a timeout too large to add is no deadline at all.
inline MonoTime deadline_after(const Runtime& runtime, Duration timeout) {
  const MonoTime now = runtime.now();
  if (timeout >= kNoDeadline - now) return kNoDeadline;
  return now + std::max(timeout, Duration::zero());
}

namespace detail {

// Shared by the awaiter, the completion handler, the deadline timer and the stop callback:
// whichever runs last frees it.
struct AsioAwaitState {
  std::coroutine_handle<> waiter;
  std::function<void()> abort;
  std::optional<boost::asio::steady_timer> timer;  // only with a deadline
  AsioAbort abort_reason = AsioAbort::none;
  AsioResult result;
  bool done = false;       // the completion handler has run
  bool abandoned = false;  // the awaiting frame is gone: resume nothing

  void request_abort(AsioAbort reason) {
    if (done || abort_reason != AsioAbort::none) return;
    abort_reason = reason;
    abort();
  }
};

}  // namespace detail

// The completion handler every bridged operation is given. One concrete type, so that each
// Beast operation is instantiated once per translation unit however many call sites use it.
class AsioHandler {
 public:
  AsioHandler(std::shared_ptr<detail::AsioAwaitState> state, std::shared_ptr<void> keep_alive)
      : state_(std::move(state)), keep_alive_(std::move(keep_alive)) {}

  void operator()(boost::system::error_code error, std::size_t bytes = 0) {
    detail::AsioAwaitState& state = *state_;
    state.done = true;
    if (state.timer) state.timer->cancel();
    if (state.abandoned) return;
    state.result.error = error;
    state.result.bytes = bytes;
    if (error) state.result.aborted = state.abort_reason;
    // keep_alive_ stays held until Asio destroys this handler, after the resumed coroutine
    // has suspended again or ended: the operation's objects outlive the whole completion.
    state.waiter.resume();
  }

 private:
  std::shared_ptr<detail::AsioAwaitState> state_;
  std::shared_ptr<void> keep_alive_;
};

template <class Initiate>
class [[nodiscard]] AsioOperation {
  static_assert(std::is_trivially_destructible_v<Initiate>,
                "capture only pointers in an initiate lambda: GCC 12 may destroy it twice (see above)");

 public:
  AsioOperation(boost::asio::io_context& io, std::stop_token stop, MonoTime deadline,
                std::shared_ptr<void> keep_alive, Initiate initiate, std::function<void()> abort)
      : io_(io),
        stop_(std::move(stop)),
        deadline_(deadline),
        keep_alive_(std::move(keep_alive)),
        initiate_(std::move(initiate)),
        abort_(std::move(abort)) {}
  // Built in place (returned as a prvalue): the stop callback points into the shared state it
  // owns, and a moved awaiter would leave that state behind.
  AsioOperation(const AsioOperation&) = delete;
  AsioOperation& operator=(const AsioOperation&) = delete;
  ~AsioOperation() {
    if (!state_ || state_->done) return;
    // Destroyed while suspended: the frame is being torn down. Its handler must not resume it.
    on_stop_.reset();
    state_->abandoned = true;
    state_->abort();
    if (state_->timer) state_->timer->cancel();
  }

  bool await_ready() noexcept {
    if (!stop_.stop_requested()) return false;
    result_.error = boost::asio::error::operation_aborted;
    result_.aborted = AsioAbort::stop;
    return true;
  }

  void await_suspend(std::coroutine_handle<> waiter) {
    state_ = std::make_shared<detail::AsioAwaitState>();
    state_->waiter = waiter;
    state_->abort = std::move(abort_);
    if (deadline_ != kNoDeadline) arm_deadline();
    if (stop_.stop_possible()) on_stop_.emplace(stop_, OnStop{state_.get()});
    // Last: nothing of this awaiter may be touched once the operation is started.
    initiate_(AsioHandler(state_, std::move(keep_alive_)));
  }

  AsioResult await_resume() noexcept {
    on_stop_.reset();
    if (state_) result_ = std::exchange(state_, nullptr)->result;
    return result_;
  }

 private:
  struct OnStop {
    detail::AsioAwaitState* state;
    void operator()() const noexcept { state->request_abort(AsioAbort::stop); }
  };

  void arm_deadline() {
    // AsioRuntime's MonoTime counts steady_clock's time since its epoch (asio_runtime.cpp).
    state_->timer.emplace(io_, std::chrono::steady_clock::time_point(deadline_.time_since_epoch()));
    state_->timer->async_wait([state = state_](const boost::system::error_code& error) {
      if (!error) state->request_abort(AsioAbort::deadline);
    });
  }

  boost::asio::io_context& io_;
  std::stop_token stop_;
  MonoTime deadline_;
  std::shared_ptr<void> keep_alive_;
  Initiate initiate_;
  std::function<void()> abort_;
  std::shared_ptr<detail::AsioAwaitState> state_;
  AsioResult result_;
  std::optional<std::stop_callback<OnStop>> on_stop_;
};

// Starts `initiate(handler)` when awaited and suspends until the handler runs. `abort` ends
// the operation early (close its I/O object); `keep_alive` owns everything the operation
// references. With kNoDeadline only `stop` ends it early.
template <class Initiate>
AsioOperation<Initiate> asio_await(boost::asio::io_context& io, std::stop_token stop, MonoTime deadline,
                                   std::shared_ptr<void> keep_alive, Initiate initiate,
                                   std::function<void()> abort) {
  return AsioOperation<Initiate>(io, std::move(stop), deadline, std::move(keep_alive), std::move(initiate),
                                 std::move(abort));
}

}  // namespace baton
