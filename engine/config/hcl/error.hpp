#pragma once
// A syntax error as a value. Parsing user input never throws: bad configuration is an expected
// outcome, and the engine reports it and exits cleanly (engine/README.md: exceptions are bugs).
#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "engine/config/hcl/position.hpp"

namespace baton::config::hcl {

struct Error {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;  // HCL1's own wording where it has one, e.g. "literal not terminated"

  static Error at(const Position& position, std::string message);
  friend bool operator==(const Error&, const Error&) = default;
};

// "config.hcl:12:5: key 'task' expected start of object ('{') or assignment ('=')"; just the
// message when the error has no position (line 0).
std::string to_string(const Error& error);

// A value or an Error. (std::expected is C++23; this is the part of it we need.)
template <class T>
class Result {
 public:
  Result(T value) : outcome_(std::move(value)) {}
  Result(Error error) : outcome_(std::move(error)) {}

  bool ok() const { return outcome_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() {
    assert(ok());
    return std::get<0>(outcome_);
  }
  const T& value() const {
    assert(ok());
    return std::get<0>(outcome_);
  }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(outcome_);
  }

 private:
  std::variant<T, Error> outcome_;
};

}  // namespace baton::config::hcl
