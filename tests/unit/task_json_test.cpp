// engine/api/model: the API's Task object as CTS v0.9.0's api/representation.go converts it,
// the request validator's errors (kin-openapi over api/openapi.yaml), and `task create`'s file.
#include <gtest/gtest.h>

#include <variant>

#include "engine/api/model/go_json.hpp"
#include "engine/api/model/task_json.hpp"
#include "engine/config/cts/load.hpp"

namespace baton::api::model {
namespace {

namespace cts = config::cts;
using nlohmann::json;
using namespace std::chrono_literals;

TaskConfig full_task() {
  TaskConfig task;
  task.name = std::string("web");
  task.description = std::string("a task");
  task.module = std::string("org/example/module");
  task.version = std::string("1.0.0");
  task.enabled = true;
  task.providers = cts::StringList{"local", "null"};
  task.variables = cts::StringMap{{"greeting", "\"hi\""}};
  cts::ServicesCondition condition;
  condition.monitor.names = cts::StringList{"api", "web"};
  condition.monitor.datacenter = std::string("dc1");
  condition.monitor.namespace_name = std::string("ns");
  condition.monitor.filter = std::string("Service.Tags contains \"x\"");
  condition.monitor.cts_user_defined_meta = cts::StringMap{{"k", "v"}};
  condition.use_as_module_input = true;
  task.condition = cts::Condition(condition);
  cts::ConsulKvModuleInput kv;
  kv.monitor.path = std::string("key");
  kv.monitor.recurse = false;
  kv.monitor.datacenter = std::string("dc2");
  task.module_inputs = std::vector<cts::ModuleInputConfig>{cts::ModuleInputConfig{kv, {}}};
  cts::BufferPeriodConfig period;
  period.enabled = true;
  period.min = Duration(5s);
  period.max = Duration(60s);
  task.buffer_period = period;
  cts::TerraformCloudWorkspaceConfig workspace;
  workspace.execution_mode = std::string("agent");
  task.terraform_cloud_workspace = workspace;
  task.terraform_version = std::string("1.5.0");
  return task;
}

TEST(TaskJson, EveryFieldAsCtsWritesIt) {
  EXPECT_EQ(go_json_marshal(task_to_json(full_task())),
            R"({"buffer_period":{"enabled":true,"max":"1m0s","min":"5s"},)"
            R"("condition":{"services":{"cts_user_defined_meta":{"k":"v"},"datacenter":"dc1",)"
            R"("filter":"Service.Tags contains \"x\"","names":["api","web"],"namespace":"ns","use_as_module_input":true}},)"
            R"("description":"a task","enabled":true,"module":"org/example/module",)"
            R"("module_input":{"consul_kv":{"datacenter":"dc2","path":"key","recurse":false}},)"
            R"("name":"web","providers":["local","null"],"terraform_cloud_workspace":{"execution_mode":"agent"},)"
            R"("terraform_version":"1.5.0","variables":{"greeting":"\"hi\""},"version":"1.0.0"})");
}

TEST(TaskJson, EmptiesOmittedNameModuleConditionKept) {
  TaskConfig task;
  EXPECT_EQ(go_json_marshal(task_to_json(task)), R"({"condition":{},"module":"","name":""})");
  task.terraform_version = std::string("");  // an empty terraform_version is not shown
  task.terraform_cloud_workspace = cts::TerraformCloudWorkspaceConfig{};
  EXPECT_EQ(go_json_marshal(task_to_json(task)), R"({"condition":{},"module":"","name":""})");
}

TEST(TaskJson, OtherConditionsAndRegexp) {
  TaskConfig task;
  task.name = std::string("t");
  task.module = std::string("m");
  cts::CatalogServicesCondition catalog;
  catalog.regexp = std::string("web.*");
  catalog.use_as_module_input = false;
  catalog.node_meta = cts::StringMap{};
  task.condition = cts::Condition(catalog);
  EXPECT_EQ(task_to_json(task)["condition"].dump(),
            R"({"catalog_services":{"node_meta":{},"regexp":"web.*","use_as_module_input":false}})");
  cts::ConsulKvCondition kv;
  kv.monitor.path = std::string("p");
  kv.monitor.recurse = true;
  kv.use_as_module_input = true;
  task.condition = cts::Condition(kv);
  EXPECT_EQ(task_to_json(task)["condition"].dump(),
            R"({"consul_kv":{"path":"p","recurse":true,"use_as_module_input":true}})");
  cts::ScheduleCondition schedule;
  schedule.cron = std::string("* * * * Mon");
  task.condition = cts::Condition(schedule);
  EXPECT_EQ(task_to_json(task)["condition"].dump(), R"({"schedule":{"cron":"* * * * Mon"}})");
  cts::ServicesCondition services;
  services.monitor.regexp = std::string("^api$");
  services.monitor.names = cts::StringList{};  // empty names: the regexp is shown
  task.condition = cts::Condition(services);
  EXPECT_EQ(task_to_json(task)["condition"].dump(), R"({"services":{"regexp":"^api$"}})");
}

