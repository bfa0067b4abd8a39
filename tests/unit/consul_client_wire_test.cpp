// The engine's Consul client on the wire, against a scripted transport: the requests it sends
// (targets, escaping, bodies, headers, timeouts), how it maps Consul's answers to error kinds,
// and that no answer, however malformed, crashes it or decodes silently (bad_response, naming
// the field).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rapidcheck/gtest.h>

#include "engine/consul/base64.hpp"
#include "engine/consul/client.hpp"
#include "engine/consul/decode.hpp"
#include "engine/consul/requests.hpp"
#include "engine/consul/target.hpp"
#include "tests/support/consul_client_support.hpp"

namespace baton::consul {
namespace {

using test::consul_response;

class Wire : public ::testing::Test {
 protected:
  Wire() {
    process_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24)); });
    transport_.fail(TransportError{TransportErrorKind::io, "scripted"});
  }
  ~Wire() override {
    if (process_.state() == sim::NodeState::running) process_.crash();
  }

  template <class T>
  T run(Task<T> task) {
    return test::run_on(world_, process_, std::move(task));
  }

  const http::Request& sent() const { return transport_.last(); }

  sim::World world_;
  sim::Node& process_ = world_.add_node({.name = "engine"});
  test::ScriptedTransport transport_;
  ConsulClient client_{transport_, ConsulClientOptions{.token = "secret-token"}};
};

// ---- Requests -------------------------------------------------------------------------------

TEST_F(Wire, KvRequests) {
  (void)run(client_.kv_get("a b/c?d#e%f", QueryOptions{.index = 7, .wait = 30s, .consistency = Consistency::stale}));
  EXPECT_EQ(sent().method, "GET");
  EXPECT_EQ(sent().target, "/v1/kv/a%20b/c%3Fd%23e%25f?index=7&wait=30s&stale");
  EXPECT_EQ(sent().header("X-Consul-Token"), "secret-token");
  EXPECT_FALSE(sent().target.find("token") != std::string::npos) << "the token never rides in the query";

  (void)run(client_.kv_get("plain"));
  EXPECT_EQ(sent().target, "/v1/kv/plain") << "index 0: no ?index, no ?wait";
  (void)run(client_.kv_get("k", QueryOptions{.index = 3}));
  EXPECT_EQ(sent().target, "/v1/kv/k?index=3") << "no ?wait: Consul's default";
  (void)run(client_.kv_list("app/", QueryOptions{.consistency = Consistency::consistent}));
  EXPECT_EQ(sent().target, "/v1/kv/app/?recurse&consistent");

  (void)run(client_.kv_put("k", "raw bytes", 5));
  EXPECT_EQ(sent().method, "PUT");
  EXPECT_EQ(sent().target, "/v1/kv/k?flags=5");
  EXPECT_EQ(sent().body, "raw bytes") << "KV values travel raw, not base64";
  (void)run(client_.kv_put("k", "v"));
  EXPECT_EQ(sent().target, "/v1/kv/k");
  (void)run(client_.kv_cas("k", "v", 0));
  EXPECT_EQ(sent().target, "/v1/kv/k?cas=0") << "cas=0 is meaningful: create only";
  (void)run(client_.kv_acquire("leader", "{}", "s&1=2"));
  EXPECT_EQ(sent().target, "/v1/kv/leader?acquire=s%261%3D2");
  (void)run(client_.kv_release("leader", "{}", "sid"));
  EXPECT_EQ(sent().target, "/v1/kv/leader?release=sid");
  (void)run(client_.kv_delete("k"));
  EXPECT_EQ(sent().method, "DELETE");
  EXPECT_EQ(sent().target, "/v1/kv/k");
  (void)run(client_.kv_delete_tree("app/"));
  EXPECT_EQ(sent().target, "/v1/kv/app/?recurse");
}

TEST_F(Wire, TxnBodyCarriesEveryFieldWithBase64Values) {
  (void)run(client_.txn({TxnOp::set("k", std::string("\0\xff", 2), 3), TxnOp::check_session("leader", "sid"),
                         TxnOp::delete_cas("old", 9)}));
  EXPECT_EQ(sent().method, "PUT");
  EXPECT_EQ(sent().target, "/v1/txn");
  EXPECT_EQ(nlohmann::json::parse(sent().body), nlohmann::json::parse(R"([
    {"KV":{"Verb":"set","Key":"k","Value":"AP8=","Flags":3,"Index":0,"Session":""}},
    {"KV":{"Verb":"check-session","Key":"leader","Value":"","Flags":0,"Index":0,"Session":"sid"}},
    {"KV":{"Verb":"delete-cas","Key":"old","Value":"","Flags":0,"Index":9,"Session":""}}])"));
}

