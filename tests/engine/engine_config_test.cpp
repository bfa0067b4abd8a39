// engine/controller/engine_config: a CTS configuration file in, the tasks and HA options the
// engine runs out, converted as CTS's newDriverTask and configureRootModuleInput do.
#include "engine/controller/engine_config.hpp"

#include <gtest/gtest.h>

#include "engine/config/cts/load.hpp"
#include "engine/driver/terraform/module_variables.hpp"
#include "sim/filesystem/memory_filesystem.hpp"

namespace baton::controller {
namespace {

namespace cts = config::cts;
namespace hcl = config::hcl;
namespace tf = driver::terraform;
using namespace std::chrono_literals;

cts::Config load(const std::string& text) {
  cts::Environment environment;
  environment.hostname = "host-1";
  environment.working_directory = "/srv/cts";
  auto loaded = cts::load_config({cts::ConfigPath{"config.hcl", false, {cts::ConfigFile{"config.hcl", text}}}}, environment);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : hcl::to_string(loaded.error()));
  return loaded.ok() ? loaded.value() : cts::Config{};
}

struct Converted {
  sim::MemoryFileSystem files;
  std::optional<EngineConfig> engine;
  std::string error;
};

void convert(Converted& out, const std::string& text) {
  auto converted = engine_config(load(text), out.files, "/srv/cts");
  if (converted.ok()) {
    out.engine = std::move(converted.value());
  } else {
    out.error = hcl::to_string(converted.error());
  }
}

TEST(EngineConfig, SeedHighAvailabilityBlockGivesTheElectionOptions) {
  Converted c;
  convert(c, R"(
id = "cts-01"
high_availability {
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
task {
  name = "web"
  module = "./modules/web"
  condition "services" { names = ["web", "api"] }
}
)");
  ASSERT_TRUE(c.engine) << c.error;
  EXPECT_TRUE(c.engine->high_availability);
  const ha::LeaderElectionOptions& election = c.engine->options.election;
  EXPECT_EQ(election.cluster_name, "cts-cluster");
  EXPECT_EQ(election.instance_id, "cts-01");
  EXPECT_EQ(election.instance_address, "cts-01.example.com");
  EXPECT_EQ(election.parent_path, "cts/cts-cluster");
  EXPECT_EQ(election.session_ttl, Duration(30s));
  EXPECT_EQ(election.effective_renew_interval(), Duration(15s));
  EXPECT_EQ(election.lock_delay, Duration::zero());

  ASSERT_EQ(c.engine->tasks.size(), 1u);
  const TaskSpec& web = c.engine->tasks[0];
  EXPECT_EQ(web.input.name, "web");
  EXPECT_EQ(web.input.module_source, "/srv/cts/modules/web");  // local modules become absolute
  EXPECT_EQ(web.working_dir, "sync-tasks/web");
  EXPECT_TRUE(web.enabled);
  EXPECT_TRUE(web.buffer.enabled);
  EXPECT_EQ(web.buffer.min, Duration(5s));
  EXPECT_EQ(web.buffer.max, Duration(20s));
  ASSERT_EQ(web.input.templates.size(), 1u);
  const auto& services = std::get<tf::ServicesTemplate>(web.input.templates[0]);
  ASSERT_EQ(services.services.size(), 2u);
  EXPECT_EQ(services.services[0].name, "web");
  EXPECT_EQ(services.services[1].name, "api");
  EXPECT_TRUE(services.render_var);
  // finalize's default backend: Consul KV beside the tasks.
  ASSERT_TRUE(web.input.backend);
  EXPECT_EQ(web.input.backend->type, "consul");
  EXPECT_EQ(web.input.backend->arguments.at("address"), tf::Value::string("localhost:8500"));
  EXPECT_EQ(web.input.backend->arguments.at("path"), tf::Value::string("consul-terraform-sync/terraform"));
}

TEST(EngineConfig, WithoutHighAvailabilityTheElectionIsUnconfigured) {
  Converted c;
  convert(c, R"(task {
  name = "t"
  module = "org/mod/aws"
  version = "1.2.0"
  condition "consul-kv" {
    path = "app/config"
    recurse = true
    use_as_module_input = false
  }
})");
  ASSERT_TRUE(c.engine) << c.error;
  EXPECT_FALSE(c.engine->high_availability);
  EXPECT_EQ(c.engine->options.election.instance_id, "cts-host-1");
  const TaskSpec& task = c.engine->tasks.at(0);
  EXPECT_EQ(task.input.module_source, "org/mod/aws");  // registry modules stay as written
  EXPECT_EQ(task.input.module_version, "1.2.0");
  const auto& kv = std::get<tf::ConsulKvTemplate>(task.input.templates.at(0));
  EXPECT_EQ(kv.path, "app/config");
  EXPECT_TRUE(kv.recurse);
  EXPECT_FALSE(kv.render_var);
}

TEST(EngineConfig, TemplatesFollowCtsOrderServicesListConditionThenModuleInputs) {
  Converted c;
  convert(c, R"(
service {
  id = "web-id"
  name = "web"
  datacenter = "dc2"
  cts_user_defined_meta = { owner = "team-a" }
}
task {
  name = "t"
  module = "m"
  services = ["web-id", "db"]
  condition "catalog-services" {
    regexp = "^web"
    node_meta = { rack = "r1" }
  }
  module_input "consul-kv" { path = "k" }
}
)");
  ASSERT_TRUE(c.engine) << c.error;
  const std::vector<tf::Template>& templates = c.engine->tasks.at(0).input.templates;
  ASSERT_EQ(templates.size(), 3u);
  const auto& listed = std::get<tf::ServicesTemplate>(templates[0]);
  ASSERT_EQ(listed.services.size(), 2u);
  EXPECT_EQ(listed.services[0].name, "web");  // the service block's name, found by id
  EXPECT_EQ(listed.services[0].datacenter, "dc2");
  EXPECT_EQ(listed.services[1].name, "db");  // no block: a plain service name
  const auto& catalog = std::get<tf::CatalogServicesTemplate>(templates[1]);
  EXPECT_EQ(catalog.regexp, "^web");
  EXPECT_EQ(catalog.node_meta.at("rack"), "r1");
  EXPECT_EQ(std::get<tf::ConsulKvTemplate>(templates[2]).path, "k");
}

TEST(EngineConfig, UserMetaComesFromTheConditionForEveryService) {
  Converted c;
  convert(c, R"(task {
  name = "t"
  module = "m"
  condition "services" {
    regexp = ".*"
    cts_user_defined_meta = { env = "prod" }
  }
})");
  ASSERT_TRUE(c.engine) << c.error;
  const tasks::UserMeta& meta = c.engine->tasks.at(0).user_meta;
  EXPECT_EQ(meta.for_service("anything").at("env"), "prod");
}

