#pragma once
// TerraformWorld: everything outside the simulated processes that Terraform touches or that the
// checkers read about it, shared by every instance's FakeTerraform:
//   - the ApplyLedger (every apply, on true time),
//   - the infrastructure each task's applies produced,
//   - the inputs each workspace last applied successfully (what `terraform plan` compares with;
//     a real Terraform reads it back from its state),
//   - the FailureScript scenarios drive,
//   - the lease sources the simulator installs per instance, whose token each apply records
//     (the fencing token the checkers match against leadership).
// (Not `World`: sim::World is the event loop.)
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "fakes/terraform/apply_ledger.hpp"
#include "fakes/terraform/failure_script.hpp"
#include "fakes/terraform/infrastructure.hpp"
#include "sim/runtime/world.hpp"

namespace baton::fakes::terraform {

class TerraformWorld {
 public:
  // The token an instance holds right now ("" when none), asked at the start of each apply.
  using LeaseSource = std::function<std::string()>;

  explicit TerraformWorld(sim::World& world) : world_(world) {}
  TerraformWorld(const TerraformWorld&) = delete;
  TerraformWorld& operator=(const TerraformWorld&) = delete;

  sim::World& sim_world() const { return world_; }
  std::int64_t now_true_ns() const { return world_.now_ns(); }

  ApplyLedger& ledger() { return ledger_; }
  const ApplyLedger& ledger() const { return ledger_; }
  FailureScript& failures() { return failures_; }

  // Infrastructure by task.
  const std::map<std::string, TaskInfrastructure>& infrastructure() const { return infrastructure_; }
  const TaskInfrastructure* find_infrastructure(const std::string& task) const;
  TaskInfrastructure& infrastructure_of(const std::string& task) { return infrastructure_[task]; }

  // The inputs digest of the last successful apply on a workspace, by its state path.
  std::optional<std::string> last_applied_digest(const std::string& state_path) const;
  void set_last_applied_digest(const std::string& state_path, std::string digest);

  // Installs (or, with an empty function, removes) `instance`'s lease source.
  void set_lease_source(const std::string& instance, LeaseSource source);
  std::string lease_token(std::string_view instance) const;

  // A line in the simulator's trace (and its digest), on behalf of `instance`.
  void trace(std::string_view instance, std::string_view name, std::string_view detail);

 private:
  sim::World& world_;
  ApplyLedger ledger_;
  FailureScript failures_;
  std::map<std::string, TaskInfrastructure> infrastructure_;
  std::map<std::string, std::string> last_applied_digest_;
  std::map<std::string, LeaseSource, std::less<>> lease_sources_;
};

}  // namespace baton::fakes::terraform
