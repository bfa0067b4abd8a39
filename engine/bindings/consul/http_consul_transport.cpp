#include "engine/bindings/consul/http_consul_transport.hpp"

#include <charconv>
#include <utility>

namespace baton {

namespace {

struct ParsedAddress {
  std::string host;
  std::uint16_t port = 8500;
  bool https = false;
};

using ParseResult = std::variant<ParsedAddress, std::string>;

ParseResult invalid(std::string_view address, const std::string& reason) {
  return ParseResult(std::in_place_index<1>, "consul address \"" + std::string(address) + "\": " + reason);
}

ParseResult parse_address(std::string_view address) {
  std::string_view rest = address;
  bool https = false;
  if (const std::size_t scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    const std::string_view scheme = rest.substr(0, scheme_end);
    if (scheme == "https") {
      https = true;
    } else if (scheme != "http") {
      return invalid(address, "unsupported scheme \"" + std::string(scheme) + "\" (http or https)");
    }
    rest.remove_prefix(scheme_end + 3);
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);

  ParsedAddress parsed{.host = {}, .port = std::uint16_t(https ? 443 : 8500), .https = https};
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return invalid(address, "unclosed [ around the host");
    parsed.host = std::string(rest.substr(1, close - 1));
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid(address, "expected :port after the bracketed host");
      port_text = after.substr(1);
      if (port_text.empty()) return invalid(address, "missing port after ':'");
    }
  } else {
    const std::size_t colon = rest.find(':');
    if (colon != std::string_view::npos && rest.find(':', colon + 1) != std::string_view::npos) {
      return invalid(address, "an IPv6 host needs brackets, as in [::1]:8500");
    }
    parsed.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return invalid(address, "missing port after ':'");
    }
  }
  if (parsed.host.empty()) return invalid(address, "no host");
  if (!port_text.empty()) {
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return invalid(address, "invalid port \"" + std::string(port_text) + "\"");
    }
    parsed.port = static_cast<std::uint16_t>(port);
  }
  return ParseResult(std::in_place_index<0>, std::move(parsed));
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

HttpConsulTransportOrError HttpConsulTransport::create(AsioRuntime& runtime, std::string_view address,
                                                       HttpClientOptions options) {
  ParseResult parsed = parse_address(address);
  if (parsed.index() == 1) return HttpConsulTransportOrError(std::in_place_index<1>, std::move(std::get<1>(parsed)));
  ParsedAddress& where = std::get<0>(parsed);
  if (where.https && !options.tls) options.tls.emplace();  // the system's CAs, verified
  auto client = std::make_unique<HttpClient>(runtime, where.host, where.port, std::move(options));
  if (client->error()) return HttpConsulTransportOrError(std::in_place_index<1>, *client->error());
  return HttpConsulTransportOrError(
      std::in_place_index<0>,
      std::unique_ptr<HttpConsulTransport>(new HttpConsulTransport(std::move(where.host), where.port, std::move(client))));
}

HttpConsulTransport::HttpConsulTransport(std::string host, std::uint16_t port, std::unique_ptr<HttpClient> client)
    : host_(std::move(host)), port_(port), client_(std::move(client)) {}

Task<consul::TransportResult> HttpConsulTransport::round_trip(http::Request request, Duration timeout, std::stop_token stop) {
  HttpResult result = co_await client_->send(std::move(request), std::move(stop), timeout);
  if (result.ok()) co_return consul::TransportResult(std::move(result.response()));
  const HttpTransportError& error = result.error();
  co_return consul::TransportResult(consul::TransportError{transport_error_kind(error.failure), error.message});
}

}  // namespace baton
