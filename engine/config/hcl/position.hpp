#pragma once
// Where a piece of configuration came from, so every later error (a syntax error here, a type
// error in the schema decoder, a validation error much later) can point at the text the user
// wrote.
#include <string>

namespace baton::config::hcl {

struct Position {
  std::string file;  // the name the caller passed in, e.g. "config.hcl"
  int line = 0;      // 1-based; 0 only for "no position" (a default-constructed value)
  // 1-based, counted in Unicode code points as HCL1's scanner counts them (a tab is one column,
  // "é" is one column), so our columns match the ones CTS prints.
  int column = 0;

  friend bool operator==(const Position&, const Position&) = default;
};

// "config.hcl:12:5", the form HCL and compilers use.
std::string to_string(const Position& position);

}  // namespace baton::config::hcl
