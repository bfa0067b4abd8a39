#pragma once
// The outcome of a call into the servers: a value, or Consul's error text and HTTP status.
#include <string>
#include <utility>
#include <variant>

namespace baton::fakes::consul {

struct RpcError {
  std::string text;
  int status = 500;
};

template <class T>
class RpcResult {
 public:
  RpcResult(T value) : outcome_(std::move(value)) {}
  RpcResult(RpcError error) : outcome_(std::move(error)) {}

  bool ok() const { return outcome_.index() == 0; }
  T& value() { return std::get<0>(outcome_); }
  const RpcError& error() const { return std::get<1>(outcome_); }

 private:
  std::variant<T, RpcError> outcome_;
};

}  // namespace baton::fakes::consul