TEST(EngineConfig, UserMetaFromDeprecatedServiceBlocksIsPerService) {
  Converted c;
  convert(c, R"(
service {
  id = "w"
  name = "web"
  cts_user_defined_meta = { owner = "a" }
}
task {
  name = "t"
  module = "m"
  services = ["w", "db"]
})");
  ASSERT_TRUE(c.engine) << c.error;
  const tasks::UserMeta& meta = c.engine->tasks.at(0).user_meta;
  EXPECT_EQ(meta.for_service("web").at("owner"), "a");
  EXPECT_TRUE(meta.for_service("db").empty());
}

TEST(EngineConfig, ProvidersAreFoundByNameAndAliasWithTheirRequiredProvidersOnly) {
  Converted c;
  convert(c, R"(
driver "terraform" {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.0.0" }
    null = { source = "hashicorp/null" }
  }
}
terraform_provider "aws" {
  region = "us-east-1"
}
terraform_provider "aws" {
  alias = "west"
  region = "us-west-2"
}
task {
  name = "t"
  module = "m"
  providers = ["aws.west", "local"]
  condition "services" { names = ["web"] }
}
)");
  ASSERT_TRUE(c.engine) << c.error;
  const tf::TaskInput& input = c.engine->tasks.at(0).input;
  ASSERT_EQ(input.providers.size(), 2u);
  EXPECT_EQ(input.providers[0].name, "aws");
  EXPECT_EQ(input.providers[0].arguments.at("region"), tf::Value::string("us-west-2"));
  EXPECT_EQ(input.providers[1].name, "local");  // unknown: an empty block, as CTS's getProvider
  EXPECT_TRUE(input.providers[1].arguments.empty());
  ASSERT_EQ(input.required_providers.size(), 1u);
  EXPECT_TRUE(input.required_providers.count("aws"));
}

