#include "engine/registration/service_registration.hpp"

#include <fmt/format.h>

#include <chrono>

namespace baton::registration {
namespace {

using namespace std::chrono_literals;
using config::cts::Config;

constexpr const char* kDefaultServiceName = "consul-terraform-sync";

// manager.go defaultHTTPCheck: the configured check address, else the API on localhost, with
// /v1/health joined to its path.
consul::AgentServiceCheck health_check(const Config& config, const std::string& instance_id) {
  std::string address;
  if (config.consul && config.consul->service_registration && config.consul->service_registration->default_check) {
    address = config.consul->service_registration->default_check->address.value_or("");
  }
  if (address.empty()) {
    const bool tls = config.tls && config.tls->enabled.value_or(false);
    address = fmt::format("{}://localhost:{}", tls ? "https" : "http", config.port.value_or(8558));
  }
  while (!address.empty() && address.back() == '/') address.pop_back();
  consul::AgentServiceCheck check;
  check.check_id = instance_id + "-health";
  check.name = "CTS Health Status";
  check.notes = "Check created by Consul-Terraform-Sync";
  check.http = address + "/v1/health";
  check.method = "GET";
  check.interval = 10s;
  check.timeout = 2s;
  check.deregister_critical_service_after = 30min;
  check.tls_skip_verify = true;
  check.status = "critical";
  return check;
}

}  // namespace

std::string cluster_tag(const std::string& name) { return "cts-cluster:" + name; }

std::optional<consul::ServiceRegistration> service_registration(const Config& config) {
  config::cts::ServiceRegistrationConfig settings;
  if (config.consul && config.consul->service_registration) settings = *config.consul->service_registration;
  if (!settings.enabled.value_or(true)) return std::nullopt;
  consul::ServiceRegistration registration;
  registration.id = config.id.value_or("");
  registration.name = settings.service_name.value_or(kDefaultServiceName);
  registration.tags = {"cts"};
  if (config.high_availability && config.high_availability->cluster && config.high_availability->cluster->name) {
    registration.tags.push_back(cluster_tag(*config.high_availability->cluster->name));
  }
  registration.address = settings.address.value_or("");
  registration.port = static_cast<int>(config.port.value_or(8558));
  registration.namespace_name = settings.namespace_name.value_or("");
  const bool check_enabled = !settings.default_check || settings.default_check->enabled.value_or(true);
  if (check_enabled) registration.checks.push_back(health_check(config, registration.id));
  return registration;
}

}  // namespace baton::registration
