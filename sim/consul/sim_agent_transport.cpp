#include "sim/consul/sim_agent_transport.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>

#include "engine/async/event.hpp"

namespace baton::sim {
namespace {

// One request in flight, shared by the caller (who may stop waiting) and the task carrying it
// (which always finishes, or dies with the engine's process).
struct InFlight {
  explicit InFlight(Node& engine) : arrived(engine) {}
  std::optional<std::optional<http::Response>> answer;  // set once agent_request returned
  Event arrived;
};

Task<void> carry(fakes::consul::SimConsulCluster& cluster, Node& engine, std::size_t agent, http::Request request,
                 Duration timeout, std::shared_ptr<InFlight> flight) {
  std::optional<http::Response> answer = co_await cluster.agent_request(engine, agent, std::move(request), timeout);
  flight->answer.emplace(std::move(answer));
  flight->arrived.set();
}

bool agent_is_down(NodeState state) { return state == NodeState::created || state == NodeState::crashed; }

}  // namespace

Task<consul::TransportResult> SimAgentTransport::round_trip(http::Request request, Duration timeout, std::stop_token stop) {
  const std::string agent_name(cluster_.agent_node(agent_).name());
  if (stop.stop_requested()) {
    co_return consul::TransportError{consul::TransportErrorKind::cancelled, "request cancelled before it was sent"};
  }
  if (agent_is_down(cluster_.agent_node(agent_).state())) {
    co_return consul::TransportError{consul::TransportErrorKind::refused,
                                     fmt::format("connect to consul agent {}: connection refused", agent_name)};
  }
  auto flight = std::make_shared<InFlight>(engine_);
  engine_.scope().spawn(carry(cluster_, engine_, agent_, std::move(request), timeout, flight));
  // agent_request ends by itself within `timeout`; only a stop ends the wait earlier.
  const WaitResult waited = co_await flight->arrived.wait(std::move(stop));
  if (waited == WaitResult::cancelled) {
    co_return consul::TransportError{consul::TransportErrorKind::cancelled, "request cancelled while in flight"};
  }
  if (!flight->answer || !flight->answer->has_value()) {
    co_return consul::TransportError{consul::TransportErrorKind::timeout,
                                     fmt::format("consul agent {} did not answer within {} ms", agent_name,
                                                 std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count())};
  }
  co_return std::move(**flight->answer);
}

}  // namespace baton::sim
