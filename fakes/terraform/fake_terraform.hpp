#pragma once
// FakeTerraform: the simulator's Terraform, the TerraformClient port of one simulated instance,
// running in virtual time on that instance's node:
//
//   init      the workspace: created (StateMgr's lock, an empty state) when its state key does
//             not exist, as `terraform workspace new` does, else selected
//   validate  main.tf without variables.tf is an undeclared `var.services`; otherwise valid
//   apply     the consul backend's state lock (a second apply on the workspace gets Terraform's
//             lock error), a refresh, the changes one service at a time, the state saved to
//             Consul, the lock released; recorded in the TerraformWorld's ledger and
//             infrastructure
//   plan      the same lock and refresh; changes_present when the inputs differ from what the
//             workspace last applied successfully, or the infrastructure is partial
//
// Each step takes a time drawn from the node's random stream (FakeTerraformOptions) and can be
// made to fail, fail after a partial change, or hang (the TerraformWorld's FailureScript). A
// stop request interrupts it as SIGTERM interrupts Terraform: changes stop, what was done is
// saved, the lock is released, and the step answers `cancelled`; an apply still running
// kill_grace after that is killed (SIGKILL, as production's TerraformCli does): it stops where it
// is, its lock stays held, and the ledger closes it as `killed`. A crash of the node destroys
// the step's frames: nothing more is sent, the lock stays held until Consul invalidates its
// session, and the ledger closes the apply as `crashed`.
//
// Everything outside the process (the disk, Consul, the TerraformWorld) outlives it; the object
// itself holds no state between steps, so one may serve every incarnation of its node.
#include <optional>
#include <stop_token>
#include <string>

#include "engine/async/event.hpp"
#include "engine/consul/client.hpp"
#include "engine/driver/terraform/terraform_client.hpp"
#include "engine/ports/filesystem.hpp"
#include "fakes/terraform/backend_operation.hpp"
#include "fakes/terraform/failure_script.hpp"
#include "fakes/terraform/options.hpp"
#include "fakes/terraform/terraform_world.hpp"
#include "fakes/terraform/working_dir_inputs.hpp"
#include "sim/runtime/node.hpp"

namespace baton::fakes::terraform {

using driver::terraform::PlanResult;
using driver::terraform::StepEnd;
using driver::terraform::StepResult;
using driver::terraform::TerraformTarget;

class FakeTerraform final : public driver::terraform::TerraformClient {
 public:
  // `node` runs the steps, `files` is its disk, `consul` talks to its Consul agent; all must
  // outlive the steps.
  FakeTerraform(sim::Node& node, FileSystem& files, baton::consul::ConsulClient& consul, TerraformWorld& world,
                FakeTerraformOptions options = {});

  Task<StepResult> init(const TerraformTarget& target, std::stop_token stop) override;
  Task<StepResult> validate(const TerraformTarget& target, std::stop_token stop) override;
  Task<StepResult> apply(const TerraformTarget& target, std::stop_token stop) override;
  Task<PlanResult> plan(const TerraformTarget& target, std::stop_token stop) override;

  const FakeTerraformOptions& options() const { return options_; }

 private:
  class ApplyRun;

  // The step's own time, drawn in [min_ms, max_ms].
  Duration draw_ms(std::int64_t min_ms, std::int64_t max_ms);
  std::optional<InjectedFailure> injected(TerraformStep step, const TerraformTarget& target);
  // The injected failure's outcome for a step that changes nothing: its error, or, for a hang,
  // `cancelled` once the stop token fires.
  Task<StepResult> injected_outcome(const InjectedFailure& failure, std::stop_token stop);
  // The step's drawn time; false when cancelled first.
  Task<bool> work(Duration time, std::stop_token stop);

  std::string state_path_for(const TerraformTarget& target, const WorkingDirInputs& inputs) const;
  BackendOperation backend_for(const TerraformTarget& target, const std::string& state_path);
  LockInfo identity() const;

  // The apply itself, without the kill after kill_grace that apply() adds.
  Task<void> run_apply(const TerraformTarget& target, std::stop_token stop, std::optional<StepResult>& result, Event& done);

  sim::Node& node_;
  FileSystem& files_;
  baton::consul::ConsulClient& consul_;
  TerraformWorld& world_;
  FakeTerraformOptions options_;
  bool killing_ = false;  // apply() is destroying a run that outlived kill_grace
};

// StepResult for a step cut short by its stop token, as CTS's driver reports it.
StepResult cancelled_step();

}  // namespace baton::fakes::terraform
