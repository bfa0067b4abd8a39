#pragma once
#include <cstddef>
#include <string>

namespace baton::fakes::consul::filter {

// A filter Consul refuses before looking at any data: bad syntax, or a regular expression that
// does not compile. `message` is go-bexpr's own text, e.g.
//   1:4 (3): no match found, expected: "!=", ".", "==", "[", [ \t\r\n] or [a-zA-Z0-9_]
//   1:9 (8): rule "number": Invalid number literal
// ("line:column (byte offset)", columns counting runes from 1). Several errors are joined with
// '\n', as bexpr joins them. `position` is the byte offset of the first.
struct ParseError {
  std::size_t position = 0;
  std::string message;
};

}  // namespace baton::fakes::consul::filter
