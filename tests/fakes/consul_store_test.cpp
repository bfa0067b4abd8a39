// The fake Consul's state store against ../shared/reference/consul-semantics.md. Each test
// names the section and point it checks; the HTTP-level points (status codes, headers, texts
// on the wire) are in consul_api_test.cpp.
#include <gtest/gtest.h>

#include <chrono>

#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {
namespace {

using namespace std::chrono_literals;

const MonoTime kT0 = MonoTime(std::chrono::seconds(1000));

KvEntry kv(std::string key, std::string value, std::string session = {}, std::uint64_t flags = 0) {
  return KvEntry{.key = std::move(key), .value = std::move(value), .flags = flags, .session = std::move(session)};
}

class Store : public ::testing::Test {
 protected:
  // A node with serfHealth passing, as every agent's node has, at index 1.
  void SetUp() override {
    Registration node{.node = {.id = "00000000-0000-0000-0000-000000000001", .name = "node-1", .address = "10.0.0.1", .datacenter = "dc1"},
                      .checks = {HealthCheck{.id = kSerfHealthCheckId, .name = "Serf Health Status", .status = CheckStatus::passing}}};
    ASSERT_TRUE(store.register_entity(next(), node, kT0).ok());
  }
  std::uint64_t next() { return ++index; }
  std::string create_session(std::string id, Duration lock_delay = 15s, SessionBehavior behavior = SessionBehavior::release,
                             std::vector<std::string> node_checks = {}) {
    Session session{.id = id, .node = "node-1", .node_checks = std::move(node_checks), .lock_delay = lock_delay, .behavior = behavior};
    EXPECT_TRUE(store.session_create(next(), session).ok());
    return id;
  }

