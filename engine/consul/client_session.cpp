// ConsulClient: /v1/session (agent/session_endpoint.go).
#include <fmt/format.h>

#include "engine/consul/client.hpp"
#include "engine/consul/client_exchange.hpp"
#include "engine/consul/decode.hpp"
#include "engine/consul/errors.hpp"

namespace baton::consul {

Task<ConsulResult<std::string>> ConsulClient::session_create(SessionRequest request, std::stop_token stop) {
  Exchange exchange{"PUT", Target("/v1/session/create"), session_request_json(request), options_.request_timeout};
  add_scope(exchange.target, options_);
  const std::string path = exchange.target.path();
  ConsulResult<http::Response> sent = co_await send(std::move(exchange), std::move(stop));
  if (!sent.ok()) co_return sent.error();
  if (sent.value().status != 200) co_return error_from_response(sent.value(), "PUT", path);
  co_return decode_session_id(sent.value(), path);
}

Task<ConsulResult<Session>> ConsulClient::session_renew(std::string id, std::stop_token stop) {
  Exchange exchange{"PUT", Target("/v1/session/renew/", id), {}, options_.request_timeout};
  add_scope(exchange.target, options_);
  const std::string path = exchange.target.path();
  ConsulResult<http::Response> sent = co_await send(std::move(exchange), std::move(stop));
  if (!sent.ok()) co_return sent.error();
  const http::Response& response = sent.value();
  if (response.status == 404) {
    // "Session id '<id>' not found": destroyed, expired, or its node deregistered (item 2).
    ConsulError gone = error_from_response(response, "PUT", path);
    gone.kind = ConsulErrorKind::session_not_found;
    co_return gone;
  }
  if (response.status != 200) co_return error_from_response(response, "PUT", path);
  ConsulResult<std::vector<Session>> sessions = decode_sessions(response, path);
  if (!sessions.ok()) co_return sessions.error();
  if (sessions.value().size() != 1) {
    co_return bad_response(path, response.status, fmt::format("expected one session, got {}", sessions.value().size()));
  }
  if (sessions.value().front().id != id) {
    co_return bad_response(path, response.status,
                           fmt::format("field \"ID\": renewed \"{}\", got \"{}\"", id, sessions.value().front().id));
  }
  co_return std::move(sessions.value().front());
}

Task<ConsulResult<void>> ConsulClient::session_destroy(std::string id, std::stop_token stop) {
  Exchange exchange{"PUT", Target("/v1/session/destroy/", id), {}, options_.request_timeout};
  add_scope(exchange.target, options_);
  co_return co_await write_void(std::move(exchange), /*body_is_bool=*/true, std::move(stop));
}

Task<ConsulResult<QueryResult<std::optional<Session>>>> ConsulClient::session_info(std::string id, QueryOptions query,
                                                                                  std::stop_token stop) {
  Exchange exchange{"GET", Target("/v1/session/info/", id), {}, read_timeout(options_, query)};
  add_scope(exchange.target, options_);
  add_query(exchange.target, query);
  const std::string path = exchange.target.path();
  ConsulResult<QueryResult<http::Response>> answered = co_await read(std::move(exchange), /*not_found_ok=*/false, std::move(stop));
  if (!answered.ok()) co_return answered.error();
  const http::Response& response = answered.value().value;
  ConsulResult<std::vector<Session>> sessions = decode_sessions(response, path);
  if (!sessions.ok()) co_return sessions.error();
  QueryResult<std::optional<Session>> result{std::nullopt, answered.value().meta};
  if (sessions.value().size() > 1) {
    co_return bad_response(path, response.status, fmt::format("expected at most one session, got {}", sessions.value().size()));
  }
  if (!sessions.value().empty()) result.value = std::move(sessions.value().front());
  if (result.value && result.value->id != id) {
    co_return bad_response(path, response.status, fmt::format("field \"ID\": asked for \"{}\", got \"{}\"", id, result.value->id));
  }
  co_return result;
}

}  // namespace baton::consul
