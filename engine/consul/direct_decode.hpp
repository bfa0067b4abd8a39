#pragma once
// The answers the engine reads most (health entries at every watcher wake-up, sessions at every
// renewal, KV reads and transactions) decoded straight from their text with JsonCursor, without
// a DOM. Each function gives the same value as its DOM decoder in decode.cpp for every answer
// it accepts, and nullopt for any answer outside its plain case: malformed, mistyped, missing
// a field, a field repeated, or merely unusual (a float, a negative number). decode.cpp then
// decodes through the DOM, which names the problem with the texts it always had.
// (tests/unit/consul_direct_decode_test.cpp checks the two paths agree.)
#include <optional>
#include <string_view>
#include <vector>

#include "engine/consul/types.hpp"

namespace baton::consul {

std::optional<std::vector<ServiceEntry>> direct_service_entries(std::string_view body);
std::optional<std::vector<Session>> direct_sessions(std::string_view body);
std::optional<std::vector<KvPair>> direct_kv_pairs(std::string_view body);
std::optional<TxnCommitted> direct_txn_committed(std::string_view body);

}  // namespace baton::consul