  StateStore store;
  std::uint64_t index = 0;
};

// §2 "Plain set: CreateIndex kept; Session kept (a plain PUT neither steals nor clears a lock)"
TEST_F(Store, Semantics2_PlainPutKeepsCreateIndexAndTheHolder) {
  const std::string s1 = create_session("s1");
  ASSERT_TRUE(store.kv_lock(next(), kv("k", "v1", s1)).ok());
  const std::uint64_t created = store.kv_get("k")->create_index;
  ASSERT_TRUE(store.kv_set(next(), kv("k", "v2")).ok());
  const KvEntry* entry = store.kv_get("k");
  EXPECT_EQ(entry->create_index, created);
  EXPECT_EQ(entry->session, s1);
  EXPECT_EQ(entry->value, "v2");
  EXPECT_EQ(entry->modify_index, index);
}

// §2 "(Plain PUT on a locked key appears to reset LockIndex to 0: UNVERIFIED.)" Resolved from
// state/kvs.go kvsSetTxn: the request's entry (LockIndex 0) is written as is, Session kept.
TEST_F(Store, Semantics2_PlainPutResetsLockIndexAsKvsSetTxnDoes) {
  const std::string s1 = create_session("s1");
  ASSERT_TRUE(store.kv_lock(next(), kv("k", "v", s1)).ok());
  EXPECT_EQ(store.kv_get("k")->lock_index, 1u);
  ASSERT_TRUE(store.kv_set(next(), kv("k", "v")).ok());
  EXPECT_EQ(store.kv_get("k")->lock_index, 0u);
  EXPECT_EQ(store.kv_get("k")->session, s1);
}

// §2 "a byte-identical write changes nothing, not even ModifyIndex"
TEST_F(Store, Semantics2_IdenticalWriteMovesNoIndex) {
  ASSERT_TRUE(store.kv_set(next(), kv("k", "v", {}, 7)).ok());
  const std::uint64_t modified = store.kv_get("k")->modify_index;
  const std::uint64_t table = store.kv_get_index("missing");
  ASSERT_TRUE(store.kv_set(next(), kv("k", "v", {}, 7)).ok());
  EXPECT_EQ(store.kv_get("k")->modify_index, modified);
  EXPECT_EQ(store.kv_get_index("missing"), table);
  ASSERT_TRUE(store.kv_set(next(), kv("k", "v", {}, 8)).ok());  // flags differ: a change
  EXPECT_EQ(store.kv_get("k")->modify_index, index);
}

// §2 "?cas=0: create only if absent. ?cas=N: only if it exists with ModifyIndex N. Else false."
TEST_F(Store, Semantics2_CheckAndSet) {
  EXPECT_EQ(store.kv_cas(next(), kv("k", "a"), 5).kind, WriteResult::Kind::refused);  // absent, N != 0
  EXPECT_TRUE(store.kv_cas(next(), kv("k", "a"), 0).ok());
  EXPECT_EQ(store.kv_cas(next(), kv("k", "b"), 0).kind, WriteResult::Kind::refused);  // exists, cas=0
  const std::uint64_t current = store.kv_get("k")->modify_index;
  EXPECT_EQ(store.kv_cas(next(), kv("k", "b"), current + 1).kind, WriteResult::Kind::refused);
  EXPECT_TRUE(store.kv_cas(next(), kv("k", "b"), current).ok());
  EXPECT_EQ(store.kv_get("k")->value, "b");
}

// §2 acquire: "empty sid -> missing session; unknown sid -> invalid session "<sid>"; held by
// same session -> true, value/flags updated, LockIndex unchanged; held by another -> false;
// existing unheld -> LockIndex+1; new key -> LockIndex = 1"
TEST_F(Store, Semantics2_AcquireRules) {
  EXPECT_EQ(store.kv_lock(next(), kv("k", "v", "")).error, "missing session");
  EXPECT_EQ(store.kv_lock(next(), kv("k", "v", "nope")).error, "invalid session \"nope\"");
  const std::string s1 = create_session("s1");
  const std::string s2 = create_session("s2");
  ASSERT_TRUE(store.kv_lock(next(), kv("k", "v1", s1)).ok());
  EXPECT_EQ(store.kv_get("k")->lock_index, 1u);
  ASSERT_TRUE(store.kv_lock(next(), kv("k", "v2", s1, 3)).ok());
  EXPECT_EQ(store.kv_get("k")->lock_index, 1u);
  EXPECT_EQ(store.kv_get("k")->value, "v2");
  EXPECT_EQ(store.kv_get("k")->flags, 3u);
  EXPECT_EQ(store.kv_lock(next(), kv("k", "v3", s2)).kind, WriteResult::Kind::refused);
  ASSERT_TRUE(store.kv_unlock(next(), kv("k", "v2", s1)).ok());
  ASSERT_TRUE(store.kv_lock(next(), kv("k", "v4", s2)).ok());
  EXPECT_EQ(store.kv_get("k")->lock_index, 2u);
  EXPECT_EQ(store.kv_get("k")->session, s2);
}

// §2 release: "missing or held by another -> false; else Session cleared, LockIndex kept,
// value/flags from the request, no lock-delay."
TEST_F(Store, Semantics2_ReleaseRules) {
  const std::string s1 = create_session("s1", 15s);
  const std::string s2 = create_session("s2");
  EXPECT_EQ(store.kv_unlock(next(), kv("absent", "", s1)).kind, WriteResult::Kind::refused);
  ASSERT_TRUE(store.kv_lock(next(), kv("k", "v", s1)).ok());
  EXPECT_EQ(store.kv_unlock(next(), kv("k", "x", s2)).kind, WriteResult::Kind::refused);
  ASSERT_TRUE(store.kv_unlock(next(), kv("k", "released", s1, 9)).ok());
  const KvEntry* entry = store.kv_get("k");
  EXPECT_EQ(entry->session, "");
  EXPECT_EQ(entry->lock_index, 1u);
  EXPECT_EQ(entry->value, "released");
  EXPECT_EQ(entry->flags, 9u);
  EXPECT_FALSE(store.kv_lock_delay_expiry("k").has_value());
}

// §1 "Invalidation ... release clears Session on every held key (value and LockIndex kept,
// ModifyIndex moves) ... if LockDelay > 0 the key gets a lock-delay expiry of now + LockDelay."
TEST_F(Store, Semantics1_DestroyWithReleaseBehaviorReleasesKeysAndStartsLockDelay) {
  const std::string s1 = create_session("s1", 15s, SessionBehavior::release);
  ASSERT_TRUE(store.kv_lock(next(), kv("a", "va", s1)).ok());
  ASSERT_TRUE(store.kv_lock(next(), kv("b", "vb", s1)).ok());
  ASSERT_TRUE(store.session_destroy(next(), s1, kT0).ok());
  for (const char* key : {"a", "b"}) {
    const KvEntry* entry = store.kv_get(key);
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->session, "");
    EXPECT_EQ(entry->lock_index, 1u);
    EXPECT_EQ(entry->modify_index, index);
    EXPECT_EQ(store.kv_lock_delay_expiry(key), kT0 + 15s);
  }
  EXPECT_EQ(store.session_get(s1), nullptr);
}

