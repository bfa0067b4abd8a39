#pragma once
// What Consul's HTTP API answers, as plain values (agent/structs and api/ in hashicorp/consul).
// Decoding from JSON is strict (decode.hpp): a field Consul always sends must be there with its
// type; an optional one may be absent but never mistyped.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/ports/time.hpp"

namespace baton::consul {

// X-Consul-Index, X-Consul-LastContact and X-Consul-KnownLeader of a read (404s carry them too).
struct QueryMeta {
  std::uint64_t index = 0;  // the state the answer reflects; block on it next (blocking_query.hpp)
  std::uint64_t last_contact_ms = 0;  // how long since the answering server heard from the leader
  bool known_leader = false;          // whether that server knew a leader

  bool operator==(const QueryMeta&) const = default;
};

// One KV entry (/v1/kv, /v1/txn).
struct KvPair {
  std::string key;
  std::string value;  // raw bytes, decoded from the wire's base64
  std::uint64_t flags = 0;
  std::string session;  // the lock holder's session id; empty when unlocked
  std::uint64_t lock_index = 0;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const KvPair&) const = default;
};

enum class SessionBehavior {
  release,      // invalidation releases the session's locks (keys and values stay)
  delete_keys,  // invalidation deletes the keys it holds
};

const char* to_string(SessionBehavior behavior);  // "release", "delete"

// A session as /v1/session/info and /renew return it.
struct Session {
  std::string id;
  std::string name;
  std::string node;
  Duration ttl{};  // zero: no TTL (Consul sends "")
  Duration lock_delay{};
  SessionBehavior behavior = SessionBehavior::release;
  std::vector<std::string> node_checks;     // the node's checks it is bound to ("serfHealth" by default)
  std::vector<std::string> service_checks;  // service check ids it is bound to
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const Session&) const = default;
};

// /v1/health/service/:name, one element: a service instance, its node and their checks.
struct HealthNode {
  std::string id;
  std::string node;
  std::string address;
  std::string datacenter;
  std::map<std::string, std::string> tagged_addresses;
  std::map<std::string, std::string> meta;

  bool operator==(const HealthNode&) const = default;
};

struct HealthService {
  std::string id;
  std::string service;
  std::string kind;  // "" for a typical service; "connect-proxy" and such otherwise
  std::vector<std::string> tags;
  std::string address;  // "" means the node's address
  int port = 0;
  std::map<std::string, std::string> meta;
  std::string namespace_name;  // Enterprise only; "" in Community Edition

  bool operator==(const HealthService&) const = default;
};

struct HealthCheck {
  std::string node;
  std::string check_id;
  std::string name;
  std::string status;  // "passing", "warning", "critical", "maintenance"
  std::string notes;
  std::string output;
  std::string service_id;
  std::string service_name;
  std::vector<std::string> service_tags;
  std::string type;

  bool operator==(const HealthCheck&) const = default;
};

struct ServiceEntry {
  HealthNode node;
  HealthService service;
  std::vector<HealthCheck> checks;

  bool operator==(const ServiceEntry&) const = default;
};

// /v1/catalog/services: service name -> the union of its instances' tags.
using CatalogServices = std::map<std::string, std::vector<std::string>>;

// /v1/txn, KV operations.
enum class TxnVerb {
  set,            // write key = value
  cas,            // write if ModifyIndex == index (0: only if absent)
  lock,           // acquire with session
  unlock,         // release with session
  get,            // read (fails the transaction if the key is absent)
  get_tree,       // read every key under the prefix
  check_index,    // fail unless ModifyIndex == index
  check_session,  // fail unless the key is held by session
  delete_key,     // delete (Consul's "delete")
  delete_tree,    // delete every key under the prefix
  delete_cas,     // delete if ModifyIndex == index
};

const char* to_string(TxnVerb verb);  // Consul's spelling: "get-tree", "check-session", "delete"...

struct TxnOp {
  TxnVerb verb = TxnVerb::get;
  std::string key;
  std::string value;  // raw bytes; sent as base64
  std::uint64_t flags = 0;
  std::uint64_t index = 0;  // for cas, check-index, delete-cas
  std::string session;      // for lock, unlock, check-session

  static TxnOp set(std::string key, std::string value, std::uint64_t flags = 0);
  static TxnOp cas(std::string key, std::string value, std::uint64_t modify_index);
  static TxnOp lock(std::string key, std::string value, std::string session);
  static TxnOp unlock(std::string key, std::string value, std::string session);
  static TxnOp get(std::string key);
  static TxnOp get_tree(std::string prefix);
  static TxnOp check_index(std::string key, std::uint64_t modify_index);
  static TxnOp check_session(std::string key, std::string session);
  static TxnOp delete_key(std::string key);
  static TxnOp delete_tree(std::string prefix);
  static TxnOp delete_cas(std::string key, std::uint64_t modify_index);

  bool operator==(const TxnOp&) const = default;
};

// One result of a committed transaction: the entry an operation wrote or read. Check verbs give
// an entry without its value.
struct TxnResult {
  KvPair kv;

  bool operator==(const TxnResult&) const = default;
};

// Why a transaction rolled back: which operation, and Consul's text.
struct TxnError {
  std::size_t op_index = 0;
  std::string what;

  bool operator==(const TxnError&) const = default;
};

struct TxnCommitted {
  std::vector<TxnResult> results;
};

// HTTP 409: nothing was applied.
struct TxnRolledBack {
  std::vector<TxnError> errors;
};

using TxnOutcome = std::variant<TxnCommitted, TxnRolledBack>;

}  // namespace baton::consul