// txn_ops_json writes its text directly instead of dumping a JSON document: it must be exactly
// the text the document gives, whatever the keys, values and sessions hold (not UTF-8 included).
RC_GTEST_PROP(TxnBody, IsExactlyTheDumpOfTheJsonDocument, ()) {
  const auto verb = rc::gen::element(TxnVerb::set, TxnVerb::cas, TxnVerb::lock, TxnVerb::unlock, TxnVerb::get,
                                     TxnVerb::get_tree, TxnVerb::check_index, TxnVerb::check_session, TxnVerb::delete_key,
                                     TxnVerb::delete_tree, TxnVerb::delete_cas);
  const auto ops = *rc::gen::container<std::vector<TxnOp>>(rc::gen::build<TxnOp>(
      rc::gen::set(&TxnOp::verb, verb), rc::gen::set(&TxnOp::key), rc::gen::set(&TxnOp::value),
      rc::gen::set(&TxnOp::flags), rc::gen::set(&TxnOp::index), rc::gen::set(&TxnOp::session)));
  nlohmann::json document = nlohmann::json::array();
  for (const TxnOp& op : ops) {
    document.push_back({{"KV",
                         {{"Verb", to_string(op.verb)},
                          {"Key", op.key},
                          {"Value", base64_encode(op.value)},
                          {"Flags", op.flags},
                          {"Index", op.index},
                          {"Session", op.session}}}});
  }
  RC_ASSERT(txn_ops_json(ops) == document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// Item 8: LockDelay always explicit, "0s" included; item 1: Checks [] explicit (TTL only).
TEST_F(Wire, SessionRequests) {
  (void)run(client_.session_create(SessionRequest{.name = "baton-c-1", .ttl = 15s}));
  EXPECT_EQ(sent().method, "PUT");
  EXPECT_EQ(sent().target, "/v1/session/create");
  EXPECT_EQ(nlohmann::json::parse(sent().body),
            nlohmann::json::parse(R"({"Name":"baton-c-1","TTL":"15s","LockDelay":"0s","Behavior":"release","Checks":[]})"));
  (void)run(client_.session_create(SessionRequest{.name = "n", .lock_delay = 1500ms, .behavior = SessionBehavior::delete_keys,
                                                  .checks = {"serfHealth"}, .node = "node-1"}));
  EXPECT_EQ(nlohmann::json::parse(sent().body),
            nlohmann::json::parse(R"({"Name":"n","LockDelay":"1.5s","Behavior":"delete","Checks":["serfHealth"],"Node":"node-1"})"))
      << "no TTL field for a session without TTL";
  (void)run(client_.session_renew("abc"));
  EXPECT_EQ(sent().target, "/v1/session/renew/abc");
  (void)run(client_.session_destroy("abc"));
  EXPECT_EQ(sent().target, "/v1/session/destroy/abc");
  (void)run(client_.session_info("abc", QueryOptions{.index = 3, .wait = 90s}));
  EXPECT_EQ(sent().method, "GET");
  EXPECT_EQ(sent().target, "/v1/session/info/abc?index=3&wait=1m30s");
}

TEST_F(Wire, HealthCatalogAgentStatusRequests) {
  (void)run(client_.health_service("web api", HealthServiceOptions{.passing = true, .tags = {"a", "b c"},
                                                                  .filter = R"(Service.Meta.env == "prod")"}));
  EXPECT_EQ(sent().target, "/v1/health/service/web%20api?passing&tag=a&tag=b%20c&filter=Service.Meta.env%20%3D%3D%20%22prod%22");
  (void)run(client_.catalog_services(CatalogServicesOptions{.node_meta = {{"rack", "r1"}, {"zone", "a:b"}}}));
  EXPECT_EQ(sent().target, "/v1/catalog/services?node-meta=rack%3Ar1&node-meta=zone%3Aa%3Ab");
  (void)run(client_.agent_service_deregister("web-1"));
  EXPECT_EQ(sent().method, "PUT");
  EXPECT_EQ(sent().target, "/v1/agent/service/deregister/web-1");
  (void)run(client_.status_leader());
  EXPECT_EQ(sent().method, "GET");
  EXPECT_EQ(sent().target, "/v1/status/leader");

  ServiceRegistration registration{
      .id = "cts-01",
      .name = "consul-terraform-sync",
      .tags = {"cts-cluster:c"},
      .address = "10.0.0.5",
      .port = 8558,
      .meta = {{"version", "0.1.0"}},
      .checks = {AgentServiceCheck{.check_id = "cts-01-health", .name = "CTS Health Status", .notes = "baton",
                                   .http = "http://10.0.0.5:8558/v1/health", .method = "GET", .interval = 10s,
                                   .timeout = 2s, .deregister_critical_service_after = 30min}}};
  (void)run(client_.agent_service_register(registration));
  EXPECT_EQ(sent().target, "/v1/agent/service/register");
  EXPECT_EQ(nlohmann::json::parse(sent().body), nlohmann::json::parse(R"({
    "ID":"cts-01","Name":"consul-terraform-sync","Tags":["cts-cluster:c"],"Address":"10.0.0.5","Port":8558,
    "Meta":{"version":"0.1.0"},
    "Checks":[{"CheckID":"cts-01-health","Name":"CTS Health Status","Notes":"baton","HTTP":"http://10.0.0.5:8558/v1/health",
               "Method":"GET","Interval":"10s","Timeout":"2s","DeregisterCriticalServiceAfter":"30m0s"}]})"));
}

TEST_F(Wire, DatacenterAndNamespaceDefaultsAndOverrides) {
  ConsulClient scoped(transport_, ConsulClientOptions{.datacenter = "dc2", .namespace_name = "team"});
  (void)run(scoped.kv_get("k"));
  EXPECT_EQ(sent().target, "/v1/kv/k?dc=dc2&ns=team");
  EXPECT_FALSE(sent().header("X-Consul-Token").has_value()) << "no token configured: no header";
  (void)run(scoped.health_service("web", HealthServiceOptions{.datacenter = "dc3"}));
  EXPECT_EQ(sent().target, "/v1/health/service/web?dc=dc3&ns=team");
  (void)run(scoped.session_create(SessionRequest{.name = "n"}));
  EXPECT_EQ(sent().target, "/v1/session/create?dc=dc2&ns=team");
  (void)run(scoped.agent_service_deregister("x"));
  EXPECT_EQ(sent().target, "/v1/agent/service/deregister/x") << "agent endpoints act on the local agent";
}

// Item 22: "replies up to wait/16 late": a blocking call's timeout is its wait, plus wait/16,
// plus the ordinary request timeout; Consul's own clamp and default apply first.
TEST_F(Wire, BlockingCallsGetTheirWaitAndJitterOnTopOfTheTimeout) {
  (void)run(client_.kv_get("k"));
  EXPECT_EQ(transport_.timeouts.back(), 15s);
  (void)run(client_.kv_get("k", QueryOptions{.index = 5, .wait = 64s}));
  EXPECT_EQ(transport_.timeouts.back(), 64s + 4s + 15s);
  (void)run(client_.health_service("web", {}, QueryOptions{.index = 5}));
  EXPECT_EQ(transport_.timeouts.back(), 300s + 18750ms + 15s) << "no wait: Consul's default_query_time";
  (void)run(client_.catalog_services({}, QueryOptions{.index = 5, .wait = 20min}));
  EXPECT_EQ(transport_.timeouts.back(), 600s + 37500ms + 15s) << "clamped to max_query_time";
  (void)run(client_.kv_put("k", "v"));
  EXPECT_EQ(transport_.timeouts.back(), 15s);
}

// ---- Answers --------------------------------------------------------------------------------

TEST_F(Wire, SuccessfulAnswersDecode) {
  transport_.reply(consul_response(
      200, R"([{"LockIndex":2,"Key":"k","Flags":9,"Value":"aGk=","Session":"sid","CreateIndex":3,"ModifyIndex":11}])", "11"));
  auto got = run(client_.kv_get("k"));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got.value().value, (KvPair{.key = "k", .value = "hi", .flags = 9, .session = "sid", .lock_index = 2,
                                        .create_index = 3, .modify_index = 11}));
  EXPECT_EQ(got.value().meta, (QueryMeta{.index = 11, .last_contact_ms = 0, .known_leader = true}));

  transport_.reply(consul_response(404, "", "12"));
  auto missing = run(client_.kv_get("k"));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value().value);
  EXPECT_EQ(missing.value().meta.index, 12u);

  transport_.reply(consul_response(200, R"([{"ID":"s1","Name":"n","Node":"n1","LockDelay":15000000000,"Behavior":"delete",
      "TTL":"30s","NodeChecks":null,"ServiceChecks":[{"ID":"web-check","Namespace":""}],"CreateIndex":4,"ModifyIndex":4}])"));
  auto info = run(client_.session_info("s1"));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(*info.value().value, (Session{.id = "s1", .name = "n", .node = "n1", .ttl = 30s, .lock_delay = 15s,
                                          .behavior = SessionBehavior::delete_keys, .node_checks = {},
                                          .service_checks = {"web-check"}, .create_index = 4, .modify_index = 4}));

  // Older Consul: "Checks" instead of NodeChecks.
  transport_.reply(consul_response(200, R"([{"ID":"s1","Name":"","Node":"n1","LockDelay":0,"Behavior":"release","TTL":"",
      "Checks":["serfHealth"],"CreateIndex":4,"ModifyIndex":4}])"));
  auto legacy = run(client_.session_info("s1"));
  ASSERT_TRUE(legacy.ok()) << legacy.error().message;
  EXPECT_EQ(legacy.value().value->node_checks, std::vector<std::string>{"serfHealth"});

  transport_.reply(consul_response(200, R"({"web":["a","b"],"consul":[],"db":null})"));
  auto services = run(client_.catalog_services());
  ASSERT_TRUE(services.ok()) << services.error().message;
  EXPECT_EQ(services.value().value, (CatalogServices{{"consul", {}}, {"db", {}}, {"web", {"a", "b"}}}));

  transport_.reply(consul_response(200, R"("10.0.0.1:8300")", ""));
  EXPECT_EQ(run(client_.status_leader()).value(), "10.0.0.1:8300");
}

