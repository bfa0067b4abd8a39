#pragma once
// TaskRunner: one task's life on the leader, as CTS's tasks manager runs it: initialize the
// task (root module, terraform init, validate), wait until every dependency has answered once,
// run the task once (once-mode: applied whatever the data), then one of:
//
// - monitor (every condition but schedule): each change starts or extends the buffer period
//   (buffer_period.hpp), after which terraform.tfvars is rendered and, if its bytes changed,
//   applied with CTS's retries. A change that arrives while the task runs is not dropped (CTS
//   PR 741) and costs exactly one more run, however many arrive.
// - schedule (condition "schedule", TaskInput::schedule_cron): no buffer period; changes only
//   mark the task as having something to apply. At each cron activation (cronexpr's Next of
//   the node's wall clock, in UTC: config/cts/cron_expression.hpp) the task runs as CTS's
//   TaskRunNow runs a scheduled task: if some dependency changed since the last run it renders
//   and applies (whether or not the file's bytes changed: hcat's template was notified), else
//   it logs "scheduled task triggered but had no changes" and stores a successful event without
//   applying. The next activation is computed when a run ends, so activations that pass during
//   a run are skipped, as in CTS.
//
// A services regexp (ServicesRegexTemplate) watches the catalog; whenever the catalog's data
// changes, the runner watches the health query of each service name the pattern now matches and
// drops those it no longer matches (watch::regexp_health_dependencies). The render sees only the
// matched queries' data, once-mode waits until each of them has answered, and a change is
// counted when a matched query's instances change or a query with instances appears or goes,
// not when the catalog alone changes (CTS's servicesRegex data is the instances).
//
// Each run that reaches Terraform, or fails before it, adds an event (task_events.hpp). Right
// before each apply the runner asks `may_act` (the leader's lease check, DESIGN.md step 5): a
// fenced leader starts no apply. Stopping the runner cancels an apply in flight.
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "engine/async/event.hpp"
#include "engine/async/scope.hpp"
#include "engine/driver/terraform/apply_retry.hpp"
#include "engine/driver/terraform/task_driver.hpp"
#include "engine/log/logger.hpp"
#include "engine/tasks/buffer_period.hpp"
#include "engine/tasks/task_events.hpp"
#include "engine/tasks/user_meta.hpp"
#include "engine/testing/planted_bugs.hpp"
#include "engine/watch/watcher.hpp"

namespace baton::tasks {

struct TaskRunnerOptions {
  BufferPeriod buffer;
  driver::terraform::RetryPolicy retry;
  // The task's cts_user_defined_meta.
  UserMeta user_meta;
  // Awaited after each event is added (the leader persists the task's events); may be empty.
  std::function<Task<void>()> after_event;
  // Whether the first run (once-mode) retries a failed apply as later runs do. CTS without
  // high availability applies a task's first run once (tasks_manager.go runNewTask).
  bool retry_once_mode = true;
  // The task ran just before this runner started (created with the API's ?run=now): its first
  // run applies only if the data changed since, as a monitoring run does (no event otherwise),
  // instead of applying whatever the data (once-mode).
  bool first_run_on_change_only = false;
  // Called once the task's first run (once-mode) has ended, with its error (empty when it
  // succeeded or had nothing to apply); may be empty.
  std::function<void(const std::string& error)> on_once_done;
  // The simulator's planted bugs (engine/testing/planted_bugs.hpp): skip_once_mode,
  // drop_changes_during_run and concurrent_runs are read here. All off in production.
  PlantedBugs bugs;
};

// True when this instance may start an apply now (it leads and its lease is valid).
using MayAct = std::function<bool()>;

class TaskRunner {
 public:
  TaskRunner(Runtime& runtime, watch::Watcher& watcher, driver::terraform::TaskDriver& driver, Logger logger,
             TaskRunnerOptions options, MayAct may_act, TaskEvents& events);
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  // Initializes, runs once, then monitors (or follows its schedule) until `stop`.
  Task<void> run(std::stop_token stop);

  // Once mode (CTS's `start -once`): initializes, waits until every query has answered, runs
  // the task once and returns that run's error (empty when it succeeded); an initialization
  // error ends it at once. Run it instead of run(), on a runner of its own.
  Task<std::string> run_once(std::stop_token stop);

  // Inspect mode (CTS's `start -inspect`, the API's ?run=inspect): initializes, waits until
  // every query has answered, renders and runs `terraform plan`. Applies nothing, adds no
  // event. Run it instead of run(), on a runner of its own.
  Task<driver::terraform::InspectPlan> inspect(std::stop_token stop);

