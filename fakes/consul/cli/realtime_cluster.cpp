#include "fakes/consul/cli/realtime_cluster.hpp"

#include <nlohmann/json.hpp>

#include "engine/async/wait.hpp"
#include "fakes/consul/api/http_api.hpp"

namespace baton::fakes::consul {
namespace {

SimConsulClusterOptions cluster_options(const RealTimeClusterOptions& options) {
  SimConsulClusterOptions cluster{.servers = options.servers, .server = options.server};
  cluster.timing.raft_multiplier = options.raft_multiplier;
  return cluster;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

struct RealTimeCluster::Reply {
  explicit Reply(Runtime& runtime) : done(runtime) {}
  std::optional<std::optional<http::Response>> value;
  Event done;  // an Event of the real runtime, set from inside the World (same thread)
};

RealTimeCluster::RealTimeCluster(Runtime& runtime, RealTimeClusterOptions options)
    : runtime_(runtime),
      options_(std::move(options)),
      started_(runtime.now()),
      world_(sim::WorldOptions{.seed = options_.seed, .trace = {.keep_records = false}}),
      network_(world_),
      cluster_(world_, network_, cluster_options(options_)),
      front_(world_.add_node({.name = options_.agent_name + "-http"})),
      poke_(runtime) {
  cluster_.bootstrap_and_start();
  const std::size_t agent = cluster_.add_agent(options_.agent_name, options_.agent_address);
  cluster_.start_agent(agent);
  front_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24 * 365 * 100), self.scope().token()); });
  // Form the cluster before serving, in virtual time (instantly): a leader elected and the
  // agent's node registered, so that the first request meets a working Consul.
  constexpr std::int64_t kFormWithinNs = 300'000'000'000;
  while (!formed() && world_.now_ns() < kFormWithinNs) world_.run_until(world_.now_ns() + 10'000'000);
  virtual_start_ns_ = world_.now_ns();
}

bool RealTimeCluster::formed() const {
  const std::optional<std::size_t> leader = cluster_.established_leader();
  return leader && cluster_.server(*leader)->store().node(options_.agent_name) != nullptr;
}

std::int64_t RealTimeCluster::real_elapsed_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(runtime_.now() - started_).count();
}

Task<void> RealTimeCluster::drive(std::stop_token stop) {
  while (!stop.stop_requested()) {
    world_.run_until(std::max(world_.now_ns(), virtual_start_ns_ + real_elapsed_ns()));
    poke_.reset();
    const WaitResult waited = co_await poke_.wait(stop, runtime_.now() + options_.tick);
    if (waited == WaitResult::cancelled) co_return;
  }
}

Task<http::Response> RealTimeCluster::handle(http::Request request) {
  if (starts_with(request.target, "/v1/fake/")) co_return operate(request);
  auto reply = std::make_shared<Reply>(runtime_);
  front_.scope().spawn(forward(cluster_, front_, std::move(request), reply));
  poke_.set();
  while (!reply->value) {
    reply->done.reset();
    co_await reply->done.wait();
  }
  if (!*reply->value) co_return http::Response{.status = 500, .body = "fake-consul: the local agent did not answer"};
  co_return std::move(**reply->value);
}

Task<void> RealTimeCluster::forward(SimConsulCluster& cluster, sim::Node& from, http::Request request,
                                    std::shared_ptr<Reply> reply) {
  const ConsulServerOptions defaults;
  const Duration timeout = defaults.max_query_time + defaults.max_query_time / 16 + std::chrono::seconds(60);
  reply->value = co_await cluster.agent_request(from, 0, std::move(request), timeout);
  reply->done.set();
}

http::Response RealTimeCluster::operate(const http::Request& request) {
  const std::optional<http::Target> target = http::parse_target(request.target);
  if (!target) return text_response(400, "fake-consul: malformed target");
  if (request.method == "GET" && target->path == "/v1/fake/servers") {
    nlohmann::json servers = nlohmann::json::array();
    const std::optional<std::size_t> leader = cluster_.established_leader();
    for (std::size_t i = 0; i < cluster_.size(); ++i) {
      servers.push_back({{"name", std::string(cluster_.node(i).name())},
                         {"state", std::string(sim::to_string(cluster_.node(i).state()))},
                         {"leader", leader == i}});
    }
    return json_response(200, servers);
  }
  if (request.method != "PUT" || !starts_with(target->path, "/v1/fake/servers/")) {
    return text_response(404, "fake-consul: unknown operator endpoint " + target->path);
  }
  const std::string rest = target->path.substr(std::string_view("/v1/fake/servers/").size());
  const std::size_t slash = rest.find('/');
  const std::string name = rest.substr(0, slash);
  const std::string action = slash == std::string::npos ? "" : rest.substr(slash + 1);
  for (std::size_t i = 0; i < cluster_.size(); ++i) {
    sim::Node& node = cluster_.node(i);
    if (node.name() != name) continue;
    const sim::NodeState state = node.state();
    if (action == "crash" && (state == sim::NodeState::running || state == sim::NodeState::paused)) {
      node.crash();
    } else if (action == "restart" && state == sim::NodeState::crashed) {
      node.restart();
    } else if (action == "pause" && state == sim::NodeState::running) {
      node.pause();
    } else if (action == "resume" && state == sim::NodeState::paused) {
      node.resume();
    } else {
      return text_response(409, "fake-consul: cannot " + action + " server " + name + " while it is " + std::string(sim::to_string(state)));
    }
    poke_.set();
    return json_response(200, true);
  }
  return text_response(404, "fake-consul: no server named " + name);
}

}  // namespace baton::fakes::consul