// Real Consul sends more fields than the fake, and some the fake leaves out (Kind): the decoder
// ignores unknown fields and tolerates absent optional ones.
TEST_F(Wire, HealthEntriesFromRealConsulDecode) {
  transport_.reply(consul_response(200, R"([{
    "Node":{"ID":"40e4a748","Node":"foobar","Address":"10.1.10.12","Datacenter":"dc1",
            "TaggedAddresses":{"lan":"10.1.10.12","wan":"10.1.10.12"},"Meta":{"instance_type":"t2.medium"},
            "CreateIndex":1,"ModifyIndex":2},
    "Service":{"Kind":"","ID":"redis","Service":"redis","Tags":null,"Address":"","Meta":null,"Port":8000,
               "Weights":{"Passing":10,"Warning":1},"EnableTagOverride":false,"Proxy":{},"Connect":{},
               "TaggedAddresses":{"lan":{"address":"127.0.0.1","port":8000}},"Namespace":"default",
               "CreateIndex":3,"ModifyIndex":3},
    "Checks":[{"Node":"foobar","CheckID":"service:redis","Name":"Service 'redis' check","Status":"passing","Notes":"",
               "Output":"","ServiceID":"redis","ServiceName":"redis","ServiceTags":["primary"],"Type":"ttl",
               "Interval":"","Timeout":"","Definition":{},"CreateIndex":1,"ModifyIndex":2},
              {"Node":"foobar","CheckID":"serfHealth","Name":"Serf Health Status","Status":"passing"}]}])"));
  auto entries = run(client_.health_service("redis"));
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries.value().value.size(), 1u);
  const ServiceEntry& entry = entries.value().value[0];
  EXPECT_EQ(entry.node.tagged_addresses.at("wan"), "10.1.10.12");
  EXPECT_TRUE(entry.service.tags.empty()) << "null is an empty list";
  EXPECT_EQ(entry.service.namespace_name, "default");
  EXPECT_EQ(entry.service.port, 8000);
  ASSERT_EQ(entry.checks.size(), 2u);
  EXPECT_EQ(entry.checks[0].service_tags, std::vector<std::string>{"primary"});
  EXPECT_EQ(entry.checks[1].service_id, "");
}

