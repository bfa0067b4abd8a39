#pragma once
// Go's *T as CTS's configuration structs use it: a field is either unset (nil) or set, and set
// to the zero value is not unset (`enabled = false` overrides a default, an absent `enabled`
// does not). Each value also remembers where it was written, so that a validation error found
// long after decoding and merging can still name file:line:column.
//
// Equality compares values only: the same configuration written in two files, or printed and
// parsed again, is the same configuration.
#include <cassert>
#include <optional>
#include <utility>

#include "engine/config/hcl/position.hpp"

namespace baton::config::cts {

template <class T>
class Opt {
 public:
  Opt() = default;
  // Implicit, like taking the address of a value in Go: `tls.enabled = true`.
  Opt(T value, hcl::Position position = {}) : value_(std::move(value)), position_(std::move(position)) {}

  bool has_value() const { return value_.has_value(); }
  explicit operator bool() const { return has_value(); }

  const T& operator*() const {
    assert(value_);
    return *value_;
  }
  T& operator*() {
    assert(value_);
    return *value_;
  }
  const T* operator->() const { return &**this; }
  T* operator->() { return &**this; }

  // Go's StringVal / BoolVal / IntVal: the value, or the zero value when unset.
  T value_or_zero() const { return value_ ? *value_ : T{}; }
  T value_or(T fallback) const { return value_ ? *value_ : std::move(fallback); }

  // Where the value was written; a default has no position (line 0).
  const hcl::Position& position() const { return position_; }

  void set(T value, hcl::Position position = {}) {
    value_ = std::move(value);
    position_ = std::move(position);
  }
  // A value that must exist from here on (Go: `if c.X == nil { c.X = &X{} }`).
  T& ensure(hcl::Position position = {}) {
    if (!value_) set(T{}, std::move(position));
    return *value_;
  }
  void reset() {
    value_.reset();
    position_ = {};
  }

  friend bool operator==(const Opt& a, const Opt& b) { return a.value_ == b.value_; }

 private:
  std::optional<T> value_;
  hcl::Position position_;
};

}  // namespace baton::config::cts
