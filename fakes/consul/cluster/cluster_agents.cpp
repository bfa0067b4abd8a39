// SimConsulCluster, the client agents: processes that join the LAN and forward their local
// clients' HTTP requests to the servers as Consul's Client.RPC does (agent/consul/client.go):
// one server at a time from a shuffled list, a failed one moved to the back
// (NotifyFailedServer), "No cluster leader" and dead connections of reads retried with jitter
// until rpc_hold_timeout has passed since the first try (canRetry), and errors returned through
// the connection pool prefixed "rpc error making call: " (agent/pool/pool.go).
#include <fmt/format.h>

#include <algorithm>

#include "engine/async/wait.hpp"
#include "fakes/consul/cluster/cluster_slots.hpp"
#include "sim/network/rpc.hpp"

namespace baton::fakes::consul {
namespace {

constexpr std::string_view kRpcErrorPrefix = "rpc error making call: ";

bool is_no_leader(const http::Response& response) {
  return response.status == 500 && response.body.find("No cluster leader") != std::string::npos;
}

// The servers' RPC errors reach the agent's HTTP layer through the pool; the agent's own
// validation errors (400s, 404s, 413) never went through it.
http::Response through_pool(http::Response response) {
  if ((response.status == 500 || response.status == 403) && !response.body.starts_with(kRpcErrorPrefix)) {
    response.body = std::string(kRpcErrorPrefix) + response.body;
  }
  return response;
}

bool is_blocking(const http::Request& request) {
  const std::optional<http::Target> target = http::parse_target(request.target);
  if (!target) return false;
  const std::optional<std::string> index = target->get("index");
  return index && !index->empty() && *index != "0";
}

}  // namespace

std::size_t SimConsulCluster::add_agent(std::string name, std::string address) {
  auto agent = std::make_unique<AgentSlot>();
  agent->name = std::move(name);
  agent->address = std::move(address);
  agent->node = &world_.add_node(sim::NodeOptions{.name = agent->name});
  for (std::size_t i = 0; i < slots_.size(); ++i) agent->server_order.push_back(i);
  agents_.push_back(std::move(agent));
  return agents_.size() - 1;
}

void SimConsulCluster::start_agent(std::size_t a) {
  AgentSlot& agent = *agents_[a];
  auto boot = [&agent](sim::Node& node) -> Task<void> {
    // A new process joins the LAN afresh, with its server list in a random order (Consul
    // shuffles it so that clients spread over the servers).
    agent.left = false;
    // Fisher-Yates on our own Rng: std::shuffle's draws differ between standard libraries.
    for (std::size_t i = agent.server_order.size(); i > 1; --i) {
      std::swap(agent.server_order[i - 1], agent.server_order[node.rng().below(i)]);
    }
    co_await sleep_for(node, std::chrono::hours(24 * 365 * 100), node.scope().token());
  };
  if (agent.node->state() == sim::NodeState::created) {
    agent.node->start(boot);
  } else if (agent.node->state() == sim::NodeState::crashed) {
    agent.node->restart();
  }
}

sim::Node& SimConsulCluster::agent_node(std::size_t a) const { return *agents_[a]->node; }

void SimConsulCluster::stop_agent(std::size_t a) {
  AgentSlot& agent = *agents_[a];
  if (agent.node->state() != sim::NodeState::running && agent.node->state() != sim::NodeState::paused) return;
  agent.left = true;
  agent.node->crash();
}

bool SimConsulCluster::process_dead_on_reachable_host(const sim::Node& from, const sim::Node& to) const {
  return to.state() == sim::NodeState::crashed && network_.passes(from, to) && network_.passes(to, from);
}

void SimConsulCluster::set_gossip_blocked(std::size_t a, bool blocked) { agents_[a]->gossip_blocked = blocked; }

Task<std::optional<http::Response>> SimConsulCluster::agent_request(sim::Node& from, std::size_t a, http::Request request,
                                                                     Duration timeout) {
  AgentSlot& agent = *agents_[a];
  const sim::NodeState state = agent.node->state();
  if (state == sim::NodeState::created || state == sim::NodeState::crashed) co_return std::nullopt;  // refused
  // A call's handler runs once: it hands its request on rather than copying it.
  std::function<Task<http::Response>()> handler = [this, &agent, request = std::move(request)]() mutable {
    return agent_rpc(*this, agent, std::move(request));
  };
  co_return co_await sim::call<http::Response>(network_, from, *agent.node, "consul.agent_http", std::move(handler), timeout);
}

Task<http::Response> SimConsulCluster::agent_rpc(SimConsulCluster& cluster, AgentSlot& agent, http::Request request) {
  Runtime& runtime = *agent.node;
  const ConsulServerOptions& limits = cluster.options_.server;
  const MonoTime first_try = runtime.now();
  const bool blocking = is_blocking(request);
  const bool read = request.method == "GET";
  Duration timeout = cluster.options_.agent_rpc_timeout;
  if (blocking) timeout += limits.max_query_time + limits.max_query_time / 16;
  for (;;) {
    const std::size_t server = agent.server_order.front();
    const std::string address = cluster.slots_[server]->server.address;
    // A dead server process on a reachable host: its kernel refuses the connection at once.
    const bool refused = cluster.process_dead_on_reachable_host(*agent.node, *cluster.slots_[server]->node);
    std::optional<http::Response> reply;
    if (!refused) {
      http::Request attempt = request;
      AgentIdentity identity{.node_name = agent.name};
      reply = co_await cluster.send_to_server(*agent.node, server, std::move(attempt), std::move(identity), timeout);
    }
    if (reply && !is_no_leader(*reply)) co_return through_pool(std::move(*reply));
    // NotifyFailedServer: try another server next time.
    std::rotate(agent.server_order.begin(), agent.server_order.begin() + 1, agent.server_order.end());
    const bool may_retry = (reply || read) && runtime.now() - first_try < limits.rpc_hold_timeout;
    if (!may_retry) {
      if (reply) co_return through_pool(std::move(*reply));
      const char* cause = refused ? "connect: connection refused" : "i/o timeout";
      co_return http::Response{.status = 500,
                               .body = fmt::format("rpc error getting client: failed to get conn: dial tcp {}: {}", address, cause)};
    }
    const auto jitter = std::uint64_t(limits.rpc_hold_timeout.count() / 16);
    co_await sleep_for(runtime, Duration(runtime.rng().below(jitter) + 1));
  }
}

}  // namespace baton::fakes::consul
