// FakeTerraform::apply: one `terraform apply -auto-approve`, recorded in the TerraformWorld.
#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <memory>
#include <set>

#include "engine/async/scope.hpp"

#include "fakes/terraform/configuration_texts.hpp"
#include "fakes/terraform/diagnostics.hpp"
#include "fakes/terraform/fake_terraform.hpp"

namespace baton::fakes::terraform {

// One apply's run, and its entry in the ledger. The entry is opened when the run starts and
// closed when it ends; if the run's frame is destroyed first (the node crashed), the destructor
// closes it as `crashed`, touching only the in-memory ledger: a dead process calls nothing.
class FakeTerraform::ApplyRun {
 public:
  ApplyRun(FakeTerraform& owner, const TerraformTarget& target) : owner_(owner), target_(target) {}
  ApplyRun(const ApplyRun&) = delete;
  ApplyRun& operator=(const ApplyRun&) = delete;
  ~ApplyRun();

  Task<StepResult> run(std::stop_token stop);

 private:
  // How the run ended, before it is recorded.
  struct Ending {
    ApplyOutcome outcome;
    StepResult result;
  };

  void open_record(const WorkingDirInputs& inputs, const std::string& state_path);
  StepResult close_record(ApplyOutcome outcome, StepResult result);
  // From the lock on: refresh, changes, state, unlock.
  Task<Ending> locked_run(BackendOperation& backend, const WorkingDirInputs& inputs,
                          const std::optional<InjectedFailure>& failure, std::stop_token stop);
  Task<std::optional<Ending>> refresh_phase(BackendOperation& backend, const WorkingDirInputs& inputs,
                                            const std::optional<InjectedFailure>& failure, Duration refresh,
                                            std::stop_token stop);
  // Up to `steps_allowed` of the changes, one service a step (an update when there are none);
  // how many were made before the stop token fired.
  Task<std::size_t> change(const WorkingDirInputs& inputs, const std::vector<ServiceChange>& changes,
                           std::size_t steps_allowed, Duration step_time, std::stop_token stop);
  bool up_to_date(const WorkingDirInputs& inputs) const;
  Ending finish_changed(std::size_t made, std::size_t planned, bool cancelled, const std::optional<InjectedFailure>& failure,
                        std::string stderr_tail);

