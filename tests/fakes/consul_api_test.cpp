// fakes/consul over its HTTP API in virtual time, against consul-semantics.md sections 1-5.
// Each test names the point it checks.
#include "tests/fakes/consul_api_fixture.hpp"

#include "fakes/consul/api/base64.hpp"

namespace baton::fakes::consul::test {
namespace {

using Api = ConsulApiTest;

// §1 "Defaults: Node = agent's node, NodeChecks = Checks = ["serfHealth"], LockDelay = 15s,
// Behavior = "release", TTL = "". Response {"ID":"<uuid>"}." and "Output JSON gives LockDelay
// in integer nanoseconds."
TEST_F(Api, Semantics1_SessionCreateDefaults) {
  const std::string id = create_session("");
  ASSERT_EQ(id.size(), 36u);
  const nlohmann::json info = json(call("GET", "/v1/session/info/" + id))[0];
  EXPECT_EQ(info["Node"], "consul-server-1");
  EXPECT_EQ(info["NodeChecks"], nlohmann::json::array({"serfHealth"}));
  EXPECT_EQ(info["LockDelay"], 15'000'000'000LL);
  EXPECT_EQ(info["Behavior"], "release");
  EXPECT_EQ(info["TTL"], "");
}

// §1 "Body ... keys match case-insensitively"; "`Checks: []` means no checks at all".
TEST_F(Api, Semantics1_LowercaseKeysAndEmptyChecks) {
  const std::string id = create_session(R"({"name":"lock","ttl":"15s","behavior":"delete","checks":[]})");
  const nlohmann::json info = json(call("GET", "/v1/session/info/" + id))[0];
  EXPECT_EQ(info["Name"], "lock");
  EXPECT_EQ(info["TTL"], "15s");
  EXPECT_EQ(info["Behavior"], "delete");
  EXPECT_TRUE(info["NodeChecks"].is_null());
}

// §1 "LockDelay: a string is a Go duration; a number is nanoseconds, and anything under 1000
// is multiplied by 1s (so `5` = 5s)... Capped at MaxLockDelay = 60s."
TEST_F(Api, Semantics1_LockDelayDecoding) {
  auto delay_of = [&](const std::string& value) {
    const std::string id = create_session(R"({"LockDelay":)" + value + "}");
    return json(call("GET", "/v1/session/info/" + id))[0]["LockDelay"].get<std::int64_t>();
  };
  EXPECT_EQ(delay_of("5"), 5'000'000'000LL);
  EXPECT_EQ(delay_of("\"0.001s\""), 1'000'000LL);  // Patroni's lock_delay
  EXPECT_EQ(delay_of("2000000000"), 2'000'000'000LL);
  EXPECT_EQ(delay_of("\"90s\""), 60'000'000'000LL);
}

// §1 "Validation: ... Behavior must be release|delete ("Invalid Behavior setting '%s'");
// non-zero TTL must be within [session_ttl_min = 10s, 24h]: "Invalid Session TTL '%d', must be
// between [%v=%v]" (the %d prints nanoseconds), returned as a plain 500. "", "0", "0s" mean no TTL."
TEST_F(Api, Semantics1_SessionValidationTexts) {
  http::Response behavior = call("PUT", "/v1/session/create", R"({"Behavior":"explode"})");
  EXPECT_EQ(behavior.status, 500);
  EXPECT_EQ(behavior.body, "Invalid Behavior setting 'explode'");
  http::Response ttl = call("PUT", "/v1/session/create", R"({"TTL":"5s"})");
  EXPECT_EQ(ttl.status, 500);
  EXPECT_EQ(ttl.body, "Invalid Session TTL '5000000000', must be between [10s=24h0m0s]");
  for (const char* none : {"\"\"", "\"0\"", "\"0s\""}) {
    EXPECT_EQ(call("PUT", "/v1/session/create", std::string(R"({"TTL":)") + none + "}").status, 200) << none;
  }
  http::Response missing_check = call("PUT", "/v1/session/create", R"({"Checks":["nope"]})");
  EXPECT_EQ(missing_check.status, 500);
  EXPECT_EQ(missing_check.body, "Missing check 'nope' registration");
}

// §1 renew: "200 with [session], timer reset. Unknown id: 404, body `Session id '<id>' not
// found`. Empty id: 400 `Missing session`. Session with no TTL: 200, no-op."
TEST_F(Api, Semantics1_RenewAnswers) {
  http::Response unknown = call("PUT", "/v1/session/renew/abc");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body, "Session id 'abc' not found");
  http::Response empty = call("PUT", "/v1/session/renew/");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(empty.body, "Missing session");
  const std::string no_ttl = create_session();
  http::Response renewed = call("PUT", "/v1/session/renew/" + no_ttl);
  EXPECT_EQ(renewed.status, 200);
  EXPECT_EQ(json(renewed)[0]["ID"], no_ttl);
}

// §1 "destroy: 200 `true`, also for an unknown id"; "info: array; missing -> 200 `[]` (never
// 404)"; "list, node: arrays, `[]` when empty."
TEST_F(Api, Semantics1_DestroyInfoListShapes) {
  EXPECT_EQ(call("PUT", "/v1/session/destroy/unknown").body, "true");
  http::Response info = call("GET", "/v1/session/info/unknown");
  EXPECT_EQ(info.status, 200);
  EXPECT_EQ(info.body, "[]");
  EXPECT_EQ(call("GET", "/v1/session/list").body, "[]");
  EXPECT_EQ(call("GET", "/v1/session/node/nobody").body, "[]");
}

// §1 "TTL expiry: the timer is TTL x SessionTTLMultiplier (= 2). The TTL is a lower bound."
// A renew resets the timer to a full 2 x TTL.
TEST_F(Api, Semantics1_TtlSessionExpiresAtTwiceTheTtlAfterTheLastRenew) {
  const std::int64_t created_at = world_.now_ns();
  const std::string id = create_session(R"({"TTL":"10s","LockDelay":"0s"})");
  ASSERT_EQ(call("PUT", "/v1/kv/leader?acquire=" + id, "me").body, "true");
  world_.run_until(created_at + seconds(15));
  ASSERT_EQ(call("PUT", "/v1/session/renew/" + id).status, 200);
  const std::int64_t renewed_at = world_.now_ns();
  world_.run_until(renewed_at + seconds(20) - ms(1));
  EXPECT_EQ(json(call("GET", "/v1/session/info/" + id)).size(), 1u) << "alive just before 2 x TTL";
  world_.run_until(renewed_at + seconds(20) + ms(1));
  EXPECT_EQ(json(call("GET", "/v1/session/info/" + id)).size(), 0u) << "gone just after 2 x TTL";
  EXPECT_FALSE(json(call("GET", "/v1/kv/leader"))[0].contains("Session")) << "release behavior freed the lock";
}

// §1 "Lock-delay enforcement: only for ?acquire=, checked on the Consul leader's clock, keyed
// by key only: every session is refused during the delay, a brand-new one too. Result: HTTP
// 200, body `false`, nothing written. Not applied to ?release, plain PUT or DELETE."
TEST_F(Api, Semantics1_LockDelayRefusesEveryAcquireOfTheKey) {
  const std::string first = create_session(R"({"LockDelay":"15s"})");
  const std::string second = create_session();
  ASSERT_EQ(call("PUT", "/v1/kv/leader?acquire=" + first, "a").body, "true");
  ASSERT_EQ(call("PUT", "/v1/session/destroy/" + first).body, "true");
  const std::int64_t destroyed_at = world_.now_ns();

  http::Response refused = call("PUT", "/v1/kv/leader?acquire=" + second, "b");
  EXPECT_EQ(refused.status, 200);
  EXPECT_EQ(refused.body, "false");
  EXPECT_EQ(base64_decode(json(call("GET", "/v1/kv/leader"))[0]["Value"].get<std::string>()), "a") << "nothing written";
  const std::string brand_new = create_session();
  EXPECT_EQ(call("PUT", "/v1/kv/leader?acquire=" + brand_new, "c").body, "false");
  EXPECT_EQ(call("PUT", "/v1/kv/leader", "plain").body, "true") << "plain PUT is not delayed";
  EXPECT_EQ(call("PUT", "/v1/kv/other?acquire=" + second, "x").body, "true") << "keyed by key only";

  world_.run_until(destroyed_at + seconds(15) + ms(1));
  EXPECT_EQ(call("PUT", "/v1/kv/leader?acquire=" + second, "b").body, "true");
}

// §2 "PUT: raw body value (not base64); over kv_max_value_size -> 413; missing key -> 400
// `Missing key name`; `?flags=<uint64>`. cas/acquire/release are mutually exclusive: 400
// `Conflicting flags: ...`. Response JSON `true`/`false`."
TEST_F(Api, Semantics2_PutAnswers) {
  EXPECT_EQ(call("PUT", "/v1/kv/cfg?flags=42", "raw bytes").body, "true");
  const nlohmann::json entry = json(call("GET", "/v1/kv/cfg"))[0];
  EXPECT_EQ(entry["Value"], base64_encode("raw bytes"));
  EXPECT_EQ(entry["Flags"], 42);
  EXPECT_EQ(entry["LockIndex"], 0);
  EXPECT_FALSE(entry.contains("Session")) << "absent when unlocked";

  http::Response missing = call("PUT", "/v1/kv/", "x");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body, "Missing key name");
  http::Response conflicting = call("PUT", "/v1/kv/k?release=b&cas=1", "x");
  EXPECT_EQ(conflicting.status, 400);
  EXPECT_EQ(conflicting.body, "Conflicting flags: cas=1&release=b");
  http::Response too_big = call("PUT", "/v1/kv/big", std::string(512 * 1024 + 1, 'x'));
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(call("PUT", "/v1/kv/big", std::string(512 * 1024, 'x')).status, 200);
}

// §2 acquire errors: "empty sid -> error `missing session`; unknown sid -> error `invalid
// session "<sid>"` as HTTP 500 (clients match on that prefix)".
TEST_F(Api, Semantics2_AcquireErrorsAre500s) {
  http::Response empty = call("PUT", "/v1/kv/k?acquire=", "x");
  EXPECT_EQ(empty.status, 500);
  EXPECT_EQ(empty.body, "missing session");
  http::Response unknown = call("PUT", "/v1/kv/k?acquire=0000", "x");
  EXPECT_EQ(unknown.status, 500);
  EXPECT_EQ(unknown.body, "invalid session \"0000\"");
}

// §2 GET: "`?recurse`, `?keys` (+`separator`), `?raw` (text/plain). 404 for a missing key, an
// empty recurse, or empty `?keys` under a non-empty prefix (empty prefix -> `[]`). 404
// responses still carry X-Consul-Index, X-Consul-LastContact, X-Consul-KnownLeader."
TEST_F(Api, Semantics2_GetShapesAnd404Headers) {
  http::Response missing = call("GET", "/v1/kv/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.header("X-Consul-Index").has_value());
  EXPECT_EQ(missing.header("X-Consul-KnownLeader"), "true");
  EXPECT_EQ(missing.header("X-Consul-LastContact"), "0");
  EXPECT_EQ(call("GET", "/v1/kv/nothing/?recurse").status, 404);
  EXPECT_EQ(call("GET", "/v1/kv/nothing/?keys").status, 404);
  EXPECT_EQ(call("GET", "/v1/kv/?keys").body, "[]");

  call("PUT", "/v1/kv/app/a", "1");
  call("PUT", "/v1/kv/app/sub/b", "2");
  EXPECT_EQ(json(call("GET", "/v1/kv/app/?recurse")).size(), 2u);
  EXPECT_EQ(call("GET", "/v1/kv/app/?keys&separator=/").body, R"(["app/a","app/sub/"])");
  http::Response raw = call("GET", "/v1/kv/app/a?raw");
  EXPECT_EQ(raw.body, "1");
  EXPECT_EQ(raw.header("Content-Type"), "text/plain; charset=utf-8");
}

// §2 "Index reported: a single existing key -> its own ModifyIndex" over HTTP (what Patroni
// needs to watch its leader key).
TEST_F(Api, Semantics2_SingleKeyReportsItsOwnModifyIndex) {
  call("PUT", "/v1/kv/watched", "1");
  const std::string own = json(call("GET", "/v1/kv/watched"))[0]["ModifyIndex"].dump();
  call("PUT", "/v1/kv/unrelated", "2");
  EXPECT_EQ(index_of(call("GET", "/v1/kv/watched")), own);
}

// §2 DELETE: "empty key only with recurse; ?cas=N returns true also when the key is absent;
// recurse+cas -> 400."
TEST_F(Api, Semantics2_DeleteAnswers) {
  EXPECT_EQ(call("DELETE", "/v1/kv/").status, 400);
  EXPECT_EQ(call("DELETE", "/v1/kv/absent?cas=5").body, "true");
  http::Response conflicting = call("DELETE", "/v1/kv/x?recurse&cas=1");
  EXPECT_EQ(conflicting.status, 400);
  call("PUT", "/v1/kv/a", "1");
  EXPECT_EQ(call("DELETE", "/v1/kv/?recurse").body, "true");
  EXPECT_EQ(call("GET", "/v1/kv/a").status, 404);
}

// §2 txn: "max 64 ops (413 past it); success 200 {"Results":[{"KV":...}],"Errors":null}; any
// error rolls back: 409 with Errors:[{"OpIndex","What"}]".
TEST_F(Api, Semantics2_TxnOverHttp) {
  std::string too_many = "[";
  for (int i = 0; i < 65; ++i) too_many += std::string(i ? "," : "") + R"({"KV":{"Verb":"get","Key":"k"}})";
  http::Response big = call("PUT", "/v1/txn", too_many + "]");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.body, "Transaction contains too many operations (65 > 64)");

  http::Response ok = call("PUT", "/v1/txn", R"([{"KV":{"Verb":"set","Key":"t","Value":")" + base64_encode("v") + R"("}},{"KV":{"Verb":"get","Key":"t"}}])");
  ASSERT_EQ(ok.status, 200) << ok.body;
  const nlohmann::json body = json(ok);
  EXPECT_TRUE(body["Errors"].is_null());
  EXPECT_TRUE(body["Results"][0]["KV"]["Value"].is_null());
  EXPECT_EQ(body["Results"][1]["KV"]["Value"], base64_encode("v"));

  http::Response failed = call("PUT", "/v1/txn", R"([{"KV":{"Verb":"set","Key":"t","Value":"eA=="}},{"KV":{"Verb":"check-index","Key":"t","Index":1}}])");
  EXPECT_EQ(failed.status, 409);
  EXPECT_TRUE(json(failed)["Results"].is_null());
  EXPECT_EQ(json(failed)["Errors"][0]["OpIndex"], 1);
  EXPECT_EQ(base64_decode(json(call("GET", "/v1/kv/t"))[0]["Value"].get<std::string>()), "v") << "rolled back";
}

// §3 "bad wait -> 400 `Invalid wait time`; bad index -> 400 `Invalid index`";
// "stale+consistent -> 400 `Cannot specify ?stale with ?consistent, conflicting semantics.`"
TEST_F(Api, Semantics3_BadQueryOptions) {
  EXPECT_EQ(call("GET", "/v1/kv/k?index=1&wait=forever").body, "Invalid wait time");
  EXPECT_EQ(call("GET", "/v1/kv/k?index=-1").body, "Invalid index");
  http::Response both = call("GET", "/v1/kv/k?stale&consistent");
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(both.body, "Cannot specify ?stale with ?consistent, conflicting semantics.");
}

// §3 "Returns as soon as the result's index > requested index"; "A missing key keeps blocking
// until it appears or the timeout."
TEST_F(Api, Semantics3_BlockingGetWakesOnTheChange) {
  const std::string index = index_of(call("GET", "/v1/kv/later"));
  Pending waiting = start("GET", "/v1/kv/later?index=" + index + "&wait=60s");
  world_.run_for(seconds(5));
  EXPECT_FALSE(*waiting) << "still blocking while the key is missing";
  const std::int64_t written_at = world_.now_ns();
  call("PUT", "/v1/kv/later", "here");
  http::Response response = finish(waiting);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(world_.now_ns(), written_at);
  EXPECT_NE(index_of(response), index);
}

// §3 "on timeout returns 200 with current data"; "a random jitter of up to wait/16 is added";
// "index 0 or absent = non-blocking, wait ignored".
TEST_F(Api, Semantics3_TimeoutWithJitterAndIndexZero) {
  call("PUT", "/v1/kv/still", "1");
  const std::string index = index_of(call("GET", "/v1/kv/still"));
  const std::int64_t asked_at = world_.now_ns();
  http::Response timed_out = call("GET", "/v1/kv/still?index=" + index + "&wait=16s");
  EXPECT_EQ(timed_out.status, 200);
  EXPECT_GE(world_.now_ns() - asked_at, seconds(16));
  EXPECT_LT(world_.now_ns() - asked_at, seconds(17));
  const std::int64_t before = world_.now_ns();
  call("GET", "/v1/kv/still?index=0&wait=16s");
  EXPECT_EQ(world_.now_ns(), before);
}

// §3 "wait over max_query_time (600s) is clamped; wait <= 0 uses default_query_time (300s)".
TEST_F(Api, Semantics3_WaitClampAndDefault) {
  call("PUT", "/v1/kv/k", "1");
  const std::string index = index_of(call("GET", "/v1/kv/k"));
  std::int64_t start_ns = world_.now_ns();
  call("GET", "/v1/kv/k?index=" + index + "&wait=2h");
  EXPECT_GE(world_.now_ns() - start_ns, seconds(600));
  EXPECT_LE(world_.now_ns() - start_ns, seconds(600) + seconds(600) / 16);
  start_ns = world_.now_ns();
  call("GET", "/v1/kv/k?index=" + index);
  EXPECT_GE(world_.now_ns() - start_ns, seconds(300));
  EXPECT_LE(world_.now_ns() - start_ns, seconds(300) + seconds(300) / 16);
}

// §4 "?passing (no value = true; bad value -> 400 `Invalid value for ?passing`), ?tag
// (repeatable)"; "arrays are `[]`, never null"; CE namespaces -> 400.
TEST_F(Api, Semantics4_HealthServiceFilters) {
  EXPECT_EQ(call("GET", "/v1/health/service/web").body, "[]");
  ASSERT_EQ(call("PUT", "/v1/catalog/register", R"({"Node":"n1","Address":"10.0.0.1",
      "Service":{"Service":"web","Tags":["a","b"],"Port":80},
      "Check":{"CheckID":"web-ok","Name":"web","Status":"passing","ServiceID":"web"}})").status, 200);
  ASSERT_EQ(call("PUT", "/v1/catalog/register", R"({"Node":"n2","Address":"10.0.0.2",
      "Service":{"Service":"web","Tags":["a"],"Port":80},
      "Check":{"CheckID":"web-bad","Name":"web","Status":"critical","ServiceID":"web"}})").status, 200);
  EXPECT_EQ(json(call("GET", "/v1/health/service/web")).size(), 2u);
  EXPECT_EQ(json(call("GET", "/v1/health/service/web?passing")).size(), 1u);
  EXPECT_EQ(json(call("GET", "/v1/health/service/web?passing=false")).size(), 2u);
  EXPECT_EQ(json(call("GET", "/v1/health/service/web?tag=a&tag=b")).size(), 1u);
  EXPECT_EQ(call("GET", "/v1/health/service/web?passing=maybe").body, "Invalid value for ?passing");
  http::Response ns = call("GET", "/v1/health/service/web?ns=team");
  EXPECT_EQ(ns.status, 400);
  EXPECT_EQ(ns.body, "Invalid query parameter: \"ns\" - Namespaces are a Consul Enterprise feature");
  const nlohmann::json entry = json(call("GET", "/v1/health/service/web?passing"))[0];
  EXPECT_EQ(entry["Node"]["Node"], "n1");
  EXPECT_EQ(entry["Service"]["Port"], 80);
  EXPECT_EQ(entry["Checks"][0]["Status"], "passing");
}

// §4 "GET /v1/catalog/services: map name -> tags, `{}` when empty. GET
// /v1/catalog/service/:name: flat array ... `[]` when empty."; status endpoints.
TEST_F(Api, Semantics4_CatalogAndStatusShapes) {
  EXPECT_EQ(json(call("GET", "/v1/catalog/services")), nlohmann::json::object()) << "only the server node, no services";
  EXPECT_EQ(call("GET", "/v1/catalog/service/none").body, "[]");
  call("PUT", "/v1/catalog/register", R"({"Node":"n1","Address":"10.0.0.1","Service":{"Service":"db","Tags":["x"]}})");
  EXPECT_EQ(json(call("GET", "/v1/catalog/services")), nlohmann::json({{"db", {"x"}}}));
  EXPECT_EQ(json(call("GET", "/v1/catalog/service/db"))[0]["ServiceName"], "db");
  EXPECT_EQ(call("GET", "/v1/status/leader").body, "\"127.0.0.1:8300\"");
  EXPECT_EQ(call("GET", "/v1/status/peers").body, "[\"127.0.0.1:8300\"]");
}

// §5 "Token sources, in priority: ?token=, X-Consul-Token, Authorization: Bearer <t>." Consul's
// parseTokenFromHeaders matches the scheme case-insensitively, trims the value and keeps its
// first word; anything else in Authorization gives no token (the anonymous one).
TEST(Semantics5_BearerToken, ParsedAsConsulDoes) {
  EXPECT_EQ(bearer_token("Bearer root"), "root");
  EXPECT_EQ(bearer_token("bearer root"), "root");
  EXPECT_EQ(bearer_token("BEARER root"), "root");
  EXPECT_EQ(bearer_token("Bearer   root  "), "root");
  EXPECT_EQ(bearer_token("Bearer root extra"), "root");
  EXPECT_EQ(bearer_token("Bearer"), "");
  EXPECT_EQ(bearer_token("Bearer "), "");
  EXPECT_EQ(bearer_token("Basic cm9vdDpyb290"), "");
  EXPECT_EQ(bearer_token("root"), "");
}

class BearerOverHttp : public ::testing::Test, public ConsulHarness {
 protected:
  BearerOverHttp()
      : ConsulHarness(ConsulServerOptions{.acl = {.enabled = true, .default_access = Access::deny, .management_token = "root"}}) {}
};

TEST_F(BearerOverHttp, Semantics5_SchemeIsCaseInsensitive) {
  EXPECT_EQ(call("PUT", "/v1/kv/a", "1", {{"Authorization", "bearer root"}}).status, 200);
  EXPECT_EQ(call("PUT", "/v1/kv/a", "2", {{"Authorization", "Bearer  root"}}).status, 200);
  EXPECT_EQ(call("PUT", "/v1/kv/a", "3", {{"Authorization", "Basic root"}}).status, 403) << "not a bearer token: anonymous";
}

}  // namespace
}  // namespace baton::fakes::consul::test
