// Decoding one file into a Config as CTS v0.9.0's decodeConfig does (mapstructure over the Go
// map HCL1 or encoding/json produce): the fields, their types, the HCL and JSON shapes, and
// every decode error with its file:line:column.
#include <gtest/gtest.h>

#include "cts_config_test_support.hpp"
#include "engine/config/cts/decode.hpp"

namespace baton::config::cts {
namespace {

using namespace std::chrono_literals;
using testing::decode_error;
using testing::decode_ok;

// The example of shared/seeds/000_0312a2abe8afc081.txt ("Run Consul-Terraform-Sync with high
// availability"), verbatim.
constexpr std::string_view kSeedHighAvailability = R"(high_availability {
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
)";

TEST(CtsDecode, TheSeedsHighAvailabilityExampleVerbatim) {
  const Config config = decode_ok(kSeedHighAvailability, "cts-config.hcl");
  ASSERT_TRUE(config.high_availability);
  const HighAvailabilityConfig& ha = *config.high_availability;
  EXPECT_EQ(*ha.cluster->name, "cts-cluster");
  const ConsulStorageConfig& storage = *ha.cluster->storage->consul;
  EXPECT_EQ(*storage.parent_path, "cts");
  EXPECT_EQ(*storage.namespace_name, "ns");
  EXPECT_EQ(*storage.session_ttl, 30s);
  EXPECT_FALSE(storage.renew_interval);
  EXPECT_FALSE(storage.lock_delay);
  EXPECT_EQ(*ha.instance->address, "cts-01.example.com");
  EXPECT_EQ(hcl::to_string(ha.cluster->name.position()), "cts-config.hcl:3:12");
  EXPECT_EQ(hcl::to_string(storage.session_ttl.position()), "cts-config.hcl:7:21");
}

TEST(CtsDecode, HighAvailabilityKnobsOfOurs) {
  const Config config = decode_ok(R"(high_availability {
  cluster {
    name = "c"
    storage "consul" {
      session_ttl    = "20s"
      renew_interval = "5s"
      lock_delay     = "1s"
    }
  }
})");
  const ConsulStorageConfig& storage = *config.high_availability->cluster->storage->consul;
  EXPECT_EQ(*storage.renew_interval, 5s);
  EXPECT_EQ(*storage.lock_delay, 1s);
}

TEST(CtsDecode, StorageOtherThanConsulIsAnInvalidKey) {
  EXPECT_EQ(decode_error("high_availability {\n  cluster {\n    storage \"etcd\" {}\n  }\n}\n"),
            "config.hcl:3:13: 'config.hcl' has invalid keys: high_availability.cluster.storage.etcd");
}

// config/testdata/long.hcl of CTS v0.9.0.
constexpr std::string_view kLongHcl = R"(log_level = "ERR"
port = 8502
working_dir = "working"
id = "cts-123"

syslog {
  enabled = true
  name = "syslog"
}

buffer_period {
  min = "20s"
  max = "60s"
}

tls {
  enabled = true
  cert = "../testutils/certs/consul_cert.pem"
  key = "../testutils/certs/consul_key.pem"
  verify_incoming = true
  ca_cert = "../testutils/certs/consul_cert.pem"
}

consul {
  address = "consul-example.com"
  auth {
    enabled = true
    username = "username"
    password = "password"
  }
  kv_path = "kv_path"
  tls {
    ca_cert = "ca_cert"
    ca_path = "ca_path"
    enabled = true
    key = "key"
    server_name = "server_name"
    verify = false
  }
  token = "token"
  transport {
    dial_keep_alive = "5s"
    dial_timeout = "10s"
    disable_keep_alives = false
    idle_conn_timeout = "1m"
    max_idle_conns_per_host = 100
    tls_handshake_timeout = "10s"
  }
  service_registration {
    enabled = true
    service_name = "test-service"
    address = "10.2.3.4"
    namespace = "test-ns"
    default_check {
      enabled = true
      address = "http://cts"
    }
  }
}

