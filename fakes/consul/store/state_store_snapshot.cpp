// StateStore::restore_from: what `consul snapshot restore` does to a server's state store.
#include <set>

#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {

void StateStore::restore_from(const StateStore& snapshot) {
  // Every key that exists before or after wakes its watchers: both may have changed.
  std::set<std::string, std::less<>> keys;
  for (const auto& [key, entry] : kvs_) keys.insert(key);
  for (const auto& [key, entry] : snapshot.kvs_) keys.insert(key);
  ChangeListener* listener = listener_;
  *this = snapshot;
  listener_ = listener;
  lock_delays_.clear();
  for (const std::string& key : keys) notify_kv(key);
  notify_sessions();
  notify_catalog();
}

}  // namespace baton::fakes::consul
