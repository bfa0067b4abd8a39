// ACLs of the fake Consul over its HTTP API: consul-semantics.md section 5.
#include "tests/fakes/consul_api_fixture.hpp"

namespace baton::fakes::consul::test {
namespace {

ConsulServerOptions with_acls(Access default_access) {
  return ConsulServerOptions{.acl = {.enabled = true, .default_access = default_access, .management_token = "root"}};
}

class Acl : public ::testing::Test, public ConsulHarness {
 protected:
  Acl() : ConsulHarness(with_acls(Access::deny)) {}

  // A token holding one policy made of `rules` (Consul's JSON rule syntax).
  std::string token_with(const std::string& name, const std::string& rules) {
    http::Response policy = call("PUT", "/v1/acl/policy?token=root", nlohmann::json({{"Name", name}, {"Rules", rules}}).dump());
    EXPECT_EQ(policy.status, 200) << policy.body;
    http::Response token = call("PUT", "/v1/acl/token?token=root",
                                nlohmann::json({{"Policies", {{{"Name", name}}}}}).dump());
    EXPECT_EQ(token.status, 200) << token.body;
    return json(token).value("SecretID", "");
  }

  // The AccessorID that 403 texts name for the token with this secret.
  std::string accessor_of(const std::string& secret) const {
    const AclToken* token = server_.store().acl().token_by_secret(secret);
    return token != nullptr ? token->accessor_id : "";
  }
  // Consul's denial text (acl.PermissionDeniedByACL), spelt out here so a change in the fake's
  // formatting shows.
  std::string denied_text(const std::string& secret, const std::string& permission, const std::string& name) const {
    return "Permission denied: token with AccessorID '" + accessor_of(secret) + "' lacks permission '" + permission + "' on \"" +
           name + "\"";
  }
};

// §5 "Permission denied ... -> 403 with the text"; "Denied text starts with `Permission denied`
// (newer: `: token with AccessorID '<id>' lacks permission 'key:write' on "<key>"`)"; "Default
// policy" applies to the anonymous token.
TEST_F(Acl, Semantics5_AnonymousRequestsMeetTheDefaultPolicy) {
  http::Response put = call("PUT", "/v1/kv/a", "x");
  EXPECT_EQ(put.status, 403);
  EXPECT_EQ(put.body, "Permission denied: token with AccessorID '00000000-0000-0000-0000-000000000002' lacks permission 'key:write' on \"a\"");
  EXPECT_EQ(call("GET", "/v1/kv/a").status, 403);
}

// §5 "ACL not found" -> 403.
TEST_F(Acl, Semantics5_UnknownTokenIsACLNotFound) {
  http::Response response = call("GET", "/v1/kv/a?token=nope");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.body, "ACL not found");
}

// §5 "Token sources, in priority: ?token=, X-Consul-Token, Authorization: Bearer <t>."
TEST_F(Acl, Semantics5_TokenSourcesInPriorityOrder) {
  EXPECT_EQ(call("PUT", "/v1/kv/a?token=root", "1").status, 200);
  EXPECT_EQ(call("PUT", "/v1/kv/a", "2", {{"X-Consul-Token", "root"}}).status, 200);
  EXPECT_EQ(call("PUT", "/v1/kv/a", "3", {{"Authorization", "Bearer root"}}).status, 200);
  EXPECT_EQ(call("PUT", "/v1/kv/a?token=nope", "4", {{"X-Consul-Token", "root"}}).body, "ACL not found") << "?token= wins";
  EXPECT_EQ(call("PUT", "/v1/kv/a", "5", {{"X-Consul-Token", "nope"}, {"Authorization", "Bearer root"}}).status, 403);
}

// §5 "KV writes (put, acquire, release, delete) need key:write on the key (key or key_prefix
// rule); KV get needs key:read." Exact rules win for their key; lists leave out what the token
// cannot read.
TEST_F(Acl, Semantics5_KeyRulesExactBeatsPrefixAndListsAreFiltered) {
  const std::string app = token_with("app", R"({"key_prefix":{"app/":{"policy":"write"}},"key":{"app/secret":{"policy":"deny"}}})");
  EXPECT_EQ(call("PUT", "/v1/kv/app/config?token=" + app, "v").status, 200);
  EXPECT_EQ(call("GET", "/v1/kv/app/config?token=" + app).status, 200);
  EXPECT_EQ(call("PUT", "/v1/kv/app/secret?token=" + app, "v").status, 403);
  EXPECT_EQ(call("PUT", "/v1/kv/other?token=" + app, "v").status, 403);
  call("PUT", "/v1/kv/app/secret?token=root", "hidden");
  const nlohmann::json listed = json(call("GET", "/v1/kv/app/?recurse&token=" + app));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["Key"], "app/config");
  EXPECT_EQ(call("DELETE", "/v1/kv/app/?recurse&token=" + app).status, 403) << "a deny rule lies beneath the prefix";
}

