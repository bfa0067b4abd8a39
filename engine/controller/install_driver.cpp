#include "engine/controller/install_driver.hpp"

#include <fmt/format.h>

#include <utility>
#include <variant>

#include "engine/config/cts/go_semver.hpp"
#include "engine/driver/terraform/terraform_commands.hpp"

namespace baton::controller {
namespace {

namespace cts = config::cts;
namespace tf = driver::terraform;

// CTS's isTFInstalled stats `<path>/terraform`. A bare program name (an empty path) is looked up
// on PATH when run, so running it is the only test.
bool terraform_present(FileSystem& files, const std::string& program) {
  return program.find('/') == std::string::npos || files.exists(program);
}

// Where CTS would download Terraform; baton does not, and says what to do instead.
std::string not_installed_text(const std::string& program) {
  return fmt::format(
      "terraform not found at {} (baton does not download Terraform): install a version within \"{}\" there, or set "
      "driver \"terraform\" {{ path }} to the directory that holds it",
      program, cts::kCompatibleTerraformVersionConstraint);
}

// verifyInstalledTF's version checks; the error, or nullopt when the version may be used.
std::optional<std::string> incompatibility(const cts::TerraformConfig& terraform, const tf::InstalledTerraformVersion& version,
                                           const Logger& log) {
  const std::string path = terraform.path.value_or("");
  const std::variant<cts::SemVersion, std::string> parsed = cts::parse_semver(version.text);
  if (const auto* malformed = std::get_if<std::string>(&parsed)) return *malformed;
  if (!cts::satisfies_terraform_constraint(std::get<cts::SemVersion>(parsed))) {
    log.error("found Terraform version does not satisfy the version constraint", "terraform_path", path, "version",
              version.text, "compatible_version_constraint", cts::kCompatibleTerraformVersionConstraint);
    return std::string(kUnsupportedTerraformVersion);
  }
  // isTFCompatible: hashicorp/terraform#23121, the pg backend in automation needs 0.14.
  const bool pg_backend = terraform.backend && terraform.backend->value.find("pg") != nullptr;
  if (pg_backend && !version.at_least(0, 14, 0)) {
    return "Consul-Terraform-Sync does not support pg backend in automation with Terraform <= 0.13: " + version.text;
  }
  return std::nullopt;
}

}  // namespace

Task<std::optional<std::string>> install_driver(const cts::TerraformConfig& terraform, FileSystem& files, tf::TerraformCli& cli,
                                                std::string working_directory, Logger logger, std::stop_token stop) {
  const Logger log = logger.named("driver").named("terraform");
  const std::string path = terraform.path.value_or("");
  const std::string program = tf::terraform_program(path);
  if (!terraform_present(files, program)) co_return not_installed_text(program);
  const std::variant<tf::InstalledTerraformVersion, std::string> found =
      co_await cli.installed_version(std::move(working_directory), std::move(stop));
  if (const auto* error = std::get_if<std::string>(&found)) {
    log.error("unable to verify Terraform version", "terraform_path", path, "error", *error);
    if (error->find("exec format error") != std::string::npos) co_return std::string(kIncompatibleTerraformBinary);
    co_return *error;
  }
  const tf::InstalledTerraformVersion& version = std::get<tf::InstalledTerraformVersion>(found);
  if (std::optional<std::string> refused = incompatibility(terraform, version, log)) co_return refused;
  const std::string configured = terraform.version.value_or("");
  if (!configured.empty() && configured != version.text) {
    log.warn("another terraform version was found that does not match the configured version", "terraform_path", path,
             "terraform_version", version.text, "configured_version", configured);
  }
  log.info("skipping install, terraform already exists", "tf_version", version.text, "install_path", path);
  co_return std::nullopt;
}

}  // namespace baton::controller
