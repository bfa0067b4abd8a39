// The REST API's handlers (engine/api) against a scripted backend: every endpoint, status code
// and error text of CTS v0.9.0's api/ package and of CTS Enterprise's HA behaviour
// (cts-behaviour.md "REST API" and "High availability"), run on a simulated process.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/api/api_handler.hpp"
#include "engine/api/go_json.hpp"
#include "engine/api/go_json_decode.hpp"
#include "sim/runtime/sim_log.hpp"
#include "sim/runtime/world.hpp"
#include "tests/support/consul_client_support.hpp"

namespace baton::api {
namespace {

using config::cts::TaskConfig;
using controller::TaskOpError;
using controller::TaskOpResult;
using consul::test::run_on;

TaskConfig task_named(const std::string& name, bool enabled = true) {
  TaskConfig task;
  task.name = name;
  task.module = "./modules/" + name;
  task.providers = std::vector<std::string>{"local"};
  task.enabled = enabled;
  return task;
}

tasks::TaskEvent event(const std::string& task, bool success, int second) {
  tasks::TaskEvent e;
  e.id = "event-" + std::to_string(second);
  e.task_name = task;
  e.success = success;
  e.start_time = WallTime(std::chrono::seconds(1'700'000'000 + second));
  e.end_time = WallTime(std::chrono::seconds(1'700'000'001 + second));
  if (!success) e.error = "apply failed";
  return e;
}

// A backend whose state the test sets, recording what the API asked of it.
class ScriptedBackend final : public ApiBackend {
 public:
  Leadership leadership() const override { return leadership_; }
  const std::map<std::string, TaskConfig>& tasks() const override { return tasks_; }
  const std::map<std::string, tasks::TaskEvents>& events() const override { return events_; }
  Task<std::variant<ClusterStatus, std::string>> cluster_status() override {
    if (!cluster_error.empty()) co_return cluster_error;
    co_return cluster;
  }
  std::optional<std::string> health() const override { return unhealthy; }
  Task<TaskOpResult> create_task(TaskConfig task, bool run_now) override {
    calls.push_back(std::string("create ") + (task.name ? *task.name : "") + (run_now ? " now" : ""));
    if (next_result.ok()) tasks_[*task.name] = task;
    co_return next_result;
  }
  Task<TaskOpResult> delete_task(std::string name) override {
    calls.push_back("delete " + name);
    if (next_result.ok()) tasks_.erase(name);
    co_return next_result;
  }
  Task<TaskOpResult> set_task_enabled(std::string name, bool enabled) override {
    calls.push_back((enabled ? "enable " : "disable ") + name);
    if (next_result.ok()) tasks_[name].enabled = enabled;
    co_return next_result;
  }
  Task<InspectOutcome> inspect_task(TaskConfig task) override {
    calls.push_back("inspect " + *task.name + (task.enabled && *task.enabled ? " enabled" : " disabled"));
    co_return inspect;
  }

  Leadership leadership_{.high_availability = true, .leading = true, .leader = std::nullopt};
  std::map<std::string, TaskConfig> tasks_;
  std::map<std::string, tasks::TaskEvents> events_;
  ClusterStatus cluster;
  std::string cluster_error;
  std::optional<std::string> unhealthy;
  TaskOpResult next_result;
  InspectOutcome inspect;
  std::vector<std::string> calls;
};

class ApiHandlerTest : public ::testing::Test {
 protected:
  ApiHandlerTest() {
    process_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24)); });
  }
  ~ApiHandlerTest() override { process_.crash(); }

  http::Response call(std::string method, std::string target, std::string body = {}) {
    return run_on(world_, process_, handler_.handle(http::Request{std::move(method), std::move(target), {}, std::move(body)}));
  }
  static nlohmann::json json_of(const http::Response& response) { return nlohmann::json::parse(response.body); }
  static std::string message_of(const http::Response& response) {
    return json_of(response)["error"]["message"].get<std::string>();
  }

  sim::World world_{sim::WorldOptions{.seed = 5}};
  sim::Node& process_ = world_.add_node({.name = "cts-01"});
  sim::SimLog log_{world_, sim::SimLogOptions{}};
  ScriptedBackend backend_;
  ApiHandler handler_{backend_, process_.rng(), log_.logger_for(process_).named("api"), ApiHandlerOptions{.port = 8558}};
};

TEST_F(ApiHandlerTest, OverallStatusCountsTasksByStatusAndEnabled) {
  backend_.tasks_ = {{"ok", task_named("ok")}, {"bad", task_named("bad")}, {"worse", task_named("worse")},
                     {"new", task_named("new", false)}};
  backend_.events_["ok"].add(event("ok", true, 1));
  backend_.events_["bad"].add(event("bad", false, 1));
  backend_.events_["worse"].add(event("worse", false, 1));
  backend_.events_["worse"].add(event("worse", false, 2));
  const http::Response response = call("GET", "/v1/status");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body,
            R"({"task_summary":{"status":{"successful":1,"errored":1,"critical":1,"unknown":1},"enabled":{"true":3,"false":1}}})"
            "\n");
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  EXPECT_EQ(call("POST", "/v1/status").status, 405);
  EXPECT_EQ(message_of(call("POST", "/v1/status")),
            "'POST' in an unsupported method. The overallStatus API currently supports the method(s): 'GET'");
}

TEST_F(ApiHandlerTest, TaskStatusFiltersIncludesEventsAndNamesUnknownTasks) {
  backend_.tasks_ = {{"web", task_named("web")}, {"db", task_named("db")}};
  backend_.events_["web"].add(event("web", true, 1));
  const nlohmann::json all = json_of(call("GET", "/v1/status/tasks"));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all["web"]["status"], "successful");
  EXPECT_EQ(all["web"]["events_url"], "/v1/status/tasks/web?include=events");
  EXPECT_FALSE(all["web"].contains("events"));
  EXPECT_EQ(all["db"]["status"], "unknown");
  EXPECT_EQ(all["db"]["events_url"], "");
  EXPECT_EQ(all["db"]["providers"], nlohmann::json::array({"local"}));

