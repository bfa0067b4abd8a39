#pragma once
// The production binding of the Consul port: ConsulTransport over HttpClient (Boost.Beast,
// HTTP/1.1, a pool of kept-alive connections, so that many concurrent blocking queries and
// short calls reuse their connections). The typed client (engine/consul/client.hpp) adds the
// token header and the query; this maps the HTTP client's failures to the port's kinds.
//
// Not yet here: TLS to the agent (consul { tls { ... } }): the HTTP client speaks plain HTTP.
#include <cstdint>
#include <memory>
#include <string>

#include "engine/bindings/http/http_client.hpp"
#include "engine/consul/transport.hpp"

namespace baton {

class HttpConsulTransport final : public consul::ConsulTransport {
 public:
  // `address` is Consul's "host:port" (CONSUL_HTTP_ADDR, default "localhost:8500"), optionally
  // prefixed "http://".
  HttpConsulTransport(AsioRuntime& runtime, const std::string& address, HttpClientOptions options = {});

  Task<consul::TransportResult> round_trip(http::Request request, Duration timeout, std::stop_token stop) override;

  // "host" and port parsed from the address, for logs and tests.
  const std::string& host() const { return host_; }
  std::uint16_t port() const { return port_; }

 private:
  std::string host_;
  std::uint16_t port_ = 8500;
  std::unique_ptr<HttpClient> client_;
};

// The port's kind for an HTTP client failure: a refused or failed connect is `refused` (the
// agent is down), a broken exchange `io`, and the rest as named.
consul::TransportErrorKind transport_error_kind(HttpFailure failure);

}  // namespace baton
