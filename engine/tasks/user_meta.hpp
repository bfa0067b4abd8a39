#pragma once
// A task's cts_user_defined_meta, as CTS v0.9.0's getServicesMetaData finds it
// (driver/terraform.go): one map for every service of the task (from the services condition or
// the services module_input), or one map per service name (the deprecated `service` blocks).
#include <map>
#include <string>

namespace baton::tasks {

struct UserMeta {
  std::map<std::string, std::string> all_services;
  std::map<std::string, std::map<std::string, std::string>> by_service;

  // The meta rendered for instances of `service`.
  const std::map<std::string, std::string>& for_service(const std::string& service) const {
    const auto found = by_service.find(service);
    return found != by_service.end() ? found->second : all_services;
  }
  friend bool operator==(const UserMeta&, const UserMeta&) = default;
};

}  // namespace baton::tasks