// Consul merges a token's policies with deny first, then write, then read.
TEST_F(Acl, DenyWinsAcrossPolicies) {
  call("PUT", "/v1/acl/policy?token=root", R"({"Name":"w","Rules":"{\"key_prefix\":{\"\":{\"policy\":\"write\"}}}"})");
  call("PUT", "/v1/acl/policy?token=root", R"({"Name":"d","Rules":"{\"key_prefix\":{\"\":{\"policy\":\"deny\"}}}"})");
  const std::string both = json(call("PUT", "/v1/acl/token?token=root", R"({"Policies":[{"Name":"w"},{"Name":"d"}]})")).value("SecretID", "");
  EXPECT_EQ(call("PUT", "/v1/kv/x?token=" + both, "v").status, 403);
}

// §5 "session create/renew/destroy need session:write on the node".
TEST_F(Acl, Semantics5_SessionsNeedSessionWriteOnTheNode) {
  const std::string reader = token_with("reader", R"({"key_prefix":{"":{"policy":"read"}}})");
  http::Response refused = call("PUT", "/v1/session/create?token=" + reader, "{}");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body.substr(0, 17), "Permission denied");
  const std::string writer = token_with("sessions", R"({"session_prefix":{"":{"policy":"write"}},"key_prefix":{"":{"policy":"write"}}})");
  const std::string id = json(call("PUT", "/v1/session/create?token=" + writer, "{}")).value("ID", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(call("PUT", "/v1/session/renew/" + id + "?token=" + reader).status, 403);
  EXPECT_EQ(call("PUT", "/v1/session/renew/" + id + "?token=" + writer).status, 200);
  EXPECT_EQ(call("PUT", "/v1/kv/leader?acquire=" + id + "&token=" + writer, "me").body, "true");
}

// §5 "session create/renew/destroy need session:write on the node": Session.Apply checks the
// destroy against the session's node; refused, the session lives on.
TEST_F(Acl, Semantics5_SessionDestroyNeedsSessionWrite) {
  const std::string writer = token_with("sessions", R"({"session_prefix":{"":{"policy":"write"}}})");
  const std::string reader = token_with("reader", R"({"session_prefix":{"":{"policy":"read"}}})");
  const std::string id = json(call("PUT", "/v1/session/create?token=" + writer, "{}")).value("ID", "");
  ASSERT_FALSE(id.empty());
  http::Response refused = call("PUT", "/v1/session/destroy/" + id + "?token=" + reader);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body, denied_text(reader, "session:write", "consul-server-1"));
  EXPECT_EQ(json(call("GET", "/v1/session/info/" + id + "?token=root")).size(), 1u) << "still alive";
  EXPECT_EQ(call("PUT", "/v1/session/destroy/" + id + "?token=" + writer).body, "true");
  EXPECT_EQ(json(call("GET", "/v1/session/info/" + id + "?token=root")).size(), 0u);
}

