#pragma once
// TerraformCli: the production binding of the Terraform port (terraform_client.hpp). It runs the
// real `terraform` over the ProcessPort exactly as CTS v0.9.0 does through terraform-exec
// v0.17.0: the same command lines (terraform_commands.hpp), environment, error texts
// (terraform_exit_error.hpp), init's workspace handling and validate's rewording
// (terraform_validate.hpp). engine/driver/README.md lists where it deliberately differs.
//
// Like terraform-exec, it asks `terraform version -json` once per working directory, before
// the first command whose flags depend on the version (init, validate), and remembers it.
//
// Engine core: no I/O of its own, only the ProcessPort, the Runtime (for step deadlines) and
// the Logger. Lines go to the "client.terraformcli" logger, as CTS names it.
#include <cstddef>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <variant>
#include <vector>

#include "engine/driver/terraform/terraform_client.hpp"
#include "engine/driver/terraform/terraform_exit_error.hpp"
#include "engine/driver/terraform/terraform_version.hpp"
#include "engine/log/logger.hpp"
#include "engine/ports/process.hpp"
#include "engine/ports/runtime.hpp"

namespace baton::driver::terraform {

// One `terraform` command as terraform-exec reports it.
struct CommandOutcome {
  StepEnd end = StepEnd::succeeded;
  ExitError error;     // when !ok(): terraform-exec's error, or "context canceled" if never started
  int exit_code = -1;  // Go's ProcessState.ExitCode(): -1 unless it exited with a code
  std::string out;     // stdout, as kept

  bool ok() const { return end == StepEnd::succeeded; }
  StepResult step() const { return StepResult{end, ok() ? std::string() : error.text, {}}; }
};

struct TerraformCliOptions {
  // driver "terraform" { path }: the directory holding the `terraform` binary; empty: the
  // `terraform` found on PATH.
  std::string path;
  // driver "terraform" { log }: every line Terraform writes (stdout and stderr) is logged with
  // the task's name, and so is each command line; otherwise Terraform's output is muted.
  bool log = false;
  // driver "terraform" { persist_log }: Terraform's own TRACE log goes to terraform.log in the
  // task's working directory (TF_LOG_PATH, TF_LOG=TRACE).
  bool persist_log = false;
  // TF_CLI_CONFIG_FILE for every child: an existing file (the caller creates it), so that a
  // variable inherited from the environment cannot point Terraform at a missing one. Absolute:
  // the child runs in the task's directory. Empty: the parent's variable is left alone.
  std::string cli_config_file;
  // How long one step (init with its workspace commands, validate, apply, plan) may run in all
  // before Terraform is interrupted; max: no limit (CTS has none).
  Duration step_timeout = Duration::max();
  // From the interrupt (SIGINT to Terraform's process group) to SIGKILL.
  Duration kill_grace = std::chrono::seconds(10);
  // Terraform's stdout and stderr kept per command (the end of them, where errors are).
  std::size_t output_max_bytes = std::size_t(1) << 20;
};

class TerraformCli final : public TerraformClient {
 public:
  // `runtime` and `processes` must outlive the client, and the client the steps it runs.
  TerraformCli(Runtime& runtime, ProcessPort& processes, const Logger& logger, TerraformCliOptions options);

  Task<StepResult> init(const TerraformTarget& target, std::stop_token stop) override;
  Task<StepResult> validate(const TerraformTarget& target, std::stop_token stop) override;
  Task<StepResult> apply(const TerraformTarget& target, std::stop_token stop) override;
  Task<PlanResult> plan(const TerraformTarget& target, std::stop_token stop) override;

  // The installed Terraform's version, asked anew as CTS's driver check asks it (terraform-exec's
  // Version(ctx, skipCache=true)): `terraform version -json` in `working_dir` (empty: the
  // process's), then plain `terraform version` when that printed no JSON (Terraform before
  // 0.13). Else terraform-exec's error: the binary missing or not runnable ("fork/exec <path>:
  // exec format error"), its exit status and stderr, or output that names no version.
  Task<std::variant<InstalledTerraformVersion, std::string>> installed_version(std::string working_dir,
                                                                               std::stop_token stop);

 private:
  // The version, or the failed command (or unreadable output) that should have told it.
  struct VersionLookup {
    std::optional<InstalledTerraformVersion> version;
    CommandOutcome failure;
  };
  // init's last command, and whether the workspace was created on the way.
  struct InitRun {
    CommandOutcome command;
    bool workspace_created = false;
  };

  Task<CommandOutcome> run(const TerraformTarget& target, std::vector<std::string> args, MonoTime deadline,
                           std::stop_token stop);
  Task<VersionLookup> version_of(const TerraformTarget& target, MonoTime deadline, std::stop_token stop);
  // One `terraform version` command outside any task: no persisted log (a fresh tfexec object
  // has no log path), the step time limit.
  Task<CommandOutcome> run_version_command(std::string working_dir, std::vector<std::string> args, std::stop_token stop);
  Task<InitRun> init_with_retry(const TerraformTarget& target, const InstalledTerraformVersion& version, MonoTime deadline,
                                std::stop_token stop);
  Task<StepResult> select_workspace(const TerraformTarget& target, bool created, MonoTime deadline,
                                    std::stop_token stop);

  ProcessSpec spec_for(const TerraformTarget& target, std::vector<std::string> args, Duration timeout) const;
  LineSink output_logger(const std::string& task) const;
  CommandOutcome outcome_of(const ProcessResult& process, const std::string& working_dir) const;
  MonoTime step_deadline() const;

  Runtime& runtime_;
  ProcessPort& processes_;
  Logger logger_;
  TerraformCliOptions options_;
  std::string program_;
  // terraform-exec caches the version per Terraform object, and CTS has one per task.
  std::map<std::string, InstalledTerraformVersion> versions_;
};

}  // namespace baton::driver::terraform
