#pragma once
// A dev-mode fake Consul server on a simulated node, and a way to send it HTTP requests in
// virtual time.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>

#include "fakes/consul/api/http_api.hpp"
#include "sim/runtime/node.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::fakes::consul::test {

using baton::test::ms;
using baton::test::seconds;

// Not a gtest fixture itself, so that property tests can make one per run.
class ConsulHarness {
 public:
  explicit ConsulHarness(ConsulServerOptions options = {})
      : node_(world_.add_node({.name = "consul-server-1"})),
        server_(node_, std::move(options)),
        api_(server_, AgentIdentity{.node_name = "consul-server-1"}) {
    node_.start([this](sim::Node&) { return server_.run({}); });
    world_.run_for(ms(1));
  }
  virtual ~ConsulHarness() {
    // Frames on the node point into server_ and api_: they go first, as in a crash.
    if (node_.state() == sim::NodeState::running) node_.crash();
  }

  using Pending = std::shared_ptr<std::optional<http::Response>>;

  // Starts a request now; its response appears once the world has run far enough.
  Pending start(std::string method, std::string target, std::string body = {}, std::vector<http::Header> headers = {}) {
    auto pending = std::make_shared<std::optional<http::Response>>();
    http::Request request{std::move(method), std::move(target), std::move(headers), std::move(body)};
    node_.scope().spawn([](HttpApi& api, http::Request r, Pending out) -> Task<void> {
      *out = co_await api.handle(std::move(r));
    }(api_, std::move(request), pending));
    return pending;
  }

  // Runs the world until `pending` is answered (or a virtual hour passes).
  http::Response finish(const Pending& pending) {
    const std::int64_t give_up = world_.now_ns() + seconds(3600);
    while (!*pending && world_.now_ns() < give_up && world_.step()) {
    }
    EXPECT_TRUE(pending->has_value()) << "no response";
    return pending->value_or(http::Response{.status = 0});
  }

  http::Response call(std::string method, std::string target, std::string body = {}, std::vector<http::Header> headers = {}) {
    return finish(start(std::move(method), std::move(target), std::move(body), std::move(headers)));
  }

  static nlohmann::json json(const http::Response& response) { return nlohmann::json::parse(response.body); }
  static std::string index_of(const http::Response& response) {
    return std::string(response.header("X-Consul-Index").value_or(""));
  }

  std::string create_session(const std::string& body = "{}") {
    http::Response response = call("PUT", "/v1/session/create", body);
    EXPECT_EQ(response.status, 200) << response.body;
    return json(response).value("ID", "");
  }

  sim::World world_;
  sim::Node& node_;
  ConsulServer server_;
  HttpApi api_;
};

class ConsulApiTest : public ::testing::Test, public ConsulHarness {};

}  // namespace baton::fakes::consul::test
