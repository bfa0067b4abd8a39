// The KV verbs of /v1/txn that change locks or delete, against consul-semantics.md §2 ("Verbs:
// set, cas, lock, unlock, get, get-tree, get-or-empty, check-index, check-session, delete,
// delete-tree, delete-cas"; "any error rolls back"), with Consul's texts from state/txn.go and
// state/kvs.go. The store answers each verb; the leader's lock-delay check before a txn lock
// (kvsPreApply) is checked over HTTP at the end.
#include <gtest/gtest.h>

#include <chrono>

#include "fakes/consul/api/base64.hpp"
#include "fakes/consul/store/state_store.hpp"
#include "tests/fakes/consul_api_fixture.hpp"

namespace baton::fakes::consul {
namespace {

using namespace std::chrono_literals;

const MonoTime kT0 = MonoTime(std::chrono::seconds(1000));

KvEntry kv(std::string key, std::string value = {}, std::string session = {}, std::uint64_t flags = 0) {
  return KvEntry{.key = std::move(key), .value = std::move(value), .flags = flags, .session = std::move(session)};
}

TxnOp op(TxnVerb verb, KvEntry entry, std::uint64_t index = 0) { return TxnOp{verb, std::move(entry), index}; }

// An operation that always fails, to show that a transaction's other operations roll back.
TxnOp failing_check() { return op(TxnVerb::check_index, kv("no-such-key"), 1); }

class Txn : public ::testing::Test {
 protected:
  void SetUp() override {
    Registration node{.node = {.id = "00000000-0000-0000-0000-000000000001", .name = "node-1", .address = "10.0.0.1", .datacenter = "dc1"},
                      .checks = {HealthCheck{.id = kSerfHealthCheckId, .status = CheckStatus::passing}}};
    ASSERT_TRUE(store.register_entity(next(), node, kT0).ok());
    ASSERT_TRUE(store.session_create(next(), Session{.id = "s1", .node = "node-1"}).ok());
    ASSERT_TRUE(store.session_create(next(), Session{.id = "s2", .node = "node-1"}).ok());
  }
  std::uint64_t next() { return ++index; }
  // The index a watcher of a missing key sees: the kvs and tombstones tables' highest.
  std::uint64_t kv_tables_index() const { return store.kv_get_index("never-written"); }
  std::vector<std::string> keys_under(std::string_view prefix) const { return store.kv_keys(prefix, ""); }

