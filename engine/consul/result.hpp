#pragma once
// ConsulError and ConsulResult<T>: how every call of the Consul client reports what went
// wrong. Expected failures (no leader, denied, timeouts, garbage from the wire) are values;
// exceptions stay for bugs. (std::expected is not in GCC 12's libstdc++ in C++20 mode, hence
// this small stand-in.)
#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "engine/consul/transport.hpp"

namespace baton::consul {

// What went wrong, as much as a caller needs to decide what to do next. The mapping from
// Consul's answers is in errors.hpp and README.md.
enum class ConsulErrorKind {
  no_leader,          // the cluster has no leader ("No cluster leader"): retry after a back-off
  permission_denied,  // the token may not do this (403, "Permission denied", "ACL not found")
  session_not_found,  // a renew named a session Consul no longer has (404): the lease is gone
  invalid_session,    // an acquire named a session Consul does not know (500 `invalid session`)
  rate_limited,       // Consul's rate limit refused the call (429, "rate limit exceeded")
  transport,          // no answer at all; transport_kind says why
  bad_response,       // an answer that does not decode: malformed body or header, wrong field
  http,               // any other status; the message carries the body
};

const char* to_string(ConsulErrorKind kind);

struct ConsulError {
  ConsulErrorKind kind = ConsulErrorKind::http;
  // The answer's HTTP status; 0 when no answer arrived (kind transport).
  int http_status = 0;
  // For logs: "consul: PUT /v1/kv/leader: HTTP 500: rpc error making call: No cluster leader".
  std::string message;
  // Only for kind transport.
  std::optional<TransportErrorKind> transport_kind;
};

// A T or the ConsulError that kept one from being had. Implicit from either, so a coroutine can
// co_return one directly.
template <class T>
class [[nodiscard]] ConsulResult {
 public:
  ConsulResult(T value) : value_(std::in_place_index<0>, std::move(value)) {}
  ConsulResult(ConsulError error) : value_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return value_.index() == 0; }
  // Only when ok().
  const T& value() const& {
    assert(ok());
    return std::get<0>(value_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(value_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(value_));
  }
  // Only when !ok().
  const ConsulError& error() const {
    assert(!ok());
    return std::get<1>(value_);
  }

 private:
  std::variant<T, ConsulError> value_;
};

// For calls that return nothing but success.
template <>
class [[nodiscard]] ConsulResult<void> {
 public:
  ConsulResult() = default;
  ConsulResult(ConsulError error) : error_(std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  const ConsulError& error() const {
    assert(!ok());
    return *error_;
  }

 private:
  std::optional<ConsulError> error_;
};

}  // namespace baton::consul
