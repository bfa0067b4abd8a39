#include "engine/bindings/consul/http_consul_transport.hpp"

#include <charconv>
#include <stdexcept>
#include <utility>

namespace baton {

namespace {

struct HostPort {
  std::string host;
  std::uint16_t port = 8500;
};

HostPort parse_address(std::string address) {
  if (address.rfind("http://", 0) == 0) address.erase(0, 7);
  if (!address.empty() && address.back() == '/') address.pop_back();
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos || address.find(']', colon) != std::string::npos) return {address, 8500};
  HostPort parsed{address.substr(0, colon), 8500};
  const std::string port_text = address.substr(colon + 1);
  unsigned port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    throw std::invalid_argument("invalid Consul address port: " + port_text);
  }
  parsed.port = static_cast<std::uint16_t>(port);
  return parsed;
}

}  // namespace

consul::TransportErrorKind transport_error_kind(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::connect: return consul::TransportErrorKind::refused;
    case HttpFailure::write:
    case HttpFailure::read: return consul::TransportErrorKind::io;
    case HttpFailure::timeout: return consul::TransportErrorKind::timeout;
    case HttpFailure::cancelled: return consul::TransportErrorKind::cancelled;
  }
  return consul::TransportErrorKind::io;
}

HttpConsulTransport::HttpConsulTransport(AsioRuntime& runtime, const std::string& address, HttpClientOptions options) {
  HostPort parsed = parse_address(address);
  host_ = std::move(parsed.host);
  port_ = parsed.port;
  client_ = std::make_unique<HttpClient>(runtime, host_, port_, options);
}

Task<consul::TransportResult> HttpConsulTransport::round_trip(http::Request request, Duration timeout, std::stop_token stop) {
  HttpResult result = co_await client_->send(std::move(request), std::move(stop), timeout);
  if (result.ok()) co_return consul::TransportResult(std::move(result.response()));
  const HttpTransportError& error = result.error();
  co_return consul::TransportResult(consul::TransportError{transport_error_kind(error.failure), error.message});
}

}  // namespace baton
