#pragma once
// The KV half of /v1/txn (agent/consul/state/txn.go): verbs, operations and outcomes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/consul/store/kv_entry.hpp"

namespace baton::fakes::consul {

enum class TxnVerb {
  set, cas, lock, unlock, get, get_or_empty, get_tree,
  check_index, check_session, check_not_exists, delete_key, delete_tree, delete_cas,
};

// "set", "cas", ..., "delete-cas" as the API spells them; nullopt for an unknown verb.
std::optional<TxnVerb> parse_txn_verb(std::string_view text);
const char* to_string(TxnVerb verb);

struct TxnOp {
  TxnVerb verb;
  KvEntry entry;           // key, value, flags, session as the request gave them
  std::uint64_t index = 0;  // for cas, check-index and delete-cas
};

struct TxnError {
  std::size_t op_index;
  std::string what;
};

// One result of a transaction: the entry, and whether its Value is shown (only for the get
// verbs; the others show null).
struct TxnResult {
  KvEntry entry;
  bool with_value = false;
};

// Consul runs every operation and collects every error; any error rolls the whole transaction
// back and yields no results.
struct TxnOutcome {
  std::vector<TxnResult> results;
  std::vector<TxnError> errors;
  bool committed() const { return errors.empty(); }
};

}  // namespace baton::fakes::consul
