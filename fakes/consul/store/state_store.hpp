#pragma once
// StateStore: the data one Consul server holds, and the rules that change it, after
// agent/consul/state (kvs.go, session.go, catalog.go, txn.go, graveyard.go, delay.go).
//
// It is pure: no clock, no I/O, no randomness. Every write takes the Raft index it is applied
// at, and the writes that start a lock-delay take the applying server's clock reading, as
// Consul's FSM does with time.Now(). What runs only on the Consul leader (session TTL timers,
// the lock-delay check before an acquire, session id generation, request validation) lives in
// the server layer, not here.
//
// Indexes follow Consul: each table (kvs, tombstones, sessions, nodes, services, checks) keeps
// the index of its last change, each service name too; a write that changes nothing moves no
// index. Readers use them as blocking-query indexes (see kv_get_index and friends).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ports/time.hpp"
#include "fakes/consul/acl/acl.hpp"
#include "fakes/consul/store/catalog_types.hpp"
#include "fakes/consul/store/kv_entry.hpp"
#include "fakes/consul/store/session.hpp"
#include "fakes/consul/store/txn.hpp"

namespace baton::fakes::consul {

// The outcome of a write: applied; refused (the API answers `false`); or failed with Consul's
// error text (the API answers 500 with it).
struct WriteResult {
  enum class Kind { applied, refused, failed };
  Kind kind = Kind::applied;
  std::string error;

  static WriteResult applied() { return {}; }
  static WriteResult refused() { return {Kind::refused, {}}; }
  static WriteResult failed(std::string text) { return {Kind::failed, std::move(text)}; }
  bool ok() const { return kind == Kind::applied; }
};

// Told of every change once it is made, so blocking queries can wake.
class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  virtual void kv_changed(std::string_view key) = 0;
  virtual void sessions_changed() = 0;
  virtual void catalog_changed() = 0;
};

// A catalog registration (structs.RegisterRequest): a node, optionally one service, and checks.
struct Registration {
  CatalogNode node;
  std::optional<ServiceInstance> service;
  std::vector<HealthCheck> checks;
};

class StateStore {
 public:
  explicit StateStore(ChangeListener* listener = nullptr) : listener_(listener) {}
  void set_listener(ChangeListener* listener) { listener_ = listener; }

  // ---- KV reads ------------------------------------------------------------------------
  const KvEntry* kv_get(std::string_view key) const;
  // Every entry whose key starts with `prefix`, in key order.
  std::vector<KvEntry> kv_list(std::string_view prefix) const;
  // Keys under `prefix`, each cut after the first `separator` following the prefix (Consul's
  // ?keys&separator=), deduplicated, in order.
  std::vector<std::string> kv_keys(std::string_view prefix, std::string_view separator) const;
  // The index a GET of one key reports: its own ModifyIndex when it exists, else the highest
  // index of the kvs and tombstones tables.
  std::uint64_t kv_get_index(std::string_view key) const;
  // The index a list or keys query reports: the highest among matching entries and tombstones,
  // or the tables' index when none match (and for the empty prefix).
  std::uint64_t kv_list_index(std::string_view prefix) const;
  // When the lock-delay on `key` ends, on the clock of the server that applied it; nullopt if
  // none was ever set.
  std::optional<MonoTime> kv_lock_delay_expiry(std::string_view key) const;

  // ---- KV writes (state/kvs.go) ----------------------------------------------------------
  // A plain PUT: keeps CreateIndex and the holder Session; LockIndex and value/flags come from
  // `entry` (so a plain PUT on a held key resets LockIndex to 0, as kvsSetTxn does).
  WriteResult kv_set(std::uint64_t index, KvEntry entry);
  // ?cas=N: N == 0 creates only if absent; otherwise only if ModifyIndex == N.
  WriteResult kv_cas(std::uint64_t index, KvEntry entry, std::uint64_t cas_index);
  // ?acquire=<entry.session>. The leader checks lock-delay before this (kvsPreApply).
  WriteResult kv_lock(std::uint64_t index, KvEntry entry);
  // ?release=<entry.session>.
  WriteResult kv_unlock(std::uint64_t index, KvEntry entry);
  WriteResult kv_delete(std::uint64_t index, std::string_view key);
  // true also when the key is absent.
  WriteResult kv_delete_cas(std::uint64_t index, std::string_view key, std::uint64_t cas_index);
  WriteResult kv_delete_tree(std::uint64_t index, std::string_view prefix);

  // ---- Snapshots (snapshot restore) -----------------------------------------------------------
  // Replaces every table by `snapshot`'s, indexes included (so they may go backwards), keeps
  // this store's listener, drops every lock-delay, and wakes every watcher.
  void restore_from(const StateStore& snapshot);

  // ---- Transactions (state/txn.go) -------------------------------------------------------
  // The KV operations of one /v1/txn, all applied at `index` or none. Lock-delay and ACL
  // checks happen before, in the server layer, as kvsPreApply does.
  TxnOutcome txn(std::uint64_t index, const std::vector<TxnOp>& ops);

