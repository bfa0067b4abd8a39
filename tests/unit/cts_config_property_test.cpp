// The printer against the decoder: any Config a file can hold prints as HCL that decodes to the
// same Config (RapidCheck), and the effective configuration baton shows reads back as itself.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <limits>

#include "cts_config_test_support.hpp"
#include "engine/config/cts/finalize.hpp"
#include "engine/config/cts/load.hpp"
#include "engine/config/cts/printer.hpp"

namespace baton::config::cts {

// Failures print the configuration as HCL.
void PrintTo(const Config& config, std::ostream* out) { *out << "\n" << print_config(config); }
void showValue(const Config& config, std::ostream& out) { out << "\n" << print_config(config); }

namespace {

using hcl::GoKind;
using hcl::GoValue;

// Strings with what quoting must get right: quotes, backslashes, line breaks, tabs, control
// characters, non-ASCII; never an unclosed "${", which HCL reads as the start of an expression.
rc::Gen<std::string> text() {
  static const std::vector<std::string> pieces = {"a", "web", "Z", "0", "-", "_", ".", " ", "\"", "\\", "\n", "\t",
                                                  "\x01", "\xc3\xa9", "\xf0\x9f\x98\x80", "$", "{", "}", "%", "/", ":"};
  return rc::gen::map(rc::gen::resize(12, rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(pieces))),
                      [](const std::vector<std::string>& parts) {
                        std::string out;
                        for (const std::string& part : parts) {
                          if (part == "{" && out.ends_with("$")) continue;
                          out += part;
                        }
                        return out;
                      });
}

template <class T>
Opt<T> maybe(const rc::Gen<T>& gen) {
  if (*rc::gen::arbitrary<bool>()) return Opt<T>();
  return Opt<T>(*gen);
}

Opt<std::string> maybe_text() { return maybe(text()); }
Opt<bool> maybe_bool() { return maybe(rc::gen::arbitrary<bool>()); }
Opt<std::int64_t> maybe_int() { return maybe(rc::gen::arbitrary<std::int64_t>()); }
Opt<Duration> maybe_duration() {
  return maybe(rc::gen::map(rc::gen::arbitrary<std::int64_t>(), [](std::int64_t ns) { return Duration(ns); }));
}
// Collections stay small: a configuration is a few dozen values, and nesting multiplies sizes.
std::size_t small_count() { return *rc::gen::inRange<std::size_t>(0, 4); }

Opt<StringList> maybe_list() { return maybe(rc::gen::container<StringList>(small_count(), text())); }
Opt<StringMap> maybe_map() { return maybe(rc::gen::container<StringMap>(small_count(), text(), text())); }

GoValue scalar_value() {
  GoValue value;
  switch (*rc::gen::inRange(0, 4)) {
    case 0: value.kind = GoKind::string; value.string = *text(); break;
    case 1: value.kind = GoKind::integer; value.integer = *rc::gen::arbitrary<std::int64_t>(); break;
    case 2: {
      value.kind = GoKind::floating;
      const double f = *rc::gen::arbitrary<double>();
      value.floating = std::isfinite(f) ? f : 0.5;
      break;
    }
    default: value.kind = GoKind::boolean; value.boolean = *rc::gen::arbitrary<bool>(); break;
  }
  return value;
}

// Lists never have exactly one element: HCL's decoding makes a one-element list its element.
std::size_t list_size() { return *rc::gen::element<std::size_t>(0, 2, 3); }

GoValue go_map(int depth, bool inline_only);

// A value inside a list: maps there hold only scalars and lists (see printer.hpp).
GoValue list_element(int depth) {
  const int choice = depth <= 0 ? 0 : *rc::gen::inRange(0, 3);
  if (choice == 1) return go_map(depth - 1, /*inline_only=*/true);
  if (choice == 2) {
    GoValue list;
    list.kind = GoKind::slice;
    for (std::size_t i = list_size(); i > 0; --i) list.elements.push_back(list_element(depth - 1));
    return list;
  }
  return scalar_value();
}

GoValue map_entry_value(int depth, bool inline_only) {
  const int choice = depth <= 0 ? 0 : *rc::gen::inRange(0, inline_only ? 2 : 4);
  if (choice == 1) {
    GoValue list;
    list.kind = GoKind::slice;
    for (std::size_t i = list_size(); i > 0; --i) list.elements.push_back(list_element(depth - 1));
    return list;
  }
  if (choice == 2) return go_map(depth - 1, false);
  if (choice == 3) {
    GoValue blocks;
    blocks.kind = GoKind::map_slice;
    for (std::size_t i = *rc::gen::inRange<std::size_t>(2, 4); i > 0; --i) blocks.elements.push_back(go_map(depth - 1, false));
    return blocks;
  }
  return scalar_value();
}

GoValue go_map(int depth, bool inline_only) {
  GoValue map;
  map.kind = GoKind::map;
  for (const std::string& key : *rc::gen::unique<std::vector<std::string>>(small_count(), text())) {
    map.entries.push_back(hcl::GoEntry{key, {}, map_entry_value(depth, inline_only)});
  }
  return map;
}

// A GoObject's own entries hold scalars or maps: HCL's decoding normalizes a value only when it
// arrives as a one-element list (a block), so a top-level list could keep unnormalized maps.
GoValue go_object_map() {
  GoValue map;
  map.kind = GoKind::map;
  for (const std::string& key : *rc::gen::unique<std::vector<std::string>>(small_count(), text())) {
    map.entries.push_back(hcl::GoEntry{key, {}, *rc::gen::arbitrary<bool>() ? scalar_value() : go_map(2, false)});
  }
  return map;
}

Opt<GoObject> maybe_go_map() {
  if (*rc::gen::arbitrary<bool>()) return {};
  return GoObject{go_object_map()};
}

Opt<TlsConfig> maybe_tls() {
  if (*rc::gen::arbitrary<bool>()) return {};
  return TlsConfig{maybe_text(), maybe_text(), maybe_text(), maybe_bool(), maybe_text(), maybe_text(), maybe_bool()};
}

Opt<TransportConfig> maybe_transport() {
  if (*rc::gen::arbitrary<bool>()) return {};
  return TransportConfig{maybe_duration(), maybe_duration(), maybe_bool(), maybe_duration(),
                         maybe_int(),      maybe_int(),      maybe_duration()};
}

Opt<ConsulConfig> maybe_consul() {
  if (*rc::gen::arbitrary<bool>()) return {};
  ConsulConfig c;
  c.address = maybe_text();
  if (*rc::gen::arbitrary<bool>()) c.auth = AuthConfig{maybe_bool(), maybe_text(), maybe_text()};
  c.kv_namespace = maybe_text();
  c.kv_path = maybe_text();
  c.tls = maybe_tls();
  c.token = maybe_text();
  c.transport = maybe_transport();
  if (*rc::gen::arbitrary<bool>()) {
    ServiceRegistrationConfig r{maybe_bool(), maybe_text(), maybe_text(), maybe_text(), {}};
    if (*rc::gen::arbitrary<bool>()) r.default_check = DefaultCheckConfig{maybe_bool(), maybe_text()};
    c.service_registration = r;
  }
  return c;
}

ServicesMonitorConfig services_monitor() {
  return ServicesMonitorConfig{maybe_text(), maybe_list(), maybe_text(), maybe_text(), maybe_text(), maybe_map()};
}

ConsulKvMonitorConfig consul_kv_monitor() {
  return ConsulKvMonitorConfig{maybe_text(), maybe_bool(), maybe_text(), maybe_text()};
}

Condition condition() {
  switch (*rc::gen::inRange(0, 5)) {
    case 0: return ServicesCondition{services_monitor(), maybe_bool(), maybe_bool()};
    case 1: return CatalogServicesCondition{maybe_text(), maybe_text(), maybe_text(), maybe_map(), maybe_bool(), maybe_bool()};
    case 2: return ConsulKvCondition{consul_kv_monitor(), maybe_bool(), maybe_bool()};
    case 3: return ScheduleCondition{maybe_text()};
    default: return NoCondition{};
  }
}

Opt<std::vector<ModuleInputConfig>> maybe_module_inputs() {
  if (*rc::gen::arbitrary<bool>()) return {};
  std::vector<ModuleInputConfig> inputs;
  for (int i = *rc::gen::inRange(0, 3); i > 0; --i) {
    if (*rc::gen::arbitrary<bool>()) {
      inputs.push_back(ModuleInputConfig{ServicesModuleInput{services_monitor()}, {}});
    } else {
      inputs.push_back(ModuleInputConfig{ConsulKvModuleInput{consul_kv_monitor()}, {}});
    }
  }
  return inputs;
}

Opt<BufferPeriodConfig> maybe_buffer_period() {
  if (*rc::gen::arbitrary<bool>()) return {};
  return BufferPeriodConfig{maybe_bool(), maybe_duration(), maybe_duration()};
}

TaskConfig task() {
  TaskConfig t;
  t.name = *text();  // a task block with nothing in it decodes to no task (see printer.hpp)
  t.description = maybe_text();
  t.providers = maybe_list();
  t.services = maybe_list();
  t.module = maybe_text();
  t.source = maybe_text();
  t.module_inputs = maybe_module_inputs();
  t.source_inputs = maybe_module_inputs();
  t.variable_files = maybe_list();
  t.variables = maybe_map();
  t.version = maybe_text();
  t.terraform_version = maybe_text();
  if (*rc::gen::arbitrary<bool>()) {
    t.terraform_cloud_workspace = TerraformCloudWorkspaceConfig{maybe_text(), maybe_text(), maybe_text(), maybe_text()};
  }
  t.buffer_period = maybe_buffer_period();
  t.enabled = maybe_bool();
  if (*rc::gen::arbitrary<bool>()) t.condition = condition();
  t.working_dir = maybe_text();
  return t;
}

Opt<HighAvailabilityConfig> maybe_high_availability() {
  if (*rc::gen::arbitrary<bool>()) return {};
  HighAvailabilityConfig ha;
  if (*rc::gen::arbitrary<bool>()) {
    ClusterConfig cluster{maybe_text(), {}};
    if (*rc::gen::arbitrary<bool>()) {
      StorageConfig storage;
      if (*rc::gen::arbitrary<bool>()) {
        storage.consul = ConsulStorageConfig{maybe_text(), maybe_text(), maybe_duration(), maybe_duration(), maybe_duration()};
      }
      cluster.storage = storage;
    }
    ha.cluster = cluster;
  }
  if (*rc::gen::arbitrary<bool>()) ha.instance = InstanceConfig{maybe_text()};
  return ha;
}

template <class T, class Make>
Opt<std::vector<T>> maybe_list_of(Make make) {
  if (*rc::gen::arbitrary<bool>()) return {};
  std::vector<T> items;
  for (int i = *rc::gen::inRange(0, 3); i > 0; --i) items.push_back(make());
  return items;
}

TerraformProviderConfig provider() {
  GoValue blocks;
  blocks.kind = GoKind::map;
  blocks.entries.push_back(hcl::GoEntry{*text(), {}, go_map(2, false)});
  return TerraformProviderConfig{GoObject{blocks}, {}};
}

Config arbitrary_config() {
  Config c;
  c.log_level = maybe_text();
  c.client_type = maybe_text();
  c.port = maybe_int();
  c.working_dir = maybe_text();
  c.id = maybe_text();
  if (*rc::gen::arbitrary<bool>()) c.syslog = SyslogConfig{maybe_bool(), maybe_text(), maybe_text()};
  c.consul = maybe_consul();
  if (*rc::gen::arbitrary<bool>()) {
    c.vault = VaultConfig{maybe_text(), maybe_bool(), maybe_text(), maybe_bool(), maybe_tls(),
                          maybe_text(), maybe_text(), maybe_transport(), maybe_bool()};
  }
  if (*rc::gen::arbitrary<bool>()) {
    DriverConfig driver;
    if (*rc::gen::arbitrary<bool>()) {
      driver.terraform = TerraformConfig{maybe_text(), maybe_bool(), maybe_bool(), maybe_text(), maybe_go_map(), maybe_go_map()};
    }
    c.driver = driver;
  }
  c.tasks = maybe_list_of<TaskConfig>(task);
  c.services = maybe_list_of<ServiceConfig>([] {
    return ServiceConfig{{}, maybe_text(), maybe_text(), maybe_text(), Opt<std::string>(*text()), maybe_text(), maybe_text(), maybe_map()};
  });
  c.terraform_providers = maybe_list_of<TerraformProviderConfig>(provider);
  c.buffer_period = maybe_buffer_period();
  if (*rc::gen::arbitrary<bool>()) {
    c.tls = CtsTlsConfig{maybe_bool(), maybe_text(), maybe_text(), maybe_bool(), maybe_text(), maybe_text()};
  }
  c.high_availability = maybe_high_availability();
  return c;
}

RC_GTEST_PROP(CtsPrinterProperty, PrintedConfigurationsDecodeToThemselves, ()) {
  const Config config = *rc::gen::exec(arbitrary_config);
  const std::string text = print_config(config);
  const auto decoded = decode_config_file("printed.hcl", text);
  RC_LOG() << text;
  if (!decoded) RC_LOG() << hcl::to_string(decoded.error());
  RC_ASSERT(decoded.ok());
  RC_ASSERT(decoded.value() == config);
}

TEST(CtsPrinter, TheEffectiveConfigurationReadsBackAsItself) {
  const std::string file = R"(log_level = "DEBUG"
consul {
  address = "consul:8500"
  tls {
    ca_cert = "/ca.pem"
  }
}
driver "terraform" {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 4.0" }
  }
}
terraform_provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::1:role/x"
  }
  allowed_account_ids = ["1", "2"]
}
task {
  name = "web"
  module = "./modules/web"
  providers = ["aws"]
  condition "services" {
    names = ["web", "api"]
  }
  module_input "consul-kv" {
    path = "config/"
    recurse = true
  }
}
task {
  name = "nightly"
  module = "m"
  condition "schedule" {
    cron = "0 3 * * *"
  }
}
high_availability {
  cluster {
    name = "cts-cluster"
  }
}
)";
  const Config effective = testing::load_ok(file);
  const std::string printed = print_config(effective);
  EXPECT_EQ(testing::load_ok(printed, "effective.hcl"), effective) << printed;
}