TEST(TaskJson, DeprecatedServicesShownAsConditionOrModuleInput) {
  TaskConfig task;
  task.services = cts::StringList{"api"};
  task.condition = cts::Condition(cts::NoCondition{});
  EXPECT_EQ(task_to_json(task)["condition"].dump(), R"({"services":{"names":["api"],"use_as_module_input":true}})");
  cts::ScheduleCondition schedule;
  schedule.cron = std::string("@daily");
  task.condition = cts::Condition(schedule);
  EXPECT_EQ(task_to_json(task)["module_input"].dump(), R"({"services":{"names":["api"]}})");
}

TEST(TaskJson, RoundTripThroughARequest) {
  const TaskConfig task = full_task();
  const std::string body = go_json_marshal(task_request_to_json(task));
  auto decoded = decode_task_request(body);
  ASSERT_TRUE(std::holds_alternative<TaskConfig>(decoded)) << std::get<TaskDecodeError>(decoded).message;
  EXPECT_EQ(std::get<TaskConfig>(decoded), task);
  EXPECT_EQ(task_to_json(std::get<TaskConfig>(decoded)), task_to_json(task));
}

TEST(TaskJson, OpenApiExampleWithValidatorDefaults) {
  const std::string body = R"({"task":{"condition":{"services":{"names":["web","api"]}},"description":"A basic task",)"
                           R"("name":"taskC","providers":[],"module":"org/example/module",)"
                           R"("variables":{"var1":"example.field"},"version":"1.0.0",)"
                           R"("module_input":{"consul_kv":{"path":"k"}}}})";
  auto decoded = decode_task_request(body);
  ASSERT_TRUE(std::holds_alternative<TaskConfig>(decoded)) << std::get<TaskDecodeError>(decoded).message;
  const TaskConfig& task = std::get<TaskConfig>(decoded);
  EXPECT_EQ(*task.name, "taskC");
  EXPECT_EQ(*task.enabled, true);  // the schema's default
  EXPECT_TRUE(task.providers->empty());
  const auto& services = std::get<cts::ServicesCondition>(*task.condition);
  EXPECT_EQ(*services.monitor.names, (cts::StringList{"web", "api"}));
  EXPECT_EQ(*services.use_as_module_input, true);
  EXPECT_FALSE(services.monitor.regexp);
  const auto& kv = std::get<cts::ConsulKvModuleInput>((*task.module_inputs)[0].input);
  EXPECT_EQ(*kv.monitor.recurse, false);
  EXPECT_EQ(task.variables->at("var1"), "example.field");
}

TEST(TaskJson, BufferPeriodMissingBoundIsZero) {
  auto decoded = decode_task_request(
      R"({"task":{"name":"a","module":"m","condition":{"schedule":{"cron":"@daily"}},"buffer_period":{"min":"10s"}}})");
  ASSERT_TRUE(std::holds_alternative<TaskConfig>(decoded));
  const auto& period = *std::get<TaskConfig>(decoded).buffer_period;
  EXPECT_EQ(*period.min, Duration(10s));
  EXPECT_EQ(*period.max, Duration(0s));
  EXPECT_FALSE(period.enabled);
}

struct BadBody {
  std::string body;
  std::string message;
};