  const nlohmann::json successful = json_of(call("GET", "/v1/status/tasks?status=SUCCESSFUL"));
  EXPECT_EQ(successful.size(), 1u);
  EXPECT_TRUE(successful.contains("web"));
  const nlohmann::json with_events = json_of(call("GET", "/v1/status/tasks/web?include=events"));
  ASSERT_EQ(with_events["web"]["events"].size(), 1u);
  const nlohmann::json first = with_events["web"]["events"][0];
  EXPECT_EQ(first["id"], "event-1");
  EXPECT_EQ(first["success"], true);
  EXPECT_EQ(first["start_time"], "2023-11-14T22:13:21Z");
  EXPECT_TRUE(first["error"].is_null());
  EXPECT_EQ(first["config"]["source"], "./modules/web");

  EXPECT_EQ(json_of(call("GET", "/v1/status/tasks/db?status=successful"))["db"]["status"], "unknown")
      << "a named task without events is answered whatever the filter";
  const http::Response missing = call("GET", "/v1/status/tasks/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(message_of(missing), "a task with name 'nope' does not exist or has not been initialized yet");
  EXPECT_EQ(message_of(call("GET", "/v1/status/tasks?status=broken")),
            "unsupported status parameter value. only supporting status values successful, errored, critical, and unknown but "
            "got broken");
  EXPECT_EQ(message_of(call("GET", "/v1/status/tasks?include=logs")),
            "unsupported ?include parameter value. only supporting 'include=events' but got 'include=logs'");
  EXPECT_EQ(message_of(call("GET", "/v1/status/tasks?include=events&include=events")),
            "cannot support more than one include parameter, got include values: [events events]");
  EXPECT_EQ(call("GET", "/v1/status/tasks/a/b").status, 400);
}

TEST_F(ApiHandlerTest, FollowersRedirectTaskAndStatusRequestsButAnswerClusterAndHealth) {
  backend_.leadership_ = Leadership{.high_availability = true, .leading = false,
                                    .leader = ha::LeaderRecord{.id = "cts-02", .address = "cts-02.example.com", .session = "s"}};
  for (const char* target : {"/v1/status", "/v1/status/tasks", "/v1/tasks", "/v1/tasks/web"}) {
    const http::Response response = call("GET", target);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_EQ(message_of(response), "redirect requests to leader 'cts-02' at cts-02.example.com:8558") << target;
    EXPECT_EQ(json_of(response)["request_id"].get<std::string>().size(), 36u);
  }
  backend_.leadership_.leader->port = 8600;
  EXPECT_EQ(message_of(call("GET", "/v1/tasks")), "redirect requests to leader 'cts-02' at cts-02.example.com:8600")
      << "the port the leader recorded with its lock";
  EXPECT_EQ(ha::decode_leader_value(ha::encode_leader_value(*backend_.leadership_.leader))->port, 8600);
  backend_.leadership_.leader->address.clear();
  EXPECT_EQ(message_of(call("DELETE", "/v1/tasks/web")), "redirect requests to leader 'cts-02'");
  backend_.leadership_.leader.reset();
  EXPECT_EQ(message_of(call("PATCH", "/v1/tasks/web", R"({"enabled":false})")), "redirect requests to leader");
  EXPECT_TRUE(backend_.calls.empty()) << "a follower changes nothing";

  backend_.cluster = ClusterStatus{"cluster-a", {ClusterMember{"cts-01", "consul-terraform-sync", true, false, ""},
                                                 ClusterMember{"cts-02", "consul-terraform-sync", true, true, "cts-02.example.com"}}};
  const http::Response cluster = call("GET", "/v1/status/cluster");
  EXPECT_EQ(cluster.status, 200);
  const nlohmann::json body = json_of(cluster);
  EXPECT_EQ(body["cluster_name"], "cluster-a");
  EXPECT_EQ(body["members"][1], nlohmann::json::parse(
                                    R"({"address":"cts-02.example.com","healthy":true,"id":"cts-02","leader":true,"service_name":"consul-terraform-sync"})"));
  EXPECT_FALSE(body["members"][0].contains("address")) << "only the leader's address";
  EXPECT_EQ(call("GET", "/v1/health").body, "{}\n");
}

TEST_F(ApiHandlerTest, WithoutHighAvailabilityTheClusterEndpointIs405) {
  backend_.leadership_ = Leadership{.high_availability = false, .leading = true, .leader = std::nullopt};
  const http::Response response = call("GET", "/v1/status/cluster");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(message_of(response), "this endpoint is only available with high availability configured");
  EXPECT_EQ(call("GET", "/v1/tasks").status, 200) << "no redirect without HA";
}

TEST_F(ApiHandlerTest, HealthIs503WhenTheSystemIsUnhealthy) {
  backend_.unhealthy = "consul: no leader";
  const http::Response response = call("GET", "/v1/health");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, R"({"error":{"message":"consul: no leader"}})" "\n");
}

