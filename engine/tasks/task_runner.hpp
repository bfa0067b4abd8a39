#pragma once
// TaskRunner: one task's life on the leader, as CTS's tasks manager runs it: initialize the
// task (root module, terraform init, validate), wait until every dependency has answered once,
// run the task once (once-mode: applied whatever the data), then monitor: each change starts or
// extends the buffer period (buffer_period.hpp), after which terraform.tfvars is rendered and,
// if its bytes changed, applied with CTS's retries. A change that arrives while the task runs
// is not dropped (CTS PR 741) and costs exactly one more run, however many arrive.
//
// Each run that reaches Terraform, or fails before it, adds an event (task_events.hpp). Right
// before each apply the runner asks `may_act` (the leader's lease check, DESIGN.md step 5): a
// fenced leader starts no apply. Stopping the runner cancels an apply in flight.
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/async/event.hpp"
#include "engine/driver/terraform/apply_retry.hpp"
#include "engine/driver/terraform/task_driver.hpp"
#include "engine/log/logger.hpp"
#include "engine/tasks/buffer_period.hpp"
#include "engine/tasks/task_events.hpp"
#include "engine/tasks/user_meta.hpp"
#include "engine/watch/watcher.hpp"

namespace baton::tasks {

struct TaskRunnerOptions {
  BufferPeriod buffer;
  driver::terraform::RetryPolicy retry;
  // The task's cts_user_defined_meta.
  UserMeta user_meta;
  // Awaited after each event is added (the leader persists the task's events); may be empty.
  std::function<Task<void>()> after_event;
  // Called once the task's first run (once-mode) has ended; may be empty.
  std::function<void()> on_once_done;
};

// True when this instance may start an apply now (it leads and its lease is valid).
using MayAct = std::function<bool()>;

class TaskRunner {
 public:
  TaskRunner(Runtime& runtime, watch::Watcher& watcher, driver::terraform::TaskDriver& driver, Logger logger,
             TaskRunnerOptions options, MayAct may_act, TaskEvents& events);
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  // Initializes, runs once, then monitors until `stop`.
  Task<void> run(std::stop_token stop);

  // Runs that reached an apply (succeeded or not).
  std::uint64_t applies() const { return applies_; }
  // True once the task's first run (once-mode) has ended.
  bool once_done() const { return once_done_; }
  // True while a run is under way (render, apply with its retries, the event stored): CTS's
  // "active" task, which the API neither updates nor deletes until it ends.
  bool busy() const { return busy_; }

 private:
  Task<void> forward_changes(std::shared_ptr<watch::WatchedDependency> dependency, std::stop_token stop);
  bool all_answered() const;
  bool changed_since_last_run() const;
  void remember_versions();
  Task<void> run_task(bool once, std::stop_token stop);
  Task<void> monitor(std::stop_token stop);
  TaskEvent start_event() const;
  Task<void> end_event(TaskEvent event, std::string error);

  Runtime& runtime_;
  watch::Watcher& watcher_;
  driver::terraform::TaskDriver& driver_;
  Logger logger_;
  TaskRunnerOptions options_;
  MayAct may_act_;
  TaskEvents& events_;

  std::vector<std::shared_ptr<watch::WatchedDependency>> watched_;
  std::vector<std::uint64_t> seen_versions_;
  Event poke_;
  std::uint64_t applies_ = 0;
  bool once_done_ = false;
  bool busy_ = false;
};

}  // namespace baton::tasks