TEST(TaskJson, RefusedBodiesInCtsWords) {
  const std::string prefix = std::string("request body has an error: doesn't match schema #/components/schemas/TaskRequest: ");
  const std::string ok_task = R"("name":"a","module":"m","condition":{})";
  const std::vector<BadBody> cases = {
      {"", "request body has an error: value is required but missing"},
      {R"({"task":{)", "request body has an error: failed to decode request body: unexpected EOF"},
      {R"({"task":{}, "other":1})", prefix + R"(property "other" is unsupported)"},
      {R"({})", prefix + R"(Error at "/task": property "task" is missing)"},
      {R"({"task":{"zzz":1,)" + ok_task + "}}", prefix + R"(Error at "/task": property "zzz" is unsupported)"},
      {R"({"task":{"module":"m","condition":{}}})", prefix + R"(Error at "/task/name": property "name" is missing)"},
      {R"({"task":{"name":1,"module":"m","condition":{}}})", prefix + R"(Error at "/task/name": value must be a string)"},
      {R"({"task":{"description":null,)" + ok_task + "}}", prefix + R"(Error at "/task/description": Value is not nullable)"},
      {R"({"task":{"enabled":"yes",)" + ok_task + "}}", prefix + R"(Error at "/task/enabled": value must be a boolean)"},
      {R"({"task":{"providers":"p",)" + ok_task + "}}", prefix + R"(Error at "/task/providers": value must be an array)"},
      {R"({"task":{"name":"a","module":"m","condition":{"services":{"names":["a",2]}}}})",
       prefix + R"(Error at "/task/condition/services/names/1": value must be a string)"},
      {R"({"task":{"name":"a","module":"m","condition":{"catalog_services":{}}}})",
       prefix + R"(Error at "/task/condition/catalog_services/regexp": property "regexp" is missing)"},
      {R"({"task":{"name":"a","module":"m","condition":{"consul_kv":{"path":"p","nope":true}}}})",
       prefix + R"(Error at "/task/condition/consul_kv": property "nope" is unsupported)"},
      {R"({"task":{"variables":{"x":1},)" + ok_task + "}}", prefix + R"(Error at "/task/variables/x": value must be a string)"},
      {R"({"task":{"buffer_period":{"min":"5"},)" + ok_task + "}}",
       R"(error with task configuration: time: missing unit in duration "5")"},
      {R"({"task":{"buffer_period":{"max":"x"},)" + ok_task + "}}",
       R"(error with task configuration: time: invalid duration "x")"},
  };
  for (const BadBody& c : cases) {
    auto decoded = decode_task_request(c.body);
    ASSERT_TRUE(std::holds_alternative<TaskDecodeError>(decoded)) << c.body;
    EXPECT_EQ(std::get<TaskDecodeError>(decoded).message, c.message) << c.body;
  }
}

TEST(TaskJson, NullMetaValuesAreDropped) {
  auto decoded = decode_task_request(
      R"({"task":{"name":"a","module":"m","condition":{"services":{"regexp":"x","cts_user_defined_meta":{"a":null,"b":"c"}}}}})");
  ASSERT_TRUE(std::holds_alternative<TaskConfig>(decoded));
  const auto& services = std::get<cts::ServicesCondition>(*std::get<TaskConfig>(decoded).condition);
  EXPECT_EQ(*services.monitor.cts_user_defined_meta, (cts::StringMap{{"b", "c"}}));
}

TEST(TaskJson, DecodeTaskObjectPathsStartAtTask) {
  auto decoded = decode_task_object(json{{"name", "a"}, {"module", "m"}});
  ASSERT_TRUE(std::holds_alternative<TaskDecodeError>(decoded));
  EXPECT_EQ(std::get<TaskDecodeError>(decoded).message,
            "request body has an error: doesn't match schema #/components/schemas/TaskRequest: Error at "
            "\"/task/condition\": property \"condition\" is missing");
}

cts::ConfigPath file(const std::string& name, const std::string& text) {
  return cts::ConfigPath{name, false, {cts::ConfigFile{name, text}}};
}

TEST(TaskFile, ExactlyOneTask) {
  auto two = task_from_task_file("t.hcl", file("t.hcl", "task {\n name = \"a\"\n}\ntask {\n name = \"b\"\n}\n"));
  ASSERT_TRUE(std::holds_alternative<TaskFileError>(two));
  EXPECT_EQ(std::get<TaskFileError>(two).headline, "task file 't.hcl' cannot contain more than 1 task, contains 2 tasks");
  auto none = task_from_task_file("t.hcl", file("t.hcl", "log_level = \"INFO\"\n"));
  ASSERT_TRUE(std::holds_alternative<TaskFileError>(none));
  EXPECT_EQ(std::get<TaskFileError>(none).headline,
            "task file 't.hcl' does not contain a task, must contain at least one task");
  auto bad = task_from_task_file("t.hcl", file("t.hcl", "task {\n nme = \"a\"\n}\n"));
  ASSERT_TRUE(std::holds_alternative<TaskFileError>(bad));
  EXPECT_EQ(std::get<TaskFileError>(bad).headline, "unable to read task file");
  EXPECT_NE(std::get<TaskFileError>(bad).detail.find("nme"), std::string::npos);
}

