#include "fakes/terraform/fake_terraform.hpp"

#include <fmt/format.h>

#include <cassert>

#include "engine/async/wait.hpp"
#include "fakes/terraform/backend_constants.hpp"
#include "fakes/terraform/diagnostics.hpp"
#include "fakes/terraform/go_errors.hpp"
#include "fakes/terraform/configuration_texts.hpp"

namespace baton::fakes::terraform {

StepResult cancelled_step() { return StepResult{StepEnd::cancelled, std::string(kContextCanceled), {}}; }

namespace {

StepResult succeeded_step() { return StepResult{StepEnd::succeeded, {}, {}}; }

StepResult failed_step(std::string error) { return StepResult{StepEnd::failed, std::move(error), {}}; }

StepResult unreadable_inputs(const FileError& error) {
  return failed_step(exit_error(Diagnostic{.summary = "Failed to read file", .detail = error.message}));
}

}  // namespace

FakeTerraform::FakeTerraform(sim::Node& node, FileSystem& files, baton::consul::ConsulClient& consul, TerraformWorld& world,
                             FakeTerraformOptions options)
    : node_(node), files_(files), consul_(consul), world_(world), options_(std::move(options)) {
  assert(options_.init_time_ms_min >= 0 && options_.init_time_ms_min <= options_.init_time_ms_max);
  assert(options_.validate_time_ms_min >= 0 && options_.validate_time_ms_min <= options_.validate_time_ms_max);
  assert(options_.apply_time_ms_min >= 0 && options_.apply_time_ms_min <= options_.apply_time_ms_max);
  assert(options_.plan_time_ms_min >= 0 && options_.plan_time_ms_min <= options_.plan_time_ms_max);
  assert(options_.apply_refresh_percent <= 100);
}

Duration FakeTerraform::draw_ms(std::int64_t min_ms, std::int64_t max_ms) {
  return std::chrono::milliseconds(node_.rng().between(min_ms, max_ms));
}

std::optional<InjectedFailure> FakeTerraform::injected(TerraformStep step, const TerraformTarget& target) {
  return world_.failures().take(step, target.task, node_.name(), world_.now_true_ns());
}

Task<bool> FakeTerraform::work(Duration time, std::stop_token stop) {
  const WaitResult waited = co_await sleep_for(node_, time, stop);
  co_return waited != WaitResult::cancelled;
}

Task<StepResult> FakeTerraform::injected_outcome(const InjectedFailure& failure, std::stop_token stop) {
  if (failure.mode == FailureMode::hang) {
    const WaitResult waited = co_await sleep_until(node_, kNoDeadline, stop);
    assert(waited == WaitResult::cancelled && "a hang ends only by its stop token");
    co_return cancelled_step();
  }
  co_return failed_step(exit_error(Diagnostic{.summary = failure.summary, .detail = failure.detail}));
}

LockInfo FakeTerraform::identity() const {
  return LockInfo{.who = options_.user + "@" + std::string(node_.name()), .version = options_.terraform_version};
}

std::string FakeTerraform::state_path_for(const TerraformTarget& target, const WorkingDirInputs& inputs) const {
  std::optional<std::string> backend_path;
  if (const std::string* main_tf = inputs.file("main.tf")) backend_path = consul_backend_path(*main_tf);
  return state_path(backend_path.value_or(options_.default_backend_path), target.workspace);
}

BackendOperation FakeTerraform::backend_for(const TerraformTarget& target, const std::string& state_path) {
  return BackendOperation(node_, consul_, state_path, target.workspace, identity(), options_.terraform_version);
}

// `terraform init`, then `terraform workspace new` (StateMgr: lock, empty state, unlock) when the
// workspace's state key does not exist; CTS then selects it, which touches nothing in Consul.
Task<StepResult> FakeTerraform::init(const TerraformTarget& target_ref, std::stop_token stop) {
  const TerraformTarget target = target_ref;
  if (std::optional<InjectedFailure> failure = injected(TerraformStep::init, target)) {
    StepResult result = co_await injected_outcome(*failure, stop);
    co_return result;
  }
  const bool worked = co_await work(draw_ms(options_.init_time_ms_min, options_.init_time_ms_max), stop);
  if (!worked) co_return cancelled_step();
  if (is_default_workspace(target.workspace)) co_return succeeded_step();
  const WorkingDirInputs inputs = read_working_dir(files_, target.working_dir);
  if (inputs.error) co_return unreadable_inputs(*inputs.error);

  BackendOperation backend = backend_for(target, state_path_for(target, inputs));
  baton::consul::ConsulResult<bool> exists = co_await backend.workspace_exists(stop);
  if (!exists.ok()) {
    if (is_cancelled(exists.error())) co_return cancelled_step();
    const std::string error = consul_api_error_text(exists.error());
    co_return failed_step(exit_error(Diagnostic{.summary = "Failed to get existing workspaces: " + error}));
  }
  if (exists.value()) co_return succeeded_step();
  OpenResult created = co_await backend.create_workspace(stop);
  if (created.kind == OpenResult::Kind::cancelled) co_return cancelled_step();
  if (!created.ok()) co_return failed_step(exit_error(created.stderr_text));
  co_return succeeded_step();
}

// `terraform validate -json` with CTS's rewording (client/terraform_cli.go Validate): each
// diagnostic as "\n<severity>: <summary>\n", its snippet, its detail, "\n".
Task<StepResult> FakeTerraform::validate(const TerraformTarget& target_ref, std::stop_token stop) {
  const TerraformTarget target = target_ref;
  if (std::optional<InjectedFailure> failure = injected(TerraformStep::validate, target)) {
    StepResult result = co_await injected_outcome(*failure, stop);
    co_return result;
  }
  const bool worked = co_await work(draw_ms(options_.validate_time_ms_min, options_.validate_time_ms_max), stop);
  if (!worked) co_return cancelled_step();
  const WorkingDirInputs inputs = read_working_dir(files_, target.working_dir);
  if (inputs.error) co_return failed_step("\nerror: Failed to read file\n" + inputs.error->message + "\n");
  const std::string* main_tf = inputs.file("main.tf");
  if (main_tf == nullptr || inputs.has("variables.tf")) co_return succeeded_step();
  co_return failed_step(undeclared_services_text(*main_tf, target.task));
}

Task<PlanResult> FakeTerraform::plan(const TerraformTarget& target_ref, std::stop_token stop) {
  const TerraformTarget target = target_ref;
  if (std::optional<InjectedFailure> failure = injected(TerraformStep::plan, target)) {
    StepResult result = co_await injected_outcome(*failure, stop);
    co_return PlanResult{std::move(result), false, {}};
  }
  const WorkingDirInputs inputs = read_working_dir(files_, target.working_dir);
  if (inputs.error) co_return PlanResult{unreadable_inputs(*inputs.error), false, {}};
  const std::string path = state_path_for(target, inputs);
  BackendOperation backend = backend_for(target, path);
  std::string operation = "OperationTypePlan";
  OpenResult opened = co_await backend.open(std::move(operation), stop);
  if (opened.kind == OpenResult::Kind::cancelled) co_return PlanResult{cancelled_step(), false, {}};
  if (!opened.ok()) co_return PlanResult{failed_step(exit_error(opened.stderr_text)), false, {}};

  std::string stderr_text;
  if (std::optional<Diagnostic> missing = missing_services_value(inputs)) stderr_text = plain_diagnostic(*missing);
  bool worked = true;
  if (stderr_text.empty()) worked = co_await work(draw_ms(options_.plan_time_ms_min, options_.plan_time_ms_max), stop);
  std::optional<std::string> unlock_error = co_await backend.close();
  if (unlock_error) stderr_text += *unlock_error;
  if (!worked) co_return PlanResult{cancelled_step(), false, {}};
  if (!stderr_text.empty()) co_return PlanResult{failed_step(exit_error(stderr_text)), false, {}};

  const TaskInfrastructure* current = world_.find_infrastructure(target.task);
  const std::optional<std::string> applied = world_.last_applied_digest(path);
  const bool changes_present = applied != inputs.digest || (current != nullptr && current->partial);
  std::string text = plan_text(current, inputs, target.task, changes_present);
  co_return PlanResult{succeeded_step(), changes_present, std::move(text)};
}

}  // namespace baton::fakes::terraform
