#include "fakes/consul/server/command.hpp"

namespace baton::fakes::consul {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

WriteResult apply_kv(StateStore& store, std::uint64_t index, const KvCommand& command) {
  switch (command.op) {
    case KvOp::set: return store.kv_set(index, command.entry);
    case KvOp::cas: return store.kv_cas(index, command.entry, command.cas_index);
    case KvOp::lock: return store.kv_lock(index, command.entry);
    case KvOp::unlock: return store.kv_unlock(index, command.entry);
    case KvOp::delete_key: return store.kv_delete(index, command.entry.key);
    case KvOp::delete_cas: return store.kv_delete_cas(index, command.entry.key, command.cas_index);
    case KvOp::delete_tree: return store.kv_delete_tree(index, command.entry.key);
  }
  return WriteResult::failed("unknown KV operation");
}

WriteResult apply_deregister(StateStore& store, std::uint64_t index, const DeregisterCommand& command, MonoTime now) {
  if (!command.service_id.empty()) return store.deregister_service(index, command.node, command.service_id, now);
  if (!command.check_id.empty()) return store.deregister_check(index, command.node, command.check_id, now);
  return store.deregister_node(index, command.node, now);
}

}  // namespace

CommandResult apply(StateStore& store, std::uint64_t index, const Command& command, MonoTime now) {
  CommandResult result;
  std::visit(Overloaded{
                 [&](const KvCommand& kv) { result.write = apply_kv(store, index, kv); },
                 [&](const SessionCreateCommand& create) { result.write = store.session_create(index, create.session); },
                 [&](const SessionDestroyCommand& destroy) { result.write = store.session_destroy(index, destroy.id, now); },
                 [&](const TxnCommand& txn) { result.txn = store.txn(index, txn.ops); },
                 [&](const RegisterCommand& reg) { result.write = store.register_entity(index, reg.registration, now); },
                 [&](const DeregisterCommand& dereg) { result.write = apply_deregister(store, index, dereg, now); },
                 [&](const CheckUpdateCommand& update) {
                   result.write = store.update_check(index, update.node, update.check_id, update.status, update.output, now);
                 },
                 [&](const AclPolicySetCommand& set) { store.acl_set_policy(index, set.policy); },
                 [&](const AclTokenSetCommand& set) { store.acl_set_token(index, set.token); },
                 [&](const NoopCommand&) {},
                 [&](const RestoreCommand& restore) { store.restore_from(*restore.snapshot); },
             },
             command);
  return result;
}

const char* command_name(const Command& command) {
  static constexpr const char* kNames[] = {"kv", "session-create", "session-destroy", "txn", "register", "deregister", "check-update", "acl-policy-set", "acl-token-set", "noop", "restore"};
  return kNames[command.index()];
}

}  // namespace baton::fakes::consul