// §5 "KV writes (put, acquire, release, delete) need key:write on the key": key:read is not
// enough to take or give back a lock, whatever the session.
TEST_F(Acl, Semantics5_AcquireAndReleaseNeedKeyWrite) {
  const std::string writer = token_with("locker", R"({"session_prefix":{"":{"policy":"write"}},"key_prefix":{"locks/":{"policy":"write"}}})");
  const std::string reader = token_with("watcher", R"({"session_prefix":{"":{"policy":"write"}},"key_prefix":{"locks/":{"policy":"read"}}})");
  const std::string id = json(call("PUT", "/v1/session/create?token=" + writer, "{}")).value("ID", "");
  ASSERT_FALSE(id.empty());

  http::Response acquire = call("PUT", "/v1/kv/locks/leader?acquire=" + id + "&token=" + reader, "me");
  EXPECT_EQ(acquire.status, 403);
  EXPECT_EQ(acquire.body, denied_text(reader, "key:write", "locks/leader"));
  EXPECT_EQ(call("GET", "/v1/kv/locks/leader?token=root").status, 404) << "nothing written";

  ASSERT_EQ(call("PUT", "/v1/kv/locks/leader?acquire=" + id + "&token=" + writer, "me").body, "true");
  http::Response release = call("PUT", "/v1/kv/locks/leader?release=" + id + "&token=" + reader, "me");
  EXPECT_EQ(release.status, 403);
  EXPECT_EQ(release.body, denied_text(reader, "key:write", "locks/leader"));
  EXPECT_EQ(json(call("GET", "/v1/kv/locks/leader?token=" + reader))[0]["Session"], id) << "still held";
  EXPECT_EQ(call("PUT", "/v1/kv/locks/leader?release=" + id + "&token=" + writer, "me").body, "true");
}

// §5 "(key or key_prefix rule)": an exact `key "a/b"` rule grants that key and nothing that
// merely starts with it; with default deny everything else is refused.
TEST_F(Acl, Semantics5_AnExactKeyRuleGrantsExactlyThatKey) {
  const std::string exact = token_with("exact", R"({"key":{"a/b":{"policy":"write"}}})");
  EXPECT_EQ(call("PUT", "/v1/kv/a/b?token=" + exact, "v").status, 200);
  EXPECT_EQ(call("GET", "/v1/kv/a/b?token=" + exact).status, 200);
  for (const char* other : {"a/bc", "a/b/c", "a", "a/"}) {
    http::Response refused = call("PUT", std::string("/v1/kv/") + other + "?token=" + exact, "v");
    EXPECT_EQ(refused.status, 403) << other;
    EXPECT_EQ(refused.body, denied_text(exact, "key:write", other));
  }
}

// kvsPreApply sends every txn verb it does not name (get, get-tree, get-or-empty: filtered on
// output; check-session, check-index: key:read; delete-tree: write on the prefix) to key:write,
// check-not-exists included.
TEST_F(Acl, TxnCheckNotExistsNeedsKeyWrite) {
  const std::string reader = token_with("reader", R"({"key_prefix":{"app/":{"policy":"read"}}})");
  http::Response refused = call("PUT", "/v1/txn?token=" + reader, R"([{"KV":{"Verb":"check-not-exists","Key":"app/x"}}])");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(json(refused)["Errors"][0]["What"], denied_text(reader, "key:write", "app/x"));
  const std::string writer = token_with("writer", R"({"key_prefix":{"app/":{"policy":"write"}}})");
  EXPECT_EQ(call("PUT", "/v1/txn?token=" + writer, R"([{"KV":{"Verb":"check-not-exists","Key":"app/x"}}])").status, 200);
}

// kvsPreApply's checks inside /v1/txn: a write the token may not make is an error of the
// transaction (409), naming the operation.
TEST_F(Acl, TxnOperationsAreCheckedOneByOne) {
  const std::string app = token_with("app", R"({"key_prefix":{"app/":{"policy":"write"}}})");
  http::Response response = call("PUT", "/v1/txn?token=" + app,
                                 R"([{"KV":{"Verb":"set","Key":"app/a","Value":"eA=="}},{"KV":{"Verb":"set","Key":"etc/b","Value":"eA=="}}])");
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(json(response)["Errors"][0]["OpIndex"], 1);
  EXPECT_EQ(call("GET", "/v1/kv/app/a?token=root").status, 404) << "nothing applied";
}

