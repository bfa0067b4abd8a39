// StateStore's sessions table (agent/consul/state/session.go).
#include <algorithm>
#include <fmt/format.h>

#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {

const char* to_string(SessionBehavior behavior) {
  return behavior == SessionBehavior::release ? "release" : "delete";
}

WriteResult StateStore::session_create(std::uint64_t index, Session session) {
  if (session.id.empty()) return WriteResult::failed("Missing Session ID");
  const auto node_it = nodes_.find(session.node);
  if (node_it == nodes_.end()) return WriteResult::failed("Missing node registration");
  // validateSessionChecksTxn: node and service checks alike must exist and not be critical.
  for (const auto* checks : {&session.node_checks, &session.service_checks}) {
    for (const std::string& check_id : *checks) {
      auto check = node_it->second.checks.find(check_id);
      if (check == node_it->second.checks.end()) return WriteResult::failed(fmt::format("Missing check '{}' registration", check_id));
      if (check->second.status == CheckStatus::critical) {
        return WriteResult::failed(fmt::format("Check '{}' is in critical state", check_id));
      }
    }
  }
  session.create_index = index;
  session.modify_index = index;
  const std::string id = session.id;
  sessions_.insert_or_assign(id, std::move(session));
  sessions_index_ = index;
  notify_sessions();
  return WriteResult::applied();
}

WriteResult StateStore::session_destroy(std::uint64_t index, std::string_view id, MonoTime now) {
  invalidate_session(index, std::string(id), now);
  return WriteResult::applied();
}

void StateStore::invalidate_session(std::uint64_t index, const std::string& id, MonoTime now) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  const Session session = std::move(it->second);
  sessions_.erase(it);
  sessions_index_ = index;

  std::vector<std::string> held;
  for (const auto& [key, entry] : kvs_) {
    if (entry.session == session.id) held.push_back(key);
  }
  for (const std::string& key : held) {
    if (session.behavior == SessionBehavior::release) {
      KvEntry released = kvs_.at(key);
      released.session.clear();
      kv_write(index, std::move(released), /*take_session=*/true);
    } else {
      kv_erase(index, key);
    }
    if (session.lock_delay > Duration::zero()) lock_delays_.insert_or_assign(key, now + session.lock_delay);
  }
  notify_sessions();
}

const Session* StateStore::session_get(std::string_view id) const {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second;
}

std::vector<Session> StateStore::session_list() const {
  std::vector<Session> list;
  for (const auto& [id, session] : sessions_) list.push_back(session);
  return list;
}

std::vector<Session> StateStore::session_list_for_node(std::string_view node) const {
  std::vector<Session> list;
  for (const auto& [id, session] : sessions_) {
    if (session.node == node) list.push_back(session);
  }
  return list;
}

void StateStore::invalidate_sessions_naming_check(std::uint64_t index, std::string_view node,
                                                  std::string_view check_id, MonoTime now) {
  std::vector<std::string> doomed;
  for (const auto& [id, session] : sessions_) {
    if (session.node != node) continue;
    const bool names_check =
        std::find(session.node_checks.begin(), session.node_checks.end(), check_id) != session.node_checks.end() ||
        std::find(session.service_checks.begin(), session.service_checks.end(), check_id) != session.service_checks.end();
    if (names_check) doomed.push_back(id);
  }
  for (const std::string& id : doomed) invalidate_session(index, id, now);
}

void StateStore::notify_sessions() {
  if (listener_ != nullptr) listener_->sessions_changed();
}

}  // namespace baton::fakes::consul
