#pragma once
// HttpClient: the production HTTP/1.1 client on Boost.Beast that the Consul adapter sends its
// requests through. One host and port, and a small pool of kept-alive connections, so that a
// watcher's stream of short requests and long blocking queries reuses its connections.
//
// A connection taken from the pool may have been closed by the server while it sat idle
// (Consul, like any Go server, closes idle connections). When a reused connection fails before
// any byte of the response arrived, the request is sent once more on a fresh connection, as
// Go's Transport does; the server cannot have answered it, and an idle-closed connection
// cannot have delivered it.
//
// Transport failures are values (HttpResult), never exceptions. Beast stays behind a pimpl:
// this header is cheap to include.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <variant>

#include "engine/async/task.hpp"
#include "engine/http/message.hpp"
#include "engine/ports/time.hpp"

namespace baton {

class AsioRuntime;

// What kept a response from arriving.
enum class HttpFailure {
  connect,    // resolving the host or connecting to it failed
  write,      // sending the request failed
  read,       // receiving the response failed (closed early, malformed, over the size limit)
  timeout,    // the timeout passed first, in whichever step
  cancelled,  // the stop token fired first
};

const char* to_string(HttpFailure failure);

struct HttpTransportError {
  HttpFailure failure = HttpFailure::connect;
  // What failed, for logs: "connect 127.0.0.1:8500: Connection refused".
  std::string message;
};

// A response (of any status: a 500 is a response) or the transport error that kept one from
// arriving. Implicit from either, so that coroutines can co_return one directly.
class HttpResult {
 public:
  HttpResult(http::Response response) : value_(std::move(response)) {}
  HttpResult(HttpTransportError error) : value_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<http::Response>(value_); }
  // Only when ok().
  const http::Response& response() const { return std::get<http::Response>(value_); }
  http::Response& response() { return std::get<http::Response>(value_); }
  // Only when !ok().
  const HttpTransportError& error() const { return std::get<HttpTransportError>(value_); }

 private:
  std::variant<http::Response, HttpTransportError> value_;
};

struct HttpClientOptions {
  // Idle kept-alive connections kept for reuse; connections beyond this are closed when their
  // exchange ends.
  std::size_t max_idle_connections = 4;
  // Largest response body accepted, in bytes; a larger one fails the request as a read error.
  std::size_t body_limit_bytes = std::size_t(64) << 20;
  // Largest response status line plus headers accepted, in bytes.
  std::size_t header_limit_bytes = std::size_t(64) << 10;
};

class HttpClient {
 public:
  // `host` is a name or an IP literal. `runtime` must outlive the client, and the client must
  // be destroyed before its runtime.
  HttpClient(AsioRuntime& runtime, std::string host, std::uint16_t port, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and awaits its response, within `timeout` for the whole exchange (connect,
  // write, read, and the one retry). Adds Host unless set, and Content-Length (replacing any
  // given) when there is a body or the method is POST, PUT or PATCH; like Go's client, a GET
  // without a body has none. Sends may run concurrently: each uses its own connection.
  Task<HttpResult> send(http::Request request, std::stop_token stop, Duration timeout);

  // Kept-alive connections waiting in the pool now.
  std::size_t idle_connections() const;

 private:
  struct Impl;
  // Shared with send()'s frames, so that destroying the client before a torn-down send()
  // frame cannot leave it pointing at freed state.
  std::shared_ptr<Impl> impl_;
};

}  // namespace baton
