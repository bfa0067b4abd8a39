#pragma once
// What the client sends in request bodies, and their JSON as Consul's Go API client writes it.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/consul/types.hpp"
#include "engine/ports/time.hpp"

namespace baton::consul {

// PUT /v1/session/create.
struct SessionRequest {
  std::string name;
  // Zero: no TTL (the session lives until destroyed or a check fails). Consul refuses a
  // non-zero TTL outside [session_ttl_min (10s), 24h].
  Duration ttl{};
  // Always sent, "0s" included: a client that omits a zero LockDelay gets Consul's 15s default
  // (consul-lock-failure-modes.md item 8).
  Duration lock_delay{};
  SessionBehavior behavior = SessionBehavior::release;
  // Always sent, [] included: an empty list means a TTL-only session, where omitting it binds
  // the session to serfHealth and a gossip flap would take the lock (item 1).
  std::vector<std::string> checks;
  // Empty: the agent's node.
  std::string node;
};

// One check of a service registration (api.AgentServiceCheck); zero fields are left out.
struct AgentServiceCheck {
  std::string check_id;
  std::string name;
  std::string notes;
  std::string http;    // URL the agent polls
  std::string method;  // HTTP method of that poll
  Duration interval{};
  Duration timeout{};
  Duration ttl{};
  Duration deregister_critical_service_after{};
  bool tls_skip_verify = false;
  std::string status;  // initial status; Consul's default is critical
};

// PUT /v1/agent/service/register (api.AgentServiceRegistration), as CTS registers itself.
struct ServiceRegistration {
  std::string id;
  std::string name;
  std::vector<std::string> tags;
  std::string address;
  int port = 0;
  std::map<std::string, std::string> meta;
  std::string namespace_name;  // Enterprise only
  std::optional<AgentServiceCheck> check;
  std::vector<AgentServiceCheck> checks;
};

std::string session_request_json(const SessionRequest& request);
std::string txn_ops_json(const std::vector<TxnOp>& ops);
std::string service_registration_json(const ServiceRegistration& registration);

}  // namespace baton::consul