  // The error of run_once's run as CTS's runNewTask returns it, which the API's ?run=now answers
  // with: the initialization's or the apply's own error ("error tf-apply for 'web': ..."),
  // without the "could not apply changes for task web: " that the event's error has (runTask's
  // wording). Empty when it succeeded.
  const std::string& last_run_cause() const { return last_run_cause_.empty() ? last_run_error_ : last_run_cause_; }

  // Runs that reached an apply (succeeded or not).
  std::uint64_t applies() const { return applies_; }
  // True once the task's first run (once-mode) has ended.
  bool once_done() const { return once_done_; }
  // True while a run is under way (render, apply with its retries, the event stored): CTS's
  // "active" task, which the API neither updates nor deletes until it ends.
  bool busy() const { return busy_; }

 private:
  // A watched dependency and the coroutine forwarding its changes to poke_, which ends when
  // `stop` is requested (the dependency is dropped, or the runner ends).
  struct Subscription {
    std::shared_ptr<watch::WatchedDependency> dependency;
    std::uint64_t serial = 0;  // unique per subscription: a query dropped and watched again is new
    std::stop_source stop;
  };
  // A services regexp and the health queries of the names it matches now.
  struct RegexpWatch {
    driver::terraform::ServicesRegexTemplate tmpl;
    std::size_t catalog = 0;            // its catalog query, in static_
    std::uint64_t catalog_version = 0;  // the catalog data `matched` was computed from
    std::map<std::string, Subscription> matched;  // by watch::dependency_key
    // (serial, version) of each matched query holding instances, at the last sync.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> answers;
  };
  enum class RunKind { once, change, scheduled };

  Subscription subscribe(const watch::Dependency& dependency);
  void unsubscribe_all();
  // run() and inspect(): subscribe to every query of the task, wait for their first answers,
  // and let go of them at the end.
  void watch_dependencies();
  Task<void> await_all_answered(std::stop_token stop);
  Task<void> stop_watching(Scope& forwarding);
  Task<void> forward_changes(std::shared_ptr<watch::WatchedDependency> dependency, std::uint64_t seen_version,
                             std::stop_token stop);
  // Brings the regexps' health queries up to date with the catalog and counts the changes seen
  // since the last call in changes_. Called before every decision on the dependencies' state.
  void sync_dependencies();
  bool all_answered() const;
  bool changed_since_last_run() const { return changes_ != changes_at_last_run_; }
  // The dependencies whose data the task renders now: the static ones and the matched ones.
  std::vector<std::shared_ptr<watch::WatchedDependency>> current_dependencies() const;
  Task<void> run_task(RunKind kind, std::stop_token stop);
  // One apply attempt, unless the lease ran out: then `cancelled`, and nothing is run.
  Task<driver::terraform::StepResult> apply_while_leading(std::stop_token stop);
  Task<void> monitor(std::stop_token stop);
  Task<void> run_on_schedule(const std::string& cron, std::stop_token stop);
  TaskEvent start_event() const;
  Task<void> end_event(TaskEvent event, std::string error);

  Runtime& runtime_;
  watch::Watcher& watcher_;
  driver::terraform::TaskDriver& driver_;
  Logger logger_;
  TaskRunnerOptions options_;
  MayAct may_act_;
  TaskEvents& events_;

  // Set while run() watches: the scope of the forwarding coroutines.
  Scope* forwarding_ = nullptr;
  std::uint64_t next_serial_ = 1;
  // The queries the templates make from their configuration (watch::task_dependencies), whether
  // each one's changes count (not when only a regexp uses it: its catalog), and each one's
  // version at the last sync.
  std::vector<Subscription> static_;
  std::vector<bool> static_counts_;
  std::vector<std::uint64_t> static_versions_;
  std::vector<RegexpWatch> regexps_;
  // Changes counted by sync_dependencies, and their count when the last run began: a run is due
  // while they differ (hcat's template "dirty" flag).
  std::uint64_t changes_ = 0;
  std::uint64_t changes_at_last_run_ = 0;
  Event poke_;
  std::uint64_t applies_ = 0;
  std::string last_run_error_;  // the error of the last run_task (empty: succeeded, or no event)
  std::string last_run_cause_;  // when the apply failed: its own error, before runTask's wording
  bool once_done_ = false;
  bool busy_ = false;
};

}  // namespace baton::tasks
