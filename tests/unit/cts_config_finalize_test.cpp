// Defaults (config.go DefaultConfig and the Finalize methods of CTS v0.9.0), the environment
// variables CTS reads, the carrying over of deprecated fields, and baton's HA defaults.
#include <gtest/gtest.h>

#include "cts_config_test_support.hpp"
#include "engine/config/cts/finalize.hpp"
#include "engine/config/cts/load.hpp"

namespace baton::config::cts {
namespace {

using namespace std::chrono_literals;
using testing::load_ok;
using testing::test_environment;

TEST(CtsFinalize, EveryDefaultOfAnAlmostEmptyConfiguration) {
  const Config c = load_ok("log_level = \"DEBUG\"\n");
  EXPECT_EQ(*c.log_level, "DEBUG");
  EXPECT_EQ(*c.port, 8558);
  EXPECT_EQ(*c.client_type, "");
  EXPECT_EQ(*c.id, "cts-host-1");
  EXPECT_EQ(*c.working_dir, "sync-tasks");
  EXPECT_EQ(*c.syslog, (SyslogConfig{.enabled = false, .facility = std::string("LOCAL0"),
                                     .name = std::string("consul-terraform-sync")}));
  const ConsulConfig& consul = *c.consul;
  EXPECT_EQ(*consul.address, "localhost:8500");
  EXPECT_EQ(*consul.token, "");
  EXPECT_EQ(*consul.kv_path, "consul-terraform-sync/");
  EXPECT_EQ(*consul.kv_namespace, "");
  EXPECT_EQ(*consul.auth, (AuthConfig{.enabled = false, .username = std::string(), .password = std::string()}));
  EXPECT_EQ(*consul.tls->enabled, false);
  EXPECT_EQ(*consul.tls->verify, true);
  EXPECT_EQ(*consul.transport, (TransportConfig{.dial_keep_alive = Duration(30s), .dial_timeout = Duration(30s),
                                                .disable_keep_alives = false, .idle_conn_timeout = Duration(5s),
                                                .max_idle_conns = std::int64_t{0}, .max_idle_conns_per_host = std::int64_t{100},
                                                .tls_handshake_timeout = Duration(10s)}));
  EXPECT_EQ(*consul.service_registration->service_name, "consul-terraform-sync");
  EXPECT_EQ(*consul.service_registration->default_check->enabled, true);
  EXPECT_EQ(*c.vault->enabled, false);
  EXPECT_EQ(*c.vault->tls->enabled, true);
  EXPECT_EQ(*c.vault->renew_token, false);
  const TerraformConfig& terraform = *c.driver->terraform;
  EXPECT_EQ(*terraform.path, "/work");
  EXPECT_EQ(*terraform.log, false);
  EXPECT_EQ(go_sprint(terraform.backend->value),
            "map[consul:map[address:localhost:8500 gzip:true path:consul-terraform-sync/terraform]]");
  EXPECT_EQ(*c.buffer_period, (BufferPeriodConfig{.enabled = true, .min = Duration(5s), .max = Duration(20s)}));
  EXPECT_EQ(*c.tls, (CtsTlsConfig{.enabled = false, .cert = std::string(), .key = std::string(),
                                  .verify_incoming = false, .ca_cert = std::string(), .ca_path = std::string()}));
  EXPECT_TRUE(c.tasks->empty());
  EXPECT_TRUE(c.terraform_providers->empty());
  EXPECT_FALSE(c.high_availability);
}

TEST(CtsFinalize, ConsulSettingsFromTheEnvironment) {
  Environment env = test_environment();
  env.variables = {{"CONSUL_HTTP_ADDR", " consul.service:8501 \n"},
                   {"CONSUL_TOKEN", ""},
                   {"CONSUL_HTTP_TOKEN", "t-2"},
                   {"CONSUL_CACERT", "/ca.pem"},
                   {"CONSUL_CLIENT_CERT", "/c.pem"},
                   {"CONSUL_CLIENT_KEY", "/k.pem"},
                   {"CONSUL_TLS_SERVER_NAME", "consul"},
                   {"CONSUL_CAPATH", "/cas"},
                   {"CONSUL_HTTP_SSL", "true"}};  // not one CTS reads
  const Config c = load_ok("port = 1\n", "config.hcl", env);
  EXPECT_EQ(*c.consul->address, "consul.service:8501");
  EXPECT_EQ(*c.consul->token, "t-2");
  EXPECT_EQ(*c.consul->tls->ca_cert, "/ca.pem");
  EXPECT_EQ(*c.consul->tls->cert, "/c.pem");
  EXPECT_EQ(*c.consul->tls->key, "/k.pem");
  EXPECT_EQ(*c.consul->tls->server_name, "consul");
  EXPECT_EQ(*c.consul->tls->ca_path, "/cas");
  // TLS is enabled by what the file says, not by the environment.
  EXPECT_EQ(*c.consul->tls->enabled, false);
  EXPECT_EQ(go_sprint(c.driver->terraform->backend->value),
            "map[consul:map[address:consul.service:8501 gzip:true path:consul-terraform-sync/terraform]]");

  env.variables["CONSUL_TOKEN"] = "t-1";
  EXPECT_EQ(*load_ok("port = 1\n", "config.hcl", env).consul->token, "t-1");
  // What the file says wins over the environment.
  EXPECT_EQ(*load_ok("consul {\n  address = \"a:1\"\n  token = \"\"\n}\n", "config.hcl", env).consul->address, "a:1");
  EXPECT_EQ(*load_ok("consul {\n  token = \"\"\n}\n", "config.hcl", env).consul->token, "");
}

TEST(CtsFinalize, TheDefaultBackendFollowsConsulsTlsAndKvPath) {
  const Config c = load_ok(R"(consul {
  kv_path = "cts/"
  tls {
    ca_cert = "/ca.pem"
    key = "/k.pem"
  }
}
driver "terraform" {
  backend "consul" {
    path = "mine"
  }
}
)");
  EXPECT_EQ(*c.consul->tls->enabled, true);
  EXPECT_EQ(go_sprint(c.driver->terraform->backend->value),
            "map[consul:map[address:localhost:8500 ca_file:/ca.pem gzip:true key_file:/k.pem path:mine scheme:https]]");
  EXPECT_EQ(go_sprint(load_ok("consul {\n  kv_path = \"x/terraform\"\n}\n").driver->terraform->backend->value),
            "map[consul:map[address:localhost:8500 gzip:true path:x/terraform]]");
  EXPECT_EQ(go_sprint(load_ok("driver \"terraform\" {\n  backend \"local\" {}\n}\n").driver->terraform->backend->value),
            "map[local:map[]]");
}

TEST(CtsFinalize, VaultFromTheEnvironment) {
  Environment env = test_environment();
  env.variables = {{"VAULT_ADDR", "https://vault:8200"}, {"VAULT_TOKEN", "s.x"}, {"VAULT_SKIP_VERIFY", "true"},
                   {"VAULT_NAMESPACE", "ns"}, {"VAULT_UNWRAP_TOKEN", "1"}};
  const Config c = load_ok("port = 1\n", "config.hcl", env);
  EXPECT_EQ(*c.vault->address, "https://vault:8200");
  EXPECT_EQ(*c.vault->enabled, true);
  EXPECT_EQ(*c.vault->token, "s.x");
  EXPECT_EQ(*c.vault->renew_token, true);
  EXPECT_EQ(*c.vault->unwrap_token, true);
  EXPECT_EQ(*c.vault->namespace_name, "ns");
  EXPECT_EQ(*c.vault->tls->verify, false);
  env.variables["VAULT_RENEW_TOKEN"] = "not a bool";  // ignored, as boolFromEnv ignores it
  EXPECT_EQ(*load_ok("port = 1\n", "config.hcl", env).vault->renew_token, true);
}

// build_config and finalize, without validate.
Config finalized(std::string_view text) {
  auto built = build_config({ConfigPath{"c.hcl", false, {ConfigFile{"c.hcl", std::string(text)}}}});
  EXPECT_TRUE(built.ok());
  Config config = built ? built.value() : Config{};
  finalize(config, test_environment());
  return config;
}

TEST(CtsFinalize, EnabledFollowsTheOtherFieldsWhenUnset) {
  const Config c = finalized("syslog {\n  name = \"cts\"\n}\ntls {\n  verify_incoming = false\n}\n"
                           "consul {\n  auth {\n    username = \"u\"\n  }\n  tls {\n    verify = false\n  }\n}\n");
  EXPECT_EQ(*c.syslog->enabled, true);
  EXPECT_EQ(*c.tls->enabled, true);
  EXPECT_EQ(*c.consul->auth->enabled, true);
  EXPECT_EQ(*c.consul->tls->enabled, true);
}

TEST(CtsFinalize, TaskDefaultsAndDeprecatedFields) {
  const Config c = load_ok(R"(task {
  name = "a"
  source = "old/module"
  condition "services" {
    names = ["web"]
    source_includes_var = false
  }
  source_input "consul-kv" {
    path = "k"
  }
}
task {
  name = "b"
  module = "new"
  source = "old"
  condition "schedule" {
    cron = "@hourly"
  }
  buffer_period {
    min = "1m"
  }
}
)");
  const TaskConfig& a = (*c.tasks)[0];
  EXPECT_EQ(*a.module, "old/module");
  EXPECT_EQ(*a.enabled, true);
  EXPECT_EQ(*a.description, "");
  EXPECT_EQ(*a.providers, StringList{});
  EXPECT_EQ(*a.variables, StringMap{});
  EXPECT_FALSE(a.source_inputs);
  ASSERT_EQ(a.module_inputs->size(), 1u);
  EXPECT_EQ(*std::get<ConsulKvModuleInput>(a.module_inputs->front().input).monitor.recurse, false);
  const auto& services = std::get<ServicesCondition>(*a.condition);
  EXPECT_EQ(*services.use_as_module_input, false);
  EXPECT_FALSE(services.monitor.regexp);  // never defaulted: unset and "" differ
  EXPECT_EQ(*services.monitor.filter, "");
  EXPECT_FALSE(a.buffer_period);  // inherited when the driver is made
  EXPECT_FALSE(a.working_dir);
  const TaskConfig& b = (*c.tasks)[1];
  EXPECT_EQ(*b.module, "new");
  EXPECT_EQ(*b.buffer_period, (BufferPeriodConfig{.enabled = false, .min = Duration(0s), .max = Duration(0s)}));
}

