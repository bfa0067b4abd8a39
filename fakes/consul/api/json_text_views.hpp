#pragma once
// The JSON shapes of json_views.hpp written straight to text (json_text.hpp), for the answers
// the engine asks for most: health entries, sessions, KV entries. Each writes exactly the bytes
// dump() gives for its json_views.hpp counterpart (tests/fakes/consul_json_text_test.cpp
// checks that over random records); keys appear in the order nlohmann's std::map keeps them.
#include <optional>
#include <string>
#include <vector>

#include "fakes/consul/api/json_text.hpp"
#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {

void write_kv(JsonText& out, const KvEntry& entry, bool with_value = true);
void write_session(JsonText& out, const Session& session);
void write_node(JsonText& out, const CatalogNode& node);
void write_service(JsonText& out, const ServiceInstance& service);
void write_check(JsonText& out, const HealthCheck& check);
void write_health_entry(JsonText& out, const HealthEntry& entry);

// /v1/txn's answer when committed: {"Errors":null,"Results":[{"KV":...},...]}; nullopt as for
// array_text.
std::optional<std::string> txn_results_text(const std::vector<const TxnResult*>& results);

// [item,...] written by `write`; nullopt when a string was not valid UTF-8, for the caller to
// answer through the DOM instead (where dump() throws as it always did).
template <class Item, class Write>
std::optional<std::string> array_text(const std::vector<Item>& items, Write write) {
  JsonText out;
  out.raw("[");
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.raw(",");
    write(out, items[i]);
  }
  out.raw("]");
  if (!out.valid()) return std::nullopt;
  return out.take();
}

}  // namespace baton::fakes::consul