  // ---- Sessions (state/session.go) -------------------------------------------------------
  // `session` arrives validated by the server layer (id set, TTL in range); this checks that
  // its node and checks exist and that no check is critical.
  WriteResult session_create(std::uint64_t index, Session session);
  // Destroys the session, releasing or deleting its keys per its behavior, and starts each
  // key's lock-delay at `now` (the applying server's clock). Absent ids are not an error.
  WriteResult session_destroy(std::uint64_t index, std::string_view id, MonoTime now);
  const Session* session_get(std::string_view id) const;
  std::vector<Session> session_list() const;
  std::vector<Session> session_list_for_node(std::string_view node) const;
  std::uint64_t sessions_index() const { return sessions_index_; }

  // ---- Catalog and health (state/catalog.go) ---------------------------------------------
  WriteResult register_entity(std::uint64_t index, Registration registration, MonoTime now);
  // Removes the whole node (its services, checks, and sessions), or one service (and its
  // checks), or one check, as /v1/catalog/deregister does.
  WriteResult deregister_node(std::uint64_t index, std::string_view node, MonoTime now);
  WriteResult deregister_service(std::uint64_t index, std::string_view node, std::string_view service_id, MonoTime now);
  WriteResult deregister_check(std::uint64_t index, std::string_view node, std::string_view check_id, MonoTime now);
  // A check's new status and output (a TTL check's pass/warn/fail, a script's result...). A
  // critical status invalidates every session that names the check.
  WriteResult update_check(std::uint64_t index, std::string_view node, std::string_view check_id, CheckStatus status,
                           std::string output, MonoTime now);

  const CatalogNode* node(std::string_view name) const;
  std::vector<CatalogNode> nodes() const;
  std::vector<HealthEntry> health_service(std::string_view service_name) const;
  std::vector<ServiceInstance> catalog_service(std::string_view service_name) const;
  // Service name -> union of its instances' tags (/v1/catalog/services).
  std::map<std::string, std::set<std::string>> catalog_services() const;
  std::vector<HealthCheck> node_checks(std::string_view node) const;
  // One check of a node by id, without copying the node's others; nullptr when absent.
  const HealthCheck* node_check(std::string_view node, std::string_view check_id) const;
  std::vector<ServiceInstance> node_services(std::string_view node) const;
  // The index of one service name's instances and checks, or of the services table when the
  // name is unknown.
  std::uint64_t service_index(std::string_view service_name) const;
  std::uint64_t catalog_index() const;
  std::uint64_t services_index() const { return services_index_; }

  // ---- ACL tables (replicated like the rest) --------------------------------------------
  const AclTables& acl() const { return acl_; }
  void acl_set_policy(std::uint64_t index, AclPolicy policy);
  void acl_set_token(std::uint64_t index, AclToken token);

  // The highest index of any table: what a write that is refused still leaves in place.
  std::uint64_t max_index() const;

 private:

  struct Tombstone {
    std::uint64_t index;
  };
  struct NodeRecord {
    CatalogNode node;
    std::map<std::string, ServiceInstance, std::less<>> services;  // by service id
    std::map<std::string, HealthCheck, std::less<>> checks;         // by check id
  };

  // The KV rows a transaction may change, as they were before it (absent: nullopt), for its
  // rollback; each row saved once, before the first operation that may change it.
  struct KvUndo {
    std::map<std::string, std::optional<KvEntry>, std::less<>> kvs;
    std::map<std::string, std::optional<Tombstone>, std::less<>> tombstones;
    std::uint64_t kvs_index = 0;
    std::uint64_t tombstones_index = 0;
  };
  // Saves what `op` may change: its key's row and tombstone, or for delete-tree every row under
  // the prefix and the prefix's tombstone.
  void txn_save(KvUndo& undo, const TxnOp& op) const;
  void txn_restore(const KvUndo& undo);
  std::optional<std::string> txn_apply_one(std::uint64_t index, const TxnOp& op, std::vector<TxnResult>& results);
  void kv_write(std::uint64_t index, KvEntry entry, bool take_session);
  void kv_erase(std::uint64_t index, std::string_view key);
  void invalidate_session(std::uint64_t index, const std::string& id, MonoTime now);
  void invalidate_sessions_naming_check(std::uint64_t index, std::string_view node, std::string_view check_id,
                                        MonoTime now);
  void touch_service(std::uint64_t index, const std::string& service_name);
  void touch_node_services(std::uint64_t index, const NodeRecord& record);
  void notify_kv(std::string_view key);
  void notify_catalog();
  void notify_sessions();

  ChangeListener* listener_;
  std::map<std::string, KvEntry, std::less<>> kvs_;
  std::map<std::string, Tombstone, std::less<>> tombstones_;
  std::map<std::string, MonoTime, std::less<>> lock_delays_;
  std::uint64_t kvs_index_ = 0;
  std::uint64_t tombstones_index_ = 0;

  std::map<std::string, Session, std::less<>> sessions_;
  std::uint64_t sessions_index_ = 0;

  std::map<std::string, NodeRecord, std::less<>> nodes_;
  std::map<std::string, std::uint64_t, std::less<>> service_indexes_;
  std::uint64_t nodes_index_ = 0;
  std::uint64_t services_index_ = 0;
  std::uint64_t checks_index_ = 0;

  AclTables acl_;
  std::uint64_t acl_index_ = 0;
};

}  // namespace baton::fakes::consul
