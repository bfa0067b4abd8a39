#include "engine/tasks/task_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <utility>
#include <variant>

#include "engine/async/scope.hpp"
#include "engine/config/cts/cron_expression.hpp"
#include "engine/random/uuid.hpp"
#include "engine/tasks/consul_data.hpp"
#include "engine/time/go_duration.hpp"
#include "engine/watch/dependency.hpp"

namespace baton::tasks {

namespace tf = driver::terraform;

namespace {

// Go's time.Time.String() of a whole-second UTC time, as CTS logs next_runtime:
// "2026-01-01 00:05:00 +0000 UTC".
std::string go_utc_text(WallTime time) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time_of_day{std::chrono::floor<std::chrono::seconds>(time - day)};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} +0000 UTC", int(date.year()), unsigned(date.month()),
                     unsigned(date.day()), time_of_day.hours().count(), time_of_day.minutes().count(),
                     time_of_day.seconds().count());
}

}  // namespace

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

TaskRunner::Subscription TaskRunner::subscribe(const watch::Dependency& dependency) {
  Subscription subscription{watcher_.watch(dependency), next_serial_++, {}};
  forwarding_->spawn(forward_changes(subscription.dependency, subscription.dependency->version(), subscription.stop.get_token()));
  return subscription;
}

void TaskRunner::unsubscribe_all() {
  for (Subscription& subscription : static_) subscription.stop.request_stop();
  for (RegexpWatch& regexp : regexps_) {
    for (auto& [key, subscription] : regexp.matched) subscription.stop.request_stop();
  }
}

// Pokes the runner for each change after `seen_version` (the version when it was subscribed: a
// change between then and this coroutine's start is not missed).
Task<void> TaskRunner::forward_changes(std::shared_ptr<watch::WatchedDependency> dependency, std::uint64_t seen_version,
                                       std::stop_token stop) {
  while (!stop.stop_requested()) {
    if (dependency->version() != seen_version) {
      seen_version = dependency->version();
      poke_.set();
    }
    co_await dependency->changed().wait(stop);
  }
}

void TaskRunner::sync_dependencies() {
  bool changed = false;
  for (std::size_t i = 0; i < static_.size(); ++i) {
    const std::uint64_t version = static_[i].dependency->version();
    if (version == static_versions_[i]) continue;
    static_versions_[i] = version;
    if (static_counts_[i]) changed = true;
  }
  for (RegexpWatch& regexp : regexps_) {
    const watch::WatchedDependency& catalog = *static_[regexp.catalog].dependency;
    if (catalog.data() && catalog.version() != regexp.catalog_version) {
      regexp.catalog_version = catalog.version();
      const auto& names = std::get<consul::CatalogServices>(*catalog.data());
      std::map<std::string, watch::Dependency> wanted;
      for (watch::Dependency& dependency : watch::regexp_health_dependencies(regexp.tmpl, names)) {
        std::string key = watch::dependency_key(dependency);
        wanted.emplace(std::move(key), std::move(dependency));
      }
      for (auto it = regexp.matched.begin(); it != regexp.matched.end();) {
        if (wanted.contains(it->first)) {
          ++it;
          continue;
        }
        logger_.debug("service no longer matches the task's regexp: stop watching it", "task_name", driver_.task().name,
                      "dependency", it->first);
        it->second.stop.request_stop();
        it = regexp.matched.erase(it);
      }
      for (const auto& [key, dependency] : wanted) {
        if (regexp.matched.contains(key)) continue;
        logger_.debug("service matches the task's regexp: watching it", "task_name", driver_.task().name, "dependency", key);
        regexp.matched.emplace(key, subscribe(dependency));
      }
    }
    std::vector<std::pair<std::uint64_t, std::uint64_t>> answers;
    for (const auto& [key, subscription] : regexp.matched) {
      const auto& data = subscription.dependency->data();
      const auto* entries = data ? std::get_if<std::vector<consul::ServiceEntry>>(&*data) : nullptr;
      if (entries != nullptr && !entries->empty()) answers.emplace_back(subscription.serial, subscription.dependency->version());
    }
    if (answers != regexp.answers) {
      regexp.answers = std::move(answers);
      changed = true;
    }
  }
  if (changed) ++changes_;
}

