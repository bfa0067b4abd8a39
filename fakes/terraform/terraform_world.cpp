#include "fakes/terraform/terraform_world.hpp"

namespace baton::fakes::terraform {

const TaskInfrastructure* TerraformWorld::find_infrastructure(const std::string& task) const {
  auto found = infrastructure_.find(task);
  return found == infrastructure_.end() ? nullptr : &found->second;
}

std::optional<std::string> TerraformWorld::last_applied_digest(const std::string& state_path) const {
  auto found = last_applied_digest_.find(state_path);
  if (found == last_applied_digest_.end()) return std::nullopt;
  return found->second;
}

void TerraformWorld::set_last_applied_digest(const std::string& state_path, std::string digest) {
  last_applied_digest_[state_path] = std::move(digest);
}

void TerraformWorld::set_lease_source(const std::string& instance, LeaseSource source) {
  if (source) {
    lease_sources_[instance] = std::move(source);
  } else {
    lease_sources_.erase(instance);
  }
}

std::string TerraformWorld::lease_token(std::string_view instance) const {
  auto found = lease_sources_.find(instance);
  if (found == lease_sources_.end()) return {};
  return found->second();
}

void TerraformWorld::trace(std::string_view instance, std::string_view name, std::string_view detail) {
  world_.trace().add(world_.now_ns(), sim::TraceKind::state, instance, name, detail);
}

}  // namespace baton::fakes::terraform
