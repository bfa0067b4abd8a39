#include "fakes/consul/server/watch_hub.hpp"

namespace baton::fakes::consul {

WatchHub::Watch::Watch(WatchHub& hub, Runtime& runtime, WatchScope scope, std::string key)
    : hub_(hub), scope_(scope), key_(std::move(key)), changed_(runtime) {
  if (scope_ == WatchScope::kv_key) {
    in_keys_ = hub_.key_watches_.emplace(key_, this);
  } else {
    in_list_ = hub_.watches_.insert(hub_.watches_.end(), this);
  }
}

WatchHub::Watch::~Watch() {
  if (scope_ == WatchScope::kv_key) {
    hub_.key_watches_.erase(in_keys_);
  } else {
    hub_.watches_.erase(in_list_);
  }
}

void WatchHub::kv_changed(std::string_view key) {
  auto [first, last] = key_watches_.equal_range(std::string(key));
  for (auto it = first; it != last; ++it) it->second->changed_.set();
  for (Watch* watch : watches_) {
    if (watch->scope_ == WatchScope::kv_prefix && key.substr(0, watch->key_.size()) == watch->key_) watch->changed_.set();
  }
}

void WatchHub::wake(WatchScope scope) {
  for (Watch* watch : watches_) {
    if (watch->scope_ == scope) watch->changed_.set();
  }
}

}  // namespace baton::fakes::consul
