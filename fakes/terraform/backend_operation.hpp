#pragma once
// BackendOperation: what Terraform's local backend does with the consul backend around one
// operation on a workspace (hashicorp/terraform internal/backend/local/backend_local.go
// localRun; remote-state/consul/backend_state.go StateMgr; command/clistate/state.go):
//
//   open:  b.StateMgr(workspace): for a workspace other than "default", lock the state
//            ("init"), read it, write an empty one if there is none, unlock
//          op.StateLocker.Lock(state, "OperationTypeApply" | "OperationTypePlan")
//          state.RefreshState()
//   ...the operation...
//   persist: state.PersistState()
//   close: op.StateLocker.Unlock()
//
// Errors come back as terraform-exec's text for the run, as Terraform 1.11 prints them, e.g.
// for a workspace whose lock another run holds (seen with terraform 1.11.4 against
// fake-consul):
//   exit status 1
//
//   Error: error loading state: failed to lock state in Consul: Lock Info:
//     ID:        <holder's session>
//     ...
// and for the default workspace, or when the lock was taken between StateMgr and the operation:
//   exit status 1
//
//   Error: Error acquiring the state lock
//
//   Error message: Lock Info:
//   ...
//   Terraform acquires a state lock to protect the state from being written
//   by multiple users at the same time. ...
#include <optional>
#include <stop_token>
#include <string>

#include "engine/async/task.hpp"
#include "engine/consul/client.hpp"
#include "fakes/terraform/consul_remote_state.hpp"
#include "fakes/terraform/consul_state_lock.hpp"

namespace baton::fakes::terraform {

struct OpenResult {
  enum class Kind {
    opened,     // locked for the operation, state read
    refused,    // the state lock is held by another (or in its lock-delay)
    failed,     // Consul or the state could not be used
    cancelled,  // the stop token fired first
  };
  Kind kind = Kind::failed;
  std::string stderr_text;  // what Terraform printed, for refused and failed


  bool ok() const { return kind == Kind::opened; }
};

class BackendOperation {
 public:
  BackendOperation(Runtime& runtime, baton::consul::ConsulClient& consul, std::string state_path, std::string workspace,
                   LockInfo identity, std::string terraform_version);

  Task<OpenResult> open(std::string operation, std::stop_token stop);
  // PersistState after the operation's changes: nullopt on success, else what Terraform prints.
  Task<std::optional<std::string>> persist();
  // Unlocks if locked: nullopt on success, else what Terraform prints.
  Task<std::optional<std::string>> close();

  // `terraform workspace new`'s part: b.StateMgr(workspace).
  Task<OpenResult> create_workspace(std::stop_token stop);

  // Whether the workspace's state key exists (what `terraform workspace list` is built on).
  Task<baton::consul::ConsulResult<bool>> workspace_exists(std::stop_token stop);

  bool locked() const { return lock_.held(); }
  const std::string& state_path() const { return state_path_; }

 private:
  struct StepError {
    OpenResult::Kind kind;
    std::string text;  // Go's err.Error()
  };
  // StateMgr's lock, read, initial write and unlock; nullopt when done.
  Task<std::optional<StepError>> open_state_manager(std::stop_token stop);
  // RefreshState, and the unlock after a failed one.
  Task<std::optional<std::string>> refresh_locked();

  Runtime& runtime_;
  baton::consul::ConsulClient& consul_;
  std::string state_path_;
  std::string workspace_;
  ConsulStateLock lock_;
  ConsulRemoteState state_;
};

}  // namespace baton::fakes::terraform
