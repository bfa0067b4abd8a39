#include "fakes/terraform/infrastructure.hpp"

#include <algorithm>

namespace baton::fakes::terraform {

std::vector<ServiceChange> changes_between(const std::set<std::string>& current, const std::set<std::string>& target) {
  std::vector<ServiceChange> changes;
  for (const std::string& key : current) {
    if (!target.contains(key)) changes.push_back({key, false});
  }
  for (const std::string& key : target) {
    if (!current.contains(key)) changes.push_back({key, true});
  }
  std::sort(changes.begin(), changes.end(), [](const ServiceChange& a, const ServiceChange& b) { return a.key < b.key; });
  return changes;
}

void apply_change(std::set<std::string>& services, const ServiceChange& change) {
  if (change.add) {
    services.insert(change.key);
  } else {
    services.erase(change.key);
  }
}

}  // namespace baton::fakes::terraform
