// ConsulClient: the request/response plumbing every call shares.
#include "engine/consul/client.hpp"

#include "engine/consul/blocking_query.hpp"
#include "engine/consul/client_exchange.hpp"
#include "engine/consul/decode.hpp"
#include "engine/consul/errors.hpp"
#include "engine/time/go_duration.hpp"

namespace baton::consul {

void add_scope(Target& target, const ConsulClientOptions& options, const std::string& datacenter,
               const std::string& namespace_name) {
  target.param_if("dc", datacenter.empty() ? options.datacenter : datacenter);
  target.param_if("ns", namespace_name.empty() ? options.namespace_name : namespace_name);
}

void add_query(Target& target, const QueryOptions& query) {
  if (query.index > 0) {
    target.param("index", std::to_string(query.index));
    // No ?wait at all lets Consul apply its default; a negative one would be refused.
    if (query.wait > Duration::zero()) target.param("wait", format_go_duration(query.wait));
  }
  if (query.consistency == Consistency::stale) target.flag("stale");
  if (query.consistency == Consistency::consistent) target.flag("consistent");
}

Duration read_timeout(const ConsulClientOptions& options, const QueryOptions& query) {
  if (query.index == 0) return options.request_timeout;
  return blocking_timeout(query.wait, options.request_timeout);
}

Task<ConsulResult<http::Response>> ConsulClient::send(Exchange exchange, std::stop_token stop) {
  http::Request request;
  request.method = exchange.method;
  request.target = exchange.target.str();
  request.body = std::move(exchange.body);
  // The header, not ?token=: query strings end up in access logs.
  if (!options_.token.empty()) request.headers.push_back(http::Header{"X-Consul-Token", options_.token});
  TransportResult result = co_await transport_.round_trip(std::move(request), exchange.timeout, std::move(stop));
  if (!result.ok()) co_return error_from_transport(result.error(), exchange.method, exchange.target.path());
  co_return std::move(result.response());
}

Task<ConsulResult<QueryResult<http::Response>>> ConsulClient::read(Exchange exchange, bool not_found_ok, std::stop_token stop) {
  const std::string method = exchange.method;
  const std::string path = exchange.target.path();
  ConsulResult<http::Response> sent = co_await send(std::move(exchange), std::move(stop));
  if (!sent.ok()) co_return sent.error();
  http::Response& response = sent.value();
  const bool answered = response.status == 200 || (not_found_ok && response.status == 404);
  if (!answered) co_return error_from_response(response, method, path);
  // A 404 without X-Consul-Index is not Consul's "no such key" (a proxy, a wrong path): the
  // meta check turns it into bad_response rather than a silent "absent".
  ConsulResult<QueryMeta> meta = read_query_meta(response, path);
  if (!meta.ok()) co_return meta.error();
  QueryResult<http::Response> result{std::move(response), meta.value()};
  co_return result;
}

Task<ConsulResult<bool>> ConsulClient::write_bool(Exchange exchange, std::stop_token stop) {
  const std::string method = exchange.method;
  const std::string path = exchange.target.path();
  ConsulResult<http::Response> sent = co_await send(std::move(exchange), std::move(stop));
  if (!sent.ok()) co_return sent.error();
  if (sent.value().status != 200) co_return error_from_response(sent.value(), method, path);
  co_return decode_bool(sent.value(), path);
}

Task<ConsulResult<void>> ConsulClient::write_void(Exchange exchange, bool body_is_bool, std::stop_token stop) {
  const std::string method = exchange.method;
  const std::string path = exchange.target.path();
  ConsulResult<http::Response> sent = co_await send(std::move(exchange), std::move(stop));
  if (!sent.ok()) co_return sent.error();
  if (sent.value().status != 200) co_return error_from_response(sent.value(), method, path);
  if (!body_is_bool) co_return ConsulResult<void>();
  const ConsulResult<bool> answer = decode_bool(sent.value(), path);
  if (!answer.ok()) co_return answer.error();
  // These endpoints answer false only for conditions this client never sends.
  if (!answer.value()) co_return bad_response(path, 200, "expected true, got false");
  co_return ConsulResult<void>();
}

}  // namespace baton::consul