TEST_F(Acl, OnlyTheManagementTokenManagesAcls) {
  const std::string app = token_with("app", R"({"key_prefix":{"app/":{"policy":"write"}}})");
  EXPECT_EQ(call("PUT", "/v1/acl/policy?token=" + app, R"({"Name":"x","Rules":"{}"})").status, 403);
  http::Response bad_rules = call("PUT", "/v1/acl/policy?token=root", R"({"Name":"bad","Rules":"{\"key_prefix\":{\"\":{\"policy\":\"own\"}}}"})");
  EXPECT_EQ(bad_rules.status, 400);
  EXPECT_EQ(bad_rules.body, "Failed to parse ACL rules: key_prefix \"\": invalid policy \"own\"");
}

// §5 "Default policy allow": with acl_default_policy = allow, a request without a token (the
// anonymous token) may read and write; a token's deny rule still denies; an unknown token is
// still "ACL not found".
class AclDefaultAllow : public ::testing::Test, public ConsulHarness {
 protected:
  AclDefaultAllow() : ConsulHarness(with_acls(Access::write)) {}
};

TEST_F(AclDefaultAllow, Semantics5_AnonymousRequestsAreAllowed) {
  EXPECT_EQ(call("PUT", "/v1/kv/a", "x").body, "true");
  EXPECT_EQ(call("GET", "/v1/kv/a").status, 200);
  const std::string id = create_session();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(call("PUT", "/v1/kv/a?acquire=" + id, "x").body, "true");
  EXPECT_EQ(call("PUT", "/v1/session/destroy/" + id).body, "true");
  EXPECT_EQ(call("DELETE", "/v1/kv/?recurse").body, "true");
  EXPECT_EQ(call("GET", "/v1/kv/a?token=nope").body, "ACL not found");
}

TEST_F(AclDefaultAllow, Semantics5_ADenyRuleStillDenies) {
  call("PUT", "/v1/acl/policy?token=root", R"({"Name":"no-secrets","Rules":"{\"key_prefix\":{\"secret/\":{\"policy\":\"deny\"}}}"})");
  const std::string token = json(call("PUT", "/v1/acl/token?token=root", R"({"Policies":[{"Name":"no-secrets"}]})")).value("SecretID", "");
  EXPECT_EQ(call("PUT", "/v1/kv/secret/x?token=" + token, "v").status, 403);
  EXPECT_EQ(call("PUT", "/v1/kv/public/x?token=" + token, "v").status, 200) << "no rule: the default allows";
}

class NoAcl : public ConsulApiTest {};

TEST_F(NoAcl, AclEndpointsAnswer401WhenAclsAreOff) {
  http::Response response = call("PUT", "/v1/acl/policy", "{}");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.body, "ACL support disabled");
}

// §4 "?filter" on the health endpoint, through the go-bexpr implementation.
TEST_F(NoAcl, Semantics4_FilterOnHealthService) {
  call("PUT", "/v1/catalog/register", R"({"Node":"n1","Address":"10.0.0.1","Service":{"Service":"web","Tags":["blue"],"Meta":{"env":"prod"}}})");
  call("PUT", "/v1/catalog/register", R"({"Node":"n2","Address":"10.0.0.2","Service":{"Service":"web","Tags":["green"],"Meta":{"env":"dev"}}})");
  EXPECT_EQ(json(call("GET", "/v1/health/service/web?filter=" + http::percent_encode("Service.Meta.env == prod"))).size(), 1u);
  EXPECT_EQ(json(call("GET", "/v1/health/service/web?filter=" + http::percent_encode("\"green\" in Service.Tags")))[0]["Node"]["Node"], "n2");
  http::Response bad = call("GET", "/v1/health/service/web?filter=" + http::percent_encode("Service.Port =="));
  EXPECT_EQ(bad.status, 500);
  EXPECT_EQ(bad.body.substr(0, 46), "Failed to create boolean expression evaluator:");
}

}  // namespace
}  // namespace baton::fakes::consul::test
