#include "engine/consul/direct_decode.hpp"

#include <cstdint>
#include <limits>

#include "engine/consul/base64.hpp"
#include "engine/consul/json_cursor.hpp"
#include "engine/time/go_duration.hpp"

namespace baton::consul {
namespace {

// The known fields of one object met so far. A field met twice is left to the DOM (nlohmann
// keeps the last; the direct path would have to undo the first), and so is an object missing a
// required one.
class Seen {
 public:
  bool first_time(unsigned field) {
    const std::uint32_t bit = 1u << field;
    if ((bits_ & bit) != 0) return false;
    bits_ |= bit;
    return true;
  }
  bool has(unsigned field) const { return (bits_ & (1u << field)) != 0; }
  // Fields 0 .. count-1 all met.
  bool all_below(unsigned count) const { return (bits_ & ((1u << count) - 1)) == (1u << count) - 1; }

 private:
  std::uint32_t bits_ = 0;
};

// Strings are never null in Consul's answers (the DOM decoder refuses a null one).
bool text(JsonCursor& in, std::string& out) { return in.string(out); }

// Lists and maps may be null (Go's nil), which reads as empty.
bool strings(JsonCursor& in, std::vector<std::string>& out) {
  out.clear();
  if (in.null()) return true;
  return in.array([&] { return in.string(out.emplace_back()); });
}

bool string_map(JsonCursor& in, std::map<std::string, std::string>& out) {
  out.clear();
  if (in.null()) return true;
  return in.object([&](std::string_view key) { return in.string(out[std::string(key)]); });
}

bool int32(JsonCursor& in, int& out) {
  std::uint64_t value = 0;
  if (!in.uint64(value) || value > std::uint64_t(std::numeric_limits<int>::max())) return false;
  out = int(value);
  return true;
}

bool int64(JsonCursor& in, std::int64_t& out) {
  std::uint64_t value = 0;
  if (!in.uint64(value) || value > std::uint64_t(std::numeric_limits<std::int64_t>::max())) return false;
  out = std::int64_t(value);
  return true;
}

// A top-level array of objects, each read by `read`.
template <class T, class Read>
std::optional<std::vector<T>> top_array(std::string_view body, Read read) {
  JsonCursor in(body);
  std::vector<T> items;
  const bool ok = in.array([&] { return read(in, items.emplace_back()); });
  if (!ok || !in.at_end()) return std::nullopt;
  return items;
}

bool read_node(JsonCursor& in, HealthNode& node) {
  enum : unsigned { kId, kNode, kAddress, kDatacenter, kTaggedAddresses, kMeta, kRequired };
  Seen seen;
  const bool ok = in.object([&](std::string_view key) {
    if (key == "ID") return seen.first_time(kId) && text(in, node.id);
    if (key == "Node") return seen.first_time(kNode) && text(in, node.node);
    if (key == "Address") return seen.first_time(kAddress) && text(in, node.address);
    if (key == "Datacenter") return seen.first_time(kDatacenter) && text(in, node.datacenter);
    if (key == "TaggedAddresses") return seen.first_time(kTaggedAddresses) && string_map(in, node.tagged_addresses);
    if (key == "Meta") return seen.first_time(kMeta) && string_map(in, node.meta);
    return in.skip();
  });
  return ok && seen.all_below(kRequired);
}

bool read_service(JsonCursor& in, HealthService& service) {
  enum : unsigned { kId, kService, kTags, kAddress, kPort, kMeta, kRequired, kKind = kRequired, kNamespace };
  Seen seen;
  const bool ok = in.object([&](std::string_view key) {
    if (key == "ID") return seen.first_time(kId) && text(in, service.id);
    if (key == "Service") return seen.first_time(kService) && text(in, service.service);
    if (key == "Tags") return seen.first_time(kTags) && strings(in, service.tags);
    if (key == "Address") return seen.first_time(kAddress) && text(in, service.address);
    if (key == "Port") return seen.first_time(kPort) && int32(in, service.port);
    if (key == "Meta") return seen.first_time(kMeta) && string_map(in, service.meta);
    if (key == "Kind") return seen.first_time(kKind) && text(in, service.kind);
    if (key == "Namespace") return seen.first_time(kNamespace) && text(in, service.namespace_name);
    return in.skip();
  });
  return ok && seen.all_below(kRequired);
}

bool read_check(JsonCursor& in, HealthCheck& check) {
  enum : unsigned { kNode, kCheckId, kName, kStatus, kRequired, kNotes = kRequired, kOutput, kServiceId, kServiceName, kServiceTags, kType };
  Seen seen;
  const bool ok = in.object([&](std::string_view key) {
    if (key == "Node") return seen.first_time(kNode) && text(in, check.node);
    if (key == "CheckID") return seen.first_time(kCheckId) && text(in, check.check_id);
    if (key == "Name") return seen.first_time(kName) && text(in, check.name);
    if (key == "Status") return seen.first_time(kStatus) && text(in, check.status);
    if (key == "Notes") return seen.first_time(kNotes) && text(in, check.notes);
    if (key == "Output") return seen.first_time(kOutput) && text(in, check.output);
    if (key == "ServiceID") return seen.first_time(kServiceId) && text(in, check.service_id);
    if (key == "ServiceName") return seen.first_time(kServiceName) && text(in, check.service_name);
    if (key == "ServiceTags") return seen.first_time(kServiceTags) && strings(in, check.service_tags);
    if (key == "Type") return seen.first_time(kType) && text(in, check.type);
    return in.skip();
  });
  return ok && seen.all_below(kRequired);
}

bool read_service_entry(JsonCursor& in, ServiceEntry& entry) {
  enum : unsigned { kNode, kService, kChecks, kRequired };
  Seen seen;
  const auto checks = [&] {
    entry.checks.clear();
    if (in.null()) return true;
    return in.array([&] { return read_check(in, entry.checks.emplace_back()); });
  };
  const bool ok = in.object([&](std::string_view key) {
    if (key == "Node") return seen.first_time(kNode) && read_node(in, entry.node);
    if (key == "Service") return seen.first_time(kService) && read_service(in, entry.service);
    if (key == "Checks") return seen.first_time(kChecks) && checks();
    return in.skip();
  });
  return ok && seen.all_below(kRequired);
}

bool read_behavior(JsonCursor& in, SessionBehavior& behavior) {
  std::string value;
  if (!in.string(value)) return false;
  behavior = value == "delete" ? SessionBehavior::delete_keys : SessionBehavior::release;
  return value == "delete" || value == "release";
}

bool read_ttl(JsonCursor& in, Duration& ttl) {
  std::string value;
  if (!in.string(value)) return false;
  if (value.empty()) return true;
  const std::optional<Duration> parsed = parse_go_duration(value);
  if (parsed) ttl = *parsed;
  return parsed.has_value();
}

// [{"ID": "...", ...}] or null.
bool read_service_checks(JsonCursor& in, std::vector<std::string>& ids) {
  ids.clear();
  if (in.null()) return true;
  return in.array([&] {
    Seen seen;
    std::string& id = ids.emplace_back();
    const bool ok = in.object([&](std::string_view key) {
      if (key == "ID") return seen.first_time(0) && text(in, id);
      return in.skip();
    });
    return ok && seen.has(0);
  });
}

bool read_session(JsonCursor& in, Session& session) {
  enum : unsigned {
    kId, kName, kNode, kLockDelay, kBehavior, kTtl, kCreateIndex, kModifyIndex, kRequired,
    kNodeChecks = kRequired, kChecks, kServiceChecks
  };
  Seen seen;
  std::int64_t lock_delay_ns = 0;
  std::vector<std::string> checks;  // the name NodeChecks had before Consul 1.7
  const bool ok = in.object([&](std::string_view key) {
    if (key == "ID") return seen.first_time(kId) && text(in, session.id);
    if (key == "Name") return seen.first_time(kName) && text(in, session.name);
    if (key == "Node") return seen.first_time(kNode) && text(in, session.node);
    if (key == "LockDelay") return seen.first_time(kLockDelay) && int64(in, lock_delay_ns);
    if (key == "Behavior") return seen.first_time(kBehavior) && read_behavior(in, session.behavior);
    if (key == "TTL") return seen.first_time(kTtl) && read_ttl(in, session.ttl);
    if (key == "CreateIndex") return seen.first_time(kCreateIndex) && in.uint64(session.create_index);
    if (key == "ModifyIndex") return seen.first_time(kModifyIndex) && in.uint64(session.modify_index);
    if (key == "NodeChecks") return seen.first_time(kNodeChecks) && strings(in, session.node_checks);
    if (key == "Checks") return seen.first_time(kChecks) && strings(in, checks);
    if (key == "ServiceChecks") return seen.first_time(kServiceChecks) && read_service_checks(in, session.service_checks);
    return in.skip();
  });
  session.lock_delay = Duration(lock_delay_ns);
  if (!seen.has(kNodeChecks)) session.node_checks = std::move(checks);
  return ok && seen.all_below(kRequired);
}

// "Value": base64, or null for an entry read without its value.
bool read_value(JsonCursor& in, std::string& value) {
  value.clear();
  if (in.null()) return true;
  std::string encoded;
  if (!in.string(encoded)) return false;
  std::optional<std::string> bytes = base64_decode(encoded);
  if (!bytes) return false;
  value = std::move(*bytes);
  return true;
}

bool read_kv_pair(JsonCursor& in, KvPair& pair) {
  enum : unsigned { kLockIndex, kKey, kFlags, kValue, kCreateIndex, kModifyIndex, kRequired, kSession = kRequired };
  Seen seen;
  const bool ok = in.object([&](std::string_view key) {
    if (key == "LockIndex") return seen.first_time(kLockIndex) && in.uint64(pair.lock_index);
    if (key == "Key") return seen.first_time(kKey) && text(in, pair.key);
    if (key == "Flags") return seen.first_time(kFlags) && in.uint64(pair.flags);
    if (key == "Value") return seen.first_time(kValue) && read_value(in, pair.value);
    if (key == "Session") return seen.first_time(kSession) && text(in, pair.session);
    if (key == "CreateIndex") return seen.first_time(kCreateIndex) && in.uint64(pair.create_index);
    if (key == "ModifyIndex") return seen.first_time(kModifyIndex) && in.uint64(pair.modify_index);
    return in.skip();
  });
  return ok && seen.all_below(kRequired);
}

// {"KV": {...}, ...}
bool read_txn_result(JsonCursor& in, TxnResult& result) {
  Seen seen;
  const bool ok = in.object([&](std::string_view key) {
    if (key == "KV") return seen.first_time(0) && read_kv_pair(in, result.kv);
    return in.skip();
  });
  return ok && seen.has(0);
}

}  // namespace

std::optional<std::vector<ServiceEntry>> direct_service_entries(std::string_view body) {
  return top_array<ServiceEntry>(body, &read_service_entry);
}

std::optional<std::vector<Session>> direct_sessions(std::string_view body) {
  return top_array<Session>(body, &read_session);
}

std::optional<std::vector<KvPair>> direct_kv_pairs(std::string_view body) {
  return top_array<KvPair>(body, &read_kv_pair);
}

std::optional<TxnCommitted> direct_txn_committed(std::string_view body) {
  JsonCursor in(body);
  TxnCommitted committed;
  Seen seen;
  const auto results = [&] {
    committed.results.clear();
    if (in.null()) return true;
    return in.array([&] { return read_txn_result(in, committed.results.emplace_back()); });
  };
  const bool ok = in.object([&](std::string_view key) {
    if (key == "Results") return seen.first_time(0) && results();
    return in.skip();
  });
  if (!ok || !seen.has(0) || !in.at_end()) return std::nullopt;
  return committed;
}

}  // namespace baton::consul
