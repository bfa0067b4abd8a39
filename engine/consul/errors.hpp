#pragma once
// From Consul's answers to ConsulErrors: one place that knows Consul's error texts
// (consul-semantics.md §5, consul-lock-failure-modes.md items 9 and 22).
//
//   status / body                                        kind
//   429, or body has "rate limit exceeded"               rate_limited
//   body has "No cluster leader"                         no_leader
//   403, or body (past "rpc error making call: ") starts permission_denied
//     with "Permission denied", or has "ACL not found"
//   500 whose body has `invalid session`                 invalid_session
//   404 of a session renew (decided by the call)         session_not_found
//   anything else that is not the call's success          http
//
// A client agent prefixes the servers' errors with "rpc error making call: "; the texts are
// matched past that prefix or anywhere in the body, so both forms map alike.
#include <string_view>

#include "engine/consul/result.hpp"
#include "engine/http/message.hpp"

namespace baton::consul {

// The error an unsuccessful answer stands for. `method` and `path` (no query) name the call in
// the message.
ConsulError error_from_response(const http::Response& response, std::string_view method, std::string_view path);

// No answer arrived.
ConsulError error_from_transport(const TransportError& error, std::string_view method, std::string_view path);

// An answer that does not decode: "consul: decoding /v1/kv/x response: <problem>".
ConsulError bad_response(std::string_view path, int http_status, std::string_view problem);

}  // namespace baton::consul