TEST(CtsPrinter, ReadableOutput) {
  const Config config = testing::decode_ok(R"(port = 8558
consul {
  address = "consul:8500"
}
driver "terraform" {
  backend "consul" {
    path = "tf"
  }
}
terraform_provider "aws" {
  region = "eu-west-1"
}
task {
  name = "web"
  condition "services" {
    names = ["web"]
    cts_user_defined_meta = { owner = "team a" }
  }
  buffer_period {
    min = "90s"
  }
}
)");
  EXPECT_EQ(print_config(config), R"(port = 8558
consul {
  address = "consul:8500"
}
driver "terraform" {
  backend {
    consul {
      path = "tf"
    }
  }
}
terraform_provider "aws" {
  region = "eu-west-1"
}
task {
  name = "web"
  buffer_period {
    min = "1m30s"
  }
  condition "services" {
    names = ["web"]
    cts_user_defined_meta = {
      owner = "team a"
    }
  }
}
)");
}

TEST(CtsPrinter, ListsThatHclCannotWriteAsBlocks) {
  const Config config = testing::decode_ok(R"({"task": [], "terraform_provider": [{"a": {}, "b": {"x": 1}}]})", "c.json");
  const std::string printed = print_config(config);
  EXPECT_EQ(printed, "terraform_provider = [{ a = {} b = { x = 1.0 } }]\ntask = []\n");
  EXPECT_EQ(testing::decode_ok(printed), config);
}

}  // namespace
}  // namespace baton::config::cts