driver "terraform" {
  log = true
  path = "path"
  backend "consul" {
    address = "consul-example.com"
    path = "kv-path/terraform"
    gzip = true
  }
  required_providers {
    pName1 = "v0.0.0"
    pName2 = {
      version = "v0.0.1",
      source = "namespace/pName2"
    }
  }
}

service {
  name = "serviceA"
  description = "descriptionA"
}

service {
  name = "serviceB"
  namespace = "teamB"
  description = "descriptionB"
}

terraform_provider "X" {}

task {
  name = "task"
  description = "automate services for X to do Y"
  services = ["serviceA", "serviceB", "serviceC"]
  providers = ["X"]
  module = "Y"
  condition "catalog-services" {
    regexp = ".*"
    use_as_module_input = true
    namespace = "ns2"
    datacenter = "dc2"
    node_meta {
      "key1" = "value1"
      "key2" = "value2"
    }
  }
  module_input "consul-kv" {
    path = "key-path"
    recurse = true
    datacenter = "dc2"
    namespace = "ns2"
  }
}
)";

// config/testdata/long.json of CTS v0.9.0 (the same configuration; note "port": "8502").
constexpr std::string_view kLongJson = R"({
  "log_level": "ERR",
  "port": "8502",
  "working_dir": "working",
  "id": "cts-123",
  "syslog": { "enabled": true, "name": "syslog" },
  "buffer_period": { "min": "20s", "max": "60s" },
  "tls": {
    "enabled": true,
    "cert": "../testutils/certs/consul_cert.pem",
    "key": "../testutils/certs/consul_key.pem",
    "verify_incoming": true,
    "ca_cert": "../testutils/certs/consul_cert.pem"
  },
  "consul": {
    "address": "consul-example.com",
    "auth": { "enabled": true, "username": "username", "password": "password" },
    "kv_path": "kv_path",
    "tls": {
      "ca_cert": "ca_cert", "ca_path": "ca_path", "enabled": true, "key": "key",
      "server_name": "server_name", "verify": false
    },
    "token": "token",
    "transport": {
      "dial_keep_alive": "5s", "dial_timeout": "10s", "disable_keep_alives": false,
      "idle_conn_timeout": "1m", "max_idle_conns_per_host": 100, "tls_handshake_timeout": "10s"
    },
    "service_registration": {
      "enabled": true, "service_name": "test-service", "address": "10.2.3.4", "namespace": "test-ns",
      "default_check": { "enabled": true, "address": "http://cts" }
    }
  },
  "driver": {
    "terraform": {
      "log": true,
      "path": "path",
      "backend": { "consul": { "address": "consul-example.com", "path": "kv-path/terraform", "gzip": true } },
      "required_providers": {
        "pName1": "v0.0.0",
        "pName2": { "version": "v0.0.1", "source": "namespace/pName2" }
      }
    }
  },
  "service": [
    { "name": "serviceA", "description": "descriptionA" },
    { "name": "serviceB", "namespace": "teamB", "description": "descriptionB" }
  ],
  "terraform_provider": [ { "X": {} } ],
  "task": [
    {
      "name": "task",
      "description": "automate services for X to do Y",
      "services": [ "serviceA", "serviceB", "serviceC" ],
      "providers": [ "X" ],
      "module": "Y",
      "condition": {
        "catalog-services": {
          "regexp": ".*", "use_as_module_input": true, "datacenter": "dc2", "namespace": "ns2",
          "node_meta": { "key1": "value1", "key2": "value2" }
        }
      },
      "module_input": [
        { "consul-kv": { "path": "key-path", "recurse": true, "datacenter": "dc2", "namespace": "ns2" } }
      ]
    }
  ]
})";

TEST(CtsDecode, CtsLongTestdataHclAndJsonGiveTheSameConfig) {
  const Config hcl = decode_ok(kLongHcl, "long.hcl");
  const Config json = decode_ok(kLongJson, "long.json");
  EXPECT_EQ(hcl, json);
  EXPECT_EQ(print_config(hcl), print_config(json));
}

