#include "engine/consul/requests.hpp"

#include <nlohmann/json.hpp>

#include "engine/consul/base64.hpp"
#include "engine/time/go_duration.hpp"

namespace baton::consul {
namespace {

// Keys and names are user data and need not be UTF-8; JSON text must be. Invalid bytes become
// U+FFFD, as Go's encoding/json does, instead of dump() throwing.
std::string dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void put_if(nlohmann::json& object, const char* name, const std::string& value) {
  if (!value.empty()) object[name] = value;
}

void put_duration_if(nlohmann::json& object, const char* name, Duration value) {
  if (value != Duration::zero()) object[name] = format_go_duration(value);
}

nlohmann::json check_json(const AgentServiceCheck& check) {
  nlohmann::json json = nlohmann::json::object();
  put_if(json, "CheckID", check.check_id);
  put_if(json, "Name", check.name);
  put_if(json, "Notes", check.notes);
  put_if(json, "HTTP", check.http);
  put_if(json, "Method", check.method);
  put_duration_if(json, "Interval", check.interval);
  put_duration_if(json, "Timeout", check.timeout);
  put_duration_if(json, "TTL", check.ttl);
  put_duration_if(json, "DeregisterCriticalServiceAfter", check.deregister_critical_service_after);
  if (check.tls_skip_verify) json["TLSSkipVerify"] = true;
  put_if(json, "Status", check.status);
  return json;
}

}  // namespace

std::string session_request_json(const SessionRequest& request) {
  nlohmann::json json = {{"Name", request.name},
                         {"LockDelay", format_go_duration(request.lock_delay)},
                         {"Behavior", to_string(request.behavior)},
                         {"Checks", request.checks}};
  put_duration_if(json, "TTL", request.ttl);
  put_if(json, "Node", request.node);
  return dump(json);
}

// Written directly rather than through a nlohmann::json document: a transaction carries whole
// task definitions and event histories as base64, and building, copying and escaping them as
// JSON values was 4% of a simulated seed. The text is what dump() of that document gives:
// the fields in its (sorted) order, keys and sessions escaped by dump(), and the base64 as it
// is (its alphabet needs no escaping). A property in tests/unit/consul_client_wire_test.cpp
// (TxnBody) compares the two.
std::string txn_ops_json(const std::vector<TxnOp>& ops) {
  std::string out = "[";
  for (const TxnOp& op : ops) {
    if (out.size() > 1) out += ',';
    // Every field, as Go's api.KVTxnOp marshals them (none is omitempty).
    out += R"({"KV":{"Flags":)";
    out += std::to_string(op.flags);
    out += R"(,"Index":)";
    out += std::to_string(op.index);
    out += R"(,"Key":)";
    out += dump(nlohmann::json(op.key));
    out += R"(,"Session":)";
    out += dump(nlohmann::json(op.session));
    out += R"(,"Value":")";
    out += base64_encode(op.value);
    out += R"(","Verb":")";
    out += to_string(op.verb);
    out += R"("}})";
  }
  out += ']';
  return out;
}

std::string service_registration_json(const ServiceRegistration& registration) {
  nlohmann::json json = nlohmann::json::object();
  put_if(json, "ID", registration.id);
  put_if(json, "Name", registration.name);
  if (!registration.tags.empty()) json["Tags"] = registration.tags;
  put_if(json, "Address", registration.address);
  if (registration.port != 0) json["Port"] = registration.port;
  if (!registration.meta.empty()) json["Meta"] = registration.meta;
  put_if(json, "Namespace", registration.namespace_name);
  if (registration.check) json["Check"] = check_json(*registration.check);
  if (!registration.checks.empty()) {
    nlohmann::json checks = nlohmann::json::array();
    for (const AgentServiceCheck& check : registration.checks) checks.push_back(check_json(check));
    json["Checks"] = checks;
  }
  return dump(json);
}

}  // namespace baton::consul
