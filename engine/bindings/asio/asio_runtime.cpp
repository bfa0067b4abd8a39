// Production binding: the only engine file besides production_log.cpp allowed to read the
// system clocks, seed from the operating system and touch Asio (see tests/lint).
#include "engine/bindings/asio/asio_runtime.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <random>
#include <unordered_map>

#include "engine/async/event.hpp"

namespace baton {

struct AsioRuntime::Impl {
  struct Armed {
    std::coroutine_handle<> waiter;
    std::unique_ptr<boost::asio::steady_timer> timer;  // none when ready now or deadline-less
  };

  explicit Impl(AsioRuntime& self, AsioRuntimeOptions options)
      : name(std::move(options.name)),
        rng(options.seed ? *options.seed : (std::uint64_t(std::random_device{}()) << 32) ^ std::random_device{}()),
        signals(io),
        signal_arrived(self) {}

  void resume(WakeupId id) {
    auto it = armed.find(id);
    if (it == armed.end()) return;  // disarmed, or already resumed by an earlier fire
    std::coroutine_handle<> waiter = it->second.waiter;
    armed.erase(it);
    waiter.resume();
  }

  void post_resume(WakeupId id) {
    boost::asio::post(io, [this, id] { resume(id); });
  }

  void listen_for_signal() {
    signals.async_wait([this](const boost::system::error_code& error, int signal_number) {
      if (error) return;
      received_signals.push_back(signal_number);
      signal_arrived.set();
      listen_for_signal();
    });
  }

  // Declared in destruction order's reverse: the root scope dies first (its frames disarm
  // their wake-ups), then the wake-ups, then Asio.
  boost::asio::io_context io;
  std::string name;
  Rng rng;
  WakeupId next_id = 1;
  std::unordered_map<WakeupId, Armed> armed;
  std::exception_ptr bug;
  boost::asio::signal_set signals;
  std::deque<int> received_signals;
  Event signal_arrived;
  std::optional<Scope> root;
};

AsioRuntime::AsioRuntime(AsioRuntimeOptions options) : impl_(std::make_unique<Impl>(*this, std::move(options))) {
  impl_->root.emplace(*this);
}

AsioRuntime::~AsioRuntime() { impl_->root.reset(); }

MonoTime AsioRuntime::now() const {
  return MonoTime(std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch()));
}

WallTime AsioRuntime::wall_now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

WakeupId AsioRuntime::arm(std::coroutine_handle<> waiter, MonoTime deadline) {
  const WakeupId id = impl_->next_id++;
  Impl::Armed& armed = impl_->armed[id];
  armed.waiter = waiter;
  if (deadline <= now()) {
    impl_->post_resume(id);
  } else if (deadline != kNoDeadline) {
    armed.timer = std::make_unique<boost::asio::steady_timer>(impl_->io);
    armed.timer->expires_at(std::chrono::steady_clock::time_point(deadline.time_since_epoch()));
    armed.timer->async_wait([impl = impl_.get(), id](const boost::system::error_code& error) {
      if (!error) impl->resume(id);
    });
  }
  return id;
}

void AsioRuntime::fire_now(WakeupId id) {
  auto it = impl_->armed.find(id);
  if (it == impl_->armed.end()) return;
  it->second.timer.reset();  // its handler now runs with operation_aborted and does nothing
  impl_->post_resume(id);
}

void AsioRuntime::disarm(WakeupId id) { impl_->armed.erase(id); }

Rng& AsioRuntime::rng() { return impl_->rng; }

void AsioRuntime::fail(std::exception_ptr bug) {
  if (!impl_->bug) impl_->bug = bug;
  impl_->io.stop();
}

std::string_view AsioRuntime::name() const { return impl_->name; }

Scope& AsioRuntime::scope() { return *impl_->root; }

void AsioRuntime::run() {
  // Deadline-less waits hold no Asio work; the guard keeps the loop waiting for them.
  auto work = boost::asio::make_work_guard(impl_->io);
  impl_->io.restart();
  while (impl_->root->size() > 0 && !impl_->bug) {
    if (impl_->io.run_one() == 0) break;  // stopped
  }
  if (impl_->bug) std::rethrow_exception(std::exchange(impl_->bug, nullptr));
}

void AsioRuntime::watch_signals(std::initializer_list<int> signal_numbers) {
  for (int signal_number : signal_numbers) impl_->signals.add(signal_number);
  impl_->listen_for_signal();
}

Task<std::optional<int>> AsioRuntime::next_signal(std::stop_token stop) {
  while (impl_->received_signals.empty()) {
    impl_->signal_arrived.reset();
    const WaitResult waited = co_await impl_->signal_arrived.wait(stop);
    if (waited == WaitResult::cancelled) co_return std::nullopt;
  }
  const int signal_number = impl_->received_signals.front();
  impl_->received_signals.pop_front();
  co_return signal_number;
}

boost::asio::io_context& AsioRuntime::io_context() { return impl_->io; }

}  // namespace baton