// §1 "delete deletes every held key", lock-delay too.
TEST_F(Store, Semantics1_DestroyWithDeleteBehaviorDeletesKeys) {
  const std::string s1 = create_session("s1", 5s, SessionBehavior::delete_keys);
  ASSERT_TRUE(store.kv_lock(next(), kv("a", "va", s1)).ok());
  ASSERT_TRUE(store.kv_set(next(), kv("unheld", "x")).ok());
  ASSERT_TRUE(store.session_destroy(next(), s1, kT0).ok());
  EXPECT_EQ(store.kv_get("a"), nullptr);
  EXPECT_NE(store.kv_get("unheld"), nullptr);
  EXPECT_EQ(store.kv_lock_delay_expiry("a"), kT0 + 5s);
  EXPECT_EQ(store.kv_get_index("a"), index);  // the tombstone keeps the index moving
}

// §1 "if LockDelay > 0": a zero lock-delay leaves no delay.
TEST_F(Store, Semantics1_ZeroLockDelayLeavesNone) {
  const std::string s1 = create_session("s1", 0s);
  ASSERT_TRUE(store.kv_lock(next(), kv("a", "va", s1)).ok());
  ASSERT_TRUE(store.session_destroy(next(), s1, kT0).ok());
  EXPECT_FALSE(store.kv_lock_delay_expiry("a").has_value());
}

// §1 "PUT /v1/session/destroy/:id: 200 true, also for an unknown id."
TEST_F(Store, Semantics1_DestroyingAnUnknownSessionIsNotAnError) {
  EXPECT_TRUE(store.session_destroy(next(), "nope", kT0).ok());
}

// §1 "Checks must exist and not be critical ("Missing check '%s' registration", "Check '%s'
// is in critical state")"; also the node must exist.
TEST_F(Store, Semantics1_SessionChecksMustExistAndNotBeCritical) {
  Session missing_check{.id = "s1", .node = "node-1", .node_checks = {"nope"}};
  EXPECT_EQ(store.session_create(next(), missing_check).error, "Missing check 'nope' registration");
  Registration critical{.node = *store.node("node-1"), .checks = {HealthCheck{.id = "disk", .status = CheckStatus::critical}}};
  ASSERT_TRUE(store.register_entity(next(), critical, kT0).ok());
  Session on_critical{.id = "s2", .node = "node-1", .node_checks = {"disk"}};
  EXPECT_EQ(store.session_create(next(), on_critical).error, "Check 'disk' is in critical state");
  Session no_node{.id = "s3", .node = "ghost"};
  EXPECT_EQ(store.session_create(next(), no_node).error, "Missing node registration");
}

// §1 "Invalidation (... or any associated check going critical)": the serfHealth-bound session
// of consul-lock-failure-modes.md dies when its node's serfHealth fails.
TEST_F(Store, Semantics1_ACheckGoingCriticalInvalidatesSessionsNamingIt) {
  const std::string bound = create_session("bound", 15s, SessionBehavior::release, {kSerfHealthCheckId});
  const std::string ttl_only = create_session("ttl-only");
  ASSERT_TRUE(store.kv_lock(next(), kv("leader", "me", bound)).ok());
  ASSERT_TRUE(store.update_check(next(), "node-1", kSerfHealthCheckId, CheckStatus::critical, "agent unreachable", kT0).ok());
  EXPECT_EQ(store.session_get(bound), nullptr);
  EXPECT_NE(store.session_get(ttl_only), nullptr);
  EXPECT_EQ(store.kv_get("leader")->session, "");
  EXPECT_EQ(store.kv_lock_delay_expiry("leader"), kT0 + 15s);
}

