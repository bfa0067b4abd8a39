// StateStore::txn: the KV operations of /v1/txn, applied all or nothing (state/txn.go).
#include <array>
#include <utility>
#include <fmt/format.h>

#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {
namespace {

constexpr std::array<std::pair<TxnVerb, const char*>, 13> kVerbNames{{
    {TxnVerb::set, "set"},
    {TxnVerb::cas, "cas"},
    {TxnVerb::lock, "lock"},
    {TxnVerb::unlock, "unlock"},
    {TxnVerb::get, "get"},
    {TxnVerb::get_or_empty, "get-or-empty"},
    {TxnVerb::get_tree, "get-tree"},
    {TxnVerb::check_index, "check-index"},
    {TxnVerb::check_session, "check-session"},
    {TxnVerb::check_not_exists, "check-not-exists"},
    {TxnVerb::delete_key, "delete"},
    {TxnVerb::delete_tree, "delete-tree"},
    {TxnVerb::delete_cas, "delete-cas"},
}};

// Go's %q for the keys in error texts: quoted, with " and \ escaped.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

TxnResult without_value(KvEntry entry) {
  entry.value.clear();
  return TxnResult{std::move(entry), false};
}

TxnResult with_value(KvEntry entry) { return TxnResult{std::move(entry), true}; }

}  // namespace

std::optional<TxnVerb> parse_txn_verb(std::string_view text) {
  for (const auto& [verb, name] : kVerbNames) {
    if (text == name) return verb;
  }
  return std::nullopt;
}

const char* to_string(TxnVerb verb) {
  for (const auto& [candidate, name] : kVerbNames) {
    if (candidate == verb) return name;
  }
  return "unknown";
}

// Applies one operation; appends its results or returns Consul's error text.
std::optional<std::string> StateStore::txn_apply_one(std::uint64_t index, const TxnOp& op,
                                                     std::vector<TxnResult>& results) {
  const std::string& key = op.entry.key;
  auto stored = [&]() { return *kv_get(key); };
  switch (op.verb) {
    case TxnVerb::set:
      kv_set(index, op.entry);
      results.push_back(without_value(stored()));
      return std::nullopt;
    case TxnVerb::cas: {
      const WriteResult result = kv_cas(index, op.entry, op.index);
      if (result.kind == WriteResult::Kind::refused) return fmt::format("failed to set key {}, index is stale", quoted(key));
      results.push_back(without_value(stored()));
      return std::nullopt;
    }
    case TxnVerb::lock: {
      const WriteResult result = kv_lock(index, op.entry);
      if (result.kind == WriteResult::Kind::failed) return result.error;
      if (result.kind == WriteResult::Kind::refused) return fmt::format("failed to lock key {}, lock is already held", quoted(key));
      results.push_back(without_value(stored()));
      return std::nullopt;
    }
    case TxnVerb::unlock: {
      const WriteResult result = kv_unlock(index, op.entry);
      if (result.kind == WriteResult::Kind::failed) return result.error;
      if (result.kind == WriteResult::Kind::refused) {
        return fmt::format("failed to unlock key {}, lock isn't held, or is held by another session", quoted(key));
      }
      results.push_back(without_value(stored()));
      return std::nullopt;
    }
    case TxnVerb::get:
      if (kv_get(key) == nullptr) return fmt::format("key {} doesn't exist", quoted(key));
      results.push_back(with_value(stored()));
      return std::nullopt;
    case TxnVerb::get_or_empty:
      results.push_back(kv_get(key) != nullptr ? with_value(stored()) : without_value(op.entry));
      return std::nullopt;
    case TxnVerb::get_tree:
      for (KvEntry& entry : kv_list(key)) results.push_back(with_value(std::move(entry)));
      return std::nullopt;
    case TxnVerb::check_index: {
      const KvEntry* entry = kv_get(key);
      if (entry == nullptr) return fmt::format("failed to check index, key {} doesn't exist", quoted(key));
      if (entry->modify_index != op.index) {
        return fmt::format("failed index check for key {}, current modify index {} != {}", quoted(key), entry->modify_index, op.index);
      }
      results.push_back(without_value(*entry));
      return std::nullopt;
    }
    case TxnVerb::check_session: {
      const KvEntry* entry = kv_get(key);
      if (entry == nullptr) return fmt::format("failed to check session, key {} doesn't exist", quoted(key));
      if (entry->session != op.entry.session) {
        return fmt::format("failed session check for key {}, current session {} != {}", quoted(key), quoted(entry->session),
                           quoted(op.entry.session));
      }
      results.push_back(without_value(*entry));
      return std::nullopt;
    }
    case TxnVerb::check_not_exists:
      if (kv_get(key) != nullptr) return fmt::format("key {} exists", quoted(key));
      return std::nullopt;
    case TxnVerb::delete_key:
      kv_delete(index, key);
      return std::nullopt;
    case TxnVerb::delete_tree:
      kv_delete_tree(index, key);
      return std::nullopt;
    case TxnVerb::delete_cas:
      if (kv_delete_cas(index, key, op.index).kind == WriteResult::Kind::refused) {
        return fmt::format("failed to delete key {}, index is stale", quoted(key));
      }
      return std::nullopt;
  }
  return fmt::format("unknown KV verb {}", quoted(to_string(op.verb)));
}

