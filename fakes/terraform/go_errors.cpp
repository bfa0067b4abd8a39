#include "fakes/terraform/go_errors.hpp"

#include <fmt/format.h>

namespace baton::fakes::terraform {

std::string consul_api_error_text(const baton::consul::ConsulError& error) {
  if (error.http_status == 0) return error.message;
  // The engine client's message: "consul: <METHOD> <path>: HTTP <status>: <body>".
  const std::string marker = fmt::format("HTTP {}: ", error.http_status);
  const std::size_t at = error.message.find(marker);
  const std::string body = at == std::string::npos ? error.message : error.message.substr(at + marker.size());
  return fmt::format("Unexpected response code: {} ({})", error.http_status, body);
}

bool is_cancelled(const baton::consul::ConsulError& error) {
  return error.kind == baton::consul::ConsulErrorKind::transport && error.transport_kind == baton::consul::TransportErrorKind::cancelled;
}

std::string multierror_text(const std::vector<std::string>& errors) {
  if (errors.size() == 1) return fmt::format("1 error occurred:\n\t* {}\n\n", errors.front());
  std::string points;
  for (const std::string& error : errors) {
    if (!points.empty()) points += "\n\t";
    points += "* " + error;
  }
  return fmt::format("{} errors occurred:\n\t{}\n\n", errors.size(), points);
}

}  // namespace baton::fakes::terraform
