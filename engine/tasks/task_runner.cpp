#include "engine/tasks/task_runner.hpp"

#include <fmt/format.h>

#include <utility>

#include "engine/async/scope.hpp"
#include "engine/tasks/consul_data.hpp"
#include "engine/watch/dependency.hpp"

namespace baton::tasks {

namespace tf = driver::terraform;

TaskRunner::TaskRunner(Runtime& runtime, watch::Watcher& watcher, tf::TaskDriver& driver, Logger logger,
                       TaskRunnerOptions options, MayAct may_act, TaskEvents& events)
    : runtime_(runtime),
      watcher_(watcher),
      driver_(driver),
      logger_(logger.named("ctrl")),
      options_(std::move(options)),
      may_act_(std::move(may_act)),
      events_(events),
      poke_(runtime) {}

Task<void> TaskRunner::forward_changes(std::shared_ptr<watch::WatchedDependency> dependency, std::stop_token stop) {
  while (!stop.stop_requested()) {
    const WaitResult woken = co_await dependency->changed().wait(stop);
    if (woken == WaitResult::woken) poke_.set();
  }
}

bool TaskRunner::all_answered() const {
  for (const auto& watched : watched_) {
    if (watched->version() == 0) return false;
  }
  return true;
}

bool TaskRunner::changed_since_last_run() const {
  for (std::size_t i = 0; i < watched_.size(); ++i) {
    if (watched_[i]->version() != seen_versions_[i]) return true;
  }
  return false;
}

void TaskRunner::remember_versions() {
  seen_versions_.clear();
  for (const auto& watched : watched_) seen_versions_.push_back(watched->version());
}

// A v4 UUID from the node's random stream (CTS's events carry one).
TaskEvent TaskRunner::start_event() const {
  Rng& rng = runtime_.rng();
  const std::uint64_t high = rng.next_u64();
  const std::uint64_t low = rng.next_u64();
  TaskEvent event;
  event.id = fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", std::uint32_t(high >> 32), std::uint32_t(high >> 16) & 0xFFFF,
                         std::uint32_t(high) & 0x0FFF, (std::uint32_t(low >> 48) & 0x3FFF) | 0x8000, low & 0xFFFFFFFFFFFFull);
  event.task_name = driver_.task().name;
  event.start_time = runtime_.wall_now();
  return event;
}

Task<void> TaskRunner::end_event(TaskEvent event, std::string error) {
  event.end_time = runtime_.wall_now();
  event.success = error.empty();
  event.error = std::move(error);
  events_.add(std::move(event));
  if (options_.after_event) co_await options_.after_event();
}

Task<void> TaskRunner::run_task(bool once, std::stop_token stop) {
  const std::string& name = driver_.task().name;
  remember_versions();
  TaskEvent event = start_event();
  const tf::RenderResult rendered = driver_.render(consul_data(watched_, options_.user_meta));
  if (!rendered.ok()) {
    std::string error = fmt::format("error rendering template for task {}: {}", name, rendered.error);
    co_await end_event(std::move(event), std::move(error));
    co_return;
  }
  if (!rendered.changed && !once) co_return;  // hcat's NoChange: nothing to apply, no event
  if (!may_act_()) {
    logger_.warn("not leading: skipping task run", "task_name", name);
    co_return;
  }
  logger_.info("executing task", "task_name", name);
  ++applies_;
  std::function<Task<tf::StepResult>(std::stop_token)> try_once = [this](std::stop_token token) {
    return driver_.apply(std::move(token));
  };
  const std::string description = "ApplyTask " + name;
  tf::StepResult applied = co_await tf::run_with_retries(runtime_, logger_, options_.retry, description, try_once, stop);
  if (applied.end == tf::StepEnd::cancelled) {
    logger_.info("task run cancelled", "task_name", name);
    co_await end_event(std::move(event), std::move(applied.error));
    co_return;
  }
  if (!applied.ok()) {
    logger_.error("error applying task", "task_name", name, "error", applied.error);
    std::string error = fmt::format("could not apply changes for task {}: {}", name, applied.error);
    co_await end_event(std::move(event), std::move(error));
    co_return;
  }
  logger_.info("task completed", "task_name", name);
  std::string no_error;
  co_await end_event(std::move(event), std::move(no_error));
}

Task<void> TaskRunner::monitor(std::stop_token stop) {
  BufferTimer buffer(options_.buffer);
  while (!stop.stop_requested()) {
    if (changed_since_last_run() && !buffer.fire_at()) buffer.on_change(runtime_.now());
    const MonoTime deadline = buffer.fire_at().value_or(kNoDeadline);
    if (buffer.fire_at() && runtime_.now() >= deadline) {
      buffer.fired();
      busy_ = true;
      co_await run_task(false, stop);
      busy_ = false;
      continue;
    }
    poke_.reset();
    const WaitResult woken = co_await poke_.wait(stop, deadline);
    if (woken == WaitResult::woken && buffer.fire_at()) buffer.on_change(runtime_.now());
  }
}

Task<void> TaskRunner::run(std::stop_token stop) {
  const std::string& name = driver_.task().name;
  const tf::StepResult initialized = co_await driver_.init_task(stop);
  if (stop.stop_requested()) co_return;
  if (!initialized.ok()) {
    // Not fatal on a leader: apply initializes again before it runs.
    logger_.error("error initializing task", "task_name", name, "error", initialized.error);
  }
  Scope forwarding(runtime_, stop);
  for (const watch::Dependency& dependency : watch::task_dependencies(driver_.task())) {
    watched_.push_back(watcher_.watch(dependency));
    forwarding.spawn(forward_changes(watched_.back(), forwarding.token()));
  }
  while (!all_answered() && !stop.stop_requested()) {
    poke_.reset();
    if (!all_answered()) co_await poke_.wait(stop);
  }
  if (!stop.stop_requested()) {
    busy_ = true;
    co_await run_task(true, stop);
    busy_ = false;
    once_done_ = true;
    if (options_.on_once_done) options_.on_once_done();
    co_await monitor(stop);
  }
  forwarding.request_stop();
  co_await forwarding.join();
  watched_.clear();
}

}  // namespace baton::tasks
