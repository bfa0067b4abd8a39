#include "engine/driver/terraform/terraform_commands.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "engine/driver/terraform/go_quote.hpp"

namespace baton::driver::terraform {
namespace {

// tfexec/cmd.go: managed by terraform-exec itself, so refused from callers.
constexpr std::array<std::string_view, 10> kProhibitedVariables = {
    "TF_CLI_ARGS", "TF_INPUT", "TF_IN_AUTOMATION", "TF_LOG_PATH", "TF_LOG", "TF_REATTACH_PROVIDERS",
    "TF_APPEND_USER_AGENT", "TF_WORKSPACE", "TF_DISABLE_PLUGIN_TLS", "TF_SKIP_PROVIDER_VERIFY",
};
constexpr std::array<std::string_view, 2> kProhibitedPrefixes = {"TF_VAR_", "TF_CLI_ARGS_"};

bool is_set(const Environment& environment, std::string_view name) {
  return std::any_of(environment.begin(), environment.end(), [name](const auto& entry) { return entry.first == name; });
}

// filepath.Join(working_dir, "terraform.log"), except that a relative working directory gives
// a path relative to the child's own directory (which is that working directory): Go's
// relative join would point Terraform at <working dir>/<working dir>/terraform.log.
std::string log_path_for(const std::string& working_dir) {
  if (working_dir.empty() || working_dir.front() != '/') return "terraform.log";
  std::string directory = working_dir;
  while (directory.size() > 1 && directory.back() == '/') directory.pop_back();
  return directory == "/" ? "/terraform.log" : directory + "/terraform.log";
}

}  // namespace

std::vector<std::string> version_args() { return {"version", "-json"}; }

std::vector<std::string> init_args(const InstalledTerraformVersion& version) {
  std::vector<std::string> args{"init", "-no-color", "-force-copy", "-input=false"};
  const bool before_0_15 = !version.at_least(0, 15, 0);
  if (before_0_15) args.emplace_back("-lock-timeout=0s");
  args.insert(args.end(), {"-backend=true", "-get=true", "-upgrade=false"});
  if (before_0_15) args.insert(args.end(), {"-lock=true", "-get-plugins=true", "-verify-plugins=true"});
  return args;
}

std::vector<std::string> workspace_new_args(const std::string& workspace) {
  return {"workspace", "new", "-no-color", workspace};
}

std::vector<std::string> workspace_select_args(const std::string& workspace) {
  return {"workspace", "select", "-no-color", workspace};
}

std::vector<std::string> validate_args() { return {"validate", "-no-color", "-json"}; }

std::vector<std::string> apply_args() {
  return {"apply", "-no-color", "-auto-approve", "-input=false", "-lock=true", "-parallelism=10", "-refresh=true"};
}

std::vector<std::string> plan_args() {
  return {"plan",    "-no-color",        "-input=false",    "-detailed-exitcode", "-lock-timeout=0s",
          "-lock=true", "-parallelism=10", "-refresh=true"};
}

std::string terraform_program(const std::string& directory) {
  if (directory.empty()) return "terraform";
  std::string trimmed = directory;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  return trimmed == "/" ? "/terraform" : trimmed + "/terraform";
}

Environment terraform_environment(const TerraformTarget& target, const EnvironmentOptions& options) {
  Environment environment = target.environment;
  if (!is_set(target.environment, "CHECKPOINT_DISABLE")) environment.emplace_back("CHECKPOINT_DISABLE", "1");
  environment.emplace_back("TF_APPEND_USER_AGENT", std::string("HashiCorp-terraform-exec/") + kTerraformExecVersion);
  if (options.persist_log) {
    environment.emplace_back("TF_LOG_PATH", log_path_for(target.working_dir));
    environment.emplace_back("TF_LOG", "TRACE");
  } else {  // so that Terraform's logging cannot pollute the stderr its errors are read from
    environment.emplace_back("TF_LOG", "");
    environment.emplace_back("TF_LOG_PATH", "");
  }
  environment.emplace_back("TF_IN_AUTOMATION", "1");
  environment.emplace_back("TF_WORKSPACE", "");  // workspaces are switched by command only
  environment.emplace_back("TF_INPUT", "0");
  if (!options.cli_config_file.empty() && !is_set(target.environment, "TF_CLI_CONFIG_FILE")) {
    environment.emplace_back("TF_CLI_CONFIG_FILE", options.cli_config_file);
  }
  return environment;
}

std::optional<std::string> prohibited_variable(const Environment& environment) {
  for (const auto& [name, value] : environment) {
    const bool prohibited =
        std::find(kProhibitedVariables.begin(), kProhibitedVariables.end(), name) != kProhibitedVariables.end() ||
        std::any_of(kProhibitedPrefixes.begin(), kProhibitedPrefixes.end(),
                    [&name](std::string_view prefix) { return name.starts_with(prefix); });
    if (prohibited) return name;
  }
  return std::nullopt;
}

std::string manual_variable_text(const std::string& name) {
  return "manual setting of env var " + go_quote(name) + " detected";
}

}  // namespace baton::driver::terraform
