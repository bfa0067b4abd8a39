#pragma once
// The filter grammar Consul runs: go-bexpr v0.1.2's grammar.peg (Consul's go.mod pins
// github.com/hashicorp/go-bexpr v0.1.2; later bexpr versions added `is nil`, `any`/`all`, JSON
// pointer selectors and '/' in identifiers, none of which Consul accepts).
#include <string_view>
#include <variant>

#include "fakes/consul/filter/ast.hpp"
#include "fakes/consul/filter/parse_error.hpp"

namespace baton::fakes::consul::filter {

// Deeper than this many nested grammar rules (about four per level of parentheses, one per
// `not`) a filter is refused; bexpr has no such limit.
inline constexpr std::size_t kMaxRuleDepth = 1000;

// The syntax tree of `text`, or the error bexpr's parser reports for it. Regular expressions are
// not compiled here.
std::variant<NodePtr, ParseError> parse_syntax(std::string_view text);

}  // namespace baton::fakes::consul::filter