TEST_F(Wire, TxnOutcomes) {
  transport_.reply(consul_response(200, R"({"Results":[{"KV":{"LockIndex":0,"Key":"k","Flags":0,"Value":null,
      "CreateIndex":5,"ModifyIndex":5}}],"Errors":null})", ""));
  auto committed = run(client_.txn({TxnOp::check_index("k", 5)}));
  ASSERT_TRUE(committed.ok()) << committed.error().message;
  ASSERT_TRUE(std::holds_alternative<TxnCommitted>(committed.value()));
  EXPECT_EQ(std::get<TxnCommitted>(committed.value()).results.at(0).kv.modify_index, 5u);

  transport_.reply(consul_response(409, R"({"Results":null,"Errors":[{"OpIndex":1,"What":"failed to lock key \"k\""}]})", ""));
  auto rolled_back = run(client_.txn({TxnOp::set("a", "1"), TxnOp::lock("k", "", "sid")}));
  ASSERT_TRUE(rolled_back.ok()) << rolled_back.error().message;
  ASSERT_TRUE(std::holds_alternative<TxnRolledBack>(rolled_back.value()));
  EXPECT_EQ(std::get<TxnRolledBack>(rolled_back.value()).errors,
            (std::vector<TxnError>{{.op_index = 1, .what = "failed to lock key \"k\""}}));

  transport_.reply(consul_response(413, "Transaction contains too many operations (65 > 64)", ""));
  auto too_big = run(client_.txn({}));
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().kind, ConsulErrorKind::http);
  EXPECT_EQ(too_big.error().http_status, 413);
}

// ---- Error kinds ----------------------------------------------------------------------------

struct ErrorCase {
  int status;
  std::string body;
  ConsulErrorKind kind;
};

TEST_F(Wire, ErrorKindsFromStatusAndBody) {
  const std::vector<ErrorCase> cases = {
      {500, "No cluster leader", ConsulErrorKind::no_leader},
      {500, "rpc error making call: No cluster leader", ConsulErrorKind::no_leader},
      {403, "Permission denied: token with AccessorID 'x' lacks permission 'key:write' on \"a\"",
       ConsulErrorKind::permission_denied},
      {403, "rpc error making call: Permission denied", ConsulErrorKind::permission_denied},
      {403, "ACL not found", ConsulErrorKind::permission_denied},
      {500, "rpc error making call: ACL not found", ConsulErrorKind::permission_denied},
      {500, "rpc error making call: Permission denied", ConsulErrorKind::permission_denied},
      {500, "invalid session \"abc\"", ConsulErrorKind::invalid_session},
      {500, "rpc error making call: invalid session \"abc\"", ConsulErrorKind::invalid_session},
      {429, "Too Many Requests", ConsulErrorKind::rate_limited},
      {503, "rpc error making call: rate limit exceeded, try a different server", ConsulErrorKind::rate_limited},
      {500, "Invalid Session TTL '5000000000', must be between [10s=24h0m0s]", ConsulErrorKind::http},
      {400, "Missing key name", ConsulErrorKind::http},
      {413, "Request body(600000 bytes) too large", ConsulErrorKind::http},
      {500, "rpc error getting client: failed to get conn: dial tcp 10.0.0.1:8300: i/o timeout", ConsulErrorKind::http},
      {502, "<html>Bad Gateway</html>", ConsulErrorKind::http},
  };
  for (const ErrorCase& c : cases) {
    transport_.reply(consul_response(c.status, c.body));
    auto result = run(client_.kv_acquire("k", "v", "abc"));
    ASSERT_FALSE(result.ok()) << c.body;
    EXPECT_EQ(result.error().kind, c.kind) << c.status << " " << c.body << " -> " << to_string(result.error().kind);
    EXPECT_EQ(result.error().http_status, c.status);
    EXPECT_EQ(result.error().message, "consul: PUT /v1/kv/k: HTTP " + std::to_string(c.status) + ": " + c.body);
    EXPECT_FALSE(result.error().transport_kind.has_value());
  }
}

TEST_F(Wire, ALongErrorBodyIsCutInTheMessage) {
  transport_.reply(consul_response(500, std::string(10000, 'x')));
  auto result = run(client_.kv_put("k", "v"));
  ASSERT_FALSE(result.ok());
  EXPECT_LT(result.error().message.size(), 600u);
  EXPECT_NE(result.error().message.find("(10000 bytes)"), std::string::npos);
}

TEST_F(Wire, RenewOf404IsSessionNotFoundElsewhere404IsHttp) {
  transport_.reply(consul_response(404, "Session id 'abc' not found", ""));
  auto renewed = run(client_.session_renew("abc"));
  ASSERT_FALSE(renewed.ok());
  EXPECT_EQ(renewed.error().kind, ConsulErrorKind::session_not_found);
  EXPECT_EQ(renewed.error().http_status, 404);
  auto deregistered = run(client_.agent_service_deregister("abc"));
  ASSERT_FALSE(deregistered.ok());
  EXPECT_EQ(deregistered.error().kind, ConsulErrorKind::http);
}

