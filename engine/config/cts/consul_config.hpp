#pragma once
// The `consul` block (CTS v0.9.0 config/consul.go, tls.go, auth.go, transport.go,
// service_registration.go, default_check.go): how CTS reaches its Consul agent. Field names
// are the configuration keys; every field is a Go pointer (opt.hpp).
#include <cstdint>
#include <string>

#include "engine/config/cts/opt.hpp"
#include "engine/ports/time.hpp"

namespace baton::config::cts {

// tls.go TLSConfig, used by `consul` and `vault`.
struct TlsConfig {
  Opt<std::string> ca_cert;
  Opt<std::string> ca_path;
  Opt<std::string> cert;
  Opt<bool> enabled;
  Opt<std::string> key;
  Opt<std::string> server_name;
  Opt<bool> verify;
  friend bool operator==(const TlsConfig&, const TlsConfig&) = default;
};

// auth.go AuthConfig: HTTP basic authentication to Consul.
struct AuthConfig {
  Opt<bool> enabled;
  Opt<std::string> username;
  Opt<std::string> password;
  friend bool operator==(const AuthConfig&, const AuthConfig&) = default;
};

// transport.go TransportConfig: the HTTP client's connection knobs.
struct TransportConfig {
  Opt<Duration> dial_keep_alive;
  Opt<Duration> dial_timeout;
  Opt<bool> disable_keep_alives;
  Opt<Duration> idle_conn_timeout;
  Opt<std::int64_t> max_idle_conns;
  Opt<std::int64_t> max_idle_conns_per_host;
  Opt<Duration> tls_handshake_timeout;
  friend bool operator==(const TransportConfig&, const TransportConfig&) = default;
};

// default_check.go DefaultCheckConfig: the HTTP health check on CTS's own service.
struct DefaultCheckConfig {
  Opt<bool> enabled;
  Opt<std::string> address;
  friend bool operator==(const DefaultCheckConfig&, const DefaultCheckConfig&) = default;
};

// service_registration.go ServiceRegistrationConfig: CTS registering itself in Consul.
struct ServiceRegistrationConfig {
  Opt<bool> enabled;
  Opt<std::string> service_name;
  Opt<std::string> address;
  Opt<std::string> namespace_name;  // key `namespace`
  Opt<DefaultCheckConfig> default_check;
  friend bool operator==(const ServiceRegistrationConfig&, const ServiceRegistrationConfig&) = default;
};

// consul.go ConsulConfig.
struct ConsulConfig {
  Opt<std::string> address;
  Opt<AuthConfig> auth;
  Opt<std::string> kv_namespace;
  Opt<std::string> kv_path;
  Opt<TlsConfig> tls;
  Opt<std::string> token;
  Opt<TransportConfig> transport;
  Opt<ServiceRegistrationConfig> service_registration;
  friend bool operator==(const ConsulConfig&, const ConsulConfig&) = default;
};

}  // namespace baton::config::cts
