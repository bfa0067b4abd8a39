// StateStore's catalog: nodes, services, checks, and the health view of them
// (agent/consul/state/catalog.go).
#include <algorithm>
#include <fmt/format.h>

#include "fakes/consul/store/state_store.hpp"

namespace baton::fakes::consul {
namespace {

bool same_node(const CatalogNode& a, const CatalogNode& b) {
  return a.id == b.id && a.name == b.name && a.address == b.address && a.datacenter == b.datacenter &&
         a.tagged_addresses == b.tagged_addresses && a.meta == b.meta;
}

bool same_service(const ServiceInstance& a, const ServiceInstance& b) {
  return a.node == b.node && a.id == b.id && a.name == b.name && a.tags == b.tags && a.address == b.address &&
         a.port == b.port && a.meta == b.meta;
}

bool same_check(const HealthCheck& a, const HealthCheck& b) {
  return a.node == b.node && a.id == b.id && a.name == b.name && a.status == b.status && a.notes == b.notes &&
         a.output == b.output && a.service_id == b.service_id && a.service_name == b.service_name &&
         a.service_tags == b.service_tags && a.type == b.type;
}

}  // namespace

const char* to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::passing: return "passing";
    case CheckStatus::warning: return "warning";
    case CheckStatus::critical: return "critical";
    case CheckStatus::maintenance: return "maintenance";
  }
  return "critical";
}

bool parse_check_status(const std::string& text, CheckStatus& status) {
  for (CheckStatus candidate : {CheckStatus::passing, CheckStatus::warning, CheckStatus::critical, CheckStatus::maintenance}) {
    if (text == to_string(candidate)) {
      status = candidate;
      return true;
    }
  }
  return false;
}

WriteResult StateStore::register_entity(std::uint64_t index, Registration registration, MonoTime now) {
  // Validate everything before changing anything: a registration applies whole or not at all.
  const std::string node_name = registration.node.name;
  auto node_it = nodes_.find(node_name);
  for (const HealthCheck& check : registration.checks) {
    if (check.service_id.empty()) continue;
    const bool in_request = registration.service && registration.service->id == check.service_id;
    const bool on_node = node_it != nodes_.end() && node_it->second.services.contains(check.service_id);
    if (!in_request && !on_node) return WriteResult::failed("Missing service registration");
  }

  bool catalog_changed = false;
  if (node_it == nodes_.end()) {
    registration.node.create_index = registration.node.modify_index = index;
    node_it = nodes_.emplace(node_name, NodeRecord{registration.node, {}, {}}).first;
    nodes_index_ = index;
    catalog_changed = true;
  } else if (!same_node(node_it->second.node, registration.node)) {
    registration.node.create_index = node_it->second.node.create_index;
    registration.node.modify_index = index;
    node_it->second.node = registration.node;
    nodes_index_ = index;
    touch_node_services(index, node_it->second);
    catalog_changed = true;
  }
  NodeRecord& record = node_it->second;

  if (registration.service) {
    ServiceInstance service = std::move(*registration.service);
    service.node = node_name;
    auto existing = record.services.find(service.id);
    if (existing == record.services.end() || !same_service(existing->second, service)) {
      service.create_index = existing == record.services.end() ? index : existing->second.create_index;
      service.modify_index = index;
      if (existing != record.services.end() && existing->second.name != service.name) touch_service(index, existing->second.name);
      touch_service(index, service.name);
      record.services.insert_or_assign(service.id, std::move(service));
      services_index_ = index;
      catalog_changed = true;
    }
  }

  std::vector<std::string> critical_checks;
  for (HealthCheck& check : registration.checks) {
    check.node = node_name;
    if (!check.service_id.empty()) {
      const ServiceInstance& service = record.services.at(check.service_id);
      check.service_name = service.name;
      check.service_tags = service.tags;
    }
    auto existing = record.checks.find(check.id);
    if (existing != record.checks.end() && same_check(existing->second, check)) continue;
    check.create_index = existing == record.checks.end() ? index : existing->second.create_index;
    check.modify_index = index;
    if (check.service_id.empty()) {
      touch_node_services(index, record);
    } else {
      touch_service(index, check.service_name);
    }
    if (check.status == CheckStatus::critical) critical_checks.push_back(check.id);
    record.checks.insert_or_assign(check.id, std::move(check));
    checks_index_ = index;
    catalog_changed = true;
  }
  for (const std::string& check_id : critical_checks) invalidate_sessions_naming_check(index, node_name, check_id, now);
  if (catalog_changed) notify_catalog();
  return WriteResult::applied();
}

WriteResult StateStore::deregister_node(std::uint64_t index, std::string_view node, MonoTime now) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return WriteResult::applied();
  touch_node_services(index, it->second);
  if (!it->second.services.empty()) services_index_ = index;
  if (!it->second.checks.empty()) checks_index_ = index;
  nodes_.erase(it);
  nodes_index_ = index;
  // deleteNodeTxn: every session of the node goes with it, whatever its checks.
  for (const Session& session : session_list_for_node(node)) invalidate_session(index, session.id, now);
  notify_catalog();
  return WriteResult::applied();
}