TEST_F(Wire, TransportFailuresKeepTheirKind) {
  for (TransportErrorKind kind :
       {TransportErrorKind::refused, TransportErrorKind::timeout, TransportErrorKind::io, TransportErrorKind::cancelled}) {
    transport_.fail(TransportError{kind, "what happened"});
    auto result = run(client_.session_renew("abc"));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, ConsulErrorKind::transport);
    EXPECT_EQ(result.error().transport_kind, kind);
    EXPECT_EQ(result.error().http_status, 0);
    EXPECT_EQ(result.error().message, std::string("consul: PUT /v1/session/renew/abc: ") + to_string(kind) + ": what happened");
  }
}

// ---- Bad responses: never a crash, never a silent default ----------------------------------

enum class Call { kv_get, kv_list, kv_put, kv_delete, session_info, session_renew, session_create, health, catalog, txn, leader };

struct BadCase {
  const char* what;
  Call call;
  http::Response response;
  std::string problem;  // expected message after "consul: decoding <path> response: "
};

http::Response with_index(int status, std::string body, std::string index = "7") {
  return consul_response(status, std::move(body), std::move(index));
}

http::Response with_header(http::Response response, std::string name, std::string value) {
  response.set_header(name, std::move(value));
  return response;
}

std::string kv_entry(const std::string& replace_field, const std::string& with) {
  nlohmann::json entry = nlohmann::json::parse(R"({"LockIndex":0,"Key":"x","Flags":0,"Value":"dg==","CreateIndex":1,"ModifyIndex":2})");
  if (with.empty()) {
    entry.erase(replace_field);
  } else {
    entry[replace_field] = nlohmann::json::parse(with);
  }
  return nlohmann::json::array({entry}).dump();
}

std::string two_kv_entries() {
  const std::string one = kv_entry("Flags", "1");
  const std::string inner = one.substr(1, one.size() - 2);
  return "[" + inner + "," + inner + "]";
}

std::string session_entry(const std::string& field, const std::string& with) {
  nlohmann::json entry = nlohmann::json::parse(
      R"({"ID":"s","Name":"n","Node":"n1","LockDelay":0,"Behavior":"release","TTL":"","NodeChecks":null,"ServiceChecks":null,"CreateIndex":1,"ModifyIndex":1})");
  entry[field] = nlohmann::json::parse(with);
  return nlohmann::json::array({entry}).dump();
}

std::string health_entry(const std::string& pointer, const std::string& with) {
  nlohmann::json entry = nlohmann::json::parse(R"({
    "Node":{"ID":"i","Node":"n","Address":"a","Datacenter":"dc1","TaggedAddresses":{},"Meta":{}},
    "Service":{"ID":"web","Service":"web","Tags":[],"Address":"","Meta":{},"Port":80},
    "Checks":[{"Node":"n","CheckID":"serfHealth","Name":"Serf","Status":"passing"},
              {"Node":"n","CheckID":"c","Name":"c","Status":"passing"}]})");
  entry[nlohmann::json::json_pointer(pointer)] = nlohmann::json::parse(with);
  return nlohmann::json::array({entry}).dump();
}