TEST_F(ApiHandlerTest, PatchEnablesOrDisablesWithCtsErrorTexts) {
  backend_.tasks_ = {{"web", task_named("web")}};
  const http::Response disabled = call("PATCH", "/v1/tasks/web", R"({"enabled":false})");
  EXPECT_EQ(disabled.status, 200);
  EXPECT_EQ(disabled.body, "{}\n");
  EXPECT_FALSE(*backend_.tasks_["web"].enabled);
  EXPECT_EQ(call("PATCH", "/v1/tasks/web", R"({"enabled":"true"})").status, 200) << "weakly typed, as mapstructure";
  EXPECT_EQ(call("PATCH", "/v1/tasks/web", R"({"Enabled":false})").status, 200) << "CTS's own client sends \"Enabled\"";
  EXPECT_EQ(backend_.calls, (std::vector<std::string>{"disable web", "enable web", "disable web"}));
  EXPECT_EQ(message_of(call("PATCH", "/v1/tasks/web", R"({"enabled":true,"Enabled":false})")),
            "request body's JSON contains unsupported keys: Enabled") << "an exact match wins, as in mapstructure";

  EXPECT_EQ(message_of(call("PATCH", "/v1/tasks/web", R"({"enabled":true,"name":"x","a":1})")),
            "request body's JSON contains unsupported keys: a, name");
  EXPECT_EQ(message_of(call("PATCH", "/v1/tasks/web", R"({})")),
            "/v1/tasks/:task_name currently only supports the 'enabled' field. Missing 'enabled' from the request body");
  EXPECT_EQ(message_of(call("PATCH", "/v1/tasks/web", R"({"enabled":)")), "unexpected end of JSON input");
  EXPECT_EQ(message_of(call("PATCH", "/v1/tasks/web", R"(nope)")), "invalid character 'o' in JSON");
  EXPECT_EQ(message_of(call("PATCH", "/v1/tasks/web", R"(}{)")), "invalid character '}' looking for beginning of value");
  EXPECT_EQ(message_of(call("PATCH", "/v1/tasks/web", R"({} {})")), "invalid character '{' after top-level value");
  EXPECT_EQ(message_of(call("PATCH", "/v1/tasks/web", R"([true])")),
            "json: cannot unmarshal array into Go value of type map[string]interface {}");
  EXPECT_EQ(message_of(call("PATCH", "/v1/tasks/web?run=later", R"({"enabled":true})")),
            "unsupported run parameter value. only supporting run values now and inspect but got later");
  const http::Response unknown = call("PATCH", "/v1/tasks/nope", R"({"enabled":true})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(message_of(unknown), "a task with name 'nope' does not exist or has not been initialized yet");

  backend_.next_result = TaskOpResult{TaskOpError::busy, "task 'web' is active and cannot be updated at this time"};
  const http::Response busy = call("PATCH", "/v1/tasks/web", R"({"enabled":false})");
  EXPECT_EQ(busy.status, 500);
  EXPECT_EQ(message_of(busy), "task 'web' is active and cannot be updated at this time");
}

TEST_F(ApiHandlerTest, PatchWithInspectPlansWithoutChanging) {
  backend_.tasks_ = {{"web", task_named("web", false)}};
  backend_.inspect = InspectOutcome{.changes_present = true, .plan = "Plan: 1 to add -> done", .error = ""};
  const http::Response response = call("PATCH", "/v1/tasks/web?run=inspect", R"({"enabled":true})");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"inspect":{"changes_present":true,"plan":"Plan: 1 to add -\u003e done"}})" "\n")
      << "Go's encoder escapes '>'";
  EXPECT_EQ(backend_.calls, (std::vector<std::string>{"inspect web enabled"}));
  EXPECT_FALSE(*backend_.tasks_["web"].enabled);
}

