#include "engine/watch/watcher.hpp"

#include <utility>

namespace baton::watch {

void WatchedDependency::update(DependencyData data) {
  if (data_ && *data_ == data) return;  // the index moved for something else: nothing new here
  data_ = std::move(data);
  ++version_;
  // A pulse: wakes whoever waits now and stays unset, so no subscriber's reset can hide a change
  // from another; one that was busy compares version() with the last it saw.
  changed_.set();
  changed_.reset();
}

// One running blocking-query loop. The watchers' handles own the WatchedDependency; the loop
// sees it weakly and ends when it is gone or its stop fires.
struct Watcher::Loop {
  Loop(Dependency watched, std::stop_token scope_stop) : dependency(std::move(watched)), forward(scope_stop, Forward{&stop}) {}

  Dependency dependency;
  std::weak_ptr<WatchedDependency> shared;
  std::stop_source stop;
  bool finished = false;

 private:
  struct Forward {
    std::stop_source* target;
    void operator()() const noexcept { target->request_stop(); }
  };
  std::stop_callback<Forward> forward;
};

Watcher::Watcher(Runtime& runtime, consul::ConsulClient& consul, Logger logger, WatcherOptions options)
    : runtime_(runtime), consul_(consul), logger_(logger.named("watcher")), options_(options), scope_(runtime) {}

Watcher::~Watcher() = default;

std::size_t Watcher::loops() const {
  std::size_t running = 0;
  for (const auto& [key, loop] : loops_) running += loop->finished ? 0 : 1;
  return running;
}

void Watcher::forget_released() {
  for (auto it = loops_.begin(); it != loops_.end();) {
    it = it->second->finished ? loops_.erase(it) : std::next(it);
  }
}

std::shared_ptr<WatchedDependency> Watcher::watch(const Dependency& dependency) {
  forget_released();
  const std::string key = dependency_key(dependency);
  if (auto found = loops_.find(key); found != loops_.end()) {
    if (std::shared_ptr<WatchedDependency> shared = found->second->shared.lock()) return shared;
  }
  auto loop = std::make_shared<Loop>(dependency, scope_.token());
  // The last handle to go stops the loop, unless the process is dying (a crash: nothing may be
  // woken then, the loop's frame goes with the rest).
  Runtime* runtime = &runtime_;
  std::weak_ptr<Loop> weak_loop = loop;
  std::shared_ptr<WatchedDependency> shared(new WatchedDependency(runtime_, dependency),
                                            [runtime, weak_loop](WatchedDependency* released) {
                                              if (!runtime->dying()) {
                                                if (std::shared_ptr<Loop> owner = weak_loop.lock()) owner->stop.request_stop();
                                              }
                                              delete released;
                                            });
  loop->shared = shared;
  loops_[key] = loop;
  scope_.spawn(run_loop(loop));
  return shared;
}

Task<consul::ConsulResult<std::pair<DependencyData, consul::QueryMeta>>> Watcher::query(const Dependency& dependency,
                                                                                        consul::QueryOptions options,
                                                                                        std::stop_token stop) {
  using Answer = std::pair<DependencyData, consul::QueryMeta>;
  if (const auto* health = std::get_if<HealthServiceDependency>(&dependency)) {
    consul::HealthServiceOptions filter{health->passing_only, {}, health->datacenter, health->namespace_name, health->filter};
    auto read = co_await consul_.health_service(health->name, std::move(filter), options, std::move(stop));
    if (!read.ok()) co_return read.error();
    co_return Answer{DependencyData(std::move(read.value().value)), read.value().meta};
  }
  if (const auto* catalog = std::get_if<CatalogServicesDependency>(&dependency)) {
    consul::CatalogServicesOptions filter{catalog->node_meta, catalog->datacenter, catalog->namespace_name};
    auto read = co_await consul_.catalog_services(std::move(filter), options, std::move(stop));
    if (!read.ok()) co_return read.error();
    co_return Answer{DependencyData(std::move(read.value().value)), read.value().meta};
  }
  const auto& kv = std::get<KvDependency>(dependency);
  if (kv.recurse) {
    auto read = co_await consul_.kv_list(kv.path, options, std::move(stop));
    if (!read.ok()) co_return read.error();
    co_return Answer{DependencyData(std::move(read.value().value)), read.value().meta};
  }
  auto read = co_await consul_.kv_get(kv.path, options, std::move(stop));
  if (!read.ok()) co_return read.error();
  std::vector<consul::KvPair> pairs;
  if (read.value().value) pairs.push_back(std::move(*read.value().value));
  co_return Answer{DependencyData(std::move(pairs)), read.value().meta};
}

Task<void> Watcher::run_loop(std::shared_ptr<Loop> loop) {
  const std::stop_token stop = loop->stop.get_token();
  consul::BlockingIndex index;
  consul::Backoff backoff(options_.error_backoff);
  const std::string key = dependency_key(loop->dependency);
  consul::QueryPacer pacer(options_.min_query_interval);
  while (!stop.stop_requested() && !loop->shared.expired()) {
    co_await pacer.next(runtime_, stop);
    if (stop.stop_requested()) break;
    consul::QueryOptions options{index.next(), options_.wait, consul::Consistency::default_mode};
    auto answer = co_await query(loop->dependency, options, stop);
    if (stop.stop_requested()) break;
    if (!answer.ok()) {
      const Duration delay = backoff.failed(runtime_.rng());
      logger_.warn("error querying Consul, retrying", "dependency", key, "error", answer.error().message,
                   "retry_in", std::chrono::duration_cast<std::chrono::milliseconds>(delay).count());
      co_await sleep_for(runtime_, delay, stop);
      continue;  // keep the index and the data: the next answer is compared with them
    }
    backoff.succeeded();
    const consul::BlockingStep step = index.observe(answer.value().second);
    logger_.trace("blocking query answered", "dependency", key, "index", answer.value().second.index);
    if (step.went_backwards) logger_.info("Consul's index went backwards, starting over", "dependency", key);
    if (std::shared_ptr<WatchedDependency> shared = loop->shared.lock()) shared->update(std::move(answer.value().first));
  }
  loop->finished = true;
}

}  // namespace baton::watch
