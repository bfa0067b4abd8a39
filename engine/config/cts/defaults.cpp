#include "engine/config/cts/defaults.hpp"

namespace baton::config::cts {
namespace {

// service_registration.go DefaultServiceRegistrationConfig.
ServiceRegistrationConfig default_service_registration() {
  ServiceRegistrationConfig registration;
  registration.enabled = true;
  registration.service_name = std::string(kDefaultServiceName);
  registration.namespace_name = std::string();
  registration.address = std::string();
  registration.default_check = DefaultCheckConfig{.enabled = true, .address = std::string()};
  return registration;
}

}  // namespace

Config default_config() {
  Config config;
  config.log_level = std::string(kDefaultLogLevel);
  config.syslog = SyslogConfig{};
  config.port = kDefaultPort;
  ConsulConfig consul;
  consul.auth = AuthConfig{};
  consul.kv_path = std::string(kDefaultConsulKvPath);
  consul.tls = TlsConfig{};
  consul.transport = TransportConfig{};
  consul.service_registration = default_service_registration();
  config.consul = std::move(consul);
  config.driver = DriverConfig{};
  config.tasks = std::vector<TaskConfig>{};
  config.services = std::vector<ServiceConfig>{};
  config.terraform_providers = std::vector<TerraformProviderConfig>{};
  config.buffer_period =
      BufferPeriodConfig{.enabled = true, .min = kDefaultBufferPeriodMin, .max = kDefaultBufferPeriodMax};
  config.tls = CtsTlsConfig{};
  return config;
}

}  // namespace baton::config::cts
