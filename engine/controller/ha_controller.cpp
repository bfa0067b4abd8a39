#include "engine/controller/ha_controller.hpp"

#include <utility>

#include "engine/async/scope.hpp"
#include "engine/consul/blocking_query.hpp"
#include "engine/driver/terraform/task_driver.hpp"

namespace baton::controller {

namespace tf = driver::terraform;

HaController::HaController(Runtime& runtime, consul::ConsulClient& consul, FileSystem& files, tf::TerraformClient& terraform,
                           Logger logger, ControllerOptions options, std::vector<TaskSpec> tasks)
    : runtime_(runtime),
      consul_(consul),
      files_(files),
      terraform_(terraform),
      logger_(logger),
      options_(std::move(options)),
      tasks_(std::move(tasks)),
      election_(runtime, consul, logger, options_.election),
      state_(consul, logger, options_.election.parent_path) {}

Task<void> HaController::run(std::stop_token stop) {
  Scope checking(runtime_, stop);
  checking.spawn(check_compatibility(checking.token()));
  ha::TermBody body = [this](ha::LeaderTerm term, std::stop_token term_stop) { return lead(std::move(term), std::move(term_stop)); };
  co_await election_.run(body, stop);
  checking.request_stop();
  co_await checking.join();
}

namespace {

bool is_local_module(const std::string& source) {
  return source.rfind("./", 0) == 0 || source.rfind("../", 0) == 0 || source.rfind('/', 0) == 0;
}

}  // namespace

std::size_t HaController::report_missing_modules() {
  const Logger compat = logger_.named("ha").named("compat");
  std::size_t missing = 0;
  for (const TaskSpec& spec : tasks_) {
    const std::string& source = spec.input.module_source;
    if (!is_local_module(source) || files_.exists(source)) continue;
    ++missing;
    // CTS logs the error alone: `[ERROR] ha.compat: error="compatibility check failure: ..."`.
    compat.error("", "error", "compatibility check failure: stat " + source + ": no such file or directory");
  }
  return missing;
}

Task<void> HaController::check_compatibility(std::stop_token stop) {
  while (!stop.stop_requested()) {
    missing_modules_ = report_missing_modules();
    co_await sleep_for(runtime_, options_.compatibility_check_interval, stop);
  }
}

Task<void> HaController::load_events(std::stop_token stop) {
  consul::Backoff backoff(options_.election.error_backoff);
  while (!stop.stop_requested()) {
    auto loaded = co_await state_.load_events(stop);
    if (loaded.ok()) {
      for (auto& [task, events] : loaded.value()) events_[task] = std::move(events);
      co_return;
    }
    if (stop.stop_requested()) co_return;
    logger_.named("ctrl").warn("error loading stored events, retrying", "error", loaded.error().message);
    co_await sleep_for(runtime_, backoff.failed(runtime_.rng()), stop);
  }
}

Task<void> HaController::persist_events(std::string task, std::string session) {
  auto saved = co_await state_.save_events(task, events_[task], session, {});
  if (!saved.ok()) {
    logger_.named("ctrl").error("error storing task events", "task_name", task, "error", saved.error().message);
  } else if (!saved.value()) {
    logger_.named("ctrl").warn("events not stored: this instance no longer holds the lock", "task_name", task);
  }
}

Task<void> HaController::lead(ha::LeaderTerm term, std::stop_token stop) {
  const Logger ctrl = logger_.named("ctrl");
  co_await load_events(stop);
  if (stop.stop_requested()) co_return;

  watch::Watcher watcher(runtime_, consul_, logger_, options_.watcher);
  std::vector<std::unique_ptr<tf::TaskDriver>> drivers;
  std::vector<std::unique_ptr<tasks::TaskRunner>> runners;
  std::size_t enabled = 0;
  std::size_t once_done = 0;
  const std::uint64_t term_number = term.number;
  const auto once_finished = [&once_done, &enabled, &ctrl, this, term_number] {
    if (++once_done == enabled) {
      ++once_mode_done_terms_;
      ctrl.info("once-mode done", "term", term_number);
    }
  };
  Scope running(runtime_, stop);
  for (const TaskSpec& spec : tasks_) {
    if (!spec.enabled) continue;
    ++enabled;
    const std::string name = spec.input.name;
    drivers.push_back(std::make_unique<tf::TaskDriver>(files_, terraform_, logger_, spec.input,
                                                       tf::TerraformTarget{name, spec.working_dir, name, {}}));
    tasks::TaskRunnerOptions runner_options;
    runner_options.buffer = spec.buffer;
    runner_options.retry = options_.retry;
    const std::string session = term.session_id;
    runner_options.after_event = [this, name, session]() { return persist_events(name, session); };
    runner_options.on_once_done = once_finished;
    runners.push_back(std::make_unique<tasks::TaskRunner>(runtime_, watcher, *drivers.back(), logger_, std::move(runner_options),
                                                          [this] { return election_.leading(); }, events_[name]));
    running.spawn(runners.back()->run(running.token()));
  }
  if (enabled == 0) ctrl.info("once-mode done", "term", term_number);
  co_await running.join();
  watcher.stop();
  co_await watcher.join();
}

}  // namespace baton::controller
