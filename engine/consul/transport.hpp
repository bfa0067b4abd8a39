#pragma once
// ConsulTransport: the port the engine's Consul client speaks through. One HTTP exchange with
// the local Consul agent, as a value: the response (of any status; a 500 is a response) or the
// reason none arrived.
//
// Bindings: production sends over Boost.Beast to a real agent (engine/bindings); the simulator
// hands the request to the fake Consul's client agent on the engine's machine
// (sim/consul/sim_agent_transport.hpp). The client (client.hpp) never sees which.
//
// Guarantees every binding gives:
// - round_trip() ends within `timeout` on the caller's monotonic clock (plus the scheduling of
//   its wake-up), whatever the agent does, with TransportErrorKind::timeout if no answer came.
// - A stop request ends it promptly with TransportErrorKind::cancelled; the request may still
//   reach the agent (a write may still be applied), as with a real socket closed mid-flight.
// - It never throws for an expected failure (refused, reset, timeout): those are values.
#include <stop_token>
#include <string>
#include <utility>
#include <variant>

#include "engine/async/task.hpp"
#include "engine/http/message.hpp"
#include "engine/ports/time.hpp"

namespace baton::consul {

enum class TransportErrorKind {
  refused,    // nothing listens: the agent is down (connect refused)
  timeout,    // no complete answer within the timeout: the agent hangs, or the path is cut
  io,         // the connection broke (reset, closed early, malformed HTTP)
  cancelled,  // the caller's stop token fired first
};

const char* to_string(TransportErrorKind kind);

struct TransportError {
  TransportErrorKind kind = TransportErrorKind::io;
  // What failed, for logs: "connect 127.0.0.1:8500: connection refused".
  std::string message;
};

// A response or the transport error that kept one from arriving. Implicit from either, so a
// coroutine can co_return one directly.
class TransportResult {
 public:
  TransportResult(http::Response response) : value_(std::move(response)) {}
  TransportResult(TransportError error) : value_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<http::Response>(value_); }
  // Only when ok().
  const http::Response& response() const { return std::get<http::Response>(value_); }
  http::Response& response() { return std::get<http::Response>(value_); }
  // Only when !ok().
  const TransportError& error() const { return std::get<TransportError>(value_); }

 private:
  std::variant<http::Response, TransportError> value_;
};

class ConsulTransport {
 public:
  virtual ~ConsulTransport() = default;

  // Sends `request` (method, origin-form target with its query already encoded, headers, body)
  // to the agent and awaits its answer. See the guarantees above.
  virtual Task<TransportResult> round_trip(http::Request request, Duration timeout, std::stop_token stop) = 0;
};

}  // namespace baton::consul