std::vector<BadCase> bad_cases() {
  return {
      {"not JSON", Call::kv_get, with_index(200, "not json"), "malformed JSON"},
      {"empty body", Call::kv_get, with_index(200, ""), "empty body, expected JSON"},
      {"truncated", Call::kv_get, with_index(200, R"([{"Key":"x")"), "malformed JSON"},
      {"object, not array", Call::kv_get, with_index(200, "{}"), "expected a JSON array"},
      {"array of numbers", Call::kv_get, with_index(200, "[1]"), "element 0: expected a JSON object"},
      {"ModifyIndex a string", Call::kv_get, with_index(200, kv_entry("ModifyIndex", R"("2")")),
       R"(field "ModifyIndex": expected a number)"},
      {"ModifyIndex missing", Call::kv_get, with_index(200, kv_entry("ModifyIndex", "")), R"(field "ModifyIndex": missing)"},
      {"ModifyIndex negative", Call::kv_get, with_index(200, kv_entry("ModifyIndex", "-1")),
       R"(field "ModifyIndex": expected a non-negative integer)"},
      {"ModifyIndex fractional", Call::kv_get, with_index(200, kv_entry("ModifyIndex", "1.5")),
       R"(field "ModifyIndex": expected a non-negative integer)"},
      {"ModifyIndex past 2^64", Call::kv_get, with_index(200, kv_entry("ModifyIndex", "18446744073709551616")),
       R"(field "ModifyIndex": expected a non-negative integer)"},
      {"LockIndex null", Call::kv_get, with_index(200, kv_entry("LockIndex", "null")),
       R"(field "LockIndex": expected a number, got null)"},
      {"Key a number", Call::kv_get, with_index(200, kv_entry("Key", "5")), R"(field "Key": expected a string)"},
      {"Key null", Call::kv_get, with_index(200, kv_entry("Key", "null")), R"(field "Key": expected a string, got null)"},
      {"another key", Call::kv_get, with_index(200, kv_entry("Key", R"("y")")), R"(field "Key": asked for "x", got "y")"},
      {"Value not base64", Call::kv_get, with_index(200, kv_entry("Value", R"("###")")), R"(field "Value": illegal base64 data)"},
      {"Value unpadded", Call::kv_get, with_index(200, kv_entry("Value", R"("dg")")), R"(field "Value": illegal base64 data)"},
      {"Value a number", Call::kv_get, with_index(200, kv_entry("Value", "12")), R"(field "Value": expected a base64 string)"},
      {"Value missing", Call::kv_get, with_index(200, kv_entry("Value", "")), R"(field "Value": missing)"},
      {"Session a number", Call::kv_get, with_index(200, kv_entry("Session", "7")), R"(field "Session": expected a string)"},
      {"no entry", Call::kv_get, with_index(200, "[]"), "expected one entry, got 0"},
      {"two entries", Call::kv_get, with_index(200, two_kv_entries()), "expected one entry, got 2"},
      {"no X-Consul-Index", Call::kv_get, with_index(200, kv_entry("Flags", "0"), ""), R"(header "X-Consul-Index": missing)"},
      {"404 without X-Consul-Index", Call::kv_get, with_index(404, "404 page not found\n", ""),
       R"(header "X-Consul-Index": missing)"},
      {"X-Consul-Index not a number", Call::kv_get, with_index(200, kv_entry("Flags", "0"), "abc"),
       R"(header "X-Consul-Index": expected an unsigned integer, got "abc")"},
      {"X-Consul-Index negative", Call::kv_get, with_index(404, "", "-3"),
       R"(header "X-Consul-Index": expected an unsigned integer, got "-3")"},
      {"X-Consul-KnownLeader odd", Call::kv_get, with_header(with_index(404, ""), "X-Consul-KnownLeader", "maybe"),
       R"(header "X-Consul-KnownLeader": expected true or false, got "maybe")"},
      {"X-Consul-LastContact odd", Call::kv_get, with_header(with_index(404, ""), "X-Consul-LastContact", "1.5"),
       R"(header "X-Consul-LastContact": expected an unsigned integer, got "1.5")"},
      {"list entry outside the prefix", Call::kv_list, with_index(200, kv_entry("Key", R"("elsewhere")")),
       R"(field "Key": "elsewhere" is not under "x/")"},
      {"list of garbage", Call::kv_list, with_index(200, R"([{"Key":"x/a"}])"), R"(field "LockIndex": missing)"},
      {"put answers yes", Call::kv_put, with_index(200, "yes"), "malformed JSON"},
      {"put answers 1", Call::kv_put, with_index(200, "1"), "expected true or false"},
      {"put answers a string", Call::kv_put, with_index(200, R"("true")"), "expected true or false"},
      {"delete answers false", Call::kv_delete, with_index(200, "false"), "expected true, got false"},
      {"LockDelay a string", Call::session_info, with_index(200, session_entry("LockDelay", R"("15s")")),
       R"(field "LockDelay": expected a number)"},
      {"LockDelay negative", Call::session_info, with_index(200, session_entry("LockDelay", "-1")),
       R"(field "LockDelay": negative duration)"},
      {"TTL not a duration", Call::session_info, with_index(200, session_entry("TTL", R"("abc")")),
       R"(field "TTL": invalid duration "abc")"},
      {"TTL a number", Call::session_info, with_index(200, session_entry("TTL", "15")), R"(field "TTL": expected a string)"},
      {"unknown behavior", Call::session_info, with_index(200, session_entry("Behavior", R"("explode")")),
       R"(field "Behavior": unknown behavior "explode")"},
      {"NodeChecks of numbers", Call::session_info, with_index(200, session_entry("NodeChecks", "[1]")),
       R"(field "NodeChecks[0]": expected a string)"},
      {"ServiceChecks without ID", Call::session_info, with_index(200, session_entry("ServiceChecks", R"([{"Namespace":""}])")),
       R"(field "ServiceChecks[0].ID": missing)"},
      {"ServiceChecks an object", Call::session_info, with_index(200, session_entry("ServiceChecks", "{}")),
       R"(field "ServiceChecks": expected an array)"},
      {"another session", Call::session_info, with_index(200, session_entry("ID", R"("t")")),
       R"(field "ID": asked for "s", got "t")"},
      {"renew answers []", Call::session_renew, with_index(200, "[]"), "expected one session, got 0"},
      {"renew answers an object", Call::session_renew, with_index(200, "{}"), "expected a JSON array"},
      {"create without ID", Call::session_create, with_index(200, "{}"), R"(field "ID": missing)"},
      {"create with an empty ID", Call::session_create, with_index(200, R"({"ID":""})"), R"(field "ID": empty)"},
      {"create answers an array", Call::session_create, with_index(200, "[]"), "expected a JSON object"},
      {"Node a string", Call::health, with_index(200, health_entry("/Node", R"("n")")), R"(field "Node": expected an object)"},
      {"Node missing Address", Call::health, with_index(200, health_entry("/Node", R"({"ID":"i","Node":"n"})")),
       R"(field "Node.Address": missing)"},
      {"Port a string", Call::health, with_index(200, health_entry("/Service/Port", R"("80")")),
       R"(field "Service.Port": expected a number)"},
      {"Port fractional", Call::health, with_index(200, health_entry("/Service/Port", "80.5")),
       R"(field "Service.Port": expected an integer)"},
      {"Port out of range", Call::health, with_index(200, health_entry("/Service/Port", "99999999999")),
       R"(field "Service.Port": integer out of range)"},
      {"Tags a string", Call::health, with_index(200, health_entry("/Service/Tags", R"("a")")),
       R"(field "Service.Tags": expected an array of strings)"},
      {"Meta value a number", Call::health, with_index(200, health_entry("/Node/Meta", R"({"a":1})")),
       R"(field "Node.Meta.a": expected a string)"},
      {"check status a number", Call::health, with_index(200, health_entry("/Checks/1/Status", "3")),
       R"(field "Checks[1].Status": expected a string)"},
      {"Checks an object", Call::health, with_index(200, health_entry("/Checks", "{}")), R"(field "Checks": expected an array)"},
      {"check not an object", Call::health, with_index(200, health_entry("/Checks/0", "true")),
       R"(field "Checks[0]": expected an object)"},
      {"catalog as array", Call::catalog, with_index(200, "[]"), "expected a JSON object"},
      {"catalog tags a string", Call::catalog, with_index(200, R"({"web":"x"})"), R"(field "web": expected an array of strings)"},
      {"catalog tag a number", Call::catalog, with_index(200, R"({"web":["a",2]})"), R"(field "web[1]": expected a string)"},
      {"txn result without KV", Call::txn, with_index(200, R"({"Results":[{}],"Errors":null})"), R"(field "Results[0].KV": missing)"},
      {"txn result bad flags", Call::txn,
       with_index(200, R"({"Results":[{"KV":{"LockIndex":0,"Key":"k","Flags":"0","Value":null,"CreateIndex":1,"ModifyIndex":1}}]})"),
       R"(field "Results[0].KV.Flags": expected a number)"},
      {"txn without Results", Call::txn, with_index(200, R"({"Errors":null})"), R"(field "Results": missing)"},
      {"409 with OpIndex a string", Call::txn, with_index(409, R"({"Errors":[{"OpIndex":"0","What":"x"}]})"),
       R"(field "Errors[0].OpIndex": expected a number)"},
      {"409 naming no error", Call::txn, with_index(409, R"({"Results":null,"Errors":[]})"),
       R"(field "Errors": a rolled back transaction names no error)"},
      {"409 not JSON", Call::txn, with_index(409, "conflict"), "malformed JSON"},
      {"leader a number", Call::leader, with_index(200, "5"), "expected a JSON string"},
  };
}

std::string path_of(Call call) {
  switch (call) {
    case Call::kv_get: case Call::kv_put: case Call::kv_delete: return "/v1/kv/x";
    case Call::kv_list: return "/v1/kv/x/";
    case Call::session_info: return "/v1/session/info/s";
    case Call::session_renew: return "/v1/session/renew/s";
    case Call::session_create: return "/v1/session/create";
    case Call::health: return "/v1/health/service/web";
    case Call::catalog: return "/v1/catalog/services";
    case Call::txn: return "/v1/txn";
    case Call::leader: return "/v1/status/leader";
  }
  return "";
}

// The error of a call that should fail; a value would be a silent default, so it fails the test.
template <class T>
std::optional<ConsulError> error_of(ConsulResult<T> result) {
  if (result.ok()) return std::nullopt;
  return result.error();
}

TEST_F(Wire, EveryMalformedAnswerIsABadResponseNamingTheField) {
  for (const BadCase& c : bad_cases()) {
    transport_.reply(c.response);
    std::optional<ConsulError> error;
    switch (c.call) {
      case Call::kv_get: error = error_of(run(client_.kv_get("x"))); break;
      case Call::kv_list: error = error_of(run(client_.kv_list("x/"))); break;
      case Call::kv_put: error = error_of(run(client_.kv_put("x", "v"))); break;
      case Call::kv_delete: error = error_of(run(client_.kv_delete("x"))); break;
      case Call::session_info: error = error_of(run(client_.session_info("s"))); break;
      case Call::session_renew: error = error_of(run(client_.session_renew("s"))); break;
      case Call::session_create: error = error_of(run(client_.session_create({}))); break;
      case Call::health: error = error_of(run(client_.health_service("web"))); break;
      case Call::catalog: error = error_of(run(client_.catalog_services())); break;
      case Call::txn: error = error_of(run(client_.txn({}))); break;
      case Call::leader: error = error_of(run(client_.status_leader())); break;
    }
    ASSERT_TRUE(error.has_value()) << c.what << ": decoded without complaint";
    EXPECT_EQ(error->kind, ConsulErrorKind::bad_response) << c.what << ": " << error->message;
    EXPECT_EQ(error->http_status, c.response.status) << c.what;
    EXPECT_EQ(error->message, "consul: decoding " + path_of(c.call) + " response: " + c.problem) << c.what;
  }
}

// ---- Properties -----------------------------------------------------------------------------

// A byte string from an alphabet rich in what URLs and JSON treat specially, plus raw UTF-8 and
// invalid bytes.
rc::Gen<std::string> tricky_text() {
  static const std::vector<std::string> pieces = {"a", "Z", "0", "/", " ", "?", "#", "%", "%2F", "+", "&", "=", ";", ",", "~",
                                                  ".", "..", "-", "_", ":", "@", "!", "$", "'", "(", "\"", "\\", "\n", "\t",
                                                  "é", "ключ", "日本", "\xff", "\x80", std::string(1, '\0')};
  return rc::gen::map(rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, pieces.size())),
                      [](const std::vector<std::size_t>& picks) {
                        std::string text;
                        for (std::size_t pick : picks) text += pieces[pick];
                        return text;
                      });
}

// Consul (Go's net/url) and fake-consul decode the target back to the bytes the caller gave.
RC_GTEST_PROP(ConsulTarget, KeysAndQueryValuesRoundTrip, ()) {
  const std::string key = *tricky_text();
  const std::string session = *tricky_text();
  const std::string encoded = Target("/v1/kv/", key).param("acquire", session).flag("recurse").str();
  const std::optional<http::Target> parsed = http::parse_target(encoded);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(parsed->path == "/v1/kv/" + key);
  RC_ASSERT(parsed->get("acquire") == std::optional<std::string>(session));
  RC_ASSERT(parsed->has("recurse"));
  RC_ASSERT(encoded.find_first_of(" #\n") == std::string::npos);
  RC_ASSERT(encoded.find('?') == std::string("/v1/kv/").size() + http::percent_encode(key, true).size());
}

// A JSON document built from Consul-like field names and arbitrary values.
rc::Gen<nlohmann::json> json_value(int depth) {
  static const std::vector<std::string> names = {"Key", "Value", "Flags", "LockIndex", "CreateIndex", "ModifyIndex", "Session",
                                                 "ID", "Name", "Node", "LockDelay", "Behavior", "TTL", "NodeChecks",
                                                 "ServiceChecks", "Service", "Checks", "Port", "Tags", "Meta", "Address",
                                                 "Results", "Errors", "KV", "OpIndex", "What", "Status", "CheckID"};
  std::vector<rc::Gen<nlohmann::json>> leaves = {
      rc::gen::just(nlohmann::json(nullptr)),
      rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return nlohmann::json(b); }),
      rc::gen::map(rc::gen::arbitrary<std::int64_t>(), [](std::int64_t n) { return nlohmann::json(n); }),
      rc::gen::map(rc::gen::arbitrary<std::uint64_t>(), [](std::uint64_t n) { return nlohmann::json(n); }),
      rc::gen::map(rc::gen::arbitrary<double>(), [](double d) { return nlohmann::json(d); }),
      rc::gen::map(tricky_text(), [](std::string s) { return nlohmann::json(std::move(s)); }),
      rc::gen::element(nlohmann::json("dg=="), nlohmann::json("15s"), nlohmann::json("release"), nlohmann::json("x")),
  };
  if (depth <= 0) return rc::gen::oneOf(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], leaves[6]);
  // Small containers: three levels of RapidCheck's default sizes would be millions of nodes.
  auto array = rc::gen::map(rc::gen::resize(4, rc::gen::container<std::vector<nlohmann::json>>(json_value(depth - 1))),
                            [](std::vector<nlohmann::json> items) { return nlohmann::json(std::move(items)); });
  auto object = rc::gen::map(
      rc::gen::resize(6, rc::gen::container<std::vector<std::pair<std::string, nlohmann::json>>>(
                             rc::gen::pair(rc::gen::elementOf(names), json_value(depth - 1)))),
      [](std::vector<std::pair<std::string, nlohmann::json>> fields) {
        nlohmann::json built = nlohmann::json::object();
        for (auto& [name, value] : fields) built[name] = std::move(value);
        return built;
      });
  return rc::gen::oneOf(leaves[0], leaves[2], leaves[5], leaves[6], array, object);
}

