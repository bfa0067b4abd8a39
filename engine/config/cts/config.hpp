#pragma once
// CTS's configuration, as CTS v0.9.0 decodes it (config/config.go Config), plus baton's
// high_availability block. Every field is a Go pointer (opt.hpp): unset until a file sets it or
// finalize() gives it its default. See engine/config/README.md for the whole pipeline:
// decode each file, merge them onto default_config(), finalize, validate.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/config/cts/buffer_period_config.hpp"
#include "engine/config/cts/consul_config.hpp"
#include "engine/config/cts/driver_config.hpp"
#include "engine/config/cts/high_availability_config.hpp"
#include "engine/config/cts/opt.hpp"
#include "engine/config/cts/task_config.hpp"
#include "engine/config/cts/where.hpp"

namespace baton::config::cts {

inline constexpr const char* kDefaultLogLevel = "INFO";
inline constexpr std::int64_t kDefaultPort = 8558;
inline constexpr const char* kDefaultWorkingDir = "sync-tasks";
inline constexpr const char* kDefaultConsulAddress = "localhost:8500";
inline constexpr const char* kDefaultConsulKvPath = "consul-terraform-sync/";
inline constexpr const char* kDefaultServiceName = "consul-terraform-sync";
inline constexpr const char* kDefaultSyslogFacility = "LOCAL0";
inline constexpr const char* kDefaultSyslogName = "consul-terraform-sync";

// syslog.go SyslogConfig.
struct SyslogConfig {
  Opt<bool> enabled;
  Opt<std::string> facility;
  Opt<std::string> name;
  friend bool operator==(const SyslogConfig&, const SyslogConfig&) = default;
};

// tls_cts.go CTSTLSConfig: TLS (and mutual TLS) on CTS's own API.
struct CtsTlsConfig {
  Opt<bool> enabled;
  Opt<std::string> cert;
  Opt<std::string> key;
  Opt<bool> verify_incoming;
  Opt<std::string> ca_cert;
  Opt<std::string> ca_path;
  friend bool operator==(const CtsTlsConfig&, const CtsTlsConfig&) = default;
};

// vault.go VaultConfig: for templated terraform_provider arguments.
struct VaultConfig {
  Opt<std::string> address;
  Opt<bool> enabled;
  Opt<std::string> namespace_name;
  Opt<bool> renew_token;
  Opt<TlsConfig> tls;
  Opt<std::string> token;
  Opt<std::string> vault_agent_token_file;
  Opt<TransportConfig> transport;
  Opt<bool> unwrap_token;
  friend bool operator==(const VaultConfig&, const VaultConfig&) = default;
};

// service.go ServiceConfig: the deprecated top-level `service` block.
struct ServiceConfig {
  Where where;
  Opt<std::string> datacenter;
  Opt<std::string> description;
  Opt<std::string> id;
  Opt<std::string> name;
  Opt<std::string> namespace_name;
  Opt<std::string> filter;
  Opt<StringMap> cts_user_defined_meta;
  friend bool operator==(const ServiceConfig&, const ServiceConfig&) = default;
};

struct Config {
  Opt<std::string> log_level;
  Opt<std::string> client_type;
  Opt<std::int64_t> port;
  Opt<std::string> working_dir;
  Opt<std::string> id;
  Opt<SyslogConfig> syslog;
  Opt<ConsulConfig> consul;
  Opt<VaultConfig> vault;
  Opt<DriverConfig> driver;
  Opt<std::vector<TaskConfig>> tasks;                              // key `task`
  Opt<std::vector<ServiceConfig>> services;                        // key `service`, deprecated
  Opt<std::vector<TerraformProviderConfig>> terraform_providers;   // key `terraform_provider`
  Opt<BufferPeriodConfig> buffer_period;
  Opt<CtsTlsConfig> tls;
  Opt<HighAvailabilityConfig> high_availability;  // baton's (CTS Enterprise's) HA block
  friend bool operator==(const Config&, const Config&) = default;
};

}  // namespace baton::config::cts