TEST_F(ApiHandlerTest, DeleteAnswers202WithTheRequestIdAnd404ForAnUnknownTask) {
  backend_.tasks_ = {{"web", task_named("web")}};
  const http::Response deleted = call("DELETE", "/v1/tasks/web");
  EXPECT_EQ(deleted.status, 202);
  const nlohmann::json body = json_of(deleted);
  EXPECT_EQ(body.size(), 1u);
  EXPECT_EQ(body["request_id"].get<std::string>().size(), 36u);
  EXPECT_FALSE(backend_.tasks_.contains("web"));
  const http::Response again = call("DELETE", "/v1/tasks/web");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(json_of(again)["error"]["message"], "a task with name 'web' does not exist or has not been initialized yet");
  EXPECT_TRUE(json_of(again).contains("request_id"));
}

TEST_F(ApiHandlerTest, RequestIdsDifferPerRequestAndUnknownPathsAre404) {
  backend_.tasks_ = {{"web", task_named("web")}};
  const std::string first = json_of(call("DELETE", "/v1/tasks/nope"))["request_id"];
  const std::string second = json_of(call("DELETE", "/v1/tasks/nope"))["request_id"];
  EXPECT_NE(first, second);
  const http::Response missing = call("GET", "/v2/tasks");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "404 page not found\n");
  EXPECT_EQ(call("PUT", "/v1/tasks").status, 405);
}