TEST(TaskFile, HclAndJsonGiveTheSameRequest) {
  const std::string hcl = R"(task {
  name = "web"
  module = "org/m"
  providers = ["local"]
  condition "services" {
    names = ["api"]
  }
  buffer_period {
    min = "10s"
  }
}
)";
  const std::string json_text =
      R"({"task":[{"name":"web","module":"org/m","providers":["local"],"condition":{"services":{"names":["api"]}},)"
      R"("buffer_period":{"min":"10s"}}]})";
  auto from_hcl = task_from_task_file("t.hcl", file("t.hcl", hcl));
  auto from_json = task_from_task_file("t.json", file("t.json", json_text));
  ASSERT_TRUE(std::holds_alternative<TaskConfig>(from_hcl)) << std::get<TaskFileError>(from_hcl).detail;
  ASSERT_TRUE(std::holds_alternative<TaskConfig>(from_json)) << std::get<TaskFileError>(from_json).detail;
  TaskConfig task = std::get<TaskConfig>(from_hcl);
  ASSERT_TRUE(std::holds_alternative<std::monostate>(set_task_variables(task, {})));
  // Not finalized: no enabled, max 0s; variables {} after SetVariables.
  EXPECT_EQ(go_json_marshal(task_request_to_json(task)),
            R"({"task":{"buffer_period":{"max":"0s","min":"10s"},"condition":{"services":{"names":["api"]}},)"
            R"("module":"org/m","name":"web","providers":["local"],"variables":{}}})");
  EXPECT_EQ(task_to_json(std::get<TaskConfig>(from_json)), task_to_json(std::get<TaskConfig>(from_hcl)));
}

TEST(TaskFile, VariableFilesAsCtyJson) {
  TaskConfig task;
  const auto result = set_task_variables(
      task, {VariableFile{"v.tfvars", "a = \"x<y\"\nb = 3\nc = [\"p\", \"q\"]\nd = { k = true }\n"}});
  ASSERT_TRUE(std::holds_alternative<std::monostate>(result)) << std::get<std::string>(result);
  EXPECT_EQ(*task.variables, (cts::StringMap{{"a", R"("x\u003cy")"}, {"b", "3"}, {"c", R"(["p","q"])"}, {"d", R"({"k":true})"}}));
  const auto bad = set_task_variables(task, {VariableFile{"v.tfvars", "a = \n"}});
  ASSERT_TRUE(std::holds_alternative<std::string>(bad));
  EXPECT_EQ(std::get<std::string>(bad).rfind("v.tfvars:", 0), 0u);
}

TEST(TaskFile, DeprecationMessages) {
  TaskConfig task;
  EXPECT_TRUE(task_deprecation_messages(task).empty());
  task.source = std::string("org/m");
  task.services = cts::StringList{"a", "b"};
  const auto messages = task_deprecation_messages(task);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0][0].substr(0, 61), "the 'source' field in the task block is no longer supported \n");
  EXPECT_NE(messages[0][0].find("|  -   source =  \"org/m\"\n|  +   module =  \"org/m\"\n"), std::string::npos);
  ASSERT_EQ(messages[1].size(), 1u);
  EXPECT_NE(messages[1][0].find("  condition \"services\" {\n    names=[\"a\",\"b\"]\n  }"), std::string::npos);
}

TEST(GoJson, EscapesAndIndentAsGo) {
  EXPECT_EQ(go_json_string("<a&b>\u2028\b\f\x01\xff\"\\é"), R"("\u003ca\u0026b\u003e\u2028\b\f\u0001\ufffd\"\\é")");
  const json value = {{"b", json::array()}, {"a", {{"x", 1}, {"y", json::object()}}}};
  EXPECT_EQ(go_json_marshal_indent(value, "    ", "  "),
            "{\n      \"a\": {\n        \"x\": 1,\n        \"y\": {}\n      },\n      \"b\": []\n    }");
}

}  // namespace
}  // namespace baton::api::model
