#include "engine/api/controller_backend.hpp"

#include <algorithm>

#include "engine/registration/service_registration.hpp"

namespace baton::api {

ControllerBackend::ControllerBackend(controller::TaskController& controller, const ha::LeaderElection* election,
                                     consul::ConsulClient& consul, ControllerBackendOptions options)
    : controller_(controller), election_(election), consul_(consul), options_(std::move(options)) {}

Leadership ControllerBackend::leadership() const {
  if (election_ == nullptr) return Leadership{.high_availability = false, .leading = true, .leader = std::nullopt};
  return Leadership{.high_availability = true, .leading = election_->leading(), .leader = election_->known_leader()};
}

const std::map<std::string, config::cts::TaskConfig>& ControllerBackend::tasks() const { return controller_.task_definitions(); }

const std::map<std::string, tasks::TaskEvents>& ControllerBackend::events() const { return controller_.events(); }

Task<std::variant<ClusterStatus, std::string>> ControllerBackend::cluster_status() {
  if (election_ == nullptr) co_return std::string("this endpoint is only available with high availability configured");
  consul::HealthServiceOptions filter;
  filter.tags = {registration::cluster_tag(options_.cluster_name)};
  const consul::ConsulResult<consul::QueryResult<std::vector<consul::ServiceEntry>>> found =
      co_await consul_.health_service(options_.service_name, filter);
  if (!found.ok()) co_return "reading the cluster's members from Consul: " + found.error().message;
  const std::optional<ha::LeaderRecord>& leader = election_->known_leader();
  ClusterStatus status{.cluster_name = options_.cluster_name, .members = {}};
  for (const consul::ServiceEntry& entry : found.value().value) {
    ClusterMember member;
    member.id = entry.service.id;
    member.service_name = entry.service.service;
    member.healthy = std::all_of(entry.checks.begin(), entry.checks.end(),
                                 [](const consul::HealthCheck& check) { return check.status == "passing"; });
    member.leader = leader && leader->id == member.id;
    if (member.leader) member.address = leader->address;
    status.members.push_back(std::move(member));
  }
  std::sort(status.members.begin(), status.members.end(),
            [](const ClusterMember& a, const ClusterMember& b) { return a.id < b.id; });
  co_return status;
}

// CTS v0.9.0's health.BasicChecker: an instance that answers is healthy.
std::optional<std::string> ControllerBackend::health() const { return std::nullopt; }

Task<controller::TaskOpResult> ControllerBackend::create_task(config::cts::TaskConfig task, bool run_now) {
  if (run_now) co_return co_await controller_.create_and_run_task(std::move(task));
  co_return co_await controller_.create_task(std::move(task));
}

Task<controller::TaskOpResult> ControllerBackend::delete_task(std::string name) {
  co_return co_await controller_.delete_task(std::move(name));
}

Task<controller::TaskOpResult> ControllerBackend::set_task_enabled(std::string name, bool enabled) {
  co_return co_await controller_.set_task_enabled(std::move(name), enabled);
}

Task<InspectOutcome> ControllerBackend::inspect_task(config::cts::TaskConfig task) {
  const controller::InspectResult inspected = co_await controller_.inspect_task(std::move(task));
  InspectOutcome outcome;
  outcome.changes_present = inspected.changes_present;
  outcome.plan = inspected.plan;
  if (!inspected.status.ok()) outcome.error = inspected.status.message;
  co_return outcome;
}

}  // namespace baton::api