void StateStore::txn_save(KvUndo& undo, const TxnOp& op) const {
  const auto save_row = [&](const std::string& key) {
    if (undo.kvs.contains(key)) return;
    const auto found = kvs_.find(key);
    undo.kvs.emplace(key, found == kvs_.end() ? std::nullopt : std::optional<KvEntry>(found->second));
  };
  const auto save_tombstone = [&](const std::string& key) {
    if (undo.tombstones.contains(key)) return;
    const auto found = tombstones_.find(key);
    undo.tombstones.emplace(key, found == tombstones_.end() ? std::nullopt : std::optional<Tombstone>(found->second));
  };
  const std::string& key = op.entry.key;
  if (op.verb == TxnVerb::delete_tree) {
    for (auto it = kvs_.lower_bound(key); it != kvs_.end() && it->first.starts_with(key); ++it) save_row(it->first);
  } else {
    save_row(key);
  }
  save_tombstone(key);
}

void StateStore::txn_restore(const KvUndo& undo) {
  for (const auto& [key, row] : undo.kvs) {
    if (row) {
      kvs_.insert_or_assign(key, *row);
    } else {
      kvs_.erase(key);
    }
  }
  for (const auto& [key, tombstone] : undo.tombstones) {
    if (tombstone) {
      tombstones_.insert_or_assign(key, *tombstone);
    } else {
      tombstones_.erase(key);
    }
  }
  kvs_index_ = undo.kvs_index;
  tombstones_index_ = undo.tombstones_index;
}

TxnOutcome StateStore::txn(std::uint64_t index, const std::vector<TxnOp>& ops) {
  // Rollback by undo log: each operation's rows are saved before it runs (txn_save), so a
  // rollback restores exactly what the transaction changed, and a commit copies only that.
  KvUndo undo{.kvs = {}, .tombstones = {}, .kvs_index = kvs_index_, .tombstones_index = tombstones_index_};
  ChangeListener* listener = std::exchange(listener_, nullptr);  // tell nobody until it commits

  TxnOutcome outcome;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    txn_save(undo, ops[i]);
    if (auto error = txn_apply_one(index, ops[i], outcome.results)) outcome.errors.push_back({i, std::move(*error)});
  }
  listener_ = listener;
  if (!outcome.committed()) {
    txn_restore(undo);
    outcome.results.clear();
    return outcome;
  }
  if (listener_ != nullptr) {
    for (const TxnOp& op : ops) listener_->kv_changed(op.entry.key);
  }
  return outcome;
}

}  // namespace baton::fakes::consul
