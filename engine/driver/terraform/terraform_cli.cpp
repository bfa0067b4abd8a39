#include "engine/driver/terraform/terraform_cli.hpp"

#include <algorithm>
#include <csignal>
#include <string_view>
#include <utility>
#include <variant>

#include "engine/driver/terraform/terraform_commands.hpp"
#include "engine/driver/terraform/terraform_validate.hpp"

namespace baton::driver::terraform {
namespace {

StepResult failed(std::string error) { return StepResult{StepEnd::failed, std::move(error), {}}; }

// Go's context errors: what terraform-exec returns when the context ended before a command
// could start.
CommandOutcome not_started(StepEnd end) {
  CommandOutcome outcome;
  outcome.end = end;
  outcome.error.text = end == StepEnd::cancelled ? "context canceled" : "context deadline exceeded";
  return outcome;
}

// CTS's Init retries when init's error says the workspace recorded in .terraform/environment
// has no state: wsFailedToSelectRegexp, wsDoesNotExistRegexp (`workspace ".*" does not
// exist`, within one line) or a tfexec.ErrNoWorkspace.
bool workspace_missing(const ExitError& error) {
  if (error.type == TfexecError::no_workspace) return true;
  const std::string_view text = error.text;
  if (text.find("Failed to select workspace") != std::string_view::npos) return true;
  constexpr std::string_view opening = "workspace \"";
  constexpr std::string_view closing = "\" does not exist";
  for (std::size_t at = text.find(opening); at != std::string_view::npos; at = text.find(opening, at + 1)) {
    const std::size_t start = at + opening.size();
    const std::size_t line_end = std::min(text.find('\n', start), text.size());
    const std::size_t close = text.find(closing, start);
    if (close != std::string_view::npos && close + closing.size() <= line_end) return true;
  }
  return false;
}

// CTS's Validate on terraform-exec's: the diagnostics decide, unless there are none to read.
StepResult validate_result(const CommandOutcome& validated, const std::string& workspace) {
  if (validated.end != StepEnd::succeeded && validated.end != StepEnd::failed) return validated.step();
  if (!validated.ok() && validated.exit_code != 1) return validated.step();  // -json fails with 1
  const std::variant<ValidateOutput, std::string> parsed = parse_validate_output(validated.out);
  if (parsed.index() == 1) return validated.ok() ? failed(std::get<1>(parsed)) : validated.step();
  const ValidateOutput& output = std::get<0>(parsed);
  if (!validated.ok() && output.diagnostics.empty()) return validated.step();
  std::string text = cts_diagnostics_text(output, workspace);
  if (!output.valid) return failed(std::move(text));
  return StepResult{StepEnd::succeeded, {}, std::move(text)};
}

// tfexec's Plan: with -detailed-exitcode, exit status 2 means success with changes.
PlanResult plan_result(const CommandOutcome& planned) {
  if (planned.end == StepEnd::failed && planned.exit_code == 2) {
    return PlanResult{StepResult{StepEnd::succeeded, {}, {}}, true, planned.out};
  }
  return PlanResult{planned.step(), false, planned.out};
}

// Go's Cmd.String(), for the log.
std::string command_line(const ProcessSpec& spec) {
  std::string line = spec.program;
  for (const std::string& arg : spec.args) line.append(" ").append(arg);
  return line;
}

}  // namespace

TerraformCli::TerraformCli(Runtime& runtime, ProcessPort& processes, const Logger& logger, TerraformCliOptions options)
    : runtime_(runtime),
      processes_(processes),
      logger_(logger.named("client").named("terraformcli")),
      options_(std::move(options)),
      program_(terraform_program(options_.path)) {
  if (options_.log) {
    logger_.info("Terraform logging is set, Terraform logs will output with Consul-Terraform-Sync logs");
  } else {
    logger_.info("Terraform output is muted");
  }
}

Task<StepResult> TerraformCli::init(const TerraformTarget& target_in, std::stop_token stop) {
  const TerraformTarget target = target_in;  // the caller's may not outlive the first suspension
  if (const std::optional<std::string> name = prohibited_variable(target.environment)) {
    co_return failed(manual_variable_text(*name));
  }
  const MonoTime deadline = step_deadline();
  const VersionLookup lookup = co_await version_of(target, deadline, stop);
  if (!lookup.version) co_return lookup.failure.step();
  const InitRun initialized = co_await init_with_retry(target, *lookup.version, deadline, stop);
  if (!initialized.command.ok()) co_return initialized.command.step();
  const StepResult selected = co_await select_workspace(target, initialized.workspace_created, deadline, stop);
  co_return selected;
}

Task<StepResult> TerraformCli::validate(const TerraformTarget& target_in, std::stop_token stop) {
  const TerraformTarget target = target_in;
  if (const std::optional<std::string> name = prohibited_variable(target.environment)) {
    co_return failed(manual_variable_text(*name));
  }
  const MonoTime deadline = step_deadline();
  const VersionLookup lookup = co_await version_of(target, deadline, stop);
  if (!lookup.version) co_return lookup.failure.step();
  if (!lookup.version->at_least(0, 12, 0)) {
    co_return failed("terraform validate -json was added in 0.12.0: " +
                     version_mismatch_text(*lookup.version, "0.12.0", "-"));
  }
  std::vector<std::string> args = validate_args();
  const CommandOutcome validated = co_await run(target, std::move(args), deadline, stop);
  co_return validate_result(validated, target.workspace);
}

Task<StepResult> TerraformCli::apply(const TerraformTarget& target_in, std::stop_token stop) {
  const TerraformTarget target = target_in;
  if (const std::optional<std::string> name = prohibited_variable(target.environment)) {
    co_return failed(manual_variable_text(*name));
  }
  std::vector<std::string> args = apply_args();
  const CommandOutcome applied = co_await run(target, std::move(args), step_deadline(), stop);
  co_return applied.step();
}

Task<PlanResult> TerraformCli::plan(const TerraformTarget& target_in, std::stop_token stop) {
  const TerraformTarget target = target_in;
  if (const std::optional<std::string> name = prohibited_variable(target.environment)) {
    co_return PlanResult{failed(manual_variable_text(*name)), false, {}};
  }
  std::vector<std::string> args = plan_args();
  const CommandOutcome planned = co_await run(target, std::move(args), step_deadline(), stop);
  co_return plan_result(planned);
}

// CTS's Init, TF_INIT_AGAIN: when init finds no state for the recorded workspace, create the
// workspace and init once more. A second such failure still creates it again (as CTS does)
// before init's error is returned.
Task<TerraformCli::InitRun> TerraformCli::init_with_retry(const TerraformTarget& target,
                                                          const InstalledTerraformVersion& version, MonoTime deadline,
                                                          std::stop_token stop) {
  const std::vector<std::string> args = init_args(version);
  bool workspace_created = false;
  for (;;) {
    std::vector<std::string> init_command = args;
    CommandOutcome initialized = co_await run(target, std::move(init_command), deadline, stop);
    if (initialized.end != StepEnd::failed || !workspace_missing(initialized.error)) {
      co_return InitRun{std::move(initialized), workspace_created};
    }
    logger_.info("workspace was detected without state, creating new workspace and attempting Terraform init again");
    std::vector<std::string> new_workspace = workspace_new_args(target.workspace);
    CommandOutcome created = co_await run(target, std::move(new_workspace), deadline, stop);
    if (!created.ok()) co_return InitRun{std::move(created), workspace_created};
    if (workspace_created) co_return InitRun{std::move(initialized), workspace_created};
    workspace_created = true;
  }
}

// The rest of CTS's Init: `workspace new` (an existing workspace is fine) unless init's retry
// made it already, then `workspace select`.
Task<StepResult> TerraformCli::select_workspace(const TerraformTarget& target, bool created, MonoTime deadline,
                                                std::stop_token stop) {
  const std::string& workspace = target.workspace;
  if (!created) {
    std::vector<std::string> new_workspace = workspace_new_args(workspace);
    const CommandOutcome made = co_await run(target, std::move(new_workspace), deadline, stop);
    if (made.ok()) {
      logger_.trace("workspace created", "workspace", workspace);
    } else if (made.error.type == TfexecError::workspace_exists) {
      logger_.debug("workspace already exists", "workspace", workspace, "error", made.error.text);
    } else {
      logger_.error("unable to create workspace", "workspace", workspace, "error", made.error.text);
      co_return made.step();
    }
  }
  std::vector<std::string> select = workspace_select_args(workspace);
  const CommandOutcome selected = co_await run(target, std::move(select), deadline, stop);
  if (!selected.ok()) {
    logger_.error("unable to change workspace", "workspace", workspace, "error", selected.error.text);
    co_return selected.step();
  }
  co_return StepResult{StepEnd::succeeded, {}, {}};
}

Task<TerraformCli::VersionLookup> TerraformCli::version_of(const TerraformTarget& target, MonoTime deadline,
                                                           std::stop_token stop) {
  const auto cached = versions_.find(target.working_dir);
  if (cached != versions_.end()) co_return VersionLookup{cached->second, {}};
  std::vector<std::string> args = version_args();
  const CommandOutcome asked = co_await run(target, std::move(args), deadline, std::move(stop));
  if (!asked.ok()) co_return VersionLookup{std::nullopt, asked};
  std::variant<InstalledTerraformVersion, std::string> parsed = parse_version_output(asked.out);
  if (parsed.index() == 1) {
    CommandOutcome unreadable;
    unreadable.end = StepEnd::failed;
    unreadable.error.text = std::get<1>(std::move(parsed));
    co_return VersionLookup{std::nullopt, std::move(unreadable)};
  }
  const InstalledTerraformVersion& version = versions_[target.working_dir] = std::get<0>(std::move(parsed));
  co_return VersionLookup{version, {}};
}

Task<std::variant<InstalledTerraformVersion, std::string>> TerraformCli::installed_version(std::string working_dir,
                                                                                         std::stop_token stop) {
  using Result = std::variant<InstalledTerraformVersion, std::string>;
  std::vector<std::string> json_args = version_args();
  const CommandOutcome asked = co_await run_version_command(working_dir, std::move(json_args), stop);
  if (!asked.ok()) co_return Result(std::in_place_index<1>, asked.error.text);
  if (is_json_version_output(asked.out)) co_return parse_version_output(asked.out);
  std::vector<std::string> plain_args{"version"};  // tfexec's versionFromPlaintext
  const CommandOutcome plain = co_await run_version_command(std::move(working_dir), std::move(plain_args), std::move(stop));
  if (!plain.ok()) co_return Result(std::in_place_index<1>, plain.error.text);
  co_return parse_plaintext_version_output(plain.out);
}

Task<CommandOutcome> TerraformCli::run_version_command(std::string working_dir, std::vector<std::string> args,
                                                       std::stop_token stop) {
  if (stop.stop_requested()) co_return not_started(StepEnd::cancelled);
  const TerraformTarget target{"", working_dir, "", {}};
  const MonoTime deadline = step_deadline();
  const Duration timeout = deadline == kNoDeadline ? Duration::max() : deadline - runtime_.now();
  ProcessSpec spec = spec_for(target, std::move(args), timeout);
  spec.environment = terraform_environment(target, EnvironmentOptions{options_.cli_config_file, false});
  LineSink unlogged;  // named: GCC 12 and temporaries in co_await operands
  const ProcessResult process = co_await processes_.run(std::move(spec), std::move(unlogged), std::move(stop));
  co_return outcome_of(process, working_dir);
}

// terraform-exec's runTerraformCmd: a context already done starts nothing.
Task<CommandOutcome> TerraformCli::run(const TerraformTarget& target, std::vector<std::string> args,
                                       MonoTime deadline, std::stop_token stop) {
  if (stop.stop_requested()) co_return not_started(StepEnd::cancelled);
  const MonoTime now = runtime_.now();
  if (now >= deadline) co_return not_started(StepEnd::timed_out);
  const Duration timeout = deadline == kNoDeadline ? Duration::max() : deadline - now;
  ProcessSpec spec = spec_for(target, std::move(args), timeout);
  if (options_.log) logger_.info("running Terraform command", "task_name", target.task, "command", command_line(spec));
  LineSink sink = output_logger(target.task);
  const ProcessResult process = co_await processes_.run(std::move(spec), std::move(sink), std::move(stop));
  co_return outcome_of(process, target.working_dir);
}

CommandOutcome TerraformCli::outcome_of(const ProcessResult& process, const std::string& working_dir) const {
  CommandOutcome outcome;
  outcome.exit_code = process.exit_code;
  outcome.out = process.out;
  switch (process.end) {
    case ProcessEnd::start_failed:
      outcome.end = StepEnd::failed;
      outcome.error.text = process.start_error;
      return outcome;
    case ProcessEnd::exited:
      if (process.exit_code == 0) return outcome;
      outcome.end = StepEnd::failed;
      break;
    case ProcessEnd::signalled: outcome.end = StepEnd::failed; break;
    case ProcessEnd::cancelled: outcome.end = StepEnd::cancelled; break;
    case ProcessEnd::timed_out: outcome.end = StepEnd::timed_out; break;
  }
  if (process.exit_code < 0 && process.signal == 0) {  // ended before it started
    CommandOutcome never = not_started(outcome.end);
    never.out = std::move(outcome.out);
    return never;
  }
  const auto cached = versions_.find(working_dir);
  const std::string version = cached == versions_.end() ? std::string() : cached->second.text;
  outcome.error = wrap_exit_error(go_exit_text(process.exit_code, process.signal), process.err, version);
  return outcome;
}

ProcessSpec TerraformCli::spec_for(const TerraformTarget& target, std::vector<std::string> args,
                                   Duration timeout) const {
  ProcessSpec spec;
  spec.program = program_;
  spec.args = std::move(args);
  spec.working_dir = target.working_dir;
  spec.environment = terraform_environment(target, EnvironmentOptions{options_.cli_config_file, options_.persist_log});
  spec.timeout = timeout;
  spec.kill_grace = options_.kill_grace;
  spec.output_max_bytes = options_.output_max_bytes;
  spec.interrupt_signal = SIGINT;  // Ctrl-C's: Terraform's provider plugins survive it (process.hpp)
  return spec;
}

LineSink TerraformCli::output_logger(const std::string& task) const {
  if (!options_.log) return nullptr;
  return [logger = logger_, task](OutputStream, std::string_view line) { logger.info(line, "task_name", task); };
}

MonoTime TerraformCli::step_deadline() const {
  const MonoTime now = runtime_.now();
  const Duration headroom = kNoDeadline.time_since_epoch() - std::max(now.time_since_epoch(), Duration::zero());
  if (options_.step_timeout >= headroom) return kNoDeadline;
  return now + std::max(options_.step_timeout, Duration::zero());
}

}  // namespace baton::driver::terraform