// Every decoder, on any body: a value or bad_response, never a crash or an exception.
void decode_everything(const http::Response& response) {
  const auto check = [](const auto& result) {
    if (!result.ok()) RC_ASSERT(result.error().kind == ConsulErrorKind::bad_response);
  };
  check(read_query_meta(response, "/p"));
  check(decode_kv_pairs(response, "/p"));
  check(decode_sessions(response, "/p"));
  check(decode_session_id(response, "/p"));
  check(decode_bool(response, "/p"));
  check(decode_string(response, "/p"));
  check(decode_service_entries(response, "/p"));
  check(decode_catalog_services(response, "/p"));
  check(decode_txn_committed(response, "/p"));
  check(decode_txn_rolled_back(response, "/p"));
}

RC_GTEST_PROP(ConsulDecode, ArbitraryJsonNeverCrashes, ()) {
  const nlohmann::json document = *json_value(3);
  // Wrapped in an array half the time, as most of Consul's answers are.
  const bool wrap = *rc::gen::arbitrary<bool>();
  const nlohmann::json body = wrap ? nlohmann::json::array({document}) : document;
  decode_everything(consul_response(200, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                    *rc::gen::elementOf(std::vector<std::string>{"1", "", "x", "-1", "18446744073709551616"})));
}

RC_GTEST_PROP(ConsulDecode, MangledValidAnswersNeverCrash, ()) {
  static const std::vector<std::string> valid = {
      R"([{"LockIndex":2,"Key":"k","Flags":9,"Value":"aGk=","Session":"sid","CreateIndex":3,"ModifyIndex":11}])",
      R"([{"ID":"s1","Name":"n","Node":"n1","LockDelay":15000000000,"Behavior":"delete","TTL":"30s","NodeChecks":null,"ServiceChecks":[{"ID":"c"}],"CreateIndex":4,"ModifyIndex":4}])",
      R"([{"Node":{"ID":"i","Node":"n","Address":"a","Datacenter":"dc1","TaggedAddresses":{},"Meta":{}},"Service":{"ID":"web","Service":"web","Tags":[],"Address":"","Meta":{},"Port":80},"Checks":[{"Node":"n","CheckID":"c","Name":"c","Status":"passing"}]}])",
      R"({"Results":[{"KV":{"LockIndex":0,"Key":"k","Flags":0,"Value":null,"CreateIndex":5,"ModifyIndex":5}}],"Errors":null})",
      R"({"Errors":[{"OpIndex":1,"What":"x"}]})",
      R"({"web":["a","b"]})",
  };
  std::string body = *rc::gen::elementOf(valid);
  const int edits = *rc::gen::inRange(1, 6);
  for (int i = 0; i < edits && !body.empty(); ++i) {
    const std::size_t at = *rc::gen::inRange<std::size_t>(0, body.size());
    switch (*rc::gen::inRange(0, 3)) {
      case 0: body.erase(at, 1); break;
      case 1: body.insert(at, 1, *rc::gen::element('"', '{', '[', ',', ':', '1', '-', 'n', '\\', '\xff')); break;
      default: body = body.substr(0, at); break;  // truncated, as a cut connection leaves it
    }
  }
  decode_everything(consul_response(200, body));
}

}  // namespace
}  // namespace baton::consul
