// The KV verbs of /v1/txn that change locks or delete, against consul-semantics.md §2 ("Verbs:
// set, cas, lock, unlock, get, get-tree, get-or-empty, check-index, check-session, delete,
// delete-tree, delete-cas"; "any error rolls back"), with Consul's texts from state/txn.go and
// state/kvs.go. The store answers each verb; the leader's lock-delay check before a txn lock
// (kvsPreApply) is checked over HTTP at the end.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <chrono>

#include "fakes/consul/api/base64.hpp"
#include "fakes/consul/api/txn_body.hpp"
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

// decode_txn_body reads plain bodies without a JSON document and hands the rest to the
// document reader: whatever the body, it must give what the document reader gives. Bodies are
// transactions as clients write them (compact or indented, fields left out, keys and sessions
// that need escaping or are not UTF-8, bad base64, unknown verbs, lowercase field names, nulls,
// too many operations), and the same mangled by a few byte edits.
std::string describe(const std::variant<std::vector<TxnOp>, RpcError>& decoded) {
  if (const auto* error = std::get_if<RpcError>(&decoded)) return fmt::format("error {} {}", error->status, error->text);
  std::string text;
  for (const TxnOp& op : std::get<std::vector<TxnOp>>(decoded)) {
    text += fmt::format("[{} key={} value={} flags={} session={} index={}]", static_cast<int>(op.verb),
                        base64_encode(op.entry.key), base64_encode(op.entry.value), op.entry.flags,
                        base64_encode(op.entry.session), op.index);
  }
  return text;
}

rc::Gen<nlohmann::json> txn_operation() {
  return rc::gen::exec([] {
    nlohmann::json kv = nlohmann::json::object();
    // Mostly plain, so that whole bodies often are; sometimes what needs escaping or is not ASCII.
    const auto text = [] {
      return *rc::gen::weightedOneOf<std::string>(
          {{12, rc::gen::element<std::string>("k", "service/web/x", "a b", "leader", "")},
           {2, rc::gen::element<std::string>("back\\slash", "quo\"te", "caf\xc3\xa9", "tab\there", "\x01", "\xff")},
           {1, rc::gen::arbitrary<std::string>()}});
    };
    if (*rc::gen::inRange(0, 10) > 0) {
      kv[*rc::gen::inRange(0, 10) > 0 ? "Verb" : "verb"] =
          *rc::gen::element<std::string>("set", "cas", "get", "delete", "delete-tree", "check-session", "lock", "bogus", "");
    }
    if (*rc::gen::inRange(0, 10) > 0) kv["Key"] = text();
    if (*rc::gen::inRange(0, 10) > 0) {
      const std::string value = *rc::gen::arbitrary<std::string>();
      kv["Value"] = *rc::gen::inRange(0, 10) > 0 ? base64_encode(value) : base64_encode(value) + "=";
    }
    if (*rc::gen::inRange(0, 3) > 0) kv["Flags"] = *rc::gen::arbitrary<std::uint64_t>();
    if (*rc::gen::inRange(0, 3) > 0) kv["Index"] = *rc::gen::element<std::uint64_t>(0, 7, 1u << 31, UINT64_MAX);
    if (*rc::gen::inRange(0, 3) > 0) kv["Session"] = text();
    if (*rc::gen::inRange(0, 20) == 0) kv["Session"] = nullptr;
    return nlohmann::json{{*rc::gen::inRange(0, 20) > 0 ? "KV" : "kv", kv}};
  });
}

RC_GTEST_PROP(TxnBody, ThePlainReaderAgreesWithTheDocumentReader, ()) {
  const auto operations = *rc::gen::container<std::vector<nlohmann::json>>(*rc::gen::inRange<std::size_t>(0, 6), txn_operation());
  const int indent = *rc::gen::element(-1, -1, 2);
  std::string body = nlohmann::json(operations).dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
  const int edits = *rc::gen::inRange(0, 3);
  for (int i = 0; i < edits && !body.empty(); ++i) {
    const std::size_t at = *rc::gen::inRange<std::size_t>(0, body.size());
    body[at] = *rc::gen::element(' ', '"', ',', '}', '0', '\\', 'x');
  }
  ConsulServerOptions limits;
  limits.txn_max_ops = *rc::gen::element<std::size_t>(64, 1);
  limits.kv_max_value_size_bytes = *rc::gen::element<std::size_t>(512 * 1024, 8);
  RC_ASSERT(describe(decode_txn_body(body, limits)) == describe(decode_txn_body_as_document(body, limits)));
}

// The plain reader is no shortcut to a different answer: a body it reads gives the operations.
TEST(TxnBody, APlainBodyGivesItsOperations) {
  const std::string body = R"([{"KV":{"Flags":3,"Index":0,"Key":"k","Session":"","Value":"AP8=","Verb":"set"}},)"
                           R"( {"KV":{"Verb":"check-session","Key":"leader","Session":"sid"}}])";
  const auto decoded = decode_txn_body(body, ConsulServerOptions{});
  ASSERT_TRUE(std::holds_alternative<std::vector<TxnOp>>(decoded)) << std::get<RpcError>(decoded).text;
  const auto& ops = std::get<std::vector<TxnOp>>(decoded);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].verb, TxnVerb::set);
  EXPECT_EQ(ops[0].entry.value, std::string("\0\xff", 2));
  EXPECT_EQ(ops[0].entry.flags, 3u);
  EXPECT_EQ(ops[1].verb, TxnVerb::check_session);
  EXPECT_EQ(ops[1].entry.session, "sid");
}

}  // namespace
}  // namespace baton::fakes::consul::test