TEST(CtsFinalize, BufferPeriodInheritance) {
  // CTS documents max as 4 x min when min is set; but the file is merged onto DefaultConfig's
  // buffer period first, whose max (20s) then stays.
  const Config c = load_ok("buffer_period {\n  min = \"10s\"\n}\n");
  EXPECT_EQ(*c.buffer_period, (BufferPeriodConfig{.enabled = true, .min = Duration(10s), .max = Duration(20s)}));
  const auto inherit = [&](std::optional<BufferPeriodConfig> own) {
    TaskConfig task;
    task.name = std::string("web");
    if (own) task.buffer_period = *own;
    return *inherit_parent_config(task, "sync-tasks", *c.buffer_period).buffer_period;
  };
  EXPECT_EQ(inherit(std::nullopt), *c.buffer_period);
  EXPECT_EQ(inherit(BufferPeriodConfig{.max = Duration(30s)}),
            (BufferPeriodConfig{.enabled = true, .min = Duration(10s), .max = Duration(30s)}));
  EXPECT_EQ(inherit(BufferPeriodConfig{.min = Duration(7s)}),
            (BufferPeriodConfig{.enabled = true, .min = Duration(7s), .max = Duration(28s)}));
  EXPECT_EQ(inherit(BufferPeriodConfig{.min = Duration(60s), .max = Duration(30s)}),
            (BufferPeriodConfig{.enabled = true, .min = Duration(60s), .max = Duration(60s)}));
  EXPECT_EQ(inherit(BufferPeriodConfig{.enabled = false, .min = Duration(60s)}),
            (BufferPeriodConfig{.enabled = false, .min = Duration(0s), .max = Duration(0s)}));
  const Config disabled = load_ok("buffer_period {\n  enabled = false\n}\n");
  TaskConfig task;
  task.name = std::string("web");
  task.buffer_period = BufferPeriodConfig{.max = Duration(30s)};
  // The parent is off: the task's own min falls back to CTS's default, not the parent's zero.
  EXPECT_EQ(*inherit_parent_config(task, "sync-tasks", *disabled.buffer_period).buffer_period,
            (BufferPeriodConfig{.enabled = true, .min = Duration(5s), .max = Duration(30s)}));
}