bool TaskRunner::all_answered() const {
  for (const Subscription& subscription : static_) {
    if (subscription.dependency->version() == 0) return false;
  }
  for (const RegexpWatch& regexp : regexps_) {
    for (const auto& [key, subscription] : regexp.matched) {
      if (subscription.dependency->version() == 0) return false;
    }
  }
  return true;
}

std::vector<std::shared_ptr<watch::WatchedDependency>> TaskRunner::current_dependencies() const {
  std::vector<std::shared_ptr<watch::WatchedDependency>> current;
  const auto add = [&current](const std::shared_ptr<watch::WatchedDependency>& dependency) {
    // Two templates may share a query (and the watcher its state): its data counts once.
    if (std::find(current.begin(), current.end(), dependency) == current.end()) current.push_back(dependency);
  };
  for (const Subscription& subscription : static_) add(subscription.dependency);
  for (const RegexpWatch& regexp : regexps_) {
    for (const auto& [key, subscription] : regexp.matched) add(subscription.dependency);
  }
  return current;
}

// A v4 UUID from the node's random stream (CTS's events carry one).
TaskEvent TaskRunner::start_event() const {
  TaskEvent event;
  event.id = uuid_v4(runtime_.rng());
  event.task_name = driver_.task().name;
  event.start_time = runtime_.wall_now();
  return event;
}

Task<void> TaskRunner::end_event(TaskEvent event, std::string error) {
  event.end_time = runtime_.wall_now();
  event.success = error.empty();
  event.error = std::move(error);
  last_run_error_ = event.error;
  events_.add(std::move(event));
  if (options_.after_event) co_await options_.after_event();
}

// Every attempt, retries included, asks may_act first: a retry's backoff can end while the
// process is frozen, and on resume its wake-up may run before anything else has noticed that
// the lease ran out meanwhile (found by sim swarm: a paused leader's retry started an apply
// beside the next leader's).
Task<tf::StepResult> TaskRunner::apply_while_leading(std::stop_token stop) {
  if (!may_act_()) {
    logger_.warn("not leading: skipping task run", "task_name", driver_.task().name);
    co_return tf::StepResult{tf::StepEnd::cancelled, "not leading: the lease ran out before the attempt", {}};
  }
  co_return co_await driver_.apply(std::move(stop));
}

