#pragma once
// Watcher: one blocking-query loop per distinct Consul dependency, however many tasks watch it
// (CTS issue 146), with Consul's client rules (blocking_query.hpp: the index reset when it goes
// backwards, never 0 after the first answer, back-off with jitter on errors, a timeout with
// headroom for the server's jitter). A loop lives while some task holds its WatchedDependency
// and stops when the last one lets go.
//
// No change is lost across a Consul restart or leader change (CTS issue 884): a loop that meets
// errors keeps its last data and its place, and the first answer after the outage is compared
// with that data, not taken as a fresh start; the index going backwards (a restored snapshot, a
// new cluster) resets it and the answer counts as news.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/async/event.hpp"
#include "engine/async/scope.hpp"
#include "engine/consul/blocking_query.hpp"
#include "engine/consul/client.hpp"
#include "engine/log/logger.hpp"
#include "engine/watch/dependency.hpp"

namespace baton::watch {

using namespace std::chrono_literals;

struct WatcherOptions {
  // The wait of each blocking query (Consul clamps it to 10 min and adds up to wait/16 jitter).
  Duration wait = std::chrono::minutes(5);
  consul::BackoffPolicy error_backoff{500ms, 30s};
  // One dependency's queries start at least this far apart (consul::QueryPacer). A change is
  // still seen as soon as it is answered; only the query after it waits.
  Duration min_query_interval = 50ms;
};

using DependencyData = std::variant<std::vector<consul::ServiceEntry>, consul::CatalogServices, std::vector<consul::KvPair>>;

// One dependency's latest data, shared by the tasks that watch it.
class WatchedDependency {
 public:
  WatchedDependency(Runtime& runtime, Dependency dependency) : dependency_(std::move(dependency)), changed_(runtime) {}

  const Dependency& dependency() const { return dependency_; }
  // Nothing until the first answer.
  const std::optional<DependencyData>& data() const { return data_; }
  // Counts the changes of data(): 1 after the first answer.
  std::uint64_t version() const { return version_; }
  // Pulsed on every change: wakes the coroutines waiting on it at that moment.
  Event& changed() { return changed_; }

  // For the watcher's loop.
  void update(DependencyData data);

 private:
  Dependency dependency_;
  std::optional<DependencyData> data_;
  std::uint64_t version_ = 0;
  Event changed_;
};

class Watcher {
 public:
  Watcher(Runtime& runtime, consul::ConsulClient& consul, Logger logger, WatcherOptions options = {});
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;
  ~Watcher();

  // The dependency's shared state, its loop started if no one watched it yet. Holding the
  // pointer keeps the loop running. Subscribers wait on changed() and compare version() with
  // the last they saw.
  std::shared_ptr<WatchedDependency> watch(const Dependency& dependency);

  // Loops running now: one per distinct dependency still held.
  std::size_t loops() const;

  // Stops every loop (the daemon stops, or the instance is no longer leader).
  void stop() { scope_.request_stop(); }
  Event::Awaiter join() { return scope_.join(); }

 private:
  struct Loop;
  Task<void> run_loop(std::shared_ptr<Loop> loop);
  Task<consul::ConsulResult<std::pair<DependencyData, consul::QueryMeta>>> query(const Dependency& dependency,
                                                                                 consul::QueryOptions options,
                                                                                 std::stop_token stop);
  void forget_released();

  Runtime& runtime_;
  consul::ConsulClient& consul_;
  Logger logger_;
  WatcherOptions options_;
  std::map<std::string, std::shared_ptr<Loop>> loops_;
  Scope scope_;
};

}  // namespace baton::watch