TEST(CtsDecode, CtsLongTestdataFieldByField) {
  const Config c = decode_ok(kLongHcl, "long.hcl");
  EXPECT_EQ(*c.log_level, "ERR");
  EXPECT_EQ(*c.port, 8502);
  EXPECT_EQ(*c.syslog->enabled, true);
  EXPECT_FALSE(c.syslog->facility);
  EXPECT_EQ(*c.buffer_period->min, 20s);
  EXPECT_FALSE(c.buffer_period->enabled);
  EXPECT_EQ(*c.consul->transport->idle_conn_timeout, 1min);
  EXPECT_FALSE(c.consul->transport->max_idle_conns);
  EXPECT_EQ(*c.consul->tls->verify, false);
  EXPECT_EQ(*c.consul->service_registration->default_check->address, "http://cts");
  EXPECT_EQ(go_sprint(c.driver->terraform->backend->value),
            "map[consul:map[address:consul-example.com gzip:true path:kv-path/terraform]]");
  EXPECT_EQ(go_sprint(c.driver->terraform->required_providers->value),
            "map[pName1:v0.0.0 pName2:map[source:namespace/pName2 version:v0.0.1]]");
  ASSERT_EQ(c.services->size(), 2u);
  EXPECT_EQ(*(*c.services)[1].namespace_name, "teamB");
  ASSERT_EQ(c.terraform_providers->size(), 1u);
  EXPECT_EQ(go_sprint((*c.terraform_providers)[0].blocks.value), "map[X:map[]]");
  ASSERT_EQ(c.tasks->size(), 1u);
  const TaskConfig& task = c.tasks->front();
  EXPECT_EQ(*task.services, (StringList{"serviceA", "serviceB", "serviceC"}));
  const auto& condition = std::get<CatalogServicesCondition>(*task.condition);
  EXPECT_EQ(*condition.regexp, ".*");
  EXPECT_EQ(*condition.node_meta, (StringMap{{"key1", "value1"}, {"key2", "value2"}}));
  ASSERT_EQ(task.module_inputs->size(), 1u);
  const auto& kv = std::get<ConsulKvModuleInput>(task.module_inputs->front().input);
  EXPECT_EQ(*kv.monitor.path, "key-path");
  EXPECT_EQ(*kv.monitor.recurse, true);
  EXPECT_EQ(hcl::to_string(task.where.position), "long.hcl:91:1");
}

TEST(CtsDecode, EveryConditionType) {
  const Config c = decode_ok(R"(
task {
  name = "a"
  condition "services" {
    regexp = "^web"
    datacenter = "dc1"
    namespace = "ns"
    filter = "Service.Tags contains \"x\""
    cts_user_defined_meta { owner = "me" }
    use_as_module_input = false
  }
}
task {
  name = "b"
  condition "consul-kv" {
    path = "k"
    recurse = true
    source_includes_var = false
  }
}
task {
  name = "c"
  condition "schedule" { cron = "*/5 * * * *" }
}
task {
  name = "d"
  condition "catalog-services" { regexp = "" }
}
)");
  ASSERT_EQ(c.tasks->size(), 4u);
  const auto& services = std::get<ServicesCondition>(*(*c.tasks)[0].condition);
  EXPECT_EQ(*services.monitor.regexp, "^web");
  EXPECT_EQ(*services.monitor.datacenter, "dc1");
  EXPECT_EQ(*services.monitor.filter, "Service.Tags contains \"x\"");
  EXPECT_EQ(*services.monitor.cts_user_defined_meta, (StringMap{{"owner", "me"}}));
  EXPECT_EQ(*services.use_as_module_input, false);
  const auto& kv = std::get<ConsulKvCondition>(*(*c.tasks)[1].condition);
  EXPECT_EQ(*kv.source_includes_var, false);
  EXPECT_EQ(*std::get<ScheduleCondition>(*(*c.tasks)[2].condition).cron, "*/5 * * * *");
  EXPECT_EQ(*std::get<CatalogServicesCondition>(*(*c.tasks)[3].condition).regexp, "");
}

