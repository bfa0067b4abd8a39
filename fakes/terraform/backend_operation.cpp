#include "fakes/terraform/backend_operation.hpp"

#include <fmt/format.h>

#include <vector>

#include "fakes/terraform/backend_constants.hpp"
#include "fakes/terraform/diagnostics.hpp"

namespace baton::fakes::terraform {

namespace {

using Kind = OpenResult::Kind;

// clistate.LockErrorMessage after "Error message: %s" (Terraform 1.11, command/clistate/state.go).
constexpr std::string_view kLockErrorAdvice =
    "Terraform acquires a state lock to protect the state from being written\n"
    "by multiple users at the same time. Please resolve the issue above and try\n"
    "again. For most commands, you can disable locking with the \"-lock=false\"\n"
    "flag, but this is not recommended.";

// clistate.UnlockErrorMessage after "Error message: %s".
constexpr std::string_view kUnlockErrorAdvice =
    "Terraform acquires a lock when accessing your state to prevent others\n"
    "running Terraform to potentially modify the state at the same time. An\n"
    "error occurred while releasing this lock. This could mean that the lock\n"
    "did or did not release properly. If the lock didn't release properly,\n"
    "Terraform may not be able to run future commands since it'll appear as if\n"
    "the lock is held.\n"
    "\n"
    "In this scenario, please call the \"force-unlock\" command to unlock the\n"
    "state manually. This is a very dangerous operation since if it is done\n"
    "erroneously it could result in two people modifying state at the same time.\n"
    "Only call this command if you're certain that the unlock above failed and\n"
    "that no one else is holding a lock.";

// backend_state.go errStateUnlock, as StateMgr formats it.
std::string state_unlock_error(const std::string& lock_id, const std::string& error) {
  return fmt::format(
      "Error unlocking Consul state. Lock ID: {}\n\nError: {}\n\nYou may have to force-unlock this state in order to use "
      "it again.\nThe Consul backend acquires a lock during initialization to ensure\nthe minimum required key/values "
      "are prepared.",
      lock_id, error);
}

Kind kind_of(LockResult::Kind lock) {
  switch (lock) {
    case LockResult::Kind::acquired: return Kind::opened;
    case LockResult::Kind::refused: return Kind::refused;
    case LockResult::Kind::failed: return Kind::failed;
    case LockResult::Kind::cancelled: return Kind::cancelled;
  }
  return Kind::failed;
}

}  // namespace

BackendOperation::BackendOperation(Runtime& runtime, baton::consul::ConsulClient& consul, std::string state_path,
                                   std::string workspace, LockInfo identity, std::string terraform_version)
    : runtime_(runtime),
      consul_(consul),
      state_path_(state_path),
      workspace_(std::move(workspace)),
      lock_(runtime, consul, state_path, std::move(identity)),
      state_(consul, std::move(state_path), std::move(terraform_version)) {}

Task<OpenResult> BackendOperation::open(std::string operation, std::stop_token stop) {
  if (!is_default_workspace(workspace_)) {
    std::optional<StepError> failed = co_await open_state_manager(stop);
    if (failed) {
      if (failed->kind == Kind::cancelled) co_return OpenResult{Kind::cancelled, {}};
      const Diagnostic loading{.summary = "error loading state: " + failed->text};
      co_return OpenResult{failed->kind, plain_diagnostic(loading)};
    }
  }
  LockResult locked = co_await lock_.lock(std::move(operation), stop);
  if (!locked.ok()) {
    if (locked.kind == LockResult::Kind::cancelled) co_return OpenResult{Kind::cancelled, {}};
    const Diagnostic diagnostic{.summary = "Error acquiring the state lock",
                                .detail = "Error message: " + locked.error + "\n\n" + std::string(kLockErrorAdvice)};
    co_return OpenResult{kind_of(locked.kind), plain_diagnostic(diagnostic)};
  }
  std::optional<std::string> refresh_error = co_await refresh_locked();
  if (refresh_error) co_return OpenResult{Kind::failed, std::move(*refresh_error)};
  co_return OpenResult{Kind::opened, {}};
}

Task<std::optional<std::string>> BackendOperation::refresh_locked() {
  const std::stop_token never;  // held locks are let go gracefully, not abandoned
  std::optional<std::string> refreshed = co_await state_.refresh(never);
  if (!refreshed) co_return std::nullopt;
  std::string text = plain_diagnostic(Diagnostic{.summary = "error loading state: " + *refreshed});
  std::optional<std::string> unlock_error = co_await close();
  if (unlock_error) text += *unlock_error;
  co_return text;
}

// Lock "init", read, write an empty state if none, unlock: every run on a non-default workspace
// starts so (StateMgr's "sentinel value so States() knows it exists").
Task<std::optional<BackendOperation::StepError>> BackendOperation::open_state_manager(std::stop_token stop) {
  std::string operation = "init";
  LockResult locked = co_await lock_.lock(std::move(operation), stop);
  if (!locked.ok()) co_return StepError{kind_of(locked.kind), "failed to lock state in Consul: " + locked.error};
  const std::string lock_id = lock_.session();
  const std::stop_token never;
  std::optional<std::string> failed = co_await state_.refresh(never);
  if (!failed && !state_.exists()) failed = co_await state_.persist(runtime_.rng());
  std::string unlock_error = co_await lock_.unlock();
  if (!unlock_error.empty()) co_return StepError{Kind::failed, state_unlock_error(lock_id, unlock_error)};
  if (failed) co_return StepError{Kind::failed, std::move(*failed)};
  co_return std::nullopt;
}

Task<std::optional<std::string>> BackendOperation::persist() {
  std::optional<std::string> failed = co_await state_.persist(runtime_.rng());
  if (!failed) co_return std::nullopt;
  co_return plain_diagnostic(Diagnostic{.summary = "Failed to save state", .detail = "Error saving state: " + *failed});
}

Task<std::optional<std::string>> BackendOperation::close() {
  if (!lock_.held()) co_return std::nullopt;
  std::string error = co_await lock_.unlock();
  if (error.empty()) co_return std::nullopt;
  const Diagnostic diagnostic{.summary = "Error releasing the state lock",
                              .detail = "Error message: " + error + "\n\n" + std::string(kUnlockErrorAdvice)};
  co_return plain_diagnostic(diagnostic);
}

Task<OpenResult> BackendOperation::create_workspace(std::stop_token stop) {
  std::optional<StepError> failed = co_await open_state_manager(stop);
  if (!failed) co_return OpenResult{Kind::opened, {}};
  if (failed->kind == Kind::cancelled) co_return OpenResult{Kind::cancelled, {}};
  // `terraform workspace new` prints StateMgr's error as it is (c.Ui.Error).
  co_return OpenResult{failed->kind, std::move(failed->text) + "\n"};
}

Task<baton::consul::ConsulResult<bool>> BackendOperation::workspace_exists(std::stop_token stop) {
  std::string key = state_path_;
  const baton::consul::QueryOptions now;
  auto read = co_await consul_.kv_get(std::move(key), now, stop);
  if (!read.ok()) co_return read.error();
  co_return read.value().value.has_value();
}

}  // namespace baton::fakes::terraform
