#include "engine/consul/decode.hpp"

#include <fmt/format.h>

#include <charconv>
#include <functional>

#include "engine/consul/base64.hpp"
#include "engine/consul/direct_decode.hpp"
#include "engine/consul/errors.hpp"
#include "engine/consul/json_reader.hpp"
#include "engine/time/go_duration.hpp"

namespace baton::consul {
namespace {

template <class T>
ConsulResult<T> finish(T value, const DecodeProblem& problem, const http::Response& response, std::string_view path) {
  if (!problem.ok()) return bad_response(path, response.status, problem.text());
  return ConsulResult<T>(std::move(value));
}

// Runs `read` on the body parsed as JSON; the problem names what was wrong.
template <class T>
ConsulResult<T> decode_body(const http::Response& response, std::string_view path,
                            const std::function<T(const nlohmann::json&, DecodeProblem&)>& read) {
  DecodeProblem problem;
  std::optional<nlohmann::json> json = parse_json(response.body, problem);
  if (!json) return bad_response(path, response.status, problem.text());
  T value = read(*json, problem);
  return finish(std::move(value), problem, response, path);
}

// A top-level array whose elements are objects read by `read_element`. An element's fields are
// named without its index, as for a single-key read ("ModifyIndex").
template <class T>
std::vector<T> read_array(const nlohmann::json& json, DecodeProblem& problem, T (*read_element)(FieldReader&)) {
  std::vector<T> items;
  if (!json.is_array()) {
    problem.set("expected a JSON array");
    return items;
  }
  for (std::size_t i = 0; i < json.size() && problem.ok(); ++i) {
    if (!json[i].is_object()) {
      problem.set(fmt::format("element {}: expected a JSON object", i));
      break;
    }
    FieldReader fields(json[i], problem);
    items.push_back(read_element(fields));
  }
  return items;
}

// "Value": base64, or null for an entry read without its value (txn check verbs).
std::string read_value(FieldReader& fields) {
  const nlohmann::json* value = fields.raw("Value");
  if (value == nullptr || value->is_null()) return {};
  if (!value->is_string()) {
    fields.problem().at_field(fields.path_of("Value"), "expected a base64 string");
    return {};
  }
  std::optional<std::string> bytes = base64_decode(value->get_ref<const std::string&>());
  if (!bytes) {
    fields.problem().at_field(fields.path_of("Value"), "illegal base64 data");
    return {};
  }
  return std::move(*bytes);
}

KvPair read_kv_pair(FieldReader& fields) {
  KvPair pair;
  pair.lock_index = fields.uint64("LockIndex");
  pair.key = fields.text("Key");
  pair.flags = fields.uint64("Flags");
  pair.value = read_value(fields);
  pair.session = fields.text("Session", Presence::optional);  // absent when unlocked
  pair.create_index = fields.uint64("CreateIndex");
  pair.modify_index = fields.uint64("ModifyIndex");
  return pair;
}

// Session.TTL is a Go duration text; "" means none.
Duration read_ttl(FieldReader& fields) {
  const std::string text = fields.text("TTL");
  if (text.empty() || !fields.problem().ok()) return Duration::zero();
  const std::optional<Duration> ttl = parse_go_duration(text);
  if (!ttl) fields.problem().at_field(fields.path_of("TTL"), fmt::format("invalid duration \"{}\"", text));
  return ttl.value_or(Duration::zero());
}

SessionBehavior read_behavior(FieldReader& fields) {
  const std::string text = fields.text("Behavior");
  if (text == "delete") return SessionBehavior::delete_keys;
  if (text != "release" && fields.problem().ok()) {
    fields.problem().at_field(fields.path_of("Behavior"), fmt::format("unknown behavior \"{}\"", text));
  }
  return SessionBehavior::release;
}

// ServiceChecks: [{"ID": "...", "Namespace": "..."}] or null.
std::vector<std::string> read_service_checks(FieldReader& fields) {
  std::vector<std::string> ids;
  for (const FieldReader::Element& element : fields.array("ServiceChecks", Presence::optional)) {
    FieldReader check(*element.value, fields.problem(), element.path);
    ids.push_back(check.text("ID"));
  }
  return ids;
}

Session read_session(FieldReader& fields) {
  Session session;
  session.id = fields.text("ID");
  session.name = fields.text("Name");
  session.node = fields.text("Node");
  const std::int64_t lock_delay_ns = fields.int64("LockDelay");
  if (lock_delay_ns < 0) fields.problem().at_field(fields.path_of("LockDelay"), "negative duration");
  session.lock_delay = Duration(lock_delay_ns);
  session.behavior = read_behavior(fields);
  session.ttl = read_ttl(fields);
  // NodeChecks since Consul 1.7; before, "Checks" held the same list.
  if (fields.raw("NodeChecks", Presence::optional) != nullptr) {
    session.node_checks = fields.strings("NodeChecks");
  } else {
    session.node_checks = fields.strings("Checks", Presence::optional);
  }
  session.service_checks = read_service_checks(fields);
  session.create_index = fields.uint64("CreateIndex");
  session.modify_index = fields.uint64("ModifyIndex");
  return session;
}

HealthNode read_health_node(FieldReader& fields) {
  HealthNode node;
  node.id = fields.text("ID");
  node.node = fields.text("Node");
  node.address = fields.text("Address");
  node.datacenter = fields.text("Datacenter");
  node.tagged_addresses = fields.string_map("TaggedAddresses");
  node.meta = fields.string_map("Meta");
  return node;
}

HealthService read_health_service(FieldReader& fields) {
  HealthService service;
  service.id = fields.text("ID");
  service.service = fields.text("Service");
  service.kind = fields.text("Kind", Presence::optional);  // omitempty in structs.NodeService
  service.tags = fields.strings("Tags");
  service.address = fields.text("Address");
  service.port = fields.int32("Port");
  service.meta = fields.string_map("Meta");
  service.namespace_name = fields.text("Namespace", Presence::optional);  // Enterprise only
  return service;
}

HealthCheck read_health_check(FieldReader& fields) {
  HealthCheck check;
  check.node = fields.text("Node");
  check.check_id = fields.text("CheckID");
  check.name = fields.text("Name");
  check.status = fields.text("Status");
  check.notes = fields.text("Notes", Presence::optional);
  check.output = fields.text("Output", Presence::optional);
  check.service_id = fields.text("ServiceID", Presence::optional);
  check.service_name = fields.text("ServiceName", Presence::optional);
  check.service_tags = fields.strings("ServiceTags", Presence::optional);
  check.type = fields.text("Type", Presence::optional);
  return check;
}

ServiceEntry read_service_entry(FieldReader& fields) {
  ServiceEntry entry;
  if (std::optional<FieldReader> node = fields.object("Node")) entry.node = read_health_node(*node);
  if (std::optional<FieldReader> service = fields.object("Service")) entry.service = read_health_service(*service);
  for (const FieldReader::Element& element : fields.array("Checks")) {
    FieldReader check(*element.value, fields.problem(), element.path);
    entry.checks.push_back(read_health_check(check));
  }
  return entry;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A numeric header: nullopt when absent; the problem recorded when malformed.
std::optional<std::uint64_t> numeric_header(const http::Response& response, std::string_view name, DecodeProblem& problem) {
  const std::optional<std::string_view> text = response.header(name);
  if (!text) return std::nullopt;
  const std::optional<std::uint64_t> value = parse_decimal(*text);
  if (!value) problem.set(fmt::format("header \"{}\": expected an unsigned integer, got \"{}\"", name, text->substr(0, 64)));
  return value;
}

}  // namespace

ConsulResult<QueryMeta> read_query_meta(const http::Response& response, std::string_view path) {
  DecodeProblem problem;
  QueryMeta meta;
  const std::optional<std::uint64_t> index = numeric_header(response, "X-Consul-Index", problem);
  if (!index && problem.ok()) problem.set("header \"X-Consul-Index\": missing");
  meta.index = index.value_or(0);
  meta.last_contact_ms = numeric_header(response, "X-Consul-LastContact", problem).value_or(0);
  if (const std::optional<std::string_view> known = response.header("X-Consul-KnownLeader")) {
    // strconv.FormatBool's output.
    if (*known != "true" && *known != "false") {
      problem.set(fmt::format("header \"X-Consul-KnownLeader\": expected true or false, got \"{}\"", known->substr(0, 64)));
    }
    meta.known_leader = *known == "true";
  }
  return finish(meta, problem, response, path);
}

// The hot answers try direct_decode.hpp first: the same value, without a DOM, for every answer
// in its plain case; anything else goes through the DOM, whose problems name the field.
ConsulResult<std::vector<KvPair>> decode_kv_pairs(const http::Response& response, std::string_view path) {
  if (auto pairs = direct_kv_pairs(response.body)) return ConsulResult<std::vector<KvPair>>(std::move(*pairs));
  return dom::decode_kv_pairs(response, path);
}

ConsulResult<std::vector<KvPair>> dom::decode_kv_pairs(const http::Response& response, std::string_view path) {
  return decode_body<std::vector<KvPair>>(response, path, [](const nlohmann::json& json, DecodeProblem& problem) {
    return read_array(json, problem, &read_kv_pair);
  });
}

ConsulResult<std::vector<Session>> decode_sessions(const http::Response& response, std::string_view path) {
  if (auto sessions = direct_sessions(response.body)) return ConsulResult<std::vector<Session>>(std::move(*sessions));
  return dom::decode_sessions(response, path);
}

ConsulResult<std::vector<Session>> dom::decode_sessions(const http::Response& response, std::string_view path) {
  return decode_body<std::vector<Session>>(response, path, [](const nlohmann::json& json, DecodeProblem& problem) {
    return read_array(json, problem, &read_session);
  });
}

ConsulResult<std::string> decode_session_id(const http::Response& response, std::string_view path) {
  return decode_body<std::string>(response, path, [](const nlohmann::json& json, DecodeProblem& problem) {
    FieldReader fields(json, problem);
    std::string id = fields.text("ID");
    if (problem.ok() && id.empty()) problem.at_field("ID", "empty");
    return id;
  });
}

ConsulResult<bool> decode_bool(const http::Response& response, std::string_view path) {
  return decode_body<bool>(response, path, [](const nlohmann::json& json, DecodeProblem& problem) {
    if (!json.is_boolean()) problem.set("expected true or false");
    return json.is_boolean() && json.get<bool>();
  });
}

ConsulResult<std::string> decode_string(const http::Response& response, std::string_view path) {
  return decode_body<std::string>(response, path, [](const nlohmann::json& json, DecodeProblem& problem) {
    if (!json.is_string()) {
      problem.set("expected a JSON string");
      return std::string();
    }
    return json.get<std::string>();
  });
}

ConsulResult<std::vector<ServiceEntry>> decode_service_entries(const http::Response& response, std::string_view path) {
  if (auto entries = direct_service_entries(response.body)) return ConsulResult<std::vector<ServiceEntry>>(std::move(*entries));
  return dom::decode_service_entries(response, path);
}

ConsulResult<std::vector<ServiceEntry>> dom::decode_service_entries(const http::Response& response, std::string_view path) {
  return decode_body<std::vector<ServiceEntry>>(response, path, [](const nlohmann::json& json, DecodeProblem& problem) {
    return read_array(json, problem, &read_service_entry);
  });
}

ConsulResult<CatalogServices> decode_catalog_services(const http::Response& response, std::string_view path) {
  return decode_body<CatalogServices>(response, path, [](const nlohmann::json& json, DecodeProblem& problem) {
    CatalogServices services;
    FieldReader fields(json, problem);
    if (!problem.ok()) return services;
    for (auto it = json.begin(); it != json.end() && problem.ok(); ++it) services[it.key()] = fields.strings(it.key());
    return services;
  });
}

ConsulResult<TxnCommitted> decode_txn_committed(const http::Response& response, std::string_view path) {
  if (auto committed = direct_txn_committed(response.body)) return ConsulResult<TxnCommitted>(std::move(*committed));
  return dom::decode_txn_committed(response, path);
}

ConsulResult<TxnCommitted> dom::decode_txn_committed(const http::Response& response, std::string_view path) {
  return decode_body<TxnCommitted>(response, path, [](const nlohmann::json& json, DecodeProblem& problem) {
    TxnCommitted committed;
    FieldReader fields(json, problem);
    for (const FieldReader::Element& element : fields.array("Results")) {
      FieldReader result(*element.value, problem, element.path);
      if (std::optional<FieldReader> kv = result.object("KV")) committed.results.push_back(TxnResult{read_kv_pair(*kv)});
    }
    return committed;
  });
}

ConsulResult<TxnRolledBack> decode_txn_rolled_back(const http::Response& response, std::string_view path) {
  return decode_body<TxnRolledBack>(response, path, [](const nlohmann::json& json, DecodeProblem& problem) {
    TxnRolledBack rolled_back;
    FieldReader fields(json, problem);
    for (const FieldReader::Element& element : fields.array("Errors")) {
      FieldReader error(*element.value, problem, element.path);
      const std::uint64_t op_index = error.uint64("OpIndex");
      rolled_back.errors.push_back(TxnError{std::size_t(op_index), error.text("What")});
    }
    if (problem.ok() && rolled_back.errors.empty()) problem.at_field("Errors", "a rolled back transaction names no error");
    return rolled_back;
  });
}

}  // namespace baton::consul
