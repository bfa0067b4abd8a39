#include "fakes/consul/filter/grammar.hpp"

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "fakes/consul/filter/go_strconv.hpp"
#include "fakes/consul/filter/peg_parser.hpp"

// Each function below is one rule of go-bexpr v0.1.2's grammar.peg, quoted above it, and tries
// its alternatives and terminals in the grammar's order: the order is what makes the recorded
// expectations, and so the error messages, the same as bexpr's. A rule with a display name
// ("grouping", "match", ...) shows it in errors; the others show their own name.

namespace baton::fakes::consul::filter {
namespace {

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_word(char32_t c) { return is_letter(c) || (c >= '0' && c <= '9') || c == '_'; }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_nonzero_digit(char32_t c) { return c >= '1' && c <= '9'; }

constexpr std::string_view kSpaceClass = "[ \\t\\r\\n]";

template <typename Kind>
NodePtr make_node(Kind kind) {
  return std::make_shared<const Node>(Node{std::move(kind)});
}

// One of bexpr's operator rules, spelled as its sequence: `_` whitespace, `_?` optional
// whitespace, anything else a keyword. `contains` yields In, as bexpr's MatchContains does.
struct OperatorRule {
  std::string_view name;
  std::string_view sequence;
  MatchOperator op;
};

constexpr OperatorRule kMatchEqual{"MatchEqual", "_? == _?", MatchOperator::equal};
constexpr OperatorRule kMatchNotEqual{"MatchNotEqual", "_? != _?", MatchOperator::not_equal};
constexpr OperatorRule kMatchIsEmpty{"MatchIsEmpty", "_ is _ empty", MatchOperator::is_empty};
constexpr OperatorRule kMatchIsNotEmpty{"MatchIsNotEmpty", "_ is _ not _ empty", MatchOperator::is_not_empty};
constexpr OperatorRule kMatchIn{"MatchIn", "_ in _", MatchOperator::in};
constexpr OperatorRule kMatchNotIn{"MatchNotIn", "_ not _ in _", MatchOperator::not_in};
constexpr OperatorRule kMatchContains{"MatchContains", "_ contains _", MatchOperator::in};
constexpr OperatorRule kMatchNotContains{"MatchNotContains", "_ not _ contains _", MatchOperator::not_in};
constexpr OperatorRule kMatchMatches{"MatchMatches", "_ matches _", MatchOperator::matches};
constexpr OperatorRule kMatchNotMatches{"MatchNotMatches", "_ not _ matches _", MatchOperator::not_matches};

class Grammar {
 public:
  explicit Grammar(PegParser& parser) : p_(parser) {}

  std::optional<NodePtr> input();

 private:
  using Expr = std::optional<NodePtr>;
  enum class Memoised { or_expression, and_expression, not_expression };
  using MemoKey = std::tuple<Memoised, std::size_t, bool>;
  struct MemoEntry {
    Expr node;
    std::size_t end;
  };

  template <typename Body>
  auto sequence(Body&& body) -> decltype(body());
  template <typename Compute>
  Expr memoised(Memoised rule, Compute&& compute);

  Expr or_expression();
  Expr and_expression();
  Expr not_expression();
  Expr parenthesized_expression();
  Expr match_expression();
  Expr match_selector_op_value();
  Expr match_selector_op();
  Expr match_value_op_selector();
  std::optional<MatchOperator> operator_rule(const OperatorRule& rule);
  std::optional<MatchOperator> first_operator(std::initializer_list<const OperatorRule*> choices);
  std::optional<Selector> selector();
  std::optional<std::string> identifier();
  std::optional<std::string> selector_or_index();
  std::optional<std::string> index_expression();
  std::optional<MatchValue> value();
  std::optional<std::string> number_literal();
  bool after_numbers();
  bool integer_or_float();
  std::optional<std::string> string_literal();
  bool quoted_text(bool closed);
  bool string_char(std::string_view rule, std::string_view quote);
  bool whitespace();
  void optional_whitespace() { whitespace(); }
  bool end_of_input();

