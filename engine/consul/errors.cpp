#include "engine/consul/errors.hpp"

#include <fmt/format.h>

namespace baton::consul {
namespace {

// An error body is Consul's text, but a proxy's HTML page could be anything: keep log lines
// bounded.
constexpr std::size_t kBodyInMessageMax = 512;

constexpr std::string_view kRpcErrorPrefix = "rpc error making call: ";

std::string_view without_rpc_prefix(std::string_view body) {
  while (body.starts_with(kRpcErrorPrefix)) body.remove_prefix(kRpcErrorPrefix.size());
  return body;
}

bool contains(std::string_view body, std::string_view text) { return body.find(text) != std::string_view::npos; }

ConsulErrorKind kind_of(const http::Response& response) {
  const std::string_view body = response.body;
  // Consul 1.16's global rate limit answers 429 for reads and 503 for writes, with this text.
  if (response.status == 429 || contains(body, "rate limit exceeded")) return ConsulErrorKind::rate_limited;
  if (contains(body, "No cluster leader")) return ConsulErrorKind::no_leader;
  if (response.status == 403 || without_rpc_prefix(body).starts_with("Permission denied") || contains(body, "ACL not found")) {
    return ConsulErrorKind::permission_denied;
  }
  // kvsPreApply: `invalid session "<id>"` (lower case; "Invalid Session TTL" is another error).
  if (response.status == 500 && contains(body, "invalid session")) return ConsulErrorKind::invalid_session;
  return ConsulErrorKind::http;
}

std::string bounded(std::string_view body) {
  if (body.size() <= kBodyInMessageMax) return std::string(body);
  return fmt::format("{}... ({} bytes)", body.substr(0, kBodyInMessageMax), body.size());
}

}  // namespace

const char* to_string(TransportErrorKind kind) {
  switch (kind) {
    case TransportErrorKind::refused: return "refused";
    case TransportErrorKind::timeout: return "timeout";
    case TransportErrorKind::io: return "io";
    case TransportErrorKind::cancelled: return "cancelled";
  }
  return "unknown";
}

const char* to_string(ConsulErrorKind kind) {
  switch (kind) {
    case ConsulErrorKind::no_leader: return "no_leader";
    case ConsulErrorKind::permission_denied: return "permission_denied";
    case ConsulErrorKind::session_not_found: return "session_not_found";
    case ConsulErrorKind::invalid_session: return "invalid_session";
    case ConsulErrorKind::rate_limited: return "rate_limited";
    case ConsulErrorKind::transport: return "transport";
    case ConsulErrorKind::bad_response: return "bad_response";
    case ConsulErrorKind::http: return "http";
  }
  return "unknown";
}

ConsulError error_from_response(const http::Response& response, std::string_view method, std::string_view path) {
  return ConsulError{.kind = kind_of(response),
                     .http_status = response.status,
                     .message = fmt::format("consul: {} {}: HTTP {}: {}", method, path, response.status, bounded(response.body))};
}

ConsulError error_from_transport(const TransportError& error, std::string_view method, std::string_view path) {
  return ConsulError{.kind = ConsulErrorKind::transport,
                     .http_status = 0,
                     .message = fmt::format("consul: {} {}: {}: {}", method, path, to_string(error.kind), error.message),
                     .transport_kind = error.kind};
}

ConsulError bad_response(std::string_view path, int http_status, std::string_view problem) {
  return ConsulError{.kind = ConsulErrorKind::bad_response,
                     .http_status = http_status,
                     .message = fmt::format("consul: decoding {} response: {}", path, problem)};
}

}  // namespace baton::consul
