#pragma once
// WatchHub: wakes blocking queries when what they read changes. It listens to one server's
// StateStore and sets the Event of every watch whose scope the change touches: a key, a
// prefix, the sessions table or the catalog. (Consul uses memdb watch channels per radix node;
// a key or prefix scope gives the same wake-ups for the reads the fake serves.)
#include <list>
#include <map>
#include <string>
#include <string_view>

#include "engine/async/event.hpp"
#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {

enum class WatchScope { kv_key, kv_prefix, sessions, catalog };

class WatchHub final : public ChangeListener {
 public:
  // One blocking query's interest; unregisters itself when destroyed.
  class Watch {
   public:
    Watch(WatchHub& hub, Runtime& runtime, WatchScope scope, std::string key);
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    ~Watch();
    Event& changed() { return changed_; }

   private:
    friend class WatchHub;
    WatchHub& hub_;
    WatchScope scope_;
    std::string key_;
    Event changed_;
    std::list<Watch*>::iterator in_list_;                  // prefix, sessions, catalog scopes
    std::multimap<std::string, Watch*>::iterator in_keys_;  // kv_key scope
  };

  void kv_changed(std::string_view key) override;
  void sessions_changed() override { wake(WatchScope::sessions); }
  void catalog_changed() override { wake(WatchScope::catalog); }
  std::size_t size() const { return watches_.size() + key_watches_.size(); }

 private:
  void wake(WatchScope scope);
  // Single-key watches, by far the most common (a leader lock, a task's state), are found by
  // key; the rest are few and scanned.
  std::multimap<std::string, Watch*> key_watches_;
  std::list<Watch*> watches_;
};

}  // namespace baton::fakes::consul
