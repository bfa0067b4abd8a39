// Every validation message of CTS v0.9.0 (config/*.go Validate), word for word, each at the
// file:line:column of what it is about; then baton's checks of high_availability.
#include <gtest/gtest.h>

#include "cts_config_test_support.hpp"
#include "engine/config/cts/validate.hpp"

namespace baton::config::cts {
namespace {

using testing::load_error;

// A valid task, to which each case adds or changes one thing.
std::string task(std::string_view extra, std::string_view name = "\"web\"",
                 std::string_view condition = "condition \"services\" {\n    names = [\"web\"]\n  }\n") {
  return "task {\n  name = " + std::string(name) + "\n  module = \"m\"\n  " + std::string(condition) + "  " +
         std::string(extra) + "\n}\n";
}

TEST(CtsValidate, AValidConfiguration) { EXPECT_EQ(load_error(task("")), "valid"); }

TEST(CtsValidate, TaskName) {
  EXPECT_EQ(load_error(task("", "\"\"")), "config.hcl:2:10: unique name for the task is required");
  EXPECT_EQ(load_error("task {\n  module = \"m\"\n}\n"), "config.hcl:1:1: unique name for the task is required");
  EXPECT_EQ(load_error(task("", "\"cannot contain spaces\"")),
            "config.hcl:2:10: a task name must start with a letter or underscore and may contain only letters, "
            "digits, underscores, and dashes: \"cannot contain spaces\"");
  EXPECT_EQ(load_error(task("", "\"1st\"")),
            "config.hcl:2:10: a task name must start with a letter or underscore and may contain only letters, "
            "digits, underscores, and dashes: \"1st\"");
  EXPECT_EQ(load_error(task("", "\"_ok-name\"")), "valid");
  EXPECT_EQ(load_error(task("") + task("")), "config.hcl:10:10: duplicate task name: web");
}

TEST(CtsValidate, ConditionPresenceAndServices) {
  EXPECT_EQ(load_error("task {\n  name = \"web\"\n  module = \"m\"\n}\n"),
            "config.hcl:1:1: task should be configured with a condition block");
  // CTS's placeholder type, written out, monitors nothing either (see README: CTS misses it).
  EXPECT_EQ(load_error(task("", "\"web\"", "condition \"no-condition\" {}\n")),
            "config.hcl:1:1: task should be configured with a condition block");
  // The deprecated services list is a condition of its own.
  EXPECT_EQ(load_error(task("", "\"web\"", "services = [\"web\"]\n")), "valid");
  EXPECT_EQ(load_error(task("services = [\"api\"]")),
            "config.hcl:4:3: task's `services` field and `condition 'services'` block both monitor \"services\" "
            "variable type. only one of these can be configured per task");
}

TEST(CtsValidate, ModuleAndEnterpriseOnlyFields) {
  EXPECT_EQ(load_error("task {\n  name = \"web\"\n  services = [\"a\"]\n}\n"),
            "config.hcl:1:1: module for the task is required");
  EXPECT_EQ(load_error(task("source = \"legacy\"")), "valid");
  EXPECT_EQ(load_error(task("terraform_version = \"1.0.0\"")),
            "config.hcl:7:23: unsupported configuration 'terraform_version' for task \"web\". This option is "
            "available for Consul-Terraform-Sync Enterprise when using the Terraform Cloud driver, or configure "
            "the Terraform client version within the Terraform driver block");
  EXPECT_EQ(load_error(task("terraform_cloud_workspace {\n    execution_mode = \"remote\"\n  }")),
            "config.hcl:7:3: unsupported configuration 'terraform_cloud_workspace' for task \"web\". This option "
            "is available for Consul-Terraform-Sync Enterprise when using the Terraform Cloud driver");
  EXPECT_EQ(load_error(task("terraform_cloud_workspace {}")), "valid");
}

TEST(CtsValidate, OneProviderInstancePerTask) {
  EXPECT_EQ(load_error(task("providers = [\"aws\", \"aws.east\"]")),
            "config.hcl:7:15: only one provider instance per task");
}

TEST(CtsValidate, ServicesCondition) {
  const auto with = [](std::string_view body) {
    return load_error(task("", "\"web\"", "condition \"services\" {\n    " + std::string(body) + "\n  }\n"));
  };
  EXPECT_EQ(with("datacenter = \"dc1\""),
            "config.hcl:4:3: error validating `condition \"services\"` block: either the regexp or names field "
            "must be configured");
  EXPECT_EQ(with("names = [\"a\"]\n    regexp = \"a\""),
            "config.hcl:6:14: error validating `condition \"services\"` block: regexp and names fields cannot both "
            "be unconfigured. If both are needed, consider including the list of names as part of the regex or "
            "creating separate tasks");
  EXPECT_EQ(with("regexp = \"web(\""),
            "config.hcl:5:14: error validating `condition \"services\"` block: unable to compile services regexp: "
            "error parsing regexp: missing closing ): `web(`");
  EXPECT_EQ(with("names = [\"a\", \"\"]"),
            "config.hcl:5:13: error validating `condition \"services\"` block: names field includes empty "
            "string(s). services names cannot be empty");
  EXPECT_EQ(with("regexp = \"\""), "valid");
  EXPECT_EQ(with("names = []\n    regexp = \".*\""), "valid");
}

TEST(CtsValidate, CatalogServicesConsulKvAndScheduleConditions) {
  const auto with = [](std::string_view condition) { return load_error(task("", "\"web\"", condition)); };
  EXPECT_EQ(with("condition \"catalog-services\" {}\n"), "config.hcl:4:3: catalog-services 'regexp' field must be set");
  EXPECT_EQ(with("condition \"catalog-services\" {\n    regexp = \"a**\"\n  }\n"),
            "config.hcl:5:14: unable to compile catalog-services 'regexp': error parsing regexp: invalid nested "
            "repetition operator: `**`");
  EXPECT_EQ(with("condition \"consul-kv\" {}\n"), "config.hcl:4:3: path is required for consul-kv condition");
  EXPECT_EQ(with("condition \"consul-kv\" {\n    path = \"\"\n  }\n"),
            "config.hcl:5:12: path is required for consul-kv condition");
  EXPECT_EQ(with("condition \"schedule\" {}\n"), "config.hcl:4:3: cron config is required for schedule condition");
  EXPECT_EQ(with("condition \"schedule\" {\n    cron = \"* * *\"\n  }\n"),
            "config.hcl:5:12: unable to parse schedule condition's cron config \"* * *\": missing field(s). for "
            "more information on writing cron expressions, see https://github.com/hashicorp/cronexpr");
  EXPECT_EQ(with("condition \"schedule\" {\n    cron = \"61 * * * *\"\n  }\n"),
            "config.hcl:5:12: unable to parse schedule condition's cron config \"61 * * * *\": syntax error in "
            "minute field: '61'. for more information on writing cron expressions, see "
            "https://github.com/hashicorp/cronexpr");
  EXPECT_EQ(with("condition \"schedule\" {\n    cron = \"*/0 * * * *\"\n  }\n"),
            "config.hcl:5:12: unable to parse schedule condition's cron config \"*/0 * * * *\": invalid interval "
            "*/0. for more information on writing cron expressions, see https://github.com/hashicorp/cronexpr");
  EXPECT_EQ(with("condition \"schedule\" {\n    cron = \"@daily\"\n  }\n"), "valid");
}

TEST(CtsValidate, ModuleInputs) {
  EXPECT_EQ(load_error(task("module_input \"consul-kv\" {\n    path = \"a\"\n  }\n  module_input \"consul-kv\" {\n"
                            "    path = \"b\"\n  }")),
            "config.hcl:10:3: more than one 'module_input' block for the \"consul_kv\" variable. variable types must "
            "be unique");
  EXPECT_EQ(load_error(task("module_input \"services\" {\n    names = [\"api\"]\n  }")),
            "config.hcl:4:3: task's condition block and module_input block both monitor \"services\" variable type. "
            "condition and module_input variable type must be unique");
  EXPECT_EQ(load_error(task("module_input \"services\" {\n    names = [\"api\"]\n  }", "\"web\"",
                            "services = [\"web\"]\n")),
            "config.hcl:1:1: task's `services` field and `module_input 'services'` block both monitor \"services\" "
            "variable type. only one of these can be configured per task");
  // source_input (deprecated) joins module_input when finalized.
  EXPECT_EQ(load_error(task("source_input \"services\" {\n    names = [\"api\"]\n  }")),
            "config.hcl:4:3: task's condition block and module_input block both monitor \"services\" variable type. "
            "condition and module_input variable type must be unique");
  // CTS never validates a module_input's own fields.
  EXPECT_EQ(load_error(task("module_input \"consul-kv\" {}")), "valid");
}

TEST(CtsValidate, BufferPeriod) {
  EXPECT_EQ(load_error("buffer_period {\n  min = \"-5s\"\n}\n"), "config.hcl:2:9: buffer_period: cannot be negative");
  EXPECT_EQ(load_error(task("buffer_period {\n    max = \"-1s\"\n    min = \"1s\"\n  }")), "valid");  // max raised to min
  EXPECT_EQ(load_error(task("buffer_period {\n    min = \"-1s\"\n  }")), "config.hcl:8:11: buffer_period: cannot be negative");
  // Finalize raises max to min, so only an unfinalized configuration shows this one.
  Config config;
  config.buffer_period = BufferPeriodConfig{.enabled = true, .min = Duration(std::chrono::seconds(10)), .max = Duration(std::chrono::seconds(5))};
  EXPECT_EQ(hcl::to_string(*validate_buffer_period(config.buffer_period)), "buffer_period: min must be less than max");
}

TEST(CtsValidate, Driver) {
  EXPECT_EQ(load_error("driver \"terraform\" {\n  version = \"1.2\"\n}\n"),
            "config.hcl:2:13: provide the exact Terraform version to install: 1.2");
  EXPECT_EQ(load_error("driver \"terraform\" {\n  version = \"latest\"\n}\n"), "config.hcl:2:13: Malformed version: latest");
  EXPECT_EQ(load_error("driver \"terraform\" {\n  version = \"0.12.31\"\n}\n"),
            "config.hcl:2:13: Terraform version is not supported by Consul-Terraform-Sync, try updating to a "
            "different version (>= 0.13.0, <= 1.14.3): 0.12.31");
  EXPECT_EQ(load_error("driver \"terraform\" {\n  version = \"1.5.0-beta1\"\n}\n"),
            "config.hcl:2:13: Terraform version is not supported by Consul-Terraform-Sync, try updating to a "
            "different version (>= 0.13.0, <= 1.14.3): 1.5.0-beta1");
  EXPECT_EQ(load_error("driver \"terraform\" {\n  version = \"v1.14.3\"\n}\n"), "valid");
  EXPECT_EQ(load_error("driver \"terraform\" {\n  backend \"http\" {}\n}\n"),
            "config.hcl:2:11: unsupported Terraform backend by Sync \"http\"");
  EXPECT_EQ(load_error("driver \"terraform\" {\n  backend \"local\" {\n    path = \"x\"\n  }\n}\n"), "valid");
}

TEST(CtsValidate, DeprecatedServiceBlocks) {
  EXPECT_EQ(load_error("service {\n  description = \"d\"\n}\n"),
            "config.hcl:1:1: logical name for the Consul service is required");
  EXPECT_EQ(load_error("service {\n  name = \"a\"\n}\nservice {\n  name = \"a\"\n}\n"),
            "config.hcl:5:10: unique service IDs are required: a");
  EXPECT_EQ(load_error("service {\n  name = \"a\"\n}\nservice {\n  name = \"a\"\n  id = \"a2\"\n}\n"), "valid");
}

TEST(CtsValidate, TerraformProviders) {
  EXPECT_EQ(load_error("terraform_provider \"aws\" {}\nterraform_provider \"aws\" {}\n"),
            "config.hcl:2:1: duplicate provider configuration: aws");
  EXPECT_EQ(load_error("terraform_provider \"aws\" {}\nterraform_provider \"aws\" {\n  alias = \"b\"\n}\n"), "valid");
  EXPECT_EQ(load_error(R"({"terraform_provider": [{"aws": {}, "gcp": {}}]})", "c.json"),
            "c.json:1:25: unexpected terraform_provider block labels: aws,gcp");
  EXPECT_EQ(load_error(R"({"terraform_provider": [{}, {"a": {}}]})", "c.json"),
            "c.json:1:25: missing provider name for the terraform_provider block");
  EXPECT_EQ(load_error(R"({"terraform_provider": {"aws": "x"}})", "c.json"),
            "c.json:1:32: unexpected terraform_provider block format");
  EXPECT_EQ(load_error("terraform_provider \"aws\" {\n  task_env = \"x\"\n}\n"),
            "config.hcl:2:14: unexpected task_env block format: task_env should be a map of strings");
  EXPECT_EQ(load_error("terraform_provider \"aws\" {\n  task_env {\n    A = 1\n  }\n}\n"),
            "config.hcl:3:9: unexpected task_env block format: value for \"A\" should be a string");
}

TEST(CtsValidate, AutoCommitProviderServesOneTask) {
  const std::string providers = "terraform_provider \"git\" {\n  auto_commit = true\n}\n";
  const std::string a = task("providers = [\"git\"]", "\"a\"");
  const std::string b = task("providers = [\"git\"]", "\"b\"");
  EXPECT_EQ(load_error(providers + a), "valid");
  EXPECT_EQ(load_error(providers + a + b), "config.hcl:18:15: provider with autocommit (git) cannot be used by more than one task");
}

TEST(CtsValidate, DynamicConfiguration) {
  EXPECT_EQ(load_error("terraform_provider \"aws\" {\n  token = \"{{ with secret \\\"kv/x\\\" }}{{ .Data.t }}{{ end }}\"\n}\n"),
            "config.hcl:1:1: detected dynamic configuration using Vault: missing Vault configuration");
  EXPECT_EQ(load_error("vault {\n  address = \"https://vault\"\n}\nterraform_provider \"aws\" {\n"
                       "  token = \"{{ with secret \\\"kv/x\\\" }}{{ end }}\"\n}\n"),
            "valid");
  EXPECT_EQ(load_error("terraform_provider \"aws\" {\n  token = \"{{ env \\\"TOKEN\\\" }}\"\n}\n"), "valid");
  EXPECT_EQ(load_error("consul {\n  address = \"{{ key \\\"addr\\\" }}\"\n}\n"),
            "config.hcl:2:13: dynamic configuration using template syntax is only supported for terraform_provider "
            "blocks");
}

TEST(CtsValidate, CtsApiTls) {
  EXPECT_EQ(load_error("tls {\n  enabled = true\n}\n"),
            "config.hcl:2:13: key and cert are required if TLS is enabled on the CTS API");
  EXPECT_EQ(load_error("tls {\n  enabled = false\n  cert = \"c.pem\"\n}\n"),
            "config.hcl:3:10: key is required if cert is configured for TLS on the CTS API");
  EXPECT_EQ(load_error("tls {\n  cert = \"c.pem\"\n  key = \"k.pem\"\n  verify_incoming = true\n}\n"),
            "config.hcl:4:21: either ca_cert or ca_path is required if verify_incoming is enabled on the CTS API");
  EXPECT_EQ(load_error("tls {\n  cert = \"c.pem\"\n  key = \"k.pem\"\n}\n"), "valid");
}

TEST(CtsValidate, DefaultCheckAddress) {
  const auto with = [](std::string_view address) {
    return load_error("consul {\n  service_registration {\n    default_check {\n      address = \"" + std::string(address) +
                      "\"\n    }\n  }\n}\n");
  };
  EXPECT_EQ(with("cts:8558"), "config.hcl:4:17: default check address must include scheme (http or https)");
  EXPECT_EQ(with("http://[::1"),
            "config.hcl:4:17: error with address for default check: parse \"http://[::1\": missing ']' in host");
  EXPECT_EQ(with("http://cts:port"),
            "config.hcl:4:17: error with address for default check: parse \"http://cts:port\": invalid port \":port\" "
            "after host");
  EXPECT_EQ(with("httpcts"), "config.hcl:4:17: error with address for default check: parse \"httpcts\": invalid URI for request");
  EXPECT_EQ(with("https://cts.example.com:8558"), "valid");
}

TEST(CtsValidate, HighAvailability) {
  EXPECT_EQ(load_error("high_availability {\n  instance {}\n}\n"), "config.hcl:1:1: high_availability.cluster.name is required");
  EXPECT_EQ(load_error("high_availability {\n  cluster {\n    name = \"\"\n  }\n}\n"),
            "config.hcl:3:12: high_availability.cluster.name is required");
  const auto storage = [](std::string_view body) {
    return load_error("high_availability {\n  cluster {\n    name = \"c\"\n    storage \"consul\" {\n      " +
                      std::string(body) + "\n    }\n  }\n}\n");
  };
  EXPECT_EQ(storage("session_ttl = \"0s\""),
            "config.hcl:5:21: high_availability.cluster.storage \"consul\": session_ttl must be more than 0s and at most "
            "24h0m0s, got 0s");
  EXPECT_EQ(storage("session_ttl = \"25h\""),
            "config.hcl:5:21: high_availability.cluster.storage \"consul\": session_ttl must be more than 0s and at most "
            "24h0m0s, got 25h0m0s");
  EXPECT_EQ(storage("session_ttl = \"5s\""), "valid") << "below Consul's default session_ttl_min: Consul decides";
  EXPECT_EQ(storage("renew_interval = \"15s\""),
            "config.hcl:5:24: high_availability.cluster.storage \"consul\": renew_interval must be more than 0s and "
            "less than session_ttl (15s), got 15s");
  EXPECT_EQ(storage("renew_interval = \"0s\""),
            "config.hcl:5:24: high_availability.cluster.storage \"consul\": renew_interval must be more than 0s and "
            "less than session_ttl (15s), got 0s");
  EXPECT_EQ(storage("lock_delay = \"61s\""),
            "config.hcl:5:20: high_availability.cluster.storage \"consul\": lock_delay must be between 0s and 1m0s, "
            "got 1m1s");
  EXPECT_EQ(storage("session_ttl = \"10s\"\n      renew_interval = \"9s\"\n      lock_delay = \"60s\""), "valid");
}

TEST(CtsValidate, NoConfigurationFiles) {
  const auto loaded = load_config({ConfigPath{"notes.txt", false, {ConfigFile{"notes.txt", "log_level = 1"}}}},
                                  testing::test_environment());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(hcl::to_string(loaded.error()), "no configuration files found");
}

}  // namespace
}  // namespace baton::config::cts
