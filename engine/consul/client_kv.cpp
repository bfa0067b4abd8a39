// ConsulClient: /v1/kv and /v1/txn (agent/kvs_endpoint.go, agent/txn_endpoint.go).
#include <fmt/format.h>

#include "engine/consul/client.hpp"
#include "engine/consul/client_exchange.hpp"
#include "engine/consul/decode.hpp"
#include "engine/consul/errors.hpp"

namespace baton::consul {
namespace {

// Consul answers a key with that very key; anything else means the request named another key
// (an escaping bug) or the answer is not Consul's.
std::optional<std::string> wrong_key(const KvPair& pair, const std::string& key) {
  if (pair.key == key) return std::nullopt;
  return fmt::format("field \"Key\": asked for \"{}\", got \"{}\"", key, pair.key);
}

}  // namespace

Task<ConsulResult<QueryResult<std::optional<KvPair>>>> ConsulClient::kv_get(std::string key, QueryOptions query,
                                                                           std::stop_token stop) {
  Exchange exchange{"GET", Target("/v1/kv/", key), {}, read_timeout(options_, query)};
  add_scope(exchange.target, options_);
  add_query(exchange.target, query);
  const std::string path = exchange.target.path();
  ConsulResult<QueryResult<http::Response>> answered = co_await read(std::move(exchange), /*not_found_ok=*/true, std::move(stop));
  if (!answered.ok()) co_return answered.error();
  QueryResult<std::optional<KvPair>> result{std::nullopt, answered.value().meta};
  const http::Response& response = answered.value().value;
  if (response.status == 404) co_return result;
  ConsulResult<std::vector<KvPair>> pairs = decode_kv_pairs(response, path);
  if (!pairs.ok()) co_return pairs.error();
  if (pairs.value().size() != 1) {
    co_return bad_response(path, response.status, fmt::format("expected one entry, got {}", pairs.value().size()));
  }
  if (auto problem = wrong_key(pairs.value().front(), key)) co_return bad_response(path, response.status, *problem);
  result.value = std::move(pairs.value().front());
  co_return result;
}

Task<ConsulResult<QueryResult<std::vector<KvPair>>>> ConsulClient::kv_list(std::string prefix, QueryOptions query,
                                                                          std::stop_token stop) {
  Exchange exchange{"GET", Target("/v1/kv/", prefix), {}, read_timeout(options_, query)};
  exchange.target.flag("recurse");
  add_scope(exchange.target, options_);
  add_query(exchange.target, query);
  const std::string path = exchange.target.path();
  ConsulResult<QueryResult<http::Response>> answered = co_await read(std::move(exchange), /*not_found_ok=*/true, std::move(stop));
  if (!answered.ok()) co_return answered.error();
  QueryResult<std::vector<KvPair>> result{{}, answered.value().meta};
  const http::Response& response = answered.value().value;
  if (response.status == 404) co_return result;  // nothing under the prefix
  ConsulResult<std::vector<KvPair>> pairs = decode_kv_pairs(response, path);
  if (!pairs.ok()) co_return pairs.error();
  for (const KvPair& pair : pairs.value()) {
    if (!pair.key.starts_with(prefix)) {
      co_return bad_response(path, response.status, fmt::format("field \"Key\": \"{}\" is not under \"{}\"", pair.key, prefix));
    }
  }
  result.value = std::move(pairs.value());
  co_return result;
}

Task<ConsulResult<bool>> ConsulClient::kv_put(std::string key, std::string value, std::uint64_t flags, std::stop_token stop) {
  Exchange exchange{"PUT", Target("/v1/kv/", key), std::move(value), options_.request_timeout};
  if (flags != 0) exchange.target.param("flags", std::to_string(flags));
  add_scope(exchange.target, options_);
  co_return co_await write_bool(std::move(exchange), std::move(stop));
}

Task<ConsulResult<bool>> ConsulClient::kv_cas(std::string key, std::string value, std::uint64_t modify_index,
                                              std::stop_token stop) {
  Exchange exchange{"PUT", Target("/v1/kv/", key), std::move(value), options_.request_timeout};
  exchange.target.param("cas", std::to_string(modify_index));
  add_scope(exchange.target, options_);
  co_return co_await write_bool(std::move(exchange), std::move(stop));
}

Task<ConsulResult<bool>> ConsulClient::kv_acquire(std::string key, std::string value, std::string session,
                                                  std::stop_token stop) {
  Exchange exchange{"PUT", Target("/v1/kv/", key), std::move(value), options_.request_timeout};
  exchange.target.param("acquire", session);
  add_scope(exchange.target, options_);
  co_return co_await write_bool(std::move(exchange), std::move(stop));
}

Task<ConsulResult<bool>> ConsulClient::kv_release(std::string key, std::string value, std::string session,
                                                  std::stop_token stop) {
  Exchange exchange{"PUT", Target("/v1/kv/", key), std::move(value), options_.request_timeout};
  exchange.target.param("release", session);
  add_scope(exchange.target, options_);
  co_return co_await write_bool(std::move(exchange), std::move(stop));
}

Task<ConsulResult<void>> ConsulClient::kv_delete(std::string key, std::stop_token stop) {
  Exchange exchange{"DELETE", Target("/v1/kv/", key), {}, options_.request_timeout};
  add_scope(exchange.target, options_);
  co_return co_await write_void(std::move(exchange), /*body_is_bool=*/true, std::move(stop));
}

Task<ConsulResult<void>> ConsulClient::kv_delete_tree(std::string prefix, std::stop_token stop) {
  Exchange exchange{"DELETE", Target("/v1/kv/", prefix), {}, options_.request_timeout};
  exchange.target.flag("recurse");
  add_scope(exchange.target, options_);
  co_return co_await write_void(std::move(exchange), /*body_is_bool=*/true, std::move(stop));
}

Task<ConsulResult<TxnOutcome>> ConsulClient::txn(std::vector<TxnOp> ops, std::stop_token stop) {
  Exchange exchange{"PUT", Target("/v1/txn"), txn_ops_json(ops), options_.request_timeout};
  add_scope(exchange.target, options_);
  const std::string path = exchange.target.path();
  ConsulResult<http::Response> sent = co_await send(std::move(exchange), std::move(stop));
  if (!sent.ok()) co_return sent.error();
  const http::Response& response = sent.value();
  if (response.status == 409) {
    ConsulResult<TxnRolledBack> rolled_back = decode_txn_rolled_back(response, path);
    if (!rolled_back.ok()) co_return rolled_back.error();
    TxnOutcome outcome = std::move(rolled_back.value());
    co_return outcome;
  }
  if (response.status != 200) co_return error_from_response(response, "PUT", path);
  ConsulResult<TxnCommitted> committed = decode_txn_committed(response, path);
  if (!committed.ok()) co_return committed.error();
  TxnOutcome outcome = std::move(committed.value());
  co_return outcome;
}

}  // namespace baton::consul