TEST(CtsDecode, EveryTaskField) {
  const Config c = decode_ok(R"(task {
  name = "web"
  description = "d"
  module = "m"
  source = "s"
  version = "1.0.0"
  providers = ["aws", "aws.east"]
  services = ["a"]
  variable_files = ["x.tfvars"]
  variables = { k = "v" }
  enabled = false
  working_dir = "w"
  terraform_version = "1.0.0"
  terraform_cloud_workspace { execution_mode = "agent" }
  buffer_period { enabled = true min = "1s" max = "2s" }
  condition "schedule" { cron = "@daily" }
  module_input "services" { names = ["api"] }
  source_input "consul-kv" { path = "p" }
})");
  const TaskConfig& t = c.tasks->front();
  EXPECT_EQ(*t.source, "s");
  EXPECT_EQ(*t.variables, (StringMap{{"k", "v"}}));
  EXPECT_EQ(*t.enabled, false);
  EXPECT_EQ(*t.terraform_cloud_workspace->execution_mode, "agent");
  EXPECT_EQ(*t.buffer_period->max, 2s);
  EXPECT_EQ(std::get<ServicesModuleInput>(t.module_inputs->front().input).monitor.names->front(), "api");
  EXPECT_EQ(*std::get<ConsulKvModuleInput>(t.source_inputs->front().input).monitor.path, "p");
}

TEST(CtsDecode, ASingleListOrScalarWhereTheOtherIsExpected) {
  // mapstructure's weak typing: a scalar is a one-element list; HCL's hook: a one-element list
  // is its element.
  const Config c = decode_ok("port = [\"9000\"]\ntask {\n  name = 7\n  providers = \"aws\"\n}\n");
  EXPECT_EQ(*c.port, 9000);
  EXPECT_EQ(*c.tasks->front().name, "7");
  EXPECT_EQ(*c.tasks->front().providers, StringList{"aws"});
}

TEST(CtsDecode, WeakTypingOfScalars) {
  const Config c = decode_ok(R"(port = "0x10"
syslog { enabled = "t" }
consul {
  transport { max_idle_conns = true, dial_timeout = 1000 }
  tls { verify = 0 }
}
log_level = 1.5
)");
  EXPECT_EQ(*c.port, 16);
  EXPECT_EQ(*c.syslog->enabled, true);
  EXPECT_EQ(*c.consul->transport->max_idle_conns, 1);
  EXPECT_EQ(*c.consul->transport->dial_timeout, 1000ns);  // a number is nanoseconds
  EXPECT_EQ(*c.consul->tls->verify, false);
  EXPECT_EQ(*c.log_level, "1.5");
}

TEST(CtsDecode, KeysMatchFieldsCaseInsensitively) {
  const Config c = decode_ok("Log_Level = \"DEBUG\"\nPORT = 1\n");
  EXPECT_EQ(*c.log_level, "DEBUG");
  EXPECT_EQ(*c.port, 1);
}

TEST(CtsDecode, AnEmptyTaskBlockInHclIsNoTaskAtAll) {
  // HCL decodes `task {}` to [{}]; the hook unwraps it to {}, and mapstructure turns an empty
  // map into an empty list. JSON keeps the empty task.
  EXPECT_TRUE(decode_ok("task {}\n").tasks->empty());
  EXPECT_EQ(decode_ok(R"({"task": [{}]})", "c.json").tasks->size(), 1u);
  EXPECT_EQ(decode_ok("task {}\ntask {}\n").tasks->size(), 2u);
}

TEST(CtsDecode, JsonConditionShapes) {
  const Config c = decode_ok(R"({"task": {"name": "a", "condition": {"consul-kv": {"path": "p"}}}})", "c.json");
  EXPECT_EQ(*std::get<ConsulKvCondition>(*c.tasks->front().condition).monitor.path, "p");
  // The hook checks types in a fixed order; a second type in one JSON object is ignored.
  const Config both = decode_ok(R"({"task": {"condition": {"services": {"names": ["a"]}, "catalog-services": {}}}})", "c.json");
  EXPECT_TRUE(std::holds_alternative<CatalogServicesCondition>(*both.tasks->front().condition));
}