  StateStore store;
  std::uint64_t index = 0;
};

// kvsLockTxn: a new key gets LockIndex 1 and the session; the result carries the entry without
// its value, and the write moves the key's ModifyIndex and the table's index to the txn's.
TEST_F(Txn, Semantics2_TxnLockTakesTheLockAtTheTxnIndex) {
  const TxnOutcome outcome = store.txn(next(), {op(TxnVerb::lock, kv("leader", "me", "s1", 5))});
  ASSERT_TRUE(outcome.committed());
  ASSERT_EQ(outcome.results.size(), 1u);
  EXPECT_FALSE(outcome.results[0].with_value) << "only get verbs show the value";
  EXPECT_EQ(outcome.results[0].entry.session, "s1");
  EXPECT_EQ(outcome.results[0].entry.lock_index, 1u);
  const KvEntry* entry = store.kv_get("leader");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->value, "me");
  EXPECT_EQ(entry->flags, 5u);
  EXPECT_EQ(entry->create_index, index);
  EXPECT_EQ(entry->modify_index, index);
  EXPECT_EQ(kv_tables_index(), index);
}

// §2 acquire rules through the txn verb: the holder re-locks without a new LockIndex; an
// unheld key gets LockIndex+1.
TEST_F(Txn, Semantics2_TxnLockByTheHolderKeepsLockIndexAndAFreeKeyCountsUp) {
  ASSERT_TRUE(store.txn(next(), {op(TxnVerb::lock, kv("leader", "v1", "s1"))}).committed());
  ASSERT_TRUE(store.txn(next(), {op(TxnVerb::lock, kv("leader", "v2", "s1"))}).committed());
  EXPECT_EQ(store.kv_get("leader")->lock_index, 1u);
  EXPECT_EQ(store.kv_get("leader")->value, "v2");
  ASSERT_TRUE(store.kv_unlock(next(), kv("leader", "v2", "s1")).ok());
  ASSERT_TRUE(store.txn(next(), {op(TxnVerb::lock, kv("leader", "v3", "s2"))}).committed());
  EXPECT_EQ(store.kv_get("leader")->lock_index, 2u);
  EXPECT_EQ(store.kv_get("leader")->session, "s2");
}

// "failed to lock key %q, lock is already held"; "missing session"; "invalid session %#v". Each
// failure rolls back the other operations, and no index moves.
TEST_F(Txn, Semantics2_TxnLockFailuresRollBackWithConsulsTexts) {
  ASSERT_TRUE(store.kv_lock(next(), kv("leader", "s1-value", "s1")).ok());
  const std::uint64_t before = kv_tables_index();
  const TxnOutcome outcome = store.txn(next(), {
      op(TxnVerb::set, kv("side-effect", "x")),
      op(TxnVerb::lock, kv("leader", "s2-value", "s2")),
      op(TxnVerb::lock, kv("other", "v", "")),
      op(TxnVerb::lock, kv("other", "v", "ghost")),
  });
  ASSERT_EQ(outcome.errors.size(), 3u);
  EXPECT_EQ(outcome.errors[0].op_index, 1u);
  EXPECT_EQ(outcome.errors[0].what, "failed to lock key \"leader\", lock is already held");
  EXPECT_EQ(outcome.errors[1].what, "missing session");
  EXPECT_EQ(outcome.errors[2].what, "invalid session \"ghost\"");
  EXPECT_TRUE(outcome.results.empty());
  EXPECT_EQ(store.kv_get("side-effect"), nullptr);
  EXPECT_EQ(store.kv_get("leader")->session, "s1");
  EXPECT_EQ(store.kv_get("leader")->value, "s1-value");
  EXPECT_EQ(kv_tables_index(), before);
}

// kvsUnlockTxn: the holder's unlock clears Session, keeps LockIndex, writes the request's
// value and flags, and starts no lock-delay.
TEST_F(Txn, Semantics2_TxnUnlockReleasesAndKeepsLockIndex) {
  ASSERT_TRUE(store.kv_lock(next(), kv("leader", "me", "s1")).ok());
  const TxnOutcome outcome = store.txn(next(), {op(TxnVerb::unlock, kv("leader", "released", "s1", 9))});
  ASSERT_TRUE(outcome.committed());
  ASSERT_EQ(outcome.results.size(), 1u);
  EXPECT_EQ(outcome.results[0].entry.session, "");
  EXPECT_FALSE(outcome.results[0].with_value);
  const KvEntry* entry = store.kv_get("leader");
  EXPECT_EQ(entry->session, "");
  EXPECT_EQ(entry->lock_index, 1u);
  EXPECT_EQ(entry->value, "released");
  EXPECT_EQ(entry->flags, 9u);
  EXPECT_EQ(entry->modify_index, index);
  EXPECT_FALSE(store.kv_lock_delay_expiry("leader").has_value());
}

// "failed to unlock key %q, lock isn't held, or is held by another session", for a key held by
// another session and for an absent key; an unlock without a session is "missing session".
TEST_F(Txn, Semantics2_TxnUnlockFailuresRollBack) {
  ASSERT_TRUE(store.kv_lock(next(), kv("leader", "me", "s1")).ok());
  const std::uint64_t before = kv_tables_index();
  const TxnOutcome outcome = store.txn(next(), {
      op(TxnVerb::set, kv("side-effect", "x")),
      op(TxnVerb::unlock, kv("leader", "", "s2")),
      op(TxnVerb::unlock, kv("absent", "", "s1")),
      op(TxnVerb::unlock, kv("leader", "", "")),
  });
  ASSERT_EQ(outcome.errors.size(), 3u);
  EXPECT_EQ(outcome.errors[0].what, "failed to unlock key \"leader\", lock isn't held, or is held by another session");
  EXPECT_EQ(outcome.errors[1].what, "failed to unlock key \"absent\", lock isn't held, or is held by another session");
  EXPECT_EQ(outcome.errors[2].what, "missing session");
  EXPECT_EQ(store.kv_get("leader")->session, "s1");
  EXPECT_EQ(store.kv_get("side-effect"), nullptr);
  EXPECT_EQ(kv_tables_index(), before);
}

// get-tree: every entry under the prefix, in key order, with values; it sees the writes made
// earlier in the same transaction; an empty tree is no error; reads move no index.
TEST_F(Txn, Semantics2_TxnGetTreeListsThePrefixWithValues) {
  for (const char* key : {"app/b", "app/a", "apple", "other"}) ASSERT_TRUE(store.kv_set(next(), kv(key, key)).ok());
  const std::uint64_t before = kv_tables_index();
  const TxnOutcome reads = store.txn(next(), {op(TxnVerb::get_tree, kv("app/")), op(TxnVerb::get_tree, kv("nothing/"))});
  ASSERT_TRUE(reads.committed());
  ASSERT_EQ(reads.results.size(), 2u) << "two entries under app/, none under nothing/";
  EXPECT_EQ(reads.results[0].entry.key, "app/a");
  EXPECT_EQ(reads.results[1].entry.key, "app/b");
  EXPECT_EQ(reads.results[1].entry.value, "app/b");
  EXPECT_TRUE(reads.results[0].with_value);
  EXPECT_EQ(kv_tables_index(), before) << "a read-only transaction changes no index";

  const TxnOutcome own_write = store.txn(next(), {op(TxnVerb::set, kv("app/c", "new")), op(TxnVerb::get_tree, kv("app/"))});
  ASSERT_TRUE(own_write.committed());
  ASSERT_EQ(own_write.results.size(), 4u);  // the set's result, then a, b, c
  EXPECT_EQ(own_write.results[3].entry.key, "app/c");
  EXPECT_EQ(own_write.results[3].entry.value, "new");
}

// delete: removes the key whoever holds it, yields no result, and leaves a tombstone at the
// txn's index; deleting an absent key is no error and moves no index.
TEST_F(Txn, Semantics2_TxnDeleteIgnoresLocksAndLeavesATombstone) {
  ASSERT_TRUE(store.kv_lock(next(), kv("dir/held", "v", "s1")).ok());
  ASSERT_TRUE(store.kv_set(next(), kv("dir/older", "v")).ok());
  const TxnOutcome deleted = store.txn(next(), {op(TxnVerb::delete_key, kv("dir/held"))});
  ASSERT_TRUE(deleted.committed());
  EXPECT_TRUE(deleted.results.empty()) << "delete verbs yield no result";
  EXPECT_EQ(store.kv_get("dir/held"), nullptr);
  EXPECT_EQ(store.kv_list_index("dir/"), index) << "the tombstone is newer than dir/older";
  EXPECT_EQ(store.kv_get_index("dir/held"), index);

  const std::uint64_t before = kv_tables_index();
  ASSERT_TRUE(store.txn(next(), {op(TxnVerb::delete_key, kv("absent"))}).committed());
  EXPECT_EQ(kv_tables_index(), before);
}

// A failing operation rolls a delete back: the key is there again and no tombstone is left.
TEST_F(Txn, Semantics2_TxnDeleteRollsBack) {
  ASSERT_TRUE(store.kv_set(next(), kv("dir/a", "v")).ok());
  const std::uint64_t list_before = store.kv_list_index("dir/");
  const TxnOutcome outcome = store.txn(next(), {op(TxnVerb::delete_key, kv("dir/a")), failing_check()});
  ASSERT_FALSE(outcome.committed());
  ASSERT_NE(store.kv_get("dir/a"), nullptr);
  EXPECT_EQ(store.kv_list_index("dir/"), list_before);
}

// kvsDeleteTreeTxn: everything under the prefix goes, one tombstone for the prefix carries the
// txn's index; keys that only share characters with the prefix stay; rolled back, all return.
TEST_F(Txn, Semantics2_TxnDeleteTreeRemovesThePrefixAtOneIndex) {
  for (const char* key : {"dir/a", "dir/sub/b", "dirt"}) ASSERT_TRUE(store.kv_set(next(), kv(key, "v")).ok());
  const TxnOutcome rolled_back = store.txn(next(), {op(TxnVerb::delete_tree, kv("dir/")), failing_check()});
  ASSERT_FALSE(rolled_back.committed());
  EXPECT_EQ(keys_under("dir/"), (std::vector<std::string>{"dir/a", "dir/sub/b"}));

  ASSERT_TRUE(store.txn(next(), {op(TxnVerb::delete_tree, kv("dir/"))}).committed());
  EXPECT_TRUE(keys_under("dir/").empty());
  EXPECT_NE(store.kv_get("dirt"), nullptr);
  EXPECT_EQ(store.kv_list_index("dir/"), index);
  EXPECT_EQ(kv_tables_index(), index);
}

// kvsDeleteCASTxn: deletes when ModifyIndex matches; an absent key counts as deleted; a stale
// index is "failed to delete key %q, index is stale" and rolls back.
TEST_F(Txn, Semantics2_TxnDeleteCasChecksTheModifyIndex) {
  ASSERT_TRUE(store.kv_set(next(), kv("k", "v")).ok());
  const std::uint64_t written = index;
  const TxnOutcome stale = store.txn(next(), {op(TxnVerb::set, kv("side-effect", "x")), op(TxnVerb::delete_cas, kv("k"), written - 1)});
  ASSERT_EQ(stale.errors.size(), 1u);
  EXPECT_EQ(stale.errors[0].op_index, 1u);
  EXPECT_EQ(stale.errors[0].what, "failed to delete key \"k\", index is stale");
  EXPECT_NE(store.kv_get("k"), nullptr);
  EXPECT_EQ(store.kv_get("side-effect"), nullptr);

  const TxnOutcome deleted = store.txn(next(), {op(TxnVerb::delete_cas, kv("k"), written), op(TxnVerb::delete_cas, kv("absent"), 42)});
  ASSERT_TRUE(deleted.committed());
  EXPECT_TRUE(deleted.results.empty());
  EXPECT_EQ(store.kv_get("k"), nullptr);
  EXPECT_EQ(store.kv_get_index("k"), index) << "tombstone at the txn's index";
}

}  // namespace
}  // namespace baton::fakes::consul

