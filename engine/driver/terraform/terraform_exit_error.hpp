#pragma once
// How terraform-exec v0.17.0 turns a failed `terraform` run into an error (tfexec/
// exit_errors.go, wrapExitError): Go's *exec.ExitError text ("exit status 1", "signal: killed")
// then Terraform's whole stderr, unless the stderr matches one of the errors it recognises, whose
// own text replaces it. CTS matches some of them (workspace exists, no workspace) by type.
#include <string>
#include <string_view>

namespace baton::driver::terraform {

// The error types of tfexec/exit_errors.go, checked in this order.
enum class TfexecError {
  exit,              // no recognised stderr: "exit status 1\n" + stderr (or the exit text alone)
  version_mismatch,  // ErrTFVersionMismatch: "terraform 1.11.4 not supported by configuration (>= 2.0 required)"
  missing_variable,  // ErrMissingVar: `variable "x" was required but not supplied`
  cli_usage,         // ErrCLIUsage: the stderr
  no_init,           // ErrNoInit: the stderr
  no_config,         // ErrNoConfig: the stderr
  no_workspace,      // ErrNoWorkspace: `workspace "web" does not exist`
  workspace_exists,  // ErrWorkspaceExists: `workspace "web" already exists`
  config_invalid,    // ErrConfigInvalid: "configuration is invalid"
  state_locked,      // ErrStateLocked: "error acquiring the state lock: Lock Info:\n  ID: ..."
  state_plan_read,   // ErrStatePlanRead: the stderr
};

struct ExitError {
  TfexecError type = TfexecError::exit;
  std::string text;
};

// Go's ProcessState.String() for a process that exited with `exit_code` (when >= 0) or was
// killed by `signal_number`: "exit status 2", "signal: interrupt", "signal: killed".
std::string go_exit_text(int exit_code, int signal_number);

// wrapExitError for a run that ended with `exit_text` and wrote `stderr`. `terraform_version` is
// the version terraform-exec had cached for this working directory ("" if none).
ExitError wrap_exit_error(std::string_view exit_text, std::string_view stderr_text,
                          std::string_view terraform_version);

}  // namespace baton::driver::terraform