WriteResult StateStore::deregister_service(std::uint64_t index, std::string_view node, std::string_view service_id,
                                           MonoTime now) {
  auto node_it = nodes_.find(node);
  if (node_it == nodes_.end()) return WriteResult::applied();
  NodeRecord& record = node_it->second;
  auto service = record.services.find(service_id);
  if (service == record.services.end()) return WriteResult::applied();
  touch_service(index, service->second.name);
  record.services.erase(service);
  services_index_ = index;
  std::vector<std::string> removed_checks;
  for (auto check = record.checks.begin(); check != record.checks.end();) {
    if (check->second.service_id == service_id) {
      removed_checks.push_back(check->first);
      check = record.checks.erase(check);
      checks_index_ = index;
    } else {
      ++check;
    }
  }
  for (const std::string& check_id : removed_checks) invalidate_sessions_naming_check(index, node, check_id, now);
  notify_catalog();
  return WriteResult::applied();
}

WriteResult StateStore::deregister_check(std::uint64_t index, std::string_view node, std::string_view check_id,
                                         MonoTime now) {
  auto node_it = nodes_.find(node);
  if (node_it == nodes_.end()) return WriteResult::applied();
  NodeRecord& record = node_it->second;
  auto check = record.checks.find(check_id);
  if (check == record.checks.end()) return WriteResult::applied();
  if (check->second.service_id.empty()) {
    touch_node_services(index, record);
  } else {
    touch_service(index, check->second.service_name);
  }
  record.checks.erase(check);
  checks_index_ = index;
  invalidate_sessions_naming_check(index, node, check_id, now);
  notify_catalog();
  return WriteResult::applied();
}

WriteResult StateStore::update_check(std::uint64_t index, std::string_view node, std::string_view check_id,
                                     CheckStatus status, std::string output, MonoTime now) {
  auto node_it = nodes_.find(node);
  if (node_it == nodes_.end()) return WriteResult::failed(fmt::format("Missing node registration"));
  auto check = node_it->second.checks.find(check_id);
  if (check == node_it->second.checks.end()) return WriteResult::failed(fmt::format("Unknown check ID \"{}\"", check_id));
  HealthCheck updated = check->second;
  updated.status = status;
  updated.output = std::move(output);
  Registration registration{node_it->second.node, std::nullopt, {std::move(updated)}};
  return register_entity(index, std::move(registration), now);
}

const CatalogNode* StateStore::node(std::string_view name) const {
  auto it = nodes_.find(name);
  return it == nodes_.end() ? nullptr : &it->second.node;
}

std::vector<CatalogNode> StateStore::nodes() const {
  std::vector<CatalogNode> list;
  for (const auto& [name, record] : nodes_) list.push_back(record.node);
  return list;
}

std::vector<HealthEntry> StateStore::health_service(std::string_view service_name) const {
  std::vector<HealthEntry> entries;
  for (const auto& [name, record] : nodes_) {
    for (const auto& [id, service] : record.services) {
      if (service.name != service_name) continue;
      HealthEntry entry{record.node, service, {}};
      for (const auto& [check_id, check] : record.checks) {
        if (check.service_id.empty() || check.service_id == service.id) entry.checks.push_back(check);
      }
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

std::vector<ServiceInstance> StateStore::catalog_service(std::string_view service_name) const {
  std::vector<ServiceInstance> instances;
  for (const auto& [name, record] : nodes_) {
    for (const auto& [id, service] : record.services) {
      if (service.name == service_name) instances.push_back(service);
    }
  }
  return instances;
}

std::map<std::string, std::set<std::string>> StateStore::catalog_services() const {
  std::map<std::string, std::set<std::string>> services;
  for (const auto& [name, record] : nodes_) {
    for (const auto& [id, service] : record.services) {
      auto& tags = services[service.name];
      tags.insert(service.tags.begin(), service.tags.end());
    }
  }
  return services;
}

std::vector<HealthCheck> StateStore::node_checks(std::string_view node) const {
  std::vector<HealthCheck> checks;
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return checks;
  for (const auto& [id, check] : it->second.checks) checks.push_back(check);
  return checks;
}

const HealthCheck* StateStore::node_check(std::string_view node, std::string_view check_id) const {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return nullptr;
  auto check = it->second.checks.find(check_id);
  return check == it->second.checks.end() ? nullptr : &check->second;
}

std::vector<ServiceInstance> StateStore::node_services(std::string_view node) const {
  std::vector<ServiceInstance> services;
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return services;
  for (const auto& [id, service] : it->second.services) services.push_back(service);
  return services;
}

std::uint64_t StateStore::service_index(std::string_view service_name) const {
  auto it = service_indexes_.find(service_name);
  if (it != service_indexes_.end()) return it->second;
  return std::max({nodes_index_, services_index_, checks_index_});
}

std::uint64_t StateStore::catalog_index() const { return std::max({nodes_index_, services_index_, checks_index_}); }

void StateStore::touch_service(std::uint64_t index, const std::string& service_name) {
  service_indexes_.insert_or_assign(service_name, index);
}

void StateStore::touch_node_services(std::uint64_t index, const NodeRecord& record) {
  for (const auto& [id, service] : record.services) touch_service(index, service.name);
}

void StateStore::acl_set_policy(std::uint64_t index, AclPolicy policy) {
  acl_.set_policy(std::move(policy));
  acl_index_ = index;
}

void StateStore::acl_set_token(std::uint64_t index, AclToken token) {
  acl_.set_token(std::move(token));
  acl_index_ = index;
}

void StateStore::notify_catalog() {
  if (listener_ != nullptr) listener_->catalog_changed();
}

}  // namespace baton::fakes::consul