Task<void> TaskRunner::run_task(RunKind kind, std::stop_token stop) {
  const std::string& name = driver_.task().name;
  last_run_error_.clear();
  last_run_cause_.clear();
  sync_dependencies();
  TaskEvent event = start_event();
  if (kind == RunKind::scheduled && !(changed_since_last_run() && all_answered())) {
    // TaskRunNow: RenderTemplate found nothing new (or not all of it yet: the changes stay due
    // for the next activation); a scheduled task stores an event anyway.
    logger_.info("scheduled task triggered but had no changes", "task_name", name);
    std::string no_error;
    co_await end_event(std::move(event), std::move(no_error));
    co_return;
  }
  changes_at_last_run_ = changes_;
  const tf::RenderResult rendered = driver_.render(consul_data(current_dependencies(), options_.user_meta));
  if (!rendered.ok()) {
    std::string error = fmt::format("error rendering template for task {}: {}", name, rendered.error);
    co_await end_event(std::move(event), std::move(error));
    co_return;
  }
  if (kind == RunKind::change && !rendered.changed) co_return;  // hcat's NoChange: nothing to apply, no event
  if (!may_act_()) {
    logger_.warn("not leading: skipping task run", "task_name", name);
    co_return;
  }
  logger_.info("executing task", "task_name", name);
  ++applies_;
  std::function<Task<tf::StepResult>(std::stop_token)> try_once = [this](std::stop_token token) {
    return apply_while_leading(std::move(token));
  };
  const std::string description = "ApplyTask " + name;
  tf::RetryPolicy retry = options_.retry;
  if (kind == RunKind::once && !options_.retry_once_mode) retry.retries_max = 0;
  tf::StepResult applied = co_await tf::run_with_retries(runtime_, logger_, retry, description, try_once, stop);
  if (applied.end == tf::StepEnd::cancelled) {
    logger_.info("task run cancelled", "task_name", name);
    co_await end_event(std::move(event), std::move(applied.error));
    co_return;
  }
  if (!applied.ok()) {
    logger_.error("error applying task", "task_name", name, "error", applied.error);
    last_run_cause_ = applied.error;
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
  // Changes already seen by the buffer; those during the once-mode run are still to see.
  std::uint64_t noticed = changes_at_last_run_;
  while (!stop.stop_requested()) {
    sync_dependencies();
    // The first change since the last run starts the buffer period, each later one extends it
    // (a change during a run starts it when the run ends).
    if (changes_ != noticed) {
      noticed = changes_;
      buffer.on_change(runtime_.now());
    }
    MonoTime deadline = buffer.fire_at().value_or(kNoDeadline);
    if (buffer.fire_at() && runtime_.now() >= deadline) {
      if (all_answered()) {
        buffer.fired();
        if (options_.bugs.concurrent_runs) {  // planted bug: no queue, the run starts beside any other
          forwarding_->spawn(run_task(RunKind::change, stop));
          noticed = changes_;
          continue;
        }
        busy_ = true;
        co_await run_task(RunKind::change, stop);
        busy_ = false;
        if (options_.bugs.drop_changes_during_run) {  // planted bug: what arrived meanwhile is forgotten
          sync_dependencies();
          noticed = changes_at_last_run_ = changes_;
        }
        continue;
      }
      // A service the regexp matched since has not answered yet: the run waits for it (CTS's
      // RenderTemplate is not Complete until then).
      deadline = kNoDeadline;
    }
    poke_.reset();
    co_await poke_.wait(stop, deadline);
  }
}

// controller/condition_monitor.go runScheduledTask: the next activation from the time now, a wait
// until then, TaskRunNow, again. The wait ends when the node's wall clock reads the activation
// time (it is slept in monotonic time, then again for what is left if the wall clock was stepped
// back or runs slow meanwhile), so a run never comes before its activation, and its next
// activation is a later one: CTS's time.After on a wall-clock difference could run an
// activation twice after such a step. The wait also wakes on changes, so a regexp's health
// queries follow the catalog between runs.
Task<void> TaskRunner::run_on_schedule(const std::string& cron, std::stop_token stop) {
  const std::string& name = driver_.task().name;
  auto parsed = config::cts::parse_cron(cron);
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    logger_.error("error parsing task cron", "task_name", name, "cron", cron, "error", *error);
    co_await sleep_until(runtime_, kNoDeadline, stop);  // CTS's goroutine ends: the task never runs again
    co_return;
  }
  const config::cts::CronExpression expression = std::get<config::cts::CronExpression>(std::move(parsed));
  while (!stop.stop_requested()) {
    const WallTime now = runtime_.wall_now();
    const std::optional<WallTime> next = expression.next(now);
    if (!next) {
      // cronexpr's zero Time: CTS would wait a negative time and run the task back to back.
      logger_.warn("scheduled task has no next run time", "task_name", name, "cron", cron);
      co_await sleep_until(runtime_, kNoDeadline, stop);
      break;
    }
    logger_.info("scheduled task next run time", "task_name", name, "wait_time", format_go_duration(*next - now),
                 "next_runtime", go_utc_text(*next));
    bool due = false;
    while (!stop.stop_requested()) {
      const Duration left = *next - runtime_.wall_now();
      if (left <= Duration::zero()) {
        due = true;
        break;
      }
      const MonoTime deadline = runtime_.now() + left;
      poke_.reset();
      co_await poke_.wait(stop, deadline);
      sync_dependencies();
    }
    if (!due) break;
    busy_ = true;
    co_await run_task(RunKind::scheduled, stop);
    busy_ = false;
  }
  logger_.info("stopping scheduled task", "task_name", name);
}

