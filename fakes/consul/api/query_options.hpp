#pragma once
// The query parameters and headers every Consul endpoint shares (agent/http.go: parseWait,
// parseConsistency, parseToken, parseDC, parseEntMeta), parsed once per request.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "engine/http/message.hpp"
#include "engine/ports/time.hpp"
#include "fakes/consul/server/rpc_result.hpp"

namespace baton::fakes::consul {

enum class Consistency { leader, stale, consistent };  // "leader" is Consul's default mode

struct QueryOptions {
  std::uint64_t min_index = 0;  // ?index; 0 means do not block
  Duration wait{};              // ?wait as given; the server clamps it
  Consistency consistency = Consistency::leader;
  std::string token;            // ?token, X-Consul-Token or Authorization: Bearer, in that order
  std::string datacenter;       // ?dc
};

// Consul's 400s for a bad ?wait, ?index, ?stale&?consistent, or an Enterprise-only namespace.
std::variant<QueryOptions, RpcError> parse_query_options(const http::Request& request, const http::Target& target);

// The token of an `Authorization: Bearer <t>` header as Consul's parseTokenFromHeaders reads
// it: the scheme matched case-insensitively, the value trimmed, only its first word kept; ""
// for any other header.
std::string bearer_token(std::string_view authorization);

// Go's url.Values.Encode(): keys sorted, values in order, query-escaped. Consul prints it in
// "Conflicting flags: ..." errors.
std::string encode_query_like_go(const http::Target& target);

// strconv.ParseUint(text, 10, 64).
std::optional<std::uint64_t> parse_uint64(const std::string& text);

}  // namespace baton::fakes::consul
