#pragma once
// ControllerBackend: the API's backend in a running instance, over its HaController (tasks,
// events, changes, leadership) and its Consul client (the cluster's members, as registered by
// engine/registration).
//
// A difference from CTS: `?run=now` on create runs the task as every new task runs (once, at
// once, after the answer), so a failed run does not fail the request as CTS's
// TaskCreateAndRun would; the event records it.
#include <string>

#include "engine/api/api_backend.hpp"
#include "engine/consul/client.hpp"
#include "engine/controller/ha_controller.hpp"

namespace baton::api {

struct ControllerBackendOptions {
  std::string cluster_name;                            // high_availability.cluster.name
  std::string service_name = "consul-terraform-sync";  // consul.service_registration.service_name
};

class ControllerBackend final : public ApiBackend {
 public:
  ControllerBackend(controller::HaController& controller, consul::ConsulClient& consul, ControllerBackendOptions options);

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
  controller::HaController& controller_;
  consul::ConsulClient& consul_;
  ControllerBackendOptions options_;
};

}  // namespace baton::api
