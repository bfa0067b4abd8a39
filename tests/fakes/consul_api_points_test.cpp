// fakes/consul over its HTTP API in virtual time: points of consul-semantics.md sections 1-5
// that an audit of the other files found unasserted in process (they were checked over HTTP
// only, by tests/conformance/http_semantics_test.py). Each test names its point.
#include "tests/fakes/consul_api_fixture.hpp"

namespace baton::fakes::consul::test {
namespace {

using ApiPoints = ConsulApiTest;

// §1 "`["serfHealth"]` is folded into NodeChecks."
TEST_F(ApiPoints, Semantics1_ExplicitSerfHealthIsFoldedIntoNodeChecks) {
  const std::string id = create_session(R"({"Checks":["serfHealth"]})");
  const nlohmann::json info = json(call("GET", "/v1/session/info/" + id))[0];
  EXPECT_EQ(info["NodeChecks"], nlohmann::json::array({"serfHealth"}));
}

// §1 "Validation: Node required ("Must provide Node") ... TTL within [session_ttl_min, 24h]:
// "Invalid Session TTL '%d', must be between [%v=%v]" (the %d prints nanoseconds)".
TEST_F(ApiPoints, Semantics1_NodeRequiredAndTtlUpperBound) {
  const http::Response no_node = call("PUT", "/v1/session/create", R"({"Node":""})");
  EXPECT_EQ(no_node.status, 500);
  EXPECT_EQ(no_node.body, "Must provide Node");
  const http::Response too_long = call("PUT", "/v1/session/create", R"({"TTL":"25h"})");
  EXPECT_EQ(too_long.status, 500);
  EXPECT_EQ(too_long.body, "Invalid Session TTL '90000000000000', must be between [10s=24h0m0s]");
  EXPECT_EQ(call("PUT", "/v1/session/create", R"({"TTL":"24h"})").status, 200) << "the bound itself is allowed";
}

// §1 "`GET /v1/session/info/:id` ... supports blocking": a destroy wakes the query with [].
TEST_F(ApiPoints, Semantics1_SessionInfoBlocksUntilTheSessionChanges) {
  const std::string id = create_session();
  const http::Response first = call("GET", "/v1/session/info/" + id);
  const std::string index(first.header("X-Consul-Index").value_or("0"));
  Pending blocked = start("GET", "/v1/session/info/" + id + "?index=" + index + "&wait=60s");
  world_.run_for(seconds(5));
  EXPECT_FALSE(blocked->has_value()) << "no change yet: still blocking";
  EXPECT_EQ(call("PUT", "/v1/session/destroy/" + id).body, "true");
  const http::Response woken = finish(blocked);
  EXPECT_EQ(woken.status, 200);
  EXPECT_EQ(woken.body, "[]");
  EXPECT_GT(std::stoull(std::string(woken.header("X-Consul-Index").value_or("0"))), std::stoull(index));
}

// §1 lock-delay is "Not applied to `?release`, plain PUT or DELETE": DELETE during the delay.
TEST_F(ApiPoints, Semantics1_LockDelayDoesNotStopADelete) {
  const std::string holder = create_session(R"({"LockDelay":"30s"})");
  ASSERT_EQ(call("PUT", "/v1/kv/k?acquire=" + holder, "v").body, "true");
  ASSERT_EQ(call("PUT", "/v1/session/destroy/" + holder).body, "true");
  ASSERT_EQ(call("PUT", "/v1/kv/k?acquire=" + create_session(), "w").body, "false") << "the delay is in force";
  const http::Response deleted = call("DELETE", "/v1/kv/k");
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, "true");
  EXPECT_EQ(call("GET", "/v1/kv/k").status, 404);
}

// §2 "Index reported ... Never 0" and §3 "`X-Consul-Index` (0 replaced by 1)": a store with no
// KV write yet reports 1 for a missing key, an empty recurse and an empty ?keys.
TEST_F(ApiPoints, Semantics3_IndexZeroIsReportedAsOne) {
  for (const char* target : {"/v1/kv/missing", "/v1/kv/missing?recurse", "/v1/kv/?keys"}) {
    const http::Response response = call("GET", target);
    EXPECT_EQ(response.header("X-Consul-Index").value_or(""), "1") << target;
  }
}

// §3 "Consistency: `?stale`, `?consistent`, `?leader`": each is accepted and answers the value.
TEST_F(ApiPoints, Semantics3_EveryConsistencyModeIsAccepted) {
  ASSERT_EQ(call("PUT", "/v1/kv/k", "v").body, "true");
  for (const char* mode : {"?stale", "?consistent", "?leader"}) {
    const http::Response response = call("GET", std::string("/v1/kv/k") + mode);
    EXPECT_EQ(response.status, 200) << mode;
    EXPECT_EQ(json(response)[0]["Value"], "dg==") << mode;
  }
}

// §3 "A missing key keeps blocking until it appears or the timeout": at the timeout, a 404
// that still carries the index headers.
TEST_F(ApiPoints, Semantics3_AMissingKeyBlocksUntilTheTimeout) {
  const std::int64_t asked_at = world_.now_ns();
  const http::Response response = call("GET", "/v1/kv/missing?index=1&wait=5s");
  EXPECT_EQ(response.status, 404);
  EXPECT_GE(world_.now_ns() - asked_at, seconds(5));
  EXPECT_TRUE(response.header("X-Consul-Index").has_value());
  EXPECT_TRUE(response.header("X-Consul-KnownLeader").has_value());
  EXPECT_TRUE(response.header("X-Consul-LastContact").has_value());
}

// §4 "`GET /v1/agent/self`: `{Config:{Datacenter, NodeName, NodeID, Server, Version, ...},
// Member, ...}`".
TEST_F(ApiPoints, Semantics4_AgentSelfShape) {
  const nlohmann::json self = json(call("GET", "/v1/agent/self"));
  for (const char* field : {"Datacenter", "NodeName", "NodeID", "Server", "Version"}) {
    EXPECT_TRUE(self["Config"].contains(field)) << field;
  }
  EXPECT_EQ(self["Config"]["Datacenter"], "dc1");
  EXPECT_TRUE(self.contains("Member"));
}

// §4 "Registration: `PUT /v1/agent/service/register`, `/v1/agent/service/deregister/:id`,
// `PUT /v1/catalog/register`, `/v1/catalog/deregister`."
TEST_F(ApiPoints, Semantics4_RegisterAndDeregisterThroughAgentAndCatalog) {
  EXPECT_EQ(call("PUT", "/v1/agent/service/register", R"({"ID":"web-1","Name":"web","Port":80})").status, 200);
  ASSERT_EQ(json(call("GET", "/v1/catalog/service/web")).size(), 1u);
  EXPECT_EQ(call("PUT", "/v1/agent/service/deregister/web-1").status, 200);
  EXPECT_EQ(call("GET", "/v1/catalog/service/web").body, "[]");

  ASSERT_EQ(call("PUT", "/v1/catalog/register", R"({"Node":"n1","Address":"10.0.0.1","Service":{"ID":"db-1","Service":"db"}})").body, "true");
  EXPECT_EQ(call("PUT", "/v1/catalog/deregister", R"({"Node":"n1","ServiceID":"db-1"})").body, "true");
  EXPECT_EQ(call("GET", "/v1/catalog/service/db").body, "[]");
  EXPECT_EQ(call("PUT", "/v1/catalog/deregister", R"({"Node":"n1"})").body, "true");
}

// §4 "In Community Edition `?ns` or X-Consul-Namespace -> 400" and §5 "namespace write:
// Enterprise only": writes with a namespace are refused and write nothing.
TEST_F(ApiPoints, Semantics5_NamespacesAreRefusedOnWritesAndByHeader) {
  const std::string text = "Invalid query parameter: \"ns\" - Namespaces are a Consul Enterprise feature";
  const http::Response put = call("PUT", "/v1/kv/k?ns=team", "v");
  EXPECT_EQ(put.status, 400);
  EXPECT_EQ(put.body, text);
  EXPECT_EQ(call("GET", "/v1/kv/k").status, 404) << "nothing written";
  EXPECT_EQ(call("PUT", "/v1/session/create?ns=team").status, 400);
  const http::Response header = call("GET", "/v1/health/service/web", {}, {{"X-Consul-Namespace", "team"}});
  EXPECT_EQ(header.status, 400);
}

// §5 "rate limited -> 429": a deliberate difference (fakes/consul/README.md). The fake has no
// rate limiter, as Consul has none by default (limits.rpc_rate = -1, request_limits mode
// "disabled"): a burst of writes and reads arriving in the same instant is answered in full.
TEST_F(ApiPoints, DeliberateDifference_NoRateLimiterABurstIsNever429) {
  constexpr int kBurst = 200;
  std::vector<Pending> writes;
  std::vector<Pending> reads;
  for (int i = 0; i < kBurst; ++i) {
    writes.push_back(start("PUT", "/v1/kv/burst/" + std::to_string(i), "v"));
    reads.push_back(start("GET", "/v1/kv/burst/" + std::to_string(i)));
  }
  for (const Pending& write : writes) EXPECT_EQ(finish(write).body, "true");
  for (const Pending& read : reads) {
    const int status = finish(read).status;
    EXPECT_TRUE(status == 200 || status == 404) << status;  // 404: answered before its write
  }
  EXPECT_EQ(json(call("GET", "/v1/kv/burst/?keys")).size(), std::size_t(kBurst));
}

}  // namespace
}  // namespace baton::fakes::consul::test