TEST(CtsDecode, EmptyFileAndEmptyJson) {
  EXPECT_EQ(decode_ok(""), Config{});
  EXPECT_EQ(decode_ok("{}", "c.json"), Config{});
}

TEST(CtsDecodeErrors, SyntaxErrorsKeepTheParsersPositions) {
  EXPECT_EQ(decode_error("log_level: \"ERR\""), "config.hcl:1:10: illegal char ':'");
  EXPECT_EQ(decode_error("{\"log_level\" = \"ERR\"}", "config.json"),
            "config.json:1:14: syntax error while parsing object separator - invalid literal; last read: "
            "'\"log_level\" ='; expected ':'");
}

TEST(CtsDecodeErrors, UnknownKeysAreListedSortedWithTheFirstOnesPosition) {
  EXPECT_EQ(decode_error("key = \"does_not_exist\""), "config.hcl:1:1: 'config.hcl' has invalid keys: key");
  EXPECT_EQ(decode_error("consul {\n  zeta = 1\n  alpha = 2\n}\ntask {\n  nme = \"x\"\n}\n", "dir/c.hcl"),
            "dir/c.hcl:3:3: 'c.hcl' has invalid keys: consul.alpha, consul.zeta, task[0].nme");
  EXPECT_EQ(decode_error("{\"key\": \"does_not_exist\"}", "config.json"),
            "config.json:1:2: 'config.json' has invalid keys: key");
}

TEST(CtsDecodeErrors, HintsForKeysOfOtherProductsAndEditions) {
  EXPECT_EQ(decode_error("provider \"local\" {}"),
            "config.hcl:1:1: 'config.hcl' has invalid keys: provider\n\n"
            "'provider' is an invalid key for Consul-Terraform-Sync (CTS) configuration,\n"
            "try 'terraform_provider'. The terraform_provider configuration blocks are\n"
            "similar to provider blocks in Terraform but have additional features\n"
            "supported only by CTS.");
  EXPECT_EQ(decode_error("driver \"terraform-cloud\" {}"),
            "config.hcl:1:8: 'config.hcl' has invalid keys: driver.terraform-cloud\n\n"
            "Terraform Cloud is a Consul-Terraform-Sync (CTS) Enterprise feature.\n"
            "Upgrade to Consul Enterprise to enable CTS Enterprise features.");
  EXPECT_EQ(decode_error("license_path = \"x\""),
            "config.hcl:1:1: 'config.hcl' has invalid keys: license_path\n\n"
            "'license_path' is a Consul-Terraform-Sync (CTS) Enterprise configuration.");
  EXPECT_EQ(decode_error("license = \"x\""),
            "config.hcl:1:1: 'config.hcl' has invalid keys: license\n\n"
            "'license' is a Consul-Terraform-Sync (CTS) Enterprise configuration.");
}

TEST(CtsDecodeErrors, RepeatedBlocks) {
  EXPECT_EQ(decode_error("driver \"terraform\" {}\ndriver \"terraform\" {}\n"),
            "config.hcl:1:1: only one 'driver' block can be configured");
  EXPECT_EQ(decode_error("consul {}\nconsul {}\n"), "config.hcl:1:1: only one 'consul' block can be configured");
  EXPECT_EQ(decode_error("consul {\n  tls {}\n  tls {}\n}\n"),
            "config.hcl:2:3: only one 'consul.tls' block can be configured");
  EXPECT_EQ(decode_error("{\"consul\": [{}]}", "c.json"), "c.json:1:12: only one 'consul' block can be configured");
}

