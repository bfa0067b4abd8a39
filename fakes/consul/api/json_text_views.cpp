// Field order: nlohmann keeps an object's keys in a std::map, so dump() prints them sorted
// bytewise (uppercase before lowercase); each writer below lists them in that order.
#include "fakes/consul/api/json_text_views.hpp"

#include "fakes/consul/api/base64.hpp"

namespace baton::fakes::consul {

void write_kv(JsonText& out, const KvEntry& entry, bool with_value) {
  out.raw("{\"CreateIndex\":");
  out.number(entry.create_index);
  out.raw(",\"Flags\":");
  out.number(entry.flags);
  out.raw(",\"Key\":");
  out.string(entry.key);
  out.raw(",\"LockIndex\":");
  out.number(entry.lock_index);
  out.raw(",\"ModifyIndex\":");
  out.number(entry.modify_index);
  if (!entry.session.empty()) {
    out.raw(",\"Session\":");
    out.string(entry.session);
  }
  out.raw(",\"Value\":");
  if (with_value) {
    out.string(base64_encode(entry.value));
  } else {
    out.null();
  }
  out.raw("}");
}

void write_session(JsonText& out, const Session& session) {
  out.raw("{\"Behavior\":");
  out.string(to_string(session.behavior));
  out.raw(",\"CreateIndex\":");
  out.number(session.create_index);
  out.raw(",\"ID\":");
  out.string(session.id);
  out.raw(",\"LockDelay\":");
  out.number(std::int64_t(session.lock_delay.count()));
  out.raw(",\"ModifyIndex\":");
  out.number(session.modify_index);
  out.raw(",\"Name\":");
  out.string(session.name);
  out.raw(",\"Node\":");
  out.string(session.node);
  out.raw(",\"NodeChecks\":");
  if (session.node_checks.empty()) {
    out.null();
  } else {
    out.string_list(session.node_checks);
  }
  out.raw(",\"ServiceChecks\":");
  if (session.service_checks.empty()) {
    out.null();
  } else {
    out.raw("[");
    for (std::size_t i = 0; i < session.service_checks.size(); ++i) {
      out.raw(i == 0 ? "{\"ID\":" : ",{\"ID\":");
      out.string(session.service_checks[i]);
      out.raw(",\"Namespace\":\"\"}");
    }
    out.raw("]");
  }
  out.raw(",\"TTL\":");
  out.string(session.ttl_text);
  out.raw("}");
}

void write_node(JsonText& out, const CatalogNode& node) {
  out.raw("{\"Address\":");
  out.string(node.address);
  out.raw(",\"CreateIndex\":");
  out.number(node.create_index);
  out.raw(",\"Datacenter\":");
  out.string(node.datacenter);
  out.raw(",\"ID\":");
  out.string(node.id);
  out.raw(",\"Meta\":");
  out.string_map(node.meta);
  out.raw(",\"ModifyIndex\":");
  out.number(node.modify_index);
  out.raw(",\"Node\":");
  out.string(node.name);
  out.raw(",\"TaggedAddresses\":");
  out.string_map(node.tagged_addresses);
  out.raw("}");
}

void write_service(JsonText& out, const ServiceInstance& service) {
  out.raw("{\"Address\":");
  out.string(service.address);
  out.raw(",\"CreateIndex\":");
  out.number(service.create_index);
  out.raw(",\"EnableTagOverride\":false,\"ID\":");
  out.string(service.id);
  out.raw(",\"Meta\":");
  out.string_map(service.meta);
  out.raw(",\"ModifyIndex\":");
  out.number(service.modify_index);
  out.raw(",\"Port\":");
  out.number(std::int64_t(service.port));
  out.raw(",\"Service\":");
  out.string(service.name);
  out.raw(",\"Tags\":");
  out.string_list(service.tags);
  out.raw(",\"Weights\":{\"Passing\":1,\"Warning\":1}}");
}

void write_check(JsonText& out, const HealthCheck& check) {
  out.raw("{\"CheckID\":");
  out.string(check.id);
  out.raw(",\"CreateIndex\":");
  out.number(check.create_index);
  out.raw(",\"ModifyIndex\":");
  out.number(check.modify_index);
  out.raw(",\"Name\":");
  out.string(check.name);
  out.raw(",\"Node\":");
  out.string(check.node);
  out.raw(",\"Notes\":");
  out.string(check.notes);
  out.raw(",\"Output\":");
  out.string(check.output);
  out.raw(",\"ServiceID\":");
  out.string(check.service_id);
  out.raw(",\"ServiceName\":");
  out.string(check.service_name);
  out.raw(",\"ServiceTags\":");
  out.string_list(check.service_tags);
  out.raw(",\"Status\":");
  out.string(to_string(check.status));
  out.raw(",\"Type\":");
  out.string(check.type);
  out.raw("}");
}

void write_health_entry(JsonText& out, const HealthEntry& entry) {
  out.raw("{\"Checks\":[");
  for (std::size_t i = 0; i < entry.checks.size(); ++i) {
    if (i > 0) out.raw(",");
    write_check(out, entry.checks[i]);
  }
  out.raw("],\"Node\":");
  write_node(out, entry.node);
  out.raw(",\"Service\":");
  write_service(out, entry.service);
  out.raw("}");
}

std::optional<std::string> txn_results_text(const std::vector<const TxnResult*>& results) {
  const auto write = [](JsonText& out, const TxnResult* result) {
    out.raw("{\"KV\":");
    write_kv(out, result->entry, result->with_value);
    out.raw("}");
  };
  std::optional<std::string> list = array_text(results, write);
  if (!list) return std::nullopt;
  return "{\"Errors\":null,\"Results\":" + *list + "}";
}

}  // namespace baton::fakes::consul