TEST(EngineConfig, VariableFilesAreReadAndLaterFilesWin) {
  Converted c;
  c.files.make_directories("/srv/cts");
  c.files.write_file("/srv/cts/a.tfvars", "size = 3\nnames = [\"x\", \"y\"]\n");
  c.files.write_file("/srv/cts/b.tfvars", "size = 4.50\ntags = { team = \"a\" }\n");
  convert(c, R"(task {
  name = "t"
  module = "m"
  variable_files = ["/srv/cts/a.tfvars", "/srv/cts/b.tfvars"]
  condition "services" { names = ["web"] }
})");
  ASSERT_TRUE(c.engine) << c.error;
  const auto& variables = c.engine->tasks.at(0).input.variables;
  ASSERT_EQ(variables.size(), 3u);
  EXPECT_EQ(variables.at("size"), *tf::Value::decimal("4.50"));
  EXPECT_EQ(variables.at("names"), tf::Value::tuple({tf::Value::string("x"), tf::Value::string("y")}));
  EXPECT_EQ(variables.at("tags"), tf::Value::object({{"team", tf::Value::string("a")}}));
}

TEST(EngineConfig, MissingVariableFileIsAnErrorNamingIt) {
  Converted c;
  convert(c, R"(task {
  name = "t"
  module = "m"
  variable_files = ["/nope.tfvars"]
  condition "services" { names = ["web"] }
})");
  EXPECT_FALSE(c.engine);
  EXPECT_EQ(c.error, "config.hcl:4:20: open /nope.tfvars: no such file or directory");
}

TEST(EngineConfig, VariableFileSyntaxErrorNamesFileLineAndColumn) {
  Converted c;
  c.files.write_file("v.tfvars", "a = 1\nprovider \"aws\" {}\n");
  convert(c, R"(task {
  name = "t"
  module = "m"
  variable_files = ["v.tfvars"]
  condition "services" { names = ["web"] }
})");
  EXPECT_FALSE(c.engine);
  EXPECT_EQ(c.error, "v.tfvars:2:1: Unexpected \"provider\" block; Blocks are not allowed here.");
}

TEST(EngineConfig, ScheduleConditionMakesNoTemplateAndTurnsBufferingOff) {
  Converted c;
  convert(c, R"(task {
  name = "t"
  module = "m"
  enabled = false
  condition "schedule" { cron = "*/10 * * * *" }
  module_input "services" { regexp = "^api" }
})");
  ASSERT_TRUE(c.engine) << c.error;
  const TaskSpec& task = c.engine->tasks.at(0);
  EXPECT_FALSE(task.enabled);
  EXPECT_FALSE(task.buffer.enabled);
  EXPECT_EQ(task.input.schedule_cron, "*/10 * * * *");
  ASSERT_EQ(task.input.templates.size(), 1u);
  const auto& regexp = std::get<tf::ServicesRegexTemplate>(task.input.templates[0]);
  EXPECT_EQ(regexp.regexp, "^api");
  EXPECT_TRUE(regexp.render_var);  // module_input always renders
}

TEST(ModuleVariables, LiteralsOfEveryKind) {
  auto parsed = tf::parse_module_variables("x.tfvars", R"(
s = "a\tb"
n = 0.10
i = 0x1F
b = true
l = [1, "two", false]
o = { k = "v", nested = { deep = 1 } }
)");
  ASSERT_TRUE(parsed.ok()) << hcl::to_string(parsed.error());
  const tf::ModuleVariables& v = parsed.value();
  EXPECT_EQ(v.at("s"), tf::Value::string("a\tb"));
  EXPECT_EQ(v.at("n"), *tf::Value::decimal("0.10"));
  EXPECT_EQ(v.at("i"), tf::Value::integer(31));
  EXPECT_EQ(v.at("b"), tf::Value::boolean(true));
  EXPECT_EQ(v.at("l"), tf::Value::tuple({tf::Value::integer(1), tf::Value::string("two"), tf::Value::boolean(false)}));
  EXPECT_EQ(v.at("o"), tf::Value::object({{"k", tf::Value::string("v")}, {"nested", tf::Value::object({{"deep", tf::Value::integer(1)}})}}));
}

TEST(ModuleVariables, SyntaxErrorsCarryThePosition) {
  auto parsed = tf::parse_module_variables("x.tfvars", "a = \"unterminated\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().file, "x.tfvars");
  EXPECT_EQ(parsed.error().line, 1);
}

TEST(ModuleVariables, JsonTextAsCtsKeepsVariables) {
  auto value = tf::module_variable_from_json("task t: variable v", R"({"a":[1,2.5],"b":"x"})");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value.value(), tf::Value::object({{"a", tf::Value::tuple({tf::Value::integer(1), *tf::Value::decimal("2.5")})},
                                              {"b", tf::Value::string("x")}}));
  auto bad = tf::module_variable_from_json("task t: variable v", "{nope");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(hcl::to_string(bad.error()), "task t: variable v: not a JSON value: {nope");
}

}  // namespace
}  // namespace baton::controller
