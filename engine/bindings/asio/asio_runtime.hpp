#pragma once
// The production binding of the Runtime port: Boost.Asio's io_context on one thread, steady
// timers for deadlines, the system clocks, a PRNG seeded from the operating system, and POSIX
// signals. Asio itself stays inside asio_runtime.cpp: its headers are slow to compile.
//
// Deviation from the port's ordering guarantee: wake-ups that are ready now (spawns, early
// fires) resume in FIFO order, but two timers due at the same steady_clock nanosecond may
// resume in either order, as Asio's timer heap gives no tie-break. Real clocks rarely tie.
#include <initializer_list>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "engine/async/scope.hpp"
#include "engine/ports/runtime.hpp"

namespace boost::asio {
class io_context;
}

namespace baton {

struct AsioRuntimeOptions {
  // The process's name in logs: the instance id.
  std::string name = "baton";
  // Seed of rng(); from std::random_device when empty.
  std::optional<std::uint64_t> seed;
};

class AsioRuntime final : public Runtime {
 public:
  explicit AsioRuntime(AsioRuntimeOptions options = {});
  ~AsioRuntime() override;

  MonoTime now() const override;
  WallTime wall_now() const override;
  WakeupId arm(std::coroutine_handle<> waiter, MonoTime deadline) override;
  void fire_now(WakeupId id) override;
  void disarm(WakeupId id) override;
  Rng& rng() override;
  bool dying() const override { return false; }
  void fail(std::exception_ptr bug) override;
  std::string_view name() const override;

  // The process's root scope: run() returns once it is empty.
  Scope& scope();

  // Runs the event loop until every task in scope() has ended. Rethrows an exception that
  // escaped a spawned task (a bug).
  void run();

  // Starts listening for the given signals (SIGINT, SIGTERM, SIGHUP...). Call once.
  void watch_signals(std::initializer_list<int> signal_numbers);
  // The next watched signal received, or nullopt if `stop` fires first.
  Task<std::optional<int>> next_signal(std::stop_token stop);

  // For production adapters (HTTP, child processes) that need Asio's own objects.
  boost::asio::io_context& io_context();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace baton