TEST_F(ApiHandlerTest, ListAndGetAnswerCtsTaskObjectsWithRequestIds) {
  backend_.tasks_ = {{"web", task_named("web")}, {"db", task_named("db", false)}};
  const http::Response list = call("GET", "/v1/tasks");
  EXPECT_EQ(list.status, 200);
  const nlohmann::json body = json_of(list);
  EXPECT_EQ(body.begin().key(), "request_id") << "oapigen's TasksResponse: request_id, then tasks";
  ASSERT_EQ(body["tasks"].size(), 2u);
  EXPECT_EQ(body["tasks"][0]["name"], "db");
  EXPECT_EQ(body["tasks"][0]["enabled"], false);
  EXPECT_EQ(body["tasks"][1]["module"], "./modules/web");
  const http::Response one = call("GET", "/v1/tasks/web");
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(json_of(one)["task"]["name"], "web");
  EXPECT_EQ(json_of(one)["request_id"].get<std::string>().size(), 36u);
  const http::Response missing = call("GET", "/v1/tasks/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(message_of(missing), "a task with name 'nope' does not exist or has not been initialized yet");
}

TEST_F(ApiHandlerTest, CreateAnswers201AndRefusesDuplicatesAndBadBodiesInCtsWords) {
  backend_.tasks_ = {{"web", task_named("web")}};
  const std::string db = R"({"task":{"name":"db","module":"./modules/db","condition":{"services":{"names":["db"]}}}})";
  const http::Response created = call("POST", "/v1/tasks", db);
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(json_of(created)["task"]["name"], "db");
  EXPECT_EQ(json_of(created)["task"]["enabled"], true) << "the validator's default";
  EXPECT_EQ(backend_.calls, (std::vector<std::string>{"create db"}));
  EXPECT_TRUE(backend_.tasks_.contains("db"));

  const http::Response duplicate = call("POST", "/v1/tasks", db);
  EXPECT_EQ(duplicate.status, 400);
  EXPECT_EQ(message_of(duplicate), "task with name db already exists");
  const http::Response empty = call("POST", "/v1/tasks", "");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(message_of(empty), "request body has an error: value is required but missing");
  const http::Response unknown_key = call("POST", "/v1/tasks", R"({"task":{"name":"x","module":"m","condition":{},"zzz":1}})");
  EXPECT_EQ(message_of(unknown_key),
            "request body has an error: doesn't match schema #/components/schemas/TaskRequest: Error at \"/task\": property "
            "\"zzz\" is unsupported");
  EXPECT_EQ(message_of(call("POST", "/v1/tasks?run=sometime", db)),
            "unsupported run parameter value. only supporting run values now and inspect but got sometime");

  backend_.next_result = TaskOpResult{TaskOpError::invalid, "module for the task is required"};
  const http::Response invalid =
      call("POST", "/v1/tasks", R"({"task":{"name":"api","module":"","condition":{"services":{"names":["api"]}}}})");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(message_of(invalid), "error with task configuration: module for the task is required");
  backend_.next_result = TaskOpResult{TaskOpError::storage, "consul: PUT /v1/txn: refused"};
  EXPECT_EQ(call("POST", "/v1/tasks?run=now",
                 R"({"task":{"name":"api","module":"m","condition":{"services":{"names":["api"]}}}})").status,
            500);
  EXPECT_EQ(backend_.calls.back(), "create api now");
}

// CTS's api/task_create.go: with ?run=now the backend runs the task first (TaskCreateAndRun); a
// failed run is answered 500 with the run's own error, and no task is created.
TEST_F(ApiHandlerTest, CreateWithRunNowAnswersAFailedRunWith500AndItsError) {
  const std::string db = R"({"task":{"name":"db","module":"./modules/db","condition":{"services":{"names":["db"]}}}})";
  const std::string error = "error tf-apply for 'db': exit status 1\n\nError: module refused\n";
  backend_.next_result = TaskOpResult{TaskOpError::run_failed, error};
  const http::Response failed = call("POST", "/v1/tasks?run=now", db);
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(message_of(failed), error) << "the run's error as it is, not as a configuration error";
  EXPECT_TRUE(json_of(failed).contains("request_id"));
  EXPECT_FALSE(backend_.tasks_.contains("db"));
  EXPECT_EQ(call("GET", "/v1/tasks/db").status, 404);

  backend_.next_result = TaskOpResult{};
  const http::Response created = call("POST", "/v1/tasks?run=NOW", db);
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(json_of(created)["task"]["name"], "db");
  EXPECT_EQ(backend_.calls, (std::vector<std::string>{"create db now", "create db now"}));
}

TEST_F(ApiHandlerTest, CreateWithInspectAnswersThePlanAndCreatesNothing) {
  backend_.inspect = InspectOutcome{.changes_present = true, .plan = "Plan: 1 to add", .error = ""};
  const http::Response inspected =
      call("POST", "/v1/tasks?run=inspect", R"({"task":{"name":"db","module":"m","condition":{"services":{"names":["db"]}}}})");
  EXPECT_EQ(inspected.status, 200);
  const nlohmann::json body = json_of(inspected);
  EXPECT_EQ(body["run"], nlohmann::json::parse(R"({"changes_present":true,"plan":"Plan: 1 to add"})"));
  EXPECT_EQ(body["task"]["name"], "db");
  EXPECT_FALSE(backend_.tasks_.contains("db"));
  EXPECT_EQ(backend_.calls, (std::vector<std::string>{"inspect db enabled"}));
  backend_.inspect = InspectOutcome{.changes_present = false, .plan = "", .error = "error tf-plan for 'db': exit status 1"};
  const http::Response failed =
      call("POST", "/v1/tasks?run=inspect", R"({"task":{"name":"db","module":"m","condition":{"services":{"names":["db"]}}}})");
  EXPECT_EQ(failed.status, 400);
  EXPECT_EQ(message_of(failed), "error tf-plan for 'db': exit status 1");
}

TEST(GoJson, EncodesAsGosEncoder) {
  nlohmann::ordered_json value;
  value["b"] = "<a & b>";
  value["a"] = "line\u2028sep";
  EXPECT_EQ(go_json_encode(value), R"({"b":"\u003ca \u0026 b\u003e","a":"line\u2028sep"})" "\n");
  EXPECT_EQ(std::get<std::string>(go_json_unmarshal("")), "unexpected end of JSON input");
  EXPECT_EQ(std::get<std::string>(go_json_unmarshal("  ")), "unexpected end of JSON input");
  EXPECT_EQ(std::get<nlohmann::json>(go_json_unmarshal(R"( {"a":1} )"))["a"], 1);
}

}  // namespace
}  // namespace baton::api
