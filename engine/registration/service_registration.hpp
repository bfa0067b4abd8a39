#pragma once
// How an instance registers itself in Consul, as CTS's registration/manager.go does: service
// "consul-terraform-sync" (consul.service_registration.service_name) with the instance's id, tag
// "cts" and, in a cluster, "cts-cluster:<name>" (what /v1/status/cluster lists), and an HTTP
// check of the API's /v1/health every 10s (timeout 2s, critical at first, deregistered after
// 30m critical, TLS not verified).
#include <optional>

#include "engine/config/cts/config.hpp"
#include "engine/consul/requests.hpp"

namespace baton::registration {

// The registration for a finalized configuration; nullopt when service_registration is off.
std::optional<consul::ServiceRegistration> service_registration(const config::cts::Config& config);

// The tag marking the members of cluster `name`.
std::string cluster_tag(const std::string& name);

}  // namespace baton::registration