  PegParser& p_;
  std::map<MemoKey, MemoEntry> memo_;
};

// A sequence: on failure the position returns to where it started (pigeon's parseSeqExpr).
template <typename Body>
auto Grammar::sequence(Body&& body) -> decltype(body()) {
  const std::size_t start = p_.offset();
  auto result = body();
  if (!result) p_.restore(start);
  return result;
}

// The or/and/not rules re-parse the same text: OrExpression tries AndExpression, and when no
// "or" follows tries it again as its second alternative, and so on down, which is exponential
// in the nesting of parentheses. Remembering a rule's result per position (and lookahead
// polarity) keeps parsing linear and changes nothing visible: a rerun would record the same
// expectations and errors, which are kept once.
template <typename Compute>
Grammar::Expr Grammar::memoised(Memoised rule, Compute&& compute) {
  const MemoKey key{rule, p_.offset(), p_.inverted()};
  if (const auto hit = memo_.find(key); hit != memo_.end()) {
    if (hit->second.node) p_.restore(hit->second.end);
    return hit->second.node;
  }
  Expr node = compute();
  memo_[key] = MemoEntry{node, p_.offset()};
  return node;
}

// Input <- _? "(" _? expr:OrExpression _? ")" _? EOF / _? expr:OrExpression _? EOF
std::optional<NodePtr> Grammar::input() {
  PegParser::Rule rule(p_, "Input");
  if (!rule) return std::nullopt;
  Expr parenthesized = sequence([&]() -> Expr {
    optional_whitespace();
    if (!p_.literal("(")) return std::nullopt;
    optional_whitespace();
    Expr expr = or_expression();
    if (!expr) return std::nullopt;
    optional_whitespace();
    if (!p_.literal(")")) return std::nullopt;
    optional_whitespace();
    if (!end_of_input()) return std::nullopt;
    return expr;
  });
  if (parenthesized) return parenthesized;
  return sequence([&]() -> Expr {
    optional_whitespace();
    Expr expr = or_expression();
    if (!expr) return std::nullopt;
    optional_whitespace();
    if (!end_of_input()) return std::nullopt;
    return expr;
  });
}

// OrExpression <- left:AndExpression _ "or" _ right:OrExpression / expr:AndExpression
Grammar::Expr Grammar::or_expression() {
  return memoised(Memoised::or_expression, [&]() -> Expr {
    PegParser::Rule rule(p_, "OrExpression");
    if (!rule) return std::nullopt;
    Expr either = sequence([&]() -> Expr {
      Expr left = and_expression();
      if (!left || !whitespace() || !p_.literal("or") || !whitespace()) return std::nullopt;
      Expr right = or_expression();
      if (!right) return std::nullopt;
      return make_node(Or{*left, *right});
    });
    if (either) return either;
    return and_expression();
  });
}

// AndExpression <- left:NotExpression _ "and" _ right:AndExpression / expr:NotExpression
Grammar::Expr Grammar::and_expression() {
  return memoised(Memoised::and_expression, [&]() -> Expr {
    PegParser::Rule rule(p_, "AndExpression");
    if (!rule) return std::nullopt;
    Expr both = sequence([&]() -> Expr {
      Expr left = not_expression();
      if (!left || !whitespace() || !p_.literal("and") || !whitespace()) return std::nullopt;
      Expr right = and_expression();
      if (!right) return std::nullopt;
      return make_node(And{*left, *right});
    });
    if (both) return both;
    return not_expression();
  });
}

// NotExpression <- "not" _ expr:NotExpression / expr:ParenthesizedExpression
// bexpr folds `not not x` into x when it builds the tree.
Grammar::Expr Grammar::not_expression() {
  return memoised(Memoised::not_expression, [&]() -> Expr {
    PegParser::Rule rule(p_, "NotExpression");
    if (!rule) return std::nullopt;
    Expr negated = sequence([&]() -> Expr {
      if (!p_.literal("not") || !whitespace()) return std::nullopt;
      Expr operand = not_expression();
      if (!operand) return std::nullopt;
      if (const Not* inner = std::get_if<Not>(&(*operand)->kind)) return inner->operand;
      return make_node(Not{*operand});
    });
    if (negated) return negated;
    return parenthesized_expression();
  });
}

// ParenthesizedExpression "grouping" <- "(" _? expr:OrExpression _? ")" / expr:MatchExpression
//                                     / "(" _? OrExpression _? !")" &{ "Unmatched parentheses" }
Grammar::Expr Grammar::parenthesized_expression() {
  PegParser::Rule rule(p_, "\"grouping\"");
  if (!rule) return std::nullopt;
  Expr grouped = sequence([&]() -> Expr {
    if (!p_.literal("(")) return std::nullopt;
    optional_whitespace();
    Expr expr = or_expression();
    if (!expr) return std::nullopt;
    optional_whitespace();
    if (!p_.literal(")")) return std::nullopt;
    return expr;
  });
  if (grouped) return grouped;
  if (Expr match = match_expression()) return match;
  sequence([&] {
    if (!p_.literal("(")) return false;
    optional_whitespace();
    if (!or_expression()) return false;
    optional_whitespace();
    if (!p_.not_ahead([&] { return p_.literal(")"); })) return false;
    p_.error_here("Unmatched parentheses");
    return false;
  });
  return std::nullopt;
}

// MatchExpression "match" <- MatchSelectorOpValue / MatchSelectorOp / MatchValueOpSelector
Grammar::Expr Grammar::match_expression() {
  PegParser::Rule rule(p_, "\"match\"");
  if (!rule) return std::nullopt;
  if (Expr expr = match_selector_op_value()) return expr;
  if (Expr expr = match_selector_op()) return expr;
  return match_value_op_selector();
}

// MatchSelectorOpValue "match" <- selector:Selector operator:(MatchEqual / MatchNotEqual
//     / MatchContains / MatchNotContains / MatchMatches / MatchNotMatches) value:Value
Grammar::Expr Grammar::match_selector_op_value() {
  PegParser::Rule rule(p_, "\"match\"");
  if (!rule) return std::nullopt;
  return sequence([&]() -> Expr {
    std::optional<Selector> path = selector();
    if (!path) return std::nullopt;
    const std::optional<MatchOperator> op = first_operator(
        {&kMatchEqual, &kMatchNotEqual, &kMatchContains, &kMatchNotContains, &kMatchMatches, &kMatchNotMatches});
    if (!op) return std::nullopt;
    std::optional<MatchValue> operand = value();
    if (!operand) return std::nullopt;
    return make_node(Match{std::move(*path), *op, std::move(operand), nullptr});
  });
}

// MatchSelectorOp "match" <- selector:Selector operator:(MatchIsEmpty / MatchIsNotEmpty)
Grammar::Expr Grammar::match_selector_op() {
  PegParser::Rule rule(p_, "\"match\"");
  if (!rule) return std::nullopt;
  return sequence([&]() -> Expr {
    std::optional<Selector> path = selector();
    if (!path) return std::nullopt;
    const std::optional<MatchOperator> op = first_operator({&kMatchIsEmpty, &kMatchIsNotEmpty});
    if (!op) return std::nullopt;
    return make_node(Match{std::move(*path), *op, std::nullopt, nullptr});
  });
}

// MatchValueOpSelector "match" <- value:Value operator:(MatchIn / MatchNotIn) selector:Selector
//                               / Value operator:(MatchIn / MatchNotIn) !Selector &{ "Invalid selector" }
Grammar::Expr Grammar::match_value_op_selector() {
  PegParser::Rule rule(p_, "\"match\"");
  if (!rule) return std::nullopt;
  Expr expr = sequence([&]() -> Expr {
    std::optional<MatchValue> operand = value();
    if (!operand) return std::nullopt;
    const std::optional<MatchOperator> op = first_operator({&kMatchIn, &kMatchNotIn});
    if (!op) return std::nullopt;
    std::optional<Selector> path = selector();
    if (!path) return std::nullopt;
    return make_node(Match{std::move(*path), *op, std::move(operand), nullptr});
  });
  if (expr) return expr;
  sequence([&] {
    if (!value() || !first_operator({&kMatchIn, &kMatchNotIn})) return false;
    if (!p_.not_ahead([&] { return selector().has_value(); })) return false;
    p_.error_here("Invalid selector");
    return false;
  });
  return std::nullopt;
}

// MatchEqual <- _? "==" _?   MatchIsNotEmpty <- _ "is" _ "not" _ "empty"   ... (see kMatch*)
std::optional<MatchOperator> Grammar::operator_rule(const OperatorRule& spelled) {
  PegParser::Rule rule(p_, spelled.name);
  if (!rule) return std::nullopt;
  return sequence([&]() -> std::optional<MatchOperator> {
    std::string_view rest = spelled.sequence;
    while (!rest.empty()) {
      const std::size_t space = rest.find(' ');
      const std::string_view part = rest.substr(0, space);
      rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      if (part == "_?") {
        optional_whitespace();
      } else if (part == "_" ? !whitespace() : !p_.literal(part)) {
        return std::nullopt;
      }
    }
    return spelled.op;
  });
}

// An ordered choice between operator rules, written inline in the match rules.
std::optional<MatchOperator> Grammar::first_operator(std::initializer_list<const OperatorRule*> choices) {
  for (const OperatorRule* choice : choices) {
    if (const auto op = operator_rule(*choice)) return op;
  }
  return std::nullopt;
}

// Selector "selector" <- first:Identifier rest:SelectorOrIndex*
std::optional<Selector> Grammar::selector() {
  PegParser::Rule rule(p_, "\"selector\"");
  if (!rule) return std::nullopt;
  std::optional<std::string> first = identifier();
  if (!first) return std::nullopt;
  Selector path{std::move(*first)};
  while (std::optional<std::string> next = selector_or_index()) path.push_back(std::move(*next));
  return path;
}

// Identifier <- [a-zA-Z] [a-zA-Z0-9_]*
std::optional<std::string> Grammar::identifier() {
  PegParser::Rule rule(p_, "Identifier");
  if (!rule) return std::nullopt;
  const std::size_t start = p_.offset();
  if (!p_.char_class("[a-zA-Z]", is_letter)) return std::nullopt;
  while (p_.char_class("[a-zA-Z0-9_]", is_word)) {
  }
  return std::string(p_.text_from(start));
}

// SelectorOrIndex <- "." ident:Identifier / expr:IndexExpression
std::optional<std::string> Grammar::selector_or_index() {
  PegParser::Rule rule(p_, "SelectorOrIndex");
  if (!rule) return std::nullopt;
  std::optional<std::string> field = sequence([&]() -> std::optional<std::string> {
    if (!p_.literal(".")) return std::nullopt;
    return identifier();
  });
  if (field) return field;
  return index_expression();
}

// IndexExpression "index" <- "[" _? lit:StringLiteral _? "]"
//                          / "[" _? !StringLiteral &{ "Invalid index" }
//                          / "[" _? StringLiteral _? !"]" &{ "Unclosed index expression" }
std::optional<std::string> Grammar::index_expression() {
  PegParser::Rule rule(p_, "\"index\"");
  if (!rule) return std::nullopt;
  std::optional<std::string> key = sequence([&]() -> std::optional<std::string> {
    if (!p_.literal("[")) return std::nullopt;
    optional_whitespace();
    std::optional<std::string> literal = string_literal();
    if (!literal) return std::nullopt;
    optional_whitespace();
    if (!p_.literal("]")) return std::nullopt;
    return literal;
  });
  if (key) return key;
  sequence([&] {
    if (!p_.literal("[")) return false;
    optional_whitespace();
    if (!p_.not_ahead([&] { return string_literal().has_value(); })) return false;
    p_.error_here("Invalid index");
    return false;
  });
  sequence([&] {
    if (!p_.literal("[")) return false;
    optional_whitespace();
    if (!string_literal()) return false;
    optional_whitespace();
    if (!p_.not_ahead([&] { return p_.literal("]"); })) return false;
    p_.error_here("Unclosed index expression");
    return false;
  });
  return std::nullopt;
}

// Value "value" <- selector:Selector / n:NumberLiteral / s:StringLiteral
// A selector-shaped value is the word itself, its parts joined with '.'.
std::optional<MatchValue> Grammar::value() {
  PegParser::Rule rule(p_, "\"value\"");
  if (!rule) return std::nullopt;
  const std::size_t start = p_.offset();
  if (std::optional<Selector> word = selector()) return MatchValue{selector_text(*word), start};
  if (std::optional<std::string> number = number_literal()) return MatchValue{std::move(*number), start};
  if (std::optional<std::string> text = string_literal()) return MatchValue{std::move(*text), start};
  return std::nullopt;
}

// NumberLiteral "number" <- "-"? IntegerOrFloat &AfterNumbers
//                         / "-"? IntegerOrFloat !AfterNumbers &{ "Invalid number literal" }
std::optional<std::string> Grammar::number_literal() {
  PegParser::Rule rule(p_, "\"number\"");
  if (!rule) return std::nullopt;
  const std::size_t start = p_.offset();
  std::optional<std::string> number = sequence([&]() -> std::optional<std::string> {
    p_.literal("-");
    if (!integer_or_float()) return std::nullopt;
    if (!p_.and_ahead([&] { return after_numbers(); })) return std::nullopt;
    return std::string(p_.text_from(start));
  });
  if (number) return number;
  sequence([&] {
    p_.literal("-");
    if (!integer_or_float()) return false;
    if (!p_.not_ahead([&] { return after_numbers(); })) return false;
    p_.error_here("Invalid number literal");
    return false;
  });
  return std::nullopt;
}

// AfterNumbers <- &(_ / EOF / ")")
bool Grammar::after_numbers() {
  PegParser::Rule rule(p_, "AfterNumbers");
  if (!rule) return false;
  return p_.and_ahead([&] { return whitespace() || end_of_input() || p_.literal(")"); });
}

// IntegerOrFloat <- ("0" / [1-9][0-9]*) ("." [0-9]+)?
bool Grammar::integer_or_float() {
  PegParser::Rule rule(p_, "IntegerOrFloat");
  if (!rule) return false;
  auto digits = [&] {
    while (p_.char_class("[0-9]", is_digit)) {
    }
  };
  return sequence([&] {
    const bool integer = p_.literal("0") || sequence([&] {
      if (!p_.char_class("[1-9]", is_nonzero_digit)) return false;
      digits();
      return true;
    });
    if (!integer) return false;
    sequence([&] {
      if (!p_.literal(".") || !p_.char_class("[0-9]", is_digit)) return false;
      digits();
      return true;
    });
    return true;
  });
}

// StringLiteral "string" <- ('`' RawStringChar* '`' / '"' DoubleStringChar* '"') { strconv.Unquote }
//                         / ('`' RawStringChar* / '"' DoubleStringChar*) EOF &{ "Unterminated string literal" }
// An Unquote failure is reported at the opening quote; the literal still matches (as "").
std::optional<std::string> Grammar::string_literal() {
  PegParser::Rule rule(p_, "\"string\"");
  if (!rule) return std::nullopt;
  const std::size_t start = p_.offset();
  if (quoted_text(true)) {
    std::optional<std::string> unquoted = go_unquote(p_.text_from(start));
    if (!unquoted) p_.error_at(start, "invalid syntax");
    return unquoted.value_or("");
  }
  sequence([&] {
    if (!quoted_text(false) || !end_of_input()) return false;
    p_.error_here("Unterminated string literal");
    return false;
  });
  return std::nullopt;
}

// '`' RawStringChar* '`' / '"' DoubleStringChar* '"', without the closing quote when !closed.
bool Grammar::quoted_text(bool closed) {
  auto quoted = [&](std::string_view quote, std::string_view char_rule) {
    return sequence([&] {
      if (!p_.literal(quote)) return false;
      while (string_char(char_rule, quote)) {
      }
      return !closed || p_.literal(quote);
    });
  };
  return quoted("`", "RawStringChar") || quoted("\"", "DoubleStringChar");
}

// RawStringChar <- !'`' .      DoubleStringChar <- !'"' .
bool Grammar::string_char(std::string_view rule_name, std::string_view quote) {
  PegParser::Rule rule(p_, rule_name);
  if (!rule) return false;
  return sequence([&] { return p_.not_ahead([&] { return p_.literal(quote); }) && p_.any(); });
}

// _ "whitespace" <- [ \t\r\n]+
bool Grammar::whitespace() {
  PegParser::Rule rule(p_, "\"whitespace\"");
  if (!rule) return false;
  if (!p_.char_class(kSpaceClass, is_space)) return false;
  while (p_.char_class(kSpaceClass, is_space)) {
  }
  return true;
}

// EOF <- !.
bool Grammar::end_of_input() {
  PegParser::Rule rule(p_, "EOF");
  if (!rule) return false;
  return p_.not_ahead([&] { return p_.any(); });
}

}  // namespace

std::variant<NodePtr, ParseError> parse_syntax(std::string_view text) {
  PegParser parser(text, kMaxRuleDepth);
  Grammar grammar(parser);
  const std::optional<NodePtr> tree = grammar.input();
  if (std::optional<ParseError> error = parser.outcome(tree.has_value())) return *std::move(error);
  return *tree;
}

}  // namespace baton::fakes::consul::filter