// consul-lock-failure-modes.md: deregistering a node destroys all of its sessions, even TTL-only ones.
TEST_F(Store, DeregisteringANodeDestroysEveryOneOfItsSessions) {
  const std::string ttl_only = create_session("ttl-only");
  ASSERT_TRUE(store.kv_lock(next(), kv("leader", "me", ttl_only)).ok());
  ASSERT_TRUE(store.deregister_node(next(), "node-1", kT0).ok());
  EXPECT_EQ(store.session_get(ttl_only), nullptr);
  EXPECT_EQ(store.kv_get("leader")->session, "");
}

// §2 "DELETE: ?recurse deletes a prefix; ?cas=N returns true also when the key is absent ...
// Deletion ignores locks. Tombstones keep indexes monotonic."
TEST_F(Store, Semantics2_DeletesIgnoreLocksAndLeaveTombstones) {
  const std::string s1 = create_session("s1");
  ASSERT_TRUE(store.kv_lock(next(), kv("dir/a", "1", s1)).ok());
  ASSERT_TRUE(store.kv_set(next(), kv("dir/b", "2")).ok());
  ASSERT_TRUE(store.kv_set(next(), kv("other", "3")).ok());
  EXPECT_TRUE(store.kv_delete_cas(next(), "absent", 99).ok());
  EXPECT_EQ(store.kv_delete_cas(next(), "other", 1).kind, WriteResult::Kind::refused);
  ASSERT_TRUE(store.kv_delete(next(), "dir/a").ok());
  const std::uint64_t deleted_at = index;
  EXPECT_EQ(store.kv_get("dir/a"), nullptr);
  EXPECT_EQ(store.kv_list_index("dir/"), deleted_at);  // b is older: the tombstone wins
  ASSERT_TRUE(store.kv_delete_tree(next(), "dir/").ok());
  EXPECT_TRUE(store.kv_list("dir/").empty());
  EXPECT_EQ(store.kv_list_index("dir/"), index);
  EXPECT_NE(store.kv_get("other"), nullptr);
}

// §2 "Index reported: a single existing key -> its own ModifyIndex; a missing key -> highest
// index of the kvs + tombstones tables; a list -> highest among matching entries and
// tombstones."
TEST_F(Store, Semantics2_IndexesReportedForKeysAndLists) {
  ASSERT_TRUE(store.kv_set(next(), kv("a/1", "x")).ok());
  const std::uint64_t a1 = index;
  ASSERT_TRUE(store.kv_set(next(), kv("b/1", "y")).ok());
  const std::uint64_t b1 = index;
  EXPECT_EQ(store.kv_get_index("a/1"), a1);
  EXPECT_EQ(store.kv_get_index("missing"), b1);
  EXPECT_EQ(store.kv_list_index("a/"), a1);
  EXPECT_EQ(store.kv_list_index(""), b1);
  EXPECT_EQ(store.kv_list_index("nothing/"), b1);  // no match: the tables' index
  ASSERT_TRUE(store.session_create(next(), Session{.id = "s", .node = "node-1"}).ok());
  EXPECT_EQ(store.kv_get_index("missing"), b1) << "a session write is not a KV change";
}

TEST_F(Store, Semantics2_KeysWithSeparator) {
  for (const char* key : {"web/a/x", "web/a/y", "web/b", "web/c/z", "webby"}) ASSERT_TRUE(store.kv_set(next(), kv(key, "")).ok());
  EXPECT_EQ(store.kv_keys("web/", "/"), (std::vector<std::string>{"web/a/", "web/b", "web/c/"}));
  EXPECT_EQ(store.kv_keys("web", ""), (std::vector<std::string>{"web/a/x", "web/a/y", "web/b", "web/c/z", "webby"}));
}

