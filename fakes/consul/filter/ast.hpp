#pragma once
// The syntax tree of a filter, shaped as go-bexpr v0.1.2 shapes it (ast.go): match expressions
// joined by and / or / not. Nodes are immutable and shared, so the parser can memoise a rule's
// result and an Expression can be copied for free.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace baton::text {
class GoRegex;
}  // namespace baton::text

namespace baton::fakes::consul::filter {

using text::GoRegex;

// `contains` parses to In and `not contains` to NotIn, as in bexpr: only the operand order differs.
enum class MatchOperator { equal, not_equal, in, not_in, is_empty, is_not_empty, matches, not_matches };

// bexpr's MatchOperator.String(), which its validation messages quote: "Equal", "Is Not Empty".
std::string_view operator_name(MatchOperator op);

// The path a selector walks, one element per `.name` or `["key"]`.
using Selector = std::vector<std::string>;

// bexpr's Selector.String(): the elements joined with '.', index keys included as they are.
std::string selector_text(const Selector& selector, std::size_t length);
inline std::string selector_text(const Selector& selector) { return selector_text(selector, selector.size()); }

// A value as the grammar leaves it: the unquoted string, the number's digits, or an unquoted
// word (a selector-shaped value, joined with '.'). Its meaning depends on what it is compared
// with, which is only known during evaluation.
struct MatchValue {
  std::string raw;
  std::size_t offset = 0;  // where it starts in the filter text
};

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Match {
  Selector selector;
  MatchOperator op;
  std::optional<MatchValue> value;          // absent for is empty / is not empty
  std::shared_ptr<const GoRegex> regex;     // compiled once for matches / not matches
};

struct Not {
  NodePtr operand;
};

struct And {
  NodePtr left;
  NodePtr right;
};

struct Or {
  NodePtr left;
  NodePtr right;
};

struct Node {
  std::variant<Match, Not, And, Or> kind;
};

}  // namespace baton::fakes::consul::filter
