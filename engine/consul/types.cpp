#include "engine/consul/types.hpp"

#include <utility>

namespace baton::consul {

const char* to_string(SessionBehavior behavior) {
  return behavior == SessionBehavior::delete_keys ? "delete" : "release";
}

const char* to_string(TxnVerb verb) {
  switch (verb) {
    case TxnVerb::set: return "set";
    case TxnVerb::cas: return "cas";
    case TxnVerb::lock: return "lock";
    case TxnVerb::unlock: return "unlock";
    case TxnVerb::get: return "get";
    case TxnVerb::get_tree: return "get-tree";
    case TxnVerb::check_index: return "check-index";
    case TxnVerb::check_session: return "check-session";
    case TxnVerb::delete_key: return "delete";
    case TxnVerb::delete_tree: return "delete-tree";
    case TxnVerb::delete_cas: return "delete-cas";
  }
  return "unknown";
}

TxnOp TxnOp::set(std::string key, std::string value, std::uint64_t flags) {
  return TxnOp{.verb = TxnVerb::set, .key = std::move(key), .value = std::move(value), .flags = flags};
}
TxnOp TxnOp::cas(std::string key, std::string value, std::uint64_t modify_index) {
  return TxnOp{.verb = TxnVerb::cas, .key = std::move(key), .value = std::move(value), .index = modify_index};
}
TxnOp TxnOp::lock(std::string key, std::string value, std::string session) {
  return TxnOp{.verb = TxnVerb::lock, .key = std::move(key), .value = std::move(value), .session = std::move(session)};
}
TxnOp TxnOp::unlock(std::string key, std::string value, std::string session) {
  return TxnOp{.verb = TxnVerb::unlock, .key = std::move(key), .value = std::move(value), .session = std::move(session)};
}
TxnOp TxnOp::get(std::string key) { return TxnOp{.verb = TxnVerb::get, .key = std::move(key)}; }
TxnOp TxnOp::get_tree(std::string prefix) { return TxnOp{.verb = TxnVerb::get_tree, .key = std::move(prefix)}; }
TxnOp TxnOp::check_index(std::string key, std::uint64_t modify_index) {
  return TxnOp{.verb = TxnVerb::check_index, .key = std::move(key), .index = modify_index};
}
TxnOp TxnOp::check_session(std::string key, std::string session) {
  return TxnOp{.verb = TxnVerb::check_session, .key = std::move(key), .session = std::move(session)};
}
TxnOp TxnOp::delete_key(std::string key) { return TxnOp{.verb = TxnVerb::delete_key, .key = std::move(key)}; }
TxnOp TxnOp::delete_tree(std::string prefix) { return TxnOp{.verb = TxnVerb::delete_tree, .key = std::move(prefix)}; }
TxnOp TxnOp::delete_cas(std::string key, std::uint64_t modify_index) {
  return TxnOp{.verb = TxnVerb::delete_cas, .key = std::move(key), .index = modify_index};
}

}  // namespace baton::consul