  FakeTerraform& owner_;
  TerraformTarget target_;  // a copy: the caller's may not outlive a crash mid-run
  ApplyId id_ = 0;
  std::string state_path_;
};

FakeTerraform::ApplyRun::~ApplyRun() {
  if (id_ == 0) return;
  ApplyLedger& ledger = owner_.world_.ledger();
  if (ledger.at(id_).ended()) return;
  const ApplyOutcome outcome = owner_.node_.dying() ? ApplyOutcome::crashed
                               : owner_.killing_    ? ApplyOutcome::killed
                                                    : ApplyOutcome::abandoned;
  ledger.finish(id_, outcome, owner_.world_.now_true_ns());
  owner_.world_.trace(owner_.node_.name(), "terraform.apply.end",
                      fmt::format("task={} id={} outcome={} change={}", target_.task, id_, to_string(outcome),
                                  to_string(ledger.at(id_).change)));
}

void FakeTerraform::ApplyRun::open_record(const WorkingDirInputs& inputs, const std::string& state_path) {
  state_path_ = state_path;
  const std::set<std::string> services = target_services(inputs);
  ApplyRecord record{.instance = std::string(owner_.node_.name()),
                     .task = target_.task,
                     .workspace = target_.workspace,
                     .state_path = state_path,
                     .start_true_ns = owner_.world_.now_true_ns(),
                     .inputs_digest = inputs.digest,
                     .services = std::vector<std::string>(services.begin(), services.end()),
                     .lease_token = owner_.world_.lease_token(owner_.node_.name())};
  id_ = owner_.world_.ledger().begin(std::move(record));
  owner_.world_.trace(owner_.node_.name(), "terraform.apply.start", fmt::format("task={} id={}", target_.task, id_));
}

StepResult FakeTerraform::ApplyRun::close_record(ApplyOutcome outcome, StepResult result) {
  ApplyLedger& ledger = owner_.world_.ledger();
  ledger.at(id_).error = result.error;
  ledger.finish(id_, outcome, owner_.world_.now_true_ns());
  owner_.world_.trace(owner_.node_.name(), "terraform.apply.end",
                      fmt::format("task={} id={} outcome={} change={}", target_.task, id_, to_string(outcome),
                                  to_string(ledger.at(id_).change)));
  return result;
}

Task<StepResult> FakeTerraform::ApplyRun::run(std::stop_token stop) {
  const WorkingDirInputs inputs = read_working_dir(owner_.files_, target_.working_dir);
  open_record(inputs, owner_.state_path_for(target_, inputs));
  if (inputs.error) {
    StepResult failed{StepEnd::failed, exit_error(Diagnostic{.summary = "Failed to read file", .detail = inputs.error->message}), {}};
    co_return close_record(ApplyOutcome::failed_before_change, std::move(failed));
  }
  BackendOperation backend = owner_.backend_for(target_, state_path_);
  std::string operation = "OperationTypeApply";
  OpenResult opened = co_await backend.open(std::move(operation), stop);
  if (opened.kind == OpenResult::Kind::cancelled) co_return close_record(ApplyOutcome::cancelled, cancelled_step());
  if (!opened.ok()) {
    const ApplyOutcome outcome =
        opened.kind == OpenResult::Kind::refused ? ApplyOutcome::lock_refused : ApplyOutcome::failed_before_change;
    co_return close_record(outcome, StepResult{StepEnd::failed, exit_error(opened.stderr_text), {}});
  }
  owner_.world_.ledger().at(id_).locked_true_ns = owner_.world_.now_true_ns();
  // Injected failures are the provider's: they meet only applies that got past the lock.
  const std::optional<InjectedFailure> failure = owner_.injected(TerraformStep::apply, target_);
  Ending ending = co_await locked_run(backend, inputs, failure, stop);
  co_return close_record(ending.outcome, std::move(ending.result));
}

Task<FakeTerraform::ApplyRun::Ending> FakeTerraform::ApplyRun::locked_run(BackendOperation& backend,
                                                                          const WorkingDirInputs& inputs,
                                                                          const std::optional<InjectedFailure>& failure,
                                                                          std::stop_token stop) {
  const FakeTerraformOptions& options = owner_.options_;
  const Duration total = owner_.draw_ms(options.apply_time_ms_min, options.apply_time_ms_max);
  const Duration refresh = total * options.apply_refresh_percent / 100;
  std::optional<Ending> ended = co_await refresh_phase(backend, inputs, failure, refresh, stop);
  if (ended) co_return std::move(*ended);

  // The changes. An injected partial failure stops after some of them, never all.
  const std::vector<ServiceChange> changes =
      changes_between(owner_.world_.infrastructure_of(target_.task).services, target_services(inputs));
  // With no instance added or removed, the change is one update of the other inputs.
  const std::size_t steps = std::max<std::size_t>(1, changes.size());
  std::size_t allowed = steps;
  if (failure && failure->mode == FailureMode::fail_after_partial_change && steps > 1) {
    allowed = std::size_t(owner_.node_.rng().between(1, std::int64_t(steps) - 1));
  }
  const std::size_t made = co_await change(inputs, changes, allowed, (total - refresh) / std::int64_t(steps), stop);
  const bool cancelled = made < allowed;
  // A stopping Terraform saves what it changed, then lets go of the lock.
  std::string tail;
  if (made > 0) {
    std::optional<std::string> persist_error = co_await backend.persist();
    if (persist_error) tail += *persist_error;
  }
  std::optional<std::string> unlock_error = co_await backend.close();
  if (unlock_error) tail += *unlock_error;
  co_return finish_changed(made, steps, cancelled, failure, std::move(tail));
}

// Refresh and plan: nothing changes yet. The run ends here (unlocking) when a value is missing,
// an injected error or hang says so, the stop token fires, or there is nothing to change.
Task<std::optional<FakeTerraform::ApplyRun::Ending>> FakeTerraform::ApplyRun::refresh_phase(
    BackendOperation& backend, const WorkingDirInputs& inputs, const std::optional<InjectedFailure>& failure,
    Duration refresh, std::stop_token stop) {
  std::string stderr_text;
  if (std::optional<Diagnostic> missing = missing_services_value(inputs)) stderr_text = plain_diagnostic(*missing);
  bool worked = true;
  if (stderr_text.empty() && failure && failure->mode == FailureMode::hang) {
    const WaitResult waited = co_await sleep_until(owner_.node_, kNoDeadline, stop);
    assert(waited == WaitResult::cancelled && "a hang ends only by its stop token");
    worked = false;
  } else if (stderr_text.empty()) {
    worked = co_await owner_.work(refresh, stop);
  }
  if (worked && stderr_text.empty() && failure && failure->mode == FailureMode::fail_before_change) {
    stderr_text = plain_diagnostic(Diagnostic{.summary = failure->summary, .detail = failure->detail});
  }
  const bool nothing_to_change = worked && stderr_text.empty() && up_to_date(inputs);
  if (worked && stderr_text.empty() && !nothing_to_change) co_return std::nullopt;

  std::optional<std::string> unlock_error = co_await backend.close();
  if (unlock_error) stderr_text += *unlock_error;
  if (!worked) co_return Ending{ApplyOutcome::cancelled, cancelled_step()};
  if (!stderr_text.empty()) {
    co_return Ending{ApplyOutcome::failed_before_change, StepResult{StepEnd::failed, exit_error(stderr_text), {}}};
  }
  // "No changes.": a success all the same, and what the workspace last applied.
  owner_.world_.set_last_applied_digest(state_path_, inputs.digest);
  co_return Ending{ApplyOutcome::succeeded, StepResult{StepEnd::succeeded, {}, {}}};
}

// Whether the infrastructure already is what these inputs make: Terraform plans no change.
bool FakeTerraform::ApplyRun::up_to_date(const WorkingDirInputs& inputs) const {
  const TaskInfrastructure* current = owner_.world_.find_infrastructure(target_.task);
  return current != nullptr && !current->partial && current->inputs_digest == inputs.digest;
}

Task<std::size_t> FakeTerraform::ApplyRun::change(const WorkingDirInputs& inputs, const std::vector<ServiceChange>& changes,
                                                  std::size_t steps_allowed, Duration step_time, std::stop_token stop) {
  TerraformWorld& world = owner_.world_;
  const std::size_t steps = std::max<std::size_t>(1, changes.size());
  assert(steps_allowed >= 1 && steps_allowed <= steps);
  std::size_t made = 0;
  while (made < steps_allowed) {
    const bool worked = co_await owner_.work(step_time, stop);
    if (!worked) break;
    TaskInfrastructure& infrastructure = world.infrastructure_of(target_.task);
    if (made < changes.size()) apply_change(infrastructure.services, changes[made]);
    ++made;
    infrastructure.partial = true;
    infrastructure.inputs_digest = inputs.digest;
    infrastructure.last_apply_id = id_;
    infrastructure.changed_true_ns = world.now_true_ns();
    world.ledger().at(id_).change = ChangeExtent::partial;
  }
  if (made == steps) {
    world.infrastructure_of(target_.task).partial = false;
    world.ledger().at(id_).change = ChangeExtent::complete;
  }
  co_return made;
}

FakeTerraform::ApplyRun::Ending FakeTerraform::ApplyRun::finish_changed(std::size_t made, std::size_t planned, bool cancelled,
                                                                       const std::optional<InjectedFailure>& failure,
                                                                       std::string stderr_tail) {
  if (cancelled) return Ending{ApplyOutcome::cancelled, cancelled_step()};
  if (made < planned || (failure && failure->mode == FailureMode::fail_after_partial_change)) {
    // Terraform's own error comes first, then whatever saving and unlocking added.
    std::string stderr_text = plain_diagnostic(Diagnostic{.summary = failure->summary, .detail = failure->detail});
    owner_.world_.infrastructure_of(target_.task).partial = true;
    owner_.world_.ledger().at(id_).change = ChangeExtent::partial;
    return Ending{ApplyOutcome::failed_after_partial_change,
                  StepResult{StepEnd::failed, exit_error(stderr_text + stderr_tail), {}}};
  }
  if (!stderr_tail.empty()) {
    return Ending{ApplyOutcome::failed_after_change, StepResult{StepEnd::failed, exit_error(stderr_tail), {}}};
  }
  owner_.world_.set_last_applied_digest(state_path_, owner_.world_.ledger().at(id_).inputs_digest);
  return Ending{ApplyOutcome::succeeded, StepResult{StepEnd::succeeded, {}, {}}};
}

Task<void> FakeTerraform::run_apply(const TerraformTarget& target, std::stop_token stop, std::optional<StepResult>& result,
                                    Event& done) {
  ApplyRun run(*this, target);
  result = co_await run.run(std::move(stop));
  done.set();
}

// The apply runs in a scope of its own so that it can be killed: once the stop token fires, it
// has kill_grace to end; then its frames are destroyed where they are, as SIGKILL would.
Task<StepResult> FakeTerraform::apply(const TerraformTarget& target, std::stop_token stop) {
  std::optional<StepResult> result;
  Event done(node_);
  auto running = std::make_unique<Scope>(node_);
  running->spawn(run_apply(target, stop, result, done));
  const WaitResult ended = co_await done.wait(stop);
  if (ended != WaitResult::woken) {
    const MonoTime kill_at = node_.now() + std::chrono::milliseconds(options_.kill_grace_ms);
    const std::stop_token never;
    co_await done.wait(never, kill_at);
  }
  if (!result) {
    killing_ = true;
    running.reset();
    killing_ = false;
    co_return StepResult{StepEnd::cancelled, "signal: killed", {}};
  }
  co_return *result;
}

}  // namespace baton::fakes::terraform
