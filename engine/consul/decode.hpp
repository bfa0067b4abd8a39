#pragma once
// Consul's answers, decoded strictly (json_reader.hpp gives the rules). Each function returns
// the value, or a bad_response ConsulError naming the request path and the field:
//   consul: decoding /v1/kv/x response: field "ModifyIndex": expected a number
// Nothing here throws or trusts the wire: any body, however malformed, gives a value or an error.
#include <string>
#include <string_view>
#include <vector>

#include "engine/consul/result.hpp"
#include "engine/consul/types.hpp"
#include "engine/http/message.hpp"

namespace baton::consul {

// X-Consul-Index (required: a read without it cannot be watched), X-Consul-LastContact and
// X-Consul-KnownLeader (optional; when present, well formed).
ConsulResult<QueryMeta> read_query_meta(const http::Response& response, std::string_view path);

// /v1/kv/<key> and /v1/kv/<prefix>?recurse: an array of entries.
ConsulResult<std::vector<KvPair>> decode_kv_pairs(const http::Response& response, std::string_view path);
// /v1/session/info, /renew: an array of sessions.
ConsulResult<std::vector<Session>> decode_sessions(const http::Response& response, std::string_view path);
// /v1/session/create: {"ID": "<uuid>"}.
ConsulResult<std::string> decode_session_id(const http::Response& response, std::string_view path);
// KV writes and session destroy: `true` or `false`.
ConsulResult<bool> decode_bool(const http::Response& response, std::string_view path);
// /v1/status/leader: a JSON string.
ConsulResult<std::string> decode_string(const http::Response& response, std::string_view path);
// /v1/health/service/<name>: an array of {Node, Service, Checks}.
ConsulResult<std::vector<ServiceEntry>> decode_service_entries(const http::Response& response, std::string_view path);
// /v1/catalog/services: {name: [tags]}.
ConsulResult<CatalogServices> decode_catalog_services(const http::Response& response, std::string_view path);
// /v1/txn, 200: {"Results": [{"KV": {...}}], "Errors": null}.
ConsulResult<TxnCommitted> decode_txn_committed(const http::Response& response, std::string_view path);
// /v1/txn, 409: {"Results": null, "Errors": [{"OpIndex": n, "What": "..."}]}.
ConsulResult<TxnRolledBack> decode_txn_rolled_back(const http::Response& response, std::string_view path);

// The decoders above that try direct_decode.hpp first, through the DOM alone: what the direct
// path is checked against (tests/unit/consul_direct_decode_test.cpp).
namespace dom {
ConsulResult<std::vector<KvPair>> decode_kv_pairs(const http::Response& response, std::string_view path);
ConsulResult<std::vector<Session>> decode_sessions(const http::Response& response, std::string_view path);
ConsulResult<std::vector<ServiceEntry>> decode_service_entries(const http::Response& response, std::string_view path);
ConsulResult<TxnCommitted> decode_txn_committed(const http::Response& response, std::string_view path);
}  // namespace dom

}  // namespace baton::consul
