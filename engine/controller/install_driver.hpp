#pragma once
// The driver check `baton start` makes in every mode, after setting up the controller and before
// running anything, as CTS v0.9.0's controller.InstallDriver (controller/controller.go) and
// driver.InstallTerraform (driver/terraform_download.go) make it. Its error ends the process
// with exit code 16 (command/start.go: `[ERROR] cli: error installing driver: error=...`).
//
// When `<driver "terraform" { path }>/terraform` exists, CTS's verifyInstalledTF asks it its
// version (`terraform version -json`, run in the process's working directory) and refuses:
// - a binary that cannot run: its error; "exec format error" becomes "incompatible Terraform
//   binary: remove Terraform from the configured path or specify a new path to safely install a
//   compatible version.";
// - a version outside ">= 0.13.0, <= 1.14.3" (pre-releases included): "unsupported Terraform
//   version: ...", after logging `found Terraform version does not satisfy the version
//   constraint`;
// - a `pg` backend with a Terraform before 0.14: "Consul-Terraform-Sync does not support pg
//   backend in automation with Terraform <= 0.13: <version>".
// A version that differs from driver "terraform" { version } is only warned about. Success logs
// `[INFO] driver.terraform: skipping install, terraform already exists: tf_version=... install_path=...`.
//
// A deliberate difference: where CTS would download Terraform (nothing at the path), baton does
// not; it fails with a sentence saying so and what to do.
#include <optional>
#include <stop_token>
#include <string>

#include "engine/async/task.hpp"
#include "engine/config/cts/driver_config.hpp"
#include "engine/driver/terraform/terraform_cli.hpp"
#include "engine/log/logger.hpp"
#include "engine/ports/filesystem.hpp"

namespace baton::controller {

// CTS's errSuggestion texts (driver/terraform.go).
inline constexpr const char* kUnsupportedTerraformVersion =
    "unsupported Terraform version: remove Terraform from the configured path or specify a new path to safely install a "
    "compatible version.";
inline constexpr const char* kIncompatibleTerraformBinary =
    "incompatible Terraform binary: remove Terraform from the configured path or specify a new path to safely install a "
    "compatible version.";

// The Terraform that `terraform` (TerraformCli, running the same binary) finds at the configured
// path, checked; nullopt when it may be used, else the error `start` prints before exiting 16.
// `working_directory` is where the version is asked (the process's own: empty).
Task<std::optional<std::string>> install_driver(const config::cts::TerraformConfig& terraform, FileSystem& files,
                                                driver::terraform::TerraformCli& cli, std::string working_directory,
                                                Logger logger, std::stop_token stop);

}  // namespace baton::controller
