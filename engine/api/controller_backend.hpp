#pragma once
// ControllerBackend: the API's backend in a running instance, over its TaskController (tasks,
// events, changes: an HaController, or a StandaloneController without high availability), its
// leader election when it has one (leadership), and its Consul client (the cluster's members, as
// registered by engine/registration). Without an election, the instance always acts (CTS's
// daemon) and /v1/status/cluster answers 405 (api_handler.cpp).
//
// Create with `?run=now` is CTS's TaskCreateAndRun (controller/tasks_manager.go): the task runs
// before the answer, and only a run that succeeded creates it; a failed run creates nothing and
// is answered 500 with the run's error (api/task_create.go). Without it, a difference from CTS:
// the created task runs once at once, after the answer (CTS's TaskCreate waits for a change).
#include <string>

#include "engine/api/api_backend.hpp"
#include "engine/consul/client.hpp"
#include "engine/controller/task_controller.hpp"
#include "engine/ha/leader_election.hpp"

namespace baton::api {

struct ControllerBackendOptions {
  std::string cluster_name;                            // high_availability.cluster.name, if any
  std::string service_name = "consul-terraform-sync";  // consul.service_registration.service_name
};

class ControllerBackend final : public ApiBackend {
 public:
  // `election` is null without high availability.
  ControllerBackend(controller::TaskController& controller, const ha::LeaderElection* election, consul::ConsulClient& consul,
                    ControllerBackendOptions options);

  Leadership leadership() const override;
  const std::map<std::string, config::cts::TaskConfig>& tasks() const override;
  const std::map<std::string, tasks::TaskEvents>& events() const override;
  Task<std::variant<ClusterStatus, std::string>> cluster_status() override;
  std::optional<std::string> health() const override;
  Task<controller::TaskOpResult> create_task(config::cts::TaskConfig task, bool run_now) override;
  Task<controller::TaskOpResult> delete_task(std::string name) override;
  Task<controller::TaskOpResult> set_task_enabled(std::string name, bool enabled) override;
  Task<InspectOutcome> inspect_task(config::cts::TaskConfig task) override;

 private:
  controller::TaskController& controller_;
  const ha::LeaderElection* election_;
  consul::ConsulClient& consul_;
  ControllerBackendOptions options_;
};

}  // namespace baton::api