namespace baton::fakes::consul::test {
namespace {

class TxnOverHttp : public ConsulApiTest {};

std::string txn_op(const std::string& verb, const std::string& key, const std::string& session = {}) {
  nlohmann::json kv = {{"Verb", verb}, {"Key", key}, {"Value", base64_encode("v")}};
  if (!session.empty()) kv["Session"] = session;
  return nlohmann::json({{"KV", kv}}).dump();
}

// §1 "Lock-delay enforcement (kvsPreApply): only for ?acquire=" and the txn lock verb, which
// Consul's Txn.preCheck reports as "failed to lock key %q due to lock delay" (409, nothing
// applied) until the delay has passed on the leader's clock.
TEST_F(TxnOverHttp, Semantics1_TxnLockDuringLockDelayFailsTheWholeTransaction) {
  const std::string holder = create_session(R"({"LockDelay":"10s"})");
  ASSERT_EQ(call("PUT", "/v1/kv/leader?acquire=" + holder, "me").body, "true");
  ASSERT_EQ(call("PUT", "/v1/session/destroy/" + holder).body, "true");
  const std::string next_holder = create_session(R"({"LockDelay":"10s"})");
  const std::string body = "[" + txn_op("set", "side-effect") + "," + txn_op("lock", "leader", next_holder) + "]";

  http::Response refused = call("PUT", "/v1/txn", body);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(json(refused)["Errors"][0]["OpIndex"], 1);
  EXPECT_EQ(json(refused)["Errors"][0]["What"], "failed to lock key \"leader\" due to lock delay");
  EXPECT_EQ(call("GET", "/v1/kv/side-effect").status, 404) << "nothing applied";

  world_.run_for(seconds(10) + ms(1));
  http::Response granted = call("PUT", "/v1/txn", body);
  ASSERT_EQ(granted.status, 200) << granted.body;
  EXPECT_EQ(json(call("GET", "/v1/kv/leader"))[0]["Session"], next_holder);
}

}  // namespace
}  // namespace baton::fakes::consul::test
