#pragma once
// CTS's default Terraform backend: Consul KV beside the tasks' data
// (config/terraform.go DefaultTerraformBackend). The Consul token is not written: Terraform
// reads it from CONSUL_HTTP_TOKEN.
#include <string>

#include "engine/driver/terraform/task_input.hpp"

namespace baton::driver::terraform {

// CTS's DefaultTFBackendKVPath.
inline constexpr const char* kDefaultBackendKvPath = "consul-terraform-sync/terraform";

struct ConsulBackendSettings {
  std::string address;  // consul.address
  std::string kv_path;  // consul.kv_path; empty: kDefaultBackendKvPath
  bool tls_enabled = false;
  std::string ca_cert;
  std::string cert;
  std::string key;
};

// backend "consul" { address, gzip = true, path, and with TLS scheme = "https" and the
// non-empty ca_file / cert_file / key_file }. A kv_path not ending in "/terraform" gets
// "/terraform" joined to it (Go path.Join, cleaned), so Terraform's "-env:<task>" suffix lands
// under it.
Backend default_consul_backend(const ConsulBackendSettings& settings);

// Go's path.Clean: one slash between elements, no "." elements, ".." resolved, "." if empty.
std::string clean_slash_path(const std::string& path);

}  // namespace baton::driver::terraform
