#pragma once
// Inputs of CTS v0.9.0's tftmpl tests (golden_test.go, integration_test.go), shared by the
// Terraform driver's tests.
#include "engine/driver/terraform/task_input.hpp"

namespace baton::driver::terraform::fixtures {

inline TaskInput golden_task() {
  TaskInput task;
  task.name = "test";
  task.description = "user description for task named 'test'";
  task.module_source = "namespace/consul-terraform-sync/consul//modules/test";
  task.module_version = "0.0.0";
  return task;
}

inline Provider test_provider_with_object() {
  return Provider{"testProvider",
                  {{"alias", Value::string("tp")},
                   {"obj", Value::object({{"username", Value::string("name")}, {"id", Value::string("123")}})},
                   {"attr", Value::string("value")},
                   {"count", Value::integer(10)}}};
}

inline std::map<std::string, Value> golden_variables() {
  return {
      {"num", Value::integer(10)},
      {"b", Value::boolean(true)},
      {"key", Value::string("some_key")},
      {"obj", Value::object({{"argStr", Value::string("value")},
                             {"argNum", Value::floating(-0.52)},
                             {"argList", Value::string_list({"a", "b", "c"})},
                             {"argMap", Value::map({})}})},
      {"l", Value::list({Value::integer(4), Value::integer(0)})},
      {"tup", Value::tuple({Value::string("abc"), Value::integer(123), Value::boolean(false)})},
  };
}

// task.services = [web, api {datacenter = "dc1", filter = "\"tag\" in Service.Tags"}]
inline ServicesTemplate deprecated_services() {
  return ServicesTemplate{{{"web", "", "", ""}, {"api", "dc1", "", "\"tag\" in Service.Tags"}}};
}

// The agent of CTS's integration test, worker-01, and what it adds to each service.
inline ServiceInstance on_worker_01(std::string id, std::string name, std::string address, int port,
                                    std::vector<std::string> tags) {
  ServiceInstance s;
  s.id = std::move(id);
  s.name = std::move(name);
  s.address = std::move(address);
  s.port = port;
  s.tags = std::move(tags);
  s.status = "passing";
  s.node = "worker-01";
  s.node_id = "39e5a7f5-2834-e16d-6925-78167c9f50d8";
  s.node_address = "127.0.0.1";
  s.node_datacenter = "dc1";
  s.node_tagged_addresses = {
      {"lan", "127.0.0.1"}, {"lan_ipv4", "127.0.0.1"}, {"wan", "127.0.0.1"}, {"wan_ipv4", "127.0.0.1"}};
  s.node_meta = {{"consul-network-segment", ""}, {"consul-version", "1.22.3"}};
  return s;
}

inline ServiceInstance api() { return on_worker_01("api", "api", "1.2.3.4", 8080, {"tag"}); }
inline ServiceInstance api_2() { return on_worker_01("api-2", "api", "5.6.7.8", 8080, {"tag"}); }
inline ServiceInstance web() { return on_worker_01("web", "web", "1.1.1.1", 8000, {"tag_b", "tag_a"}); }

inline ServiceInstance api_on_worker_02() {
  ServiceInstance s = api();
  s.node = "worker-02";
  s.node_id = "d407a592-e93c-4d8e-8a6d-aba853d1e067";
  s.node_meta["k"] = "v";
  return s;
}

}  // namespace baton::driver::terraform::fixtures
