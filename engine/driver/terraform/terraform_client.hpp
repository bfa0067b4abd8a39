#pragma once
// TerraformClient: the Terraform port. The four steps CTS's driver asks of Terraform for one
// task (CTS client/client.go: Init, Validate, Apply, Plan), each awaited to its end and
// answered with a value.
//
// Bindings: production runs the real `terraform` as a child process exactly as CTS (through
// terraform-exec) does (terraform_cli.hpp, over the ProcessPort); the simulator uses
// fakes/terraform, which models durations, failures and the state lock in virtual time.
//
// Guarantees every binding gives:
// - A step works in `target.working_dir`, on workspace `target.workspace`, with the files the
//   driver wrote there; it never changes those files.
// - A stop request ends the step promptly: Terraform is interrupted (SIGINT to its process group,
//   as Ctrl-C does, then SIGKILL after a grace period), its state lock released when it could
//   release it, and the result says `cancelled`; a step time limit does the same and says
//   `timed_out`. A crash of the caller's process (the simulator's) takes the step with it; the
//   state lock then stays held until its Consul session is invalidated.
// - Failures are values. `error` holds terraform-exec's text for the failure, which CTS puts
//   after its own prefix in the task's event ("error tf-apply for 'web': " + error):
//   "exit status 1\n\nError: ..." with Terraform's stderr.
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "engine/async/task.hpp"

namespace baton::driver::terraform {

// Which task a step is for and where it runs.
struct TerraformTarget {
  std::string task;         // the task's name, for log lines
  std::string working_dir;  // the task's directory
  std::string workspace;    // the Terraform workspace: the task's name in CTS
  // Extra environment for the child (a provider's task_env), on top of what every child gets.
  std::vector<std::pair<std::string, std::string>> environment;
};

enum class StepEnd {
  succeeded,
  failed,     // Terraform ran and reported an error (or could not be started)
  cancelled,  // the stop token fired first; Terraform was interrupted
  timed_out,  // the step ran past its time limit; Terraform was interrupted
};

inline const char* to_string(StepEnd end) {
  switch (end) {
    case StepEnd::succeeded: return "succeeded";
    case StepEnd::failed: return "failed";
    case StepEnd::cancelled: return "cancelled";
    case StepEnd::timed_out: return "timed_out";
  }
  return "unknown";
}

struct StepResult {
  StepEnd end = StepEnd::failed;
  // Empty on success; terraform-exec's error text otherwise (see above). For validate: CTS's
  // own rewording of the diagnostics (`module for task "web" is missing the "services"
  // variable`).
  std::string error;
  // Non-fatal text worth a log line: validate's warnings.
  std::string warnings;

  bool ok() const { return end == StepEnd::succeeded; }
};

struct PlanResult {
  StepResult step;
  bool changes_present = false;  // -detailed-exitcode said 2
  std::string plan;              // the plan as Terraform printed it (stdout)
};

class TerraformClient {
 public:
  virtual ~TerraformClient() = default;

  // `terraform init`, then the task's workspace: created, or selected when it exists. When init
  // fails because the workspace recorded in .terraform/environment has no state, the workspace
  // is created and init is run once more (CTS's TF_INIT_AGAIN, hashicorp/terraform#21393).
  virtual Task<StepResult> init(const TerraformTarget& target, std::stop_token stop) = 0;
  // `terraform validate -json`, with CTS's rewording of the diagnostics.
  virtual Task<StepResult> validate(const TerraformTarget& target, std::stop_token stop) = 0;
  // `terraform apply -auto-approve` once; retries are the driver's business.
  virtual Task<StepResult> apply(const TerraformTarget& target, std::stop_token stop) = 0;
  // `terraform plan -detailed-exitcode`, for inspect mode.
  virtual Task<PlanResult> plan(const TerraformTarget& target, std::stop_token stop) = 0;
};

}  // namespace baton::driver::terraform