TEST(CtsDecodeErrors, TypeErrors) {
  EXPECT_EQ(decode_error("port = \"abc\""),
            "config.hcl:1:8: cannot parse 'port' as int: strconv.ParseInt: parsing \"abc\": invalid syntax");
  EXPECT_EQ(decode_error("port = \"99999999999999999999\""),
            "config.hcl:1:8: cannot parse 'port' as int: strconv.ParseInt: parsing \"99999999999999999999\": "
            "value out of range");
  EXPECT_EQ(decode_error("syslog {\n  enabled = \"yes\"\n}\n"),
            "config.hcl:2:13: cannot parse 'syslog.enabled' as bool: strconv.ParseBool: parsing \"yes\": invalid syntax");
  EXPECT_EQ(decode_error("log_level = [\"a\", \"b\"]"),
            "config.hcl:1:13: 'log_level' expected type 'string', got unconvertible type '[]interface {}', value: '[a b]'");
  EXPECT_EQ(decode_error("consul = 5"), "config.hcl:1:10: 'consul' expected a map, got 'int'");
  EXPECT_EQ(decode_error("task {\n  providers = [{ a = 1 }]\n}\n"),
            "config.hcl:2:16: 'task[0].providers[0]' expected type 'string', got unconvertible type "
            "'map[string]interface {}', value: 'map[a:1]'");
  EXPECT_EQ(decode_error("{\"port\": {}}", "c.json"),
            "c.json:1:10: 'port' expected type 'int', got unconvertible type 'map[string]interface {}', value: 'map[]'");
}

TEST(CtsDecodeErrors, DurationErrorsAreGos) {
  EXPECT_EQ(decode_error("buffer_period {\n  min = \"5\"\n}\n"),
            "config.hcl:2:9: error decoding 'buffer_period.min': time: missing unit in duration \"5\"");
  EXPECT_EQ(decode_error("buffer_period {\n  max = \"5d\"\n}\n"),
            "config.hcl:2:9: error decoding 'buffer_period.max': time: unknown unit \"d\" in duration \"5d\"");
  EXPECT_EQ(decode_error("consul {\n  transport {\n    dial_timeout = \"soon\"\n  }\n}\n"),
            "config.hcl:3:20: error decoding 'consul.transport.dial_timeout': time: invalid duration \"soon\"");
}

TEST(CtsDecodeErrors, ConditionAndModuleInputErrors) {
  EXPECT_EQ(decode_error("task {\n  condition \"services\" {\n    names = [\"a\"]\n    nmes = 1\n  }\n}\n"),
            "config.hcl:4:5: error decoding 'task[0].condition': invalid keys: nmes");
  EXPECT_EQ(decode_error("task {\n  condition \"nodes\" {}\n}\n"),
            "config.hcl:2:3: error decoding 'task[0].condition': unsupported condition type: [map[nodes:[map[]]]]");
  EXPECT_EQ(decode_error("task {\n  condition \"services\" {}\n  condition \"consul-kv\" {}\n}\n"),
            "config.hcl:2:3: error decoding 'task[0].condition': expected only one item in hcl condition but got 2: "
            "[map[services:[map[]]] map[consul-kv:[map[]]]]");
  EXPECT_EQ(decode_error("task {\n  condition \"services\" {\n    regexp = [\"a\", \"b\"]\n  }\n}\n"),
            "config.hcl:3:14: error decoding 'task[0].condition': 'regexp' expected type 'string', got "
            "unconvertible type '[]interface {}', value: '[a b]'");
  EXPECT_EQ(decode_error("task {\n  module_input \"kv\" {}\n}\n"),
            "config.hcl:2:3: error decoding 'task[0].module_input[0]': unsupported module_input type: map[kv:[map[]]]");
  EXPECT_EQ(decode_error("task {\n  module_input \"consul-kv\" {\n    paht = \"x\"\n  }\n}\n"),
            "config.hcl:3:5: error decoding 'task[0].module_input[0]': invalid keys: paht");
}

TEST(CtsDecodeErrors, TheMisspeltDatacenterTagNamesTheGoField) {
  EXPECT_EQ(decode_error("task {\n  condition \"services\" {\n    datacenter = {}\n  }\n}\n"),
            "config.hcl:3:18: error decoding 'task[0].condition': 'Datacenter' expected type 'string', got "
            "unconvertible type 'map[string]interface {}', value: 'map[]'");
}

}  // namespace
}  // namespace baton::config::cts
