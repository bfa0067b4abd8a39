#pragma once
// One instance of a Consul service as hcat hands it to CTS's templates (hcat dep.HealthService,
// built from a /v1/health/service entry), plus the task's user-defined metadata.
#include <map>
#include <string>
#include <vector>

namespace baton::driver::terraform {

struct ServiceInstance {
  std::string id;
  std::string name;
  std::string kind;
  std::string address;  // Service.Address as registered; empty renders node_address instead
  int port = 0;
  std::map<std::string, std::string> meta;  // empty renders {} (Consul's null)
  std::vector<std::string> tags;            // any order; empty renders []
  std::string namespace_name;
  std::string status;  // aggregated check status: passing, warning, critical, maintenance

  std::string node;
  std::string node_id;
  std::string node_address;
  std::string node_datacenter;
  std::map<std::string, std::string> node_tagged_addresses;
  std::map<std::string, std::string> node_meta;

  // The task's cts_user_defined_meta for this service (condition or module_input "services",
  // or the deprecated per-service blocks): CTS looks it up by service name.
  std::map<std::string, std::string> cts_user_defined_meta;
};

}  // namespace baton::driver::terraform
