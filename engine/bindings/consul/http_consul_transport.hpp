#pragma once
// The production binding of the Consul port: ConsulTransport over HttpClient (Boost.Beast,
// HTTP/1.1, a pool of kept-alive connections, so that many concurrent blocking queries and
// short calls reuse their connections). The typed client (engine/consul/client.hpp) adds the
// token header and the query; this maps the HTTP client's failures to the port's kinds.
//
// TLS to the agent (CTS's `consul { tls { ... } }`, CONSUL_HTTP_SSL): with an "https://"
// address or with options.tls set. As Consul's Go client does, TLS settings are never
// downgraded by an "http://" prefix: options.tls set means TLS whatever the address says.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "engine/bindings/http/http_client.hpp"
#include "engine/consul/transport.hpp"

namespace baton {

class HttpConsulTransport;

// A transport, or why none could be made, as a sentence.
using HttpConsulTransportOrError = std::variant<std::unique_ptr<HttpConsulTransport>, std::string>;

class HttpConsulTransport final : public consul::ConsulTransport {
 public:
  // `address` is Consul's address (CONSUL_HTTP_ADDR, CTS's consul.address): "host:port",
  // "http://host:port" or "https://host:port"; an IPv6 host in brackets ("[::1]:8500"). Without
  // a port: 8500, or 443 after "https://" (as Go's client dials). "https://" with no
  // options.tls verifies the agent against the system's CAs.
  //
  // Never throws. The error names what is wrong: "consul address \"x:99999\": invalid port
  // \"99999\"", "consul address \"unix:///a.sock\": unsupported scheme \"unix\"", or the
  // HTTP client's error() for a TLS file that did not load. `runtime` must outlive the
  // transport.
  static HttpConsulTransportOrError create(AsioRuntime& runtime, std::string_view address,
                                           HttpClientOptions options = {});

  Task<consul::TransportResult> round_trip(http::Request request, Duration timeout, std::stop_token stop) override;

  // "host" (without brackets) and port parsed from the address, for logs and tests.
  const std::string& host() const { return host_; }
  std::uint16_t port() const { return port_; }
  // Whether requests go over TLS.
  bool tls() const { return client_->tls(); }

 private:
  HttpConsulTransport(std::string host, std::uint16_t port, std::unique_ptr<HttpClient> client);

  std::string host_;
  std::uint16_t port_ = 8500;
  std::unique_ptr<HttpClient> client_;
};

// The port's kind for an HTTP client failure: a refused or failed connect (a failed TLS
// handshake included) is `refused` (the agent is down, or will not talk to us), a broken
// exchange `io`, and the rest as named.
consul::TransportErrorKind transport_error_kind(HttpFailure failure);

}  // namespace baton
