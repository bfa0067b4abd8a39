#pragma once
// Command: one write to the state store, as a Raft log entry carries it (Consul's
// structs.MessageType plus request). The leader validates and prepares a command (session ids,
// lock-delay, ACLs); every server applies it to its own store in log order with apply().
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {

enum class KvOp { set, cas, lock, unlock, delete_key, delete_cas, delete_tree };

struct KvCommand {
  KvOp op;
  KvEntry entry;
  std::uint64_t cas_index = 0;
};
struct SessionCreateCommand {
  Session session;
};
struct SessionDestroyCommand {
  std::string id;
};
struct TxnCommand {
  std::vector<TxnOp> ops;
};
struct RegisterCommand {
  Registration registration;
};
struct DeregisterCommand {
  std::string node;
  std::string service_id;  // one of service_id, check_id or neither (the whole node)
  std::string check_id;
};
struct CheckUpdateCommand {
  std::string node;
  std::string check_id;
  CheckStatus status;
  std::string output;
};
struct AclPolicySetCommand {
  AclPolicy policy;
};
struct AclTokenSetCommand {
  AclToken token;
};
// Raft's own entries that change no state but take an index (a new leader's no-op).
struct NoopCommand {};
// `consul snapshot restore`: every table replaced by the snapshot's (state/state_store.go
// Restore), lock-delays not carried over (they live outside the snapshot).
struct RestoreCommand {
  std::shared_ptr<const StateStore> snapshot;
};

using Command = std::variant<KvCommand, SessionCreateCommand, SessionDestroyCommand, TxnCommand, RegisterCommand,
                             DeregisterCommand, CheckUpdateCommand, AclPolicySetCommand, AclTokenSetCommand, NoopCommand,
                             RestoreCommand>;

// What applying a command gave: a write result, or a transaction's outcome.
struct CommandResult {
  WriteResult write;
  TxnOutcome txn;
};

// Applies `command` at Raft index `index`; `now` is the applying server's clock (lock-delays).
CommandResult apply(StateStore& store, std::uint64_t index, const Command& command, MonoTime now);

const char* command_name(const Command& command);

}  // namespace baton::fakes::consul
