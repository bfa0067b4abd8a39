#pragma once
// driver "terraform" { ... } and terraform_provider "<name>" { ... } (CTS v0.9.0
// config/driver.go, terraform.go, provider.go). Backends, required providers and provider
// arguments are kept as Go values: CTS hands them to Terraform's templates without reading them.
#include <string>
#include <vector>

#include "engine/config/cts/go_object.hpp"
#include "engine/config/cts/opt.hpp"
#include "engine/config/cts/where.hpp"

namespace baton::config::cts {

// The backend CTS configures when none is given (terraform.go DefaultTFBackendKVPath).
inline constexpr const char* kDefaultTerraformBackendKvPath = "consul-terraform-sync/terraform";

struct TerraformConfig {
  Opt<std::string> version;  // Terraform to install: CTS OSS refuses unsupported ones
  Opt<bool> log;
  Opt<bool> persist_log;
  Opt<std::string> path;
  Opt<GoObject> backend;             // map: backend type -> its arguments
  Opt<GoObject> required_providers;  // map: provider name -> {source, version} or a version
  friend bool operator==(const TerraformConfig&, const TerraformConfig&) = default;
};

struct DriverConfig {
  Opt<TerraformConfig> terraform;  // driver "terraform"
  friend bool operator==(const DriverConfig&, const DriverConfig&) = default;
};

// One terraform_provider block: a map from its label (the provider name) to its arguments,
// exactly as CTS keeps it. Validation requires exactly one label.
struct TerraformProviderConfig {
  GoObject blocks;
  Where where;
  friend bool operator==(const TerraformProviderConfig&, const TerraformProviderConfig&) = default;
};

}  // namespace baton::config::cts
