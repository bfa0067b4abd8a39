#pragma once
// ConsulClient: the engine's typed calls to Consul's HTTP API, over a ConsulTransport. Written
// once; production and the simulator differ only in the transport behind it.
//
// Every call is a coroutine returning ConsulResult<T>: the value, or a ConsulError whose kind
// says what happened (errors.hpp has the mapping). Nothing throws for an expected failure.
// Calls take their arguments by value (they outlive the caller's temporaries) and a stop token
// that abandons the call (TransportErrorKind::cancelled). The client must outlive its calls; it
// keeps no state between them, so calls may run concurrently.
//
// Blocking reads take QueryOptions: with index > 0 the call blocks until Consul's index passes
// it or `wait` runs out, and its timeout grows to fit (blocking_query.hpp).
#include <cstdint>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/async/task.hpp"
#include "engine/consul/requests.hpp"
#include "engine/consul/result.hpp"
#include "engine/consul/transport.hpp"
#include "engine/consul/types.hpp"

namespace baton::consul {

using namespace std::chrono_literals;

struct ConsulClientOptions {
  // Sent as X-Consul-Token on every request; empty: none (the agent's default token).
  std::string token;
  // ?dc= on every call that takes one; empty: the agent's datacenter.
  std::string datacenter;
  // ?ns= on every call that takes one (Enterprise); empty: none.
  std::string namespace_name;
  // Timeout of a non-blocking call. It must exceed Consul's rpc_hold_timeout (7s), for which a
  // call waits for a leader before answering "No cluster leader". A blocking call gets its wait
  // and jitter on top of it (blocking_timeout()).
  Duration request_timeout = 15s;
};

enum class Consistency {
  default_mode,  // the leader answers; after a leader change it may briefly serve stale data
  stale,         // any server answers, even without a leader; arbitrarily old
  consistent,    // the leader first proves it still leads (a quorum round trip)
};

struct QueryOptions {
  // Block until Consul's index for the query passes this; 0: answer at once.
  std::uint64_t index = 0;
  // Longest block; zero or less: Consul's default (5 min); over 10 min: clamped. Ignored when
  // index is 0.
  Duration wait{};
  Consistency consistency = Consistency::default_mode;
};

// A read's value and its query metadata.
template <class T>
struct QueryResult {
  T value;
  QueryMeta meta;
};

// ?passing, ?tag (each must be present), ?dc, ?ns, ?filter for /v1/health/service.
struct HealthServiceOptions {
  bool passing = false;
  std::vector<std::string> tags;
  std::string datacenter;      // empty: the client's default
  std::string namespace_name;  // empty: the client's default
  std::string filter;          // Consul's filter expression; empty: none
};

// ?node-meta=key:value (each must match), ?dc, ?ns for /v1/catalog/services.
struct CatalogServicesOptions {
  std::map<std::string, std::string> node_meta;
  std::string datacenter;
  std::string namespace_name;
};

class ConsulClient {
 public:
  ConsulClient(ConsulTransport& transport, ConsulClientOptions options = {})
      : transport_(transport), options_(std::move(options)) {}
  ConsulClient(const ConsulClient&) = delete;
  ConsulClient& operator=(const ConsulClient&) = delete;

  const ConsulClientOptions& options() const { return options_; }

  // KV. A missing key is nullopt (Consul's 404), with its QueryMeta all the same.
  Task<ConsulResult<QueryResult<std::optional<KvPair>>>> kv_get(std::string key, QueryOptions query = {}, std::stop_token stop = {});
  // Every entry under `prefix` (none: empty, Consul's 404).
  Task<ConsulResult<QueryResult<std::vector<KvPair>>>> kv_list(std::string prefix, QueryOptions query = {}, std::stop_token stop = {});
  Task<ConsulResult<bool>> kv_put(std::string key, std::string value, std::uint64_t flags = 0, std::stop_token stop = {});
  // False when the key's ModifyIndex is not `modify_index` (0: when the key exists).
  Task<ConsulResult<bool>> kv_cas(std::string key, std::string value, std::uint64_t modify_index, std::stop_token stop = {});
  // False when another session holds the key or a lock-delay is in force (a plain false, not an
  // error: item 9). An unknown session is ConsulErrorKind::invalid_session.
  Task<ConsulResult<bool>> kv_acquire(std::string key, std::string value, std::string session, std::stop_token stop = {});
  // False when `session` does not hold the key.
  Task<ConsulResult<bool>> kv_release(std::string key, std::string value, std::string session, std::stop_token stop = {});
  Task<ConsulResult<void>> kv_delete(std::string key, std::stop_token stop = {});
  Task<ConsulResult<void>> kv_delete_tree(std::string prefix, std::stop_token stop = {});
  // At most 64 operations (Consul's limit; more is an http error, 413). A rollback (409) is a
  // TxnRolledBack value, not an error: the transaction was decided.
  Task<ConsulResult<TxnOutcome>> txn(std::vector<TxnOp> ops, std::stop_token stop = {});

  // Sessions.
  Task<ConsulResult<std::string>> session_create(SessionRequest request, std::stop_token stop = {});
  // ConsulErrorKind::session_not_found when Consul no longer has it (404): the lease is gone.
  Task<ConsulResult<Session>> session_renew(std::string id, std::stop_token stop = {});
  // Succeeds for an unknown id too, as Consul does.
  Task<ConsulResult<void>> session_destroy(std::string id, std::stop_token stop = {});
  // nullopt when Consul has no such session (it answers [], never 404).
  Task<ConsulResult<QueryResult<std::optional<Session>>>> session_info(std::string id, QueryOptions query = {},
                                                                      std::stop_token stop = {});

  // Catalog and health.
  Task<ConsulResult<QueryResult<std::vector<ServiceEntry>>>> health_service(std::string service, HealthServiceOptions filter = {},
                                                                           QueryOptions query = {}, std::stop_token stop = {});
  Task<ConsulResult<QueryResult<CatalogServices>>> catalog_services(CatalogServicesOptions filter = {}, QueryOptions query = {},
                                                                   std::stop_token stop = {});
  Task<ConsulResult<void>> agent_service_register(ServiceRegistration registration, std::stop_token stop = {});
  // An unknown id is an http error (404).
  Task<ConsulResult<void>> agent_service_deregister(std::string id, std::stop_token stop = {});
  // "ip:port" of the Consul leader; "" when there is none (200, not an error).
  Task<ConsulResult<std::string>> status_leader(std::stop_token stop = {});

 private:
  struct Exchange;
  // Sends one request (token header added) and returns the response of any status, or the
  // transport's failure as a ConsulError.
  Task<ConsulResult<http::Response>> send(Exchange exchange, std::stop_token stop);
  // A write answering `true`/`false`.
  Task<ConsulResult<bool>> write_bool(Exchange exchange, std::stop_token stop);
  // A write whose answer's body does not matter beyond its status.
  Task<ConsulResult<void>> write_void(Exchange exchange, bool body_is_bool, std::stop_token stop);
  // A read: the response if its status is 200 (or 404 when `not_found_ok`), with its meta.
  Task<ConsulResult<QueryResult<http::Response>>> read(Exchange exchange, bool not_found_ok, std::stop_token stop);

  ConsulTransport& transport_;
  ConsulClientOptions options_;
};

}  // namespace baton::consul
