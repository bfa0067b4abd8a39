// ConsulClient: /v1/health, /v1/catalog, /v1/agent/service, /v1/status (agent/health_endpoint.go,
// catalog_endpoint.go, agent_endpoint.go, status_endpoint.go).
#include <fmt/format.h>

#include "engine/consul/client.hpp"
#include "engine/consul/client_exchange.hpp"
#include "engine/consul/decode.hpp"
#include "engine/consul/errors.hpp"

namespace baton::consul {

Task<ConsulResult<QueryResult<std::vector<ServiceEntry>>>> ConsulClient::health_service(std::string service,
                                                                                       HealthServiceOptions filter,
                                                                                       QueryOptions query,
                                                                                       std::stop_token stop) {
  Exchange exchange{"GET", Target("/v1/health/service/", service), {}, read_timeout(options_, query)};
  Target& target = exchange.target;
  if (filter.passing) target.flag("passing");
  for (const std::string& tag : filter.tags) target.param("tag", tag);
  target.param_if("filter", filter.filter);
  add_scope(target, options_, filter.datacenter, filter.namespace_name);
  add_query(target, query);
  const std::string path = target.path();
  ConsulResult<QueryResult<http::Response>> answered = co_await read(std::move(exchange), /*not_found_ok=*/false, std::move(stop));
  if (!answered.ok()) co_return answered.error();
  ConsulResult<std::vector<ServiceEntry>> entries = decode_service_entries(answered.value().value, path);
  if (!entries.ok()) co_return entries.error();
  QueryResult<std::vector<ServiceEntry>> result{std::move(entries.value()), answered.value().meta};
  co_return result;
}

Task<ConsulResult<QueryResult<CatalogServices>>> ConsulClient::catalog_services(CatalogServicesOptions filter,
                                                                               QueryOptions query, std::stop_token stop) {
  Exchange exchange{"GET", Target("/v1/catalog/services"), {}, read_timeout(options_, query)};
  // Consul splits each value on its first ':' into key and value.
  for (const auto& [key, value] : filter.node_meta) exchange.target.param("node-meta", key + ":" + value);
  add_scope(exchange.target, options_, filter.datacenter, filter.namespace_name);
  add_query(exchange.target, query);
  const std::string path = exchange.target.path();
  ConsulResult<QueryResult<http::Response>> answered = co_await read(std::move(exchange), /*not_found_ok=*/false, std::move(stop));
  if (!answered.ok()) co_return answered.error();
  ConsulResult<CatalogServices> services = decode_catalog_services(answered.value().value, path);
  if (!services.ok()) co_return services.error();
  QueryResult<CatalogServices> result{std::move(services.value()), answered.value().meta};
  co_return result;
}

Task<ConsulResult<void>> ConsulClient::agent_service_register(ServiceRegistration registration, std::stop_token stop) {
  // Agent endpoints act on the local agent: no ?dc.
  Exchange exchange{"PUT", Target("/v1/agent/service/register"), service_registration_json(registration),
                    options_.request_timeout};
  co_return co_await write_void(std::move(exchange), /*body_is_bool=*/false, std::move(stop));
}

Task<ConsulResult<void>> ConsulClient::agent_service_deregister(std::string id, std::stop_token stop) {
  Exchange exchange{"PUT", Target("/v1/agent/service/deregister/", id), {}, options_.request_timeout};
  co_return co_await write_void(std::move(exchange), /*body_is_bool=*/false, std::move(stop));
}

Task<ConsulResult<std::string>> ConsulClient::status_leader(std::stop_token stop) {
  Exchange exchange{"GET", Target("/v1/status/leader"), {}, options_.request_timeout};
  exchange.target.param_if("dc", options_.datacenter);
  const std::string path = exchange.target.path();
  ConsulResult<http::Response> sent = co_await send(std::move(exchange), std::move(stop));
  if (!sent.ok()) co_return sent.error();
  if (sent.value().status != 200) co_return error_from_response(sent.value(), "GET", path);
  co_return decode_string(sent.value(), path);
}

}  // namespace baton::consul
