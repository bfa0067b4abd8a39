// StateStore's KV table, tombstones and lock-delays (agent/consul/state/kvs.go, graveyard.go,
// delay.go).
#include <algorithm>
#include <fmt/format.h>

#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

template <class Map>
auto prefix_range(Map& map, std::string_view prefix) {
  auto first = map.lower_bound(prefix);
  auto last = first;
  while (last != map.end() && starts_with(last->first, prefix)) ++last;
  return std::pair(first, last);
}

}  // namespace

const KvEntry* StateStore::kv_get(std::string_view key) const {
  auto it = kvs_.find(key);
  return it == kvs_.end() ? nullptr : &it->second;
}

std::vector<KvEntry> StateStore::kv_list(std::string_view prefix) const {
  std::vector<KvEntry> entries;
  auto [first, last] = prefix_range(kvs_, prefix);
  for (auto it = first; it != last; ++it) entries.push_back(it->second);
  return entries;
}

std::vector<std::string> StateStore::kv_keys(std::string_view prefix, std::string_view separator) const {
  std::vector<std::string> keys;
  auto [first, last] = prefix_range(kvs_, prefix);
  for (auto it = first; it != last; ++it) {
    std::string key = it->first;
    if (!separator.empty()) {
      const std::size_t cut = key.find(separator, prefix.size());
      if (cut != std::string::npos) key.resize(cut + separator.size());
    }
    if (keys.empty() || keys.back() != key) keys.push_back(std::move(key));
  }
  return keys;
}

std::uint64_t StateStore::kv_get_index(std::string_view key) const {
  if (const KvEntry* entry = kv_get(key)) return entry->modify_index;
  return std::max(kvs_index_, tombstones_index_);
}

std::uint64_t StateStore::kv_list_index(std::string_view prefix) const {
  const std::uint64_t tables = std::max(kvs_index_, tombstones_index_);
  if (prefix.empty()) return tables;
  std::uint64_t highest = 0;
  auto [first, last] = prefix_range(kvs_, prefix);
  for (auto it = first; it != last; ++it) highest = std::max(highest, it->second.modify_index);
  auto [dead_first, dead_last] = prefix_range(tombstones_, prefix);
  for (auto it = dead_first; it != dead_last; ++it) highest = std::max(highest, it->second.index);
  return highest != 0 ? highest : tables;
}

std::optional<MonoTime> StateStore::kv_lock_delay_expiry(std::string_view key) const {
  auto it = lock_delays_.find(key);
  if (it == lock_delays_.end()) return std::nullopt;
  return it->second;
}

void StateStore::kv_write(std::uint64_t index, KvEntry entry, bool take_session) {
  auto existing = kvs_.find(entry.key);
  if (existing != kvs_.end()) {
    entry.create_index = existing->second.create_index;
    if (!take_session) entry.session = existing->second.session;
    if (existing->second.same_content(entry)) return;  // nothing changes, not even ModifyIndex
  } else {
    entry.create_index = index;
    if (!take_session) entry.session.clear();
  }
  entry.modify_index = index;
  const std::string key = entry.key;
  kvs_.insert_or_assign(key, std::move(entry));
  kvs_index_ = index;
  notify_kv(key);
}

void StateStore::kv_erase(std::uint64_t index, std::string_view key) {
  auto it = kvs_.find(key);
  if (it == kvs_.end()) return;
  const std::string erased = it->first;
  kvs_.erase(it);
  tombstones_.insert_or_assign(erased, Tombstone{index});
  kvs_index_ = index;
  tombstones_index_ = index;
  notify_kv(erased);
}

WriteResult StateStore::kv_set(std::uint64_t index, KvEntry entry) {
  kv_write(index, std::move(entry), /*take_session=*/false);
  return WriteResult::applied();
}

WriteResult StateStore::kv_cas(std::uint64_t index, KvEntry entry, std::uint64_t cas_index) {
  const KvEntry* existing = kv_get(entry.key);
  if (existing != nullptr && cas_index == 0) return WriteResult::refused();
  if (existing == nullptr && cas_index != 0) return WriteResult::refused();
  if (existing != nullptr && existing->modify_index != cas_index) return WriteResult::refused();
  kv_write(index, std::move(entry), /*take_session=*/false);
  return WriteResult::applied();
}

WriteResult StateStore::kv_lock(std::uint64_t index, KvEntry entry) {
  if (entry.session.empty()) return WriteResult::failed("missing session");
  if (session_get(entry.session) == nullptr) return WriteResult::failed(fmt::format("invalid session \"{}\"", entry.session));
  if (const KvEntry* existing = kv_get(entry.key)) {
    if (existing->session == entry.session) {
      entry.lock_index = existing->lock_index;  // already ours
    } else if (!existing->session.empty()) {
      return WriteResult::refused();  // held by another session
    } else {
      entry.lock_index = existing->lock_index + 1;
    }
  } else {
    entry.lock_index = 1;
  }
  kv_write(index, std::move(entry), /*take_session=*/true);
  return WriteResult::applied();
}

WriteResult StateStore::kv_unlock(std::uint64_t index, KvEntry entry) {
  if (entry.session.empty()) return WriteResult::failed("missing session");
  const KvEntry* existing = kv_get(entry.key);
  if (existing == nullptr || existing->session != entry.session) return WriteResult::refused();
  entry.session.clear();
  entry.lock_index = existing->lock_index;
  kv_write(index, std::move(entry), /*take_session=*/true);
  return WriteResult::applied();
}

WriteResult StateStore::kv_delete(std::uint64_t index, std::string_view key) {
  kv_erase(index, key);
  return WriteResult::applied();
}

WriteResult StateStore::kv_delete_cas(std::uint64_t index, std::string_view key, std::uint64_t cas_index) {
  const KvEntry* existing = kv_get(key);
  if (existing == nullptr) return WriteResult::applied();  // kvsDeleteCASTxn: `return entry == nil`
  if (existing->modify_index != cas_index) return WriteResult::refused();
  kv_erase(index, key);
  return WriteResult::applied();
}

WriteResult StateStore::kv_delete_tree(std::uint64_t index, std::string_view prefix) {
  auto [first, last] = prefix_range(kvs_, prefix);
  if (first == last) return WriteResult::applied();
  std::vector<std::string> erased;
  for (auto it = first; it != last; ++it) erased.push_back(it->first);
  kvs_.erase(first, last);
  // One tombstone for the whole prefix, none when the whole tree goes: watchers of any key
  // then see the tables' index (kvsDeleteTreeTxn).
  if (!prefix.empty()) {
    tombstones_.insert_or_assign(std::string(prefix), Tombstone{index});
    tombstones_index_ = index;
  }
  kvs_index_ = index;
  for (const std::string& key : erased) notify_kv(key);
  return WriteResult::applied();
}

void StateStore::notify_kv(std::string_view key) {
  if (listener_ != nullptr) listener_->kv_changed(key);
}

std::uint64_t StateStore::max_index() const {
  return std::max({kvs_index_, tombstones_index_, sessions_index_, nodes_index_, services_index_, checks_index_});
}

}  // namespace baton::fakes::consul