TEST(CtsFinalize, TaskWorkingDirectory) {
  TaskConfig task;
  task.name = std::string("web");
  EXPECT_EQ(*inherit_parent_config(task, "sync-tasks", {}).working_dir, "sync-tasks/web");
  EXPECT_EQ(*inherit_parent_config(task, "/var/cts/", {}).working_dir, "/var/cts/web");
  task.working_dir = std::string("mine");
  EXPECT_EQ(*inherit_parent_config(task, "sync-tasks", {}).working_dir, "mine");
}

TEST(CtsFinalize, DeprecatedServiceBlockIdDefaultsToItsName) {
  const Config c = load_ok("service {\n  name = \"api\"\n}\n");
  EXPECT_EQ(*c.services->front().id, "api");
  EXPECT_EQ(*c.services->front().cts_user_defined_meta, StringMap{});
}

TEST(CtsFinalize, HighAvailabilityDefaults) {
  const Config c = load_ok("high_availability {\n  cluster {\n    name = \"cts-cluster\"\n  }\n}\n");
  const ConsulStorageConfig& storage = *c.high_availability->cluster->storage->consul;
  EXPECT_EQ(*storage.parent_path, "consul-terraform-sync/");
  EXPECT_EQ(*storage.namespace_name, "default");
  EXPECT_EQ(*storage.session_ttl, 15s);
  EXPECT_EQ(*storage.renew_interval, 7500ms);
  EXPECT_EQ(*storage.lock_delay, 0s);
  EXPECT_EQ(*c.high_availability->instance->address, "");
  EXPECT_EQ(ha_storage_prefix(*c.high_availability), "consul-terraform-sync/cts-cluster");
}

TEST(CtsFinalize, TheSeedsHighAvailabilityExampleFinalized) {
  const Config c = load_ok(R"(high_availability {
  cluster {
    name = "cts-cluster"
    storage "consul" {
      parent_path = "cts"
      namespace = "ns"
      session_ttl = "30s"
    }
  }

  instance {
    address = "cts-01.example.com"
  }
}
)");
  const ConsulStorageConfig& storage = *c.high_availability->cluster->storage->consul;
  EXPECT_EQ(*storage.renew_interval, 15s);
  EXPECT_EQ(ha_storage_prefix(*c.high_availability), "cts/cts-cluster");
}

}  // namespace
}  // namespace baton::config::cts
