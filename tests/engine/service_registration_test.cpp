// engine/registration: what an instance registers in Consul about itself, as CTS's
// registration/manager.go builds it from the configuration.
#include "engine/registration/service_registration.hpp"

#include <gtest/gtest.h>

#include "engine/config/cts/load.hpp"

namespace baton::registration {
namespace {

namespace cts = config::cts;
using namespace std::chrono_literals;

cts::Config load(const std::string& text) {
  cts::Environment environment;
  environment.hostname = "host-1";
  environment.working_directory = "/srv/cts";
  auto loaded = cts::load_config({cts::ConfigPath{"config.hcl", false, {cts::ConfigFile{"config.hcl", text}}}}, environment);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : config::hcl::to_string(loaded.error()));
  return loaded.ok() ? loaded.value() : cts::Config{};
}

TEST(ServiceRegistration, DefaultsAsCtsRegistersItself) {
  const auto registration = service_registration(load(R"(
port = 8600
high_availability {
  cluster { name = "cluster-a" }
}
)"));
  ASSERT_TRUE(registration.has_value());
  EXPECT_EQ(registration->id, "cts-host-1") << "the default id";
  EXPECT_EQ(registration->name, "consul-terraform-sync");
  EXPECT_EQ(registration->tags, (std::vector<std::string>{"cts", "cts-cluster:cluster-a"}));
  EXPECT_EQ(registration->port, 8600);
  ASSERT_EQ(registration->checks.size(), 1u);
  const consul::AgentServiceCheck& check = registration->checks[0];
  EXPECT_EQ(check.check_id, "cts-host-1-health");
  EXPECT_EQ(check.name, "CTS Health Status");
  EXPECT_EQ(check.notes, "Check created by Consul-Terraform-Sync");
  EXPECT_EQ(check.http, "http://localhost:8600/v1/health");
  EXPECT_EQ(check.method, "GET");
  EXPECT_EQ(check.interval, 10s);
  EXPECT_EQ(check.timeout, 2s);
  EXPECT_EQ(check.deregister_critical_service_after, 30min);
  EXPECT_TRUE(check.tls_skip_verify);
  EXPECT_EQ(check.status, "critical");
}

TEST(ServiceRegistration, ConfiguredNameAddressCheckAndTls) {
  const auto registration = service_registration(load(R"(
id = "cts-01"
tls {
  enabled = true
  cert = "/etc/cts/cert.pem"
  key = "/etc/cts/key.pem"
}
consul {
  service_registration {
    service_name = "cts-prod"
    address = "10.0.0.5"
    default_check { address = "https://cts-01.example.com:8558/" }
  }
}
)"));
  ASSERT_TRUE(registration.has_value());
  EXPECT_EQ(registration->name, "cts-prod");
  EXPECT_EQ(registration->address, "10.0.0.5");
  EXPECT_EQ(registration->tags, (std::vector<std::string>{"cts"})) << "no cluster tag without high availability";
  ASSERT_EQ(registration->checks.size(), 1u);
  EXPECT_EQ(registration->checks[0].http, "https://cts-01.example.com:8558/v1/health");

  const auto tls_default = service_registration(load("id = \"cts-01\"\ntls {\n  enabled = true\n  cert = \"c\"\n  key = \"k\"\n}\n"));
  ASSERT_TRUE(tls_default.has_value());
  EXPECT_EQ(tls_default->checks[0].http, "https://localhost:8558/v1/health");
}

TEST(ServiceRegistration, DisabledRegistrationOrCheck) {
  EXPECT_FALSE(service_registration(load("consul {\n  service_registration {\n    enabled = false\n  }\n}\n")).has_value());
  const auto without_check =
      service_registration(load("consul {\n  service_registration {\n    default_check {\n      enabled = false\n    }\n  }\n}\n"));
  ASSERT_TRUE(without_check.has_value());
  EXPECT_TRUE(without_check->checks.empty());
}

}  // namespace
}  // namespace baton::registration