void TaskRunner::watch_dependencies() {
  // The queries whose changes count: every template's but a regexp's catalog query.
  std::set<std::string> counted;
  for (const tf::Template& tmpl : driver_.task().templates) {
    if (std::holds_alternative<tf::ServicesRegexTemplate>(tmpl)) continue;
    for (const watch::Dependency& dependency : watch::template_dependencies(tmpl)) counted.insert(watch::dependency_key(dependency));
  }
  std::vector<std::string> keys;
  for (const watch::Dependency& dependency : watch::task_dependencies(driver_.task())) {
    keys.push_back(watch::dependency_key(dependency));
    static_.push_back(subscribe(dependency));
    static_counts_.push_back(counted.contains(keys.back()));
    static_versions_.push_back(0);
  }
  for (const tf::Template& tmpl : driver_.task().templates) {
    const auto* regexp = std::get_if<tf::ServicesRegexTemplate>(&tmpl);
    if (regexp == nullptr) continue;
    const std::string catalog_key = watch::dependency_key(watch::template_dependencies(tmpl).front());
    const auto catalog = std::find(keys.begin(), keys.end(), catalog_key);
    regexps_.push_back(RegexpWatch{*regexp, std::size_t(catalog - keys.begin()), 0, {}, {}});
  }
}

Task<void> TaskRunner::await_all_answered(std::stop_token stop) {
  while (!stop.stop_requested()) {
    sync_dependencies();
    if (all_answered()) break;
    poke_.reset();
    co_await poke_.wait(stop);
  }
}

Task<void> TaskRunner::stop_watching(Scope& forwarding) {
  unsubscribe_all();
  forwarding.request_stop();
  co_await forwarding.join();
  forwarding_ = nullptr;
  static_.clear();
  static_counts_.clear();
  static_versions_.clear();
  regexps_.clear();
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
  forwarding_ = &forwarding;
  watch_dependencies();
  co_await await_all_answered(stop);
  if (!stop.stop_requested()) {
    std::string once_error;
    if (options_.bugs.skip_once_mode) {
      changes_at_last_run_ = changes_;  // planted bug: as if the once-mode run had happened
    } else {
      busy_ = true;
      // Created with ?run=now: that run was its first.
      const RunKind first = options_.first_run_on_change_only ? RunKind::change : RunKind::once;
      co_await run_task(first, stop);
      busy_ = false;
      once_error = last_run_error_;
    }
    once_done_ = true;
    if (options_.on_once_done) options_.on_once_done(once_error);
    if (driver_.task().schedule_cron) {
      const std::string cron = *driver_.task().schedule_cron;
      co_await run_on_schedule(cron, stop);
    } else {
      co_await monitor(stop);
    }
  }
  co_await stop_watching(forwarding);
}

Task<std::string> TaskRunner::run_once(std::stop_token stop) {
  const std::string& name = driver_.task().name;
  const tf::StepResult initialized = co_await driver_.init_task(stop);
  if (!initialized.ok()) {
    // CTS's driverFactory.Make: the task is not created, and once-mode fails with the error.
    logger_.error("error initializing task", "task_name", name, "error", initialized.error);
    last_run_error_ = initialized.error;
    last_run_cause_.clear();
    co_return initialized.error;
  }
  Scope forwarding(runtime_, stop);
  forwarding_ = &forwarding;
  watch_dependencies();
  co_await await_all_answered(stop);
  std::string error = "context canceled";
  last_run_error_ = error;
  last_run_cause_.clear();
  if (!stop.stop_requested()) {
    busy_ = true;
    co_await run_task(RunKind::once, stop);
    busy_ = false;
    once_done_ = true;
    error = last_run_error_;
  }
  co_await stop_watching(forwarding);
  co_return error;
}

Task<tf::InspectPlan> TaskRunner::inspect(std::stop_token stop) {
  tf::InspectPlan plan;
  const tf::StepResult initialized = co_await driver_.init_task(stop);
  if (!initialized.ok()) {
    plan.step = initialized;
    co_return plan;
  }
  Scope forwarding(runtime_, stop);
  forwarding_ = &forwarding;
  watch_dependencies();
  co_await await_all_answered(stop);
  if (stop.stop_requested()) {
    plan.step.end = tf::StepEnd::cancelled;
    plan.step.error = "inspect cancelled";
  } else {
    const tf::RenderResult rendered = driver_.render(consul_data(current_dependencies(), options_.user_meta));
    if (rendered.ok()) {
      plan = co_await driver_.inspect(stop);
    } else {
      plan.step.end = tf::StepEnd::failed;
      plan.step.error = fmt::format("error rendering template for task {}: {}", driver_.task().name, rendered.error);
    }
  }
  co_await stop_watching(forwarding);
  co_return plan;
}

}  // namespace baton::tasks
