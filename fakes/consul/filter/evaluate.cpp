#include "fakes/consul/filter/evaluate.hpp"

#include <cstdint>

#include "engine/text/go_regex.hpp"
#include "fakes/consul/filter/go_strconv.hpp"

namespace baton::fakes::consul::filter {
namespace {

using nlohmann::json;

template <typename... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
template <typename... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

bool is_equality(MatchOperator op) { return op == MatchOperator::equal || op == MatchOperator::not_equal; }
bool is_membership(MatchOperator op) { return op == MatchOperator::in || op == MatchOperator::not_in; }
bool is_emptiness(MatchOperator op) { return op == MatchOperator::is_empty || op == MatchOperator::is_not_empty; }
bool is_regex(MatchOperator op) { return op == MatchOperator::matches || op == MatchOperator::not_matches; }

bool failed(const Verdict& verdict) { return std::holds_alternative<EvaluationError>(verdict); }
bool holds(const Verdict& verdict) { return std::get<bool>(verdict); }

EvaluationError invalid_operator(const Match& match) {
  return {"Invalid match operator " + go_quote(operator_name(match.op)) + " for selector " +
          go_quote(selector_text(match.selector))};
}

EvaluationError coercion_failed(const Match& match, const NumError& error) {
  return {"Failed to coerce value " + go_quote(match.value->raw) + " for selector " +
          go_quote(selector_text(match.selector)) + ": " + error.text};
}

// bexpr v0.1.2 on a map key that is not there: "whatever you were looking for cannot be equal
// because it doesn't exist", and every other container is empty.
bool absent(MatchOperator op) {
  return !(op == MatchOperator::equal || op == MatchOperator::is_not_empty || op == MatchOperator::in);
}

// A key the object lacks. Consul's maps hold strings (Meta, Node.TaggedAddresses) or structs
// (Service.TaggedAddresses), never lists or maps, so bexpr refuses `is empty` on any map member
// when it validates against the type; and a missing struct field is an invalid selector. Either
// way Consul refuses the filter, so the fake does too, naming the operator as bexpr would for a
// map of strings. The other operators take bexpr's missing-key answer.
Verdict missing_key(const Match& match) {
  if (is_emptiness(match.op)) return invalid_operator(match);
  return absent(match.op);
}

bool negated(MatchOperator op) {
  return op == MatchOperator::not_equal || op == MatchOperator::not_in || op == MatchOperator::is_not_empty ||
         op == MatchOperator::not_matches;
}

// The operator's positive form applied, then negated for !=, not in, is not empty, not matches.
Verdict outcome(const Match& match, bool positive) { return negated(match.op) ? !positive : positive; }

// Does the match value, coerced to `scalar`'s type, equal it? Strings compare as they are.
Verdict equals_scalar(const Match& match, const json& scalar) {
  const std::string& raw = match.value->raw;
  if (scalar.is_string()) return scalar.get_ref<const std::string&>() == raw;
  if (scalar.is_boolean()) {
    const auto coerced = go_parse_bool(raw);
    if (const auto* error = std::get_if<NumError>(&coerced)) return coercion_failed(match, *error);
    return std::get<bool>(coerced) == scalar.get<bool>();
  }
  if (scalar.is_number_float()) {
    const auto coerced = go_parse_float(raw);
    if (const auto* error = std::get_if<NumError>(&coerced)) return coercion_failed(match, *error);
    return std::get<double>(coerced) == scalar.get<double>();
  }
  if (scalar.is_number_unsigned() && scalar.get<std::uint64_t>() > std::uint64_t(INT64_MAX)) {
    // Only a Go uint64 holds this, and bexpr coerces for those with ParseUint.
    const auto coerced = go_parse_uint(raw);
    if (const auto* error = std::get_if<NumError>(&coerced)) return coercion_failed(match, *error);
    return std::get<std::uint64_t>(coerced) == scalar.get<std::uint64_t>();
  }
  // An integer that fits both: Consul's are mostly Go ints (ports, weights), coerced with ParseInt.
  const auto coerced = go_parse_int(raw);
  if (const auto* error = std::get_if<NumError>(&coerced)) return coercion_failed(match, *error);
  return std::get<std::int64_t>(coerced) == scalar.get<std::int64_t>();
}

Verdict apply_to_string(const Match& match, const std::string& text) {
  if (is_equality(match.op)) return outcome(match, text == match.value->raw);
  if (is_membership(match.op)) return outcome(match, text.find(match.value->raw) != std::string::npos);
  if (is_regex(match.op)) return outcome(match, match.regex->search(text));
  return invalid_operator(match);
}

// Booleans and numbers: bexpr allows only == and != on them.
Verdict apply_to_scalar(const Match& match, const json& scalar) {
  if (!is_equality(match.op)) return invalid_operator(match);
  const Verdict equal = equals_scalar(match, scalar);
  if (failed(equal)) return equal;
  return outcome(match, holds(equal));
}

// A list at the end of the selector: in / contains look for an equal element (lists of objects
// allow only the emptiness tests, as bexpr's slices of structs do).
Verdict apply_to_list(const Match& match, const json& list) {
  if (is_emptiness(match.op)) return outcome(match, list.empty());
  if (!is_membership(match.op)) return invalid_operator(match);
  for (const json& item : list) {
    if (item.is_null()) continue;
    if (item.is_object() || item.is_array()) return invalid_operator(match);
    const Verdict equal = equals_scalar(match, item);
    if (failed(equal)) return equal;
    if (holds(equal)) return outcome(match, true);
  }
  return outcome(match, false);
}

// An object at the end of the selector is taken for a map: in / contains test its keys.
Verdict apply_to_object(const Match& match, const json& object) {
  if (is_emptiness(match.op)) return outcome(match, object.empty());
  if (is_membership(match.op)) return outcome(match, object.contains(match.value->raw));
  return invalid_operator(match);
}

Verdict apply(const Match& match, const json& value) {
  if (value.is_null()) return absent(match.op);
  if (value.is_string()) return apply_to_string(match, value.get_ref<const std::string&>());
  if (value.is_array()) return apply_to_list(match, value);
  if (value.is_object()) return apply_to_object(match, value);
  return apply_to_scalar(match, value);
}

// Walks selector element `depth` onwards from `value` (see the header for the rules).
Verdict walk(const Match& match, std::size_t depth, const json& value) {
  if (depth == match.selector.size()) return apply(match, value);
  if (value.is_array()) {
    for (const json& item : value) {
      const Verdict verdict = walk(match, depth, item);
      if (failed(verdict) || holds(verdict)) return verdict;
    }
    return false;
  }
  if (value.is_null()) return absent(match.op);
  if (!value.is_object()) {
    return EvaluationError{"Selector " + go_quote(selector_text(match.selector, depth + 1)) + " is not valid"};
  }
  const auto found = value.find(match.selector[depth]);
  if (found == value.end()) return missing_key(match);
  return walk(match, depth + 1, *found);
}

Verdict both(const Node& left, const Node& right, const json& element, bool conjunction) {
  const Verdict first = evaluate(left, element);
  if (failed(first)) return first;
  const Verdict second = evaluate(right, element);
  if (failed(second)) return second;
  return conjunction ? holds(first) && holds(second) : holds(first) || holds(second);
}

}  // namespace

Verdict evaluate(const Node& node, const json& element) {
  return std::visit(Overloaded{
                        [&](const Match& match) { return walk(match, 0, element); },
                        [&](const Not& negation) {
                          const Verdict inner = evaluate(*negation.operand, element);
                          return failed(inner) ? inner : Verdict(!holds(inner));
                        },
                        [&](const And& conjunction) { return both(*conjunction.left, *conjunction.right, element, true); },
                        [&](const Or& disjunction) { return both(*disjunction.left, *disjunction.right, element, false); },
                    },
                    node.kind);
}

}  // namespace baton::fakes::consul::filter