// §2 "/v1/txn ... any error rolls back ... Verbs: set, cas, lock, unlock, get, get-tree,
// get-or-empty, check-index, check-session, delete, delete-tree, delete-cas" (with Consul's
// texts from state/txn.go and kvs.go).
TEST_F(Store, Semantics2_TxnAppliesAllOrNothingWithConsulsErrorTexts) {
  const std::string s1 = create_session("s1");
  ASSERT_TRUE(store.kv_lock(next(), kv("leader", "me", s1)).ok());
  ASSERT_TRUE(store.kv_set(next(), kv("state", "old")).ok());
  const std::uint64_t before = store.kv_get_index("missing");

  TxnOutcome failed = store.txn(next(), {
      TxnOp{TxnVerb::set, kv("state", "new")},
      TxnOp{TxnVerb::check_session, kv("leader", "", "someone-else")},
      TxnOp{TxnVerb::check_index, kv("nope", "")},
      TxnOp{TxnVerb::cas, kv("state", "x"), 1},
      TxnOp{TxnVerb::get, kv("nope", "")},
  });
  ASSERT_EQ(failed.errors.size(), 4u);
  EXPECT_EQ(failed.errors[0].op_index, 1u);
  EXPECT_EQ(failed.errors[0].what, "failed session check for key \"leader\", current session \"s1\" != \"someone-else\"");
  EXPECT_EQ(failed.errors[1].what, "failed to check index, key \"nope\" doesn't exist");
  EXPECT_EQ(failed.errors[2].what, "failed to set key \"state\", index is stale");
  EXPECT_EQ(failed.errors[3].what, "key \"nope\" doesn't exist");
  EXPECT_TRUE(failed.results.empty());
  EXPECT_EQ(store.kv_get("state")->value, "old") << "rolled back";
  EXPECT_EQ(store.kv_get_index("missing"), before);

  TxnOutcome fenced_write = store.txn(next(), {
      TxnOp{TxnVerb::check_session, kv("leader", "", s1)},
      TxnOp{TxnVerb::set, kv("state", "new")},
      TxnOp{TxnVerb::get, kv("state", "")},
      TxnOp{TxnVerb::get_or_empty, kv("absent", "")},
  });
  ASSERT_TRUE(fenced_write.committed());
  ASSERT_EQ(fenced_write.results.size(), 4u);
  EXPECT_FALSE(fenced_write.results[1].with_value) << "non-get results carry no value";
  EXPECT_EQ(fenced_write.results[2].entry.value, "new");
  EXPECT_TRUE(fenced_write.results[2].with_value);
  EXPECT_EQ(fenced_write.results[3].entry.key, "absent");
  EXPECT_EQ(store.kv_get("state")->modify_index, index);
}

// §4 health view: node checks apply to every service on the node; indexes per service name.
TEST_F(Store, Semantics4_HealthEntriesCarryNodeAndServiceChecks) {
  Registration web{.node = *store.node("node-1"),
                   .service = ServiceInstance{.id = "web-1", .name = "web", .tags = {"v1"}, .address = "10.0.0.1", .port = 80},
                   .checks = {HealthCheck{.id = "web-http", .status = CheckStatus::passing, .service_id = "web-1"}}};
  ASSERT_TRUE(store.register_entity(next(), web, kT0).ok());
  const std::uint64_t registered = index;
  Registration db{.node = *store.node("node-1"), .service = ServiceInstance{.id = "db", .name = "db"}};
  ASSERT_TRUE(store.register_entity(next(), db, kT0).ok());
  EXPECT_EQ(store.service_index("web"), registered);

  std::vector<HealthEntry> entries = store.health_service("web");
  ASSERT_EQ(entries.size(), 1u);
  ASSERT_EQ(entries[0].checks.size(), 2u);  // serfHealth and web-http
  EXPECT_EQ(entries[0].checks[1].service_name, "web");
  EXPECT_EQ(entries[0].checks[1].service_tags, std::vector<std::string>{"v1"});

  ASSERT_TRUE(store.update_check(next(), "node-1", kSerfHealthCheckId, CheckStatus::warning, "", kT0).ok());
  EXPECT_EQ(store.service_index("web"), index) << "a node check bears on every service of the node";
  EXPECT_EQ(store.catalog_services().at("web"), std::set<std::string>{"v1"});

  Registration bad{.node = *store.node("node-1"), .checks = {HealthCheck{.id = "orphan", .service_id = "nope"}}};
  EXPECT_EQ(store.register_entity(next(), bad, kT0).error, "Missing service registration");
}

}  // namespace
}  // namespace baton::fakes::consul
