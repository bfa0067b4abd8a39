#pragma once
// The command lines and environment terraform-exec v0.17.0 gives `terraform` for the calls CTS
// v0.9.0 makes (client/terraform_cli.go), with terraform-exec's default options: tfexec/init.go,
// apply.go, plan.go, validate.go, workspace_new.go, workspace_select.go, version.go, cmd.go.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/driver/terraform/terraform_client.hpp"
#include "engine/driver/terraform/terraform_version.hpp"

namespace baton::driver::terraform {

using Environment = std::vector<std::pair<std::string, std::string>>;

// terraform-exec's version, as it names itself in TF_APPEND_USER_AGENT.
inline constexpr const char* kTerraformExecVersion = "0.17.0";

std::vector<std::string> version_args();
// Terraform before 0.15 also takes -lock-timeout, -lock, -get-plugins and -verify-plugins.
std::vector<std::string> init_args(const InstalledTerraformVersion& version);
std::vector<std::string> workspace_new_args(const std::string& workspace);
std::vector<std::string> workspace_select_args(const std::string& workspace);
std::vector<std::string> validate_args();
std::vector<std::string> apply_args();
std::vector<std::string> plan_args();

// CTS's filepath.Join(path, "terraform"): a bare "terraform" (looked up on PATH) when the
// driver's path is empty.
std::string terraform_program(const std::string& directory);

struct EnvironmentOptions {
  std::string cli_config_file;  // TF_CLI_CONFIG_FILE; empty: the parent's is left alone
  bool persist_log = false;     // TF_LOG_PATH=<working dir>/terraform.log, TF_LOG=TRACE
};

// What every child gets on top of the parent's environment: the target's variables, then
// terraform-exec's (CHECKPOINT_DISABLE unless given, TF_APPEND_USER_AGENT, TF_LOG, TF_LOG_PATH,
// TF_IN_AUTOMATION, TF_WORKSPACE) and baton's (TF_INPUT=0, TF_CLI_CONFIG_FILE).
Environment terraform_environment(const TerraformTarget& target, const EnvironmentOptions& options);

// The first variable terraform-exec's SetEnv refuses to take from a caller (TF_LOG, TF_VAR_*...),
// as tfexec.ProhibitedEnv finds it; nullopt when there is none.
std::optional<std::string> prohibited_variable(const Environment& environment);

// ErrManualEnvVar's text: `manual setting of env var "TF_LOG" detected`.
std::string manual_variable_text(const std::string& name);

}  // namespace baton::driver::terraform
