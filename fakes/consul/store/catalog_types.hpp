#pragma once
// The catalog's records (structs.Node, structs.ServiceNode, structs.HealthCheck), reduced to
// the fields Consul's HTTP API shows and CTS reads.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace baton::fakes::consul {

inline constexpr const char* kSerfHealthCheckId = "serfHealth";

enum class CheckStatus { passing, warning, critical, maintenance };
const char* to_string(CheckStatus status);
// "passing", "warning", "critical", "maintenance"; false for anything else.
bool parse_check_status(const std::string& text, CheckStatus& status);

struct CatalogNode {
  std::string id;  // NodeID, a UUID
  std::string name;
  std::string address;
  std::string datacenter;
  std::map<std::string, std::string> tagged_addresses;
  std::map<std::string, std::string> meta;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

struct ServiceInstance {
  std::string node;
  std::string id;
  std::string name;
  std::vector<std::string> tags;
  std::string address;
  int port = 0;
  std::map<std::string, std::string> meta;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

struct HealthCheck {
  std::string node;
  std::string id;  // CheckID
  std::string name;
  CheckStatus status = CheckStatus::critical;  // Consul's default for a new check
  std::string notes;
  std::string output;
  std::string service_id;    // empty: a node-level check
  std::string service_name;
  std::vector<std::string> service_tags;
  std::string type;
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

// One element of /v1/health/service/:name: an instance with its node and the checks that bear
// on it (the node's own and the service's).
struct HealthEntry {
  CatalogNode node;
  ServiceInstance service;
  std::vector<HealthCheck> checks;
};

}  // namespace baton::fakes::consul
