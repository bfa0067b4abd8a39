#include "fakes/consul/filter/expression.hpp"

#include <optional>

#include "engine/text/go_regex.hpp"
#include "fakes/consul/filter/go_strconv.hpp"
#include "fakes/consul/filter/grammar.hpp"

namespace baton::fakes::consul::filter {
namespace {

// bexpr v0.1.2 compiles a `matches` pattern while validating the parsed tree against Consul's
// types, before any data is seen; the fake does it right after parsing. The tree is rebuilt
// with the compiled expressions (nodes are immutable). The first failure in tree order wins.
NodePtr with_regexes(const NodePtr& node, std::optional<ParseError>& error) {
  if (error) return node;
  if (const Match* match = std::get_if<Match>(&node->kind)) {
    if (match->op != MatchOperator::matches && match->op != MatchOperator::not_matches) return node;
    auto compiled = GoRegex::compile(match->value->raw);
    if (auto* message = std::get_if<std::string>(&compiled)) {
      error = ParseError{match->value->offset,
                         "Failed to compile regular expression " + go_quote(match->value->raw) + ": " + *message};
      return node;
    }
    Match copy = *match;
    copy.regex = std::get<std::shared_ptr<const GoRegex>>(std::move(compiled));
    return std::make_shared<const Node>(Node{std::move(copy)});
  }
  if (const Not* negation = std::get_if<Not>(&node->kind)) {
    return std::make_shared<const Node>(Node{Not{with_regexes(negation->operand, error)}});
  }
  if (const And* conjunction = std::get_if<And>(&node->kind)) {
    NodePtr left = with_regexes(conjunction->left, error);
    return std::make_shared<const Node>(Node{And{left, with_regexes(conjunction->right, error)}});
  }
  const Or& disjunction = std::get<Or>(node->kind);
  NodePtr left = with_regexes(disjunction.left, error);
  return std::make_shared<const Node>(Node{Or{left, with_regexes(disjunction.right, error)}});
}

}  // namespace

std::string evaluator_error_text(std::string_view bexpr_message) {
  return "Failed to create boolean expression evaluator: " + std::string(bexpr_message);
}

std::variant<Expression, ParseError> Expression::parse(std::string_view text) {
  std::variant<NodePtr, ParseError> syntax = parse_syntax(text);
  if (auto* error = std::get_if<ParseError>(&syntax)) return std::move(*error);
  std::optional<ParseError> error;
  NodePtr root = with_regexes(std::get<NodePtr>(syntax), error);
  if (error) return *std::move(error);
  return Expression(std::string(text), std::move(root));
}

Verdict Expression::evaluate(const nlohmann::json& element) const {
  return ::baton::fakes::consul::filter::evaluate(*root_, element);
}

bool Expression::matches(const nlohmann::json& element) const {
  const Verdict verdict = evaluate(element);
  return std::holds_alternative<bool>(verdict) && std::get<bool>(verdict);
}

std::variant<nlohmann::json, EvaluationError> Expression::filter(const nlohmann::json& collection) const {
  if (!collection.is_array() && !collection.is_object()) {
    return EvaluationError{"Only slices, arrays and maps are filterable"};
  }
  nlohmann::json kept = collection.is_array() ? nlohmann::json::array() : nlohmann::json::object();
  for (const auto& [key, element] : collection.items()) {
    const Verdict verdict = evaluate(element);
    if (const auto* error = std::get_if<EvaluationError>(&verdict)) return *error;
    if (!std::get<bool>(verdict)) continue;
    if (collection.is_array()) {
      kept.push_back(element);
    } else {
      kept[key] = element;
    }
  }
  return kept;
}

}  // namespace baton::fakes::consul::filter
