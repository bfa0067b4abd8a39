#pragma once
// Whether one result element matches a filter, decided as go-bexpr v0.1.2 decides it
// (evaluate.go), but over the element's JSON rendering instead of its Go struct:
//
// - A selector walks objects by key. Where it meets a list with path left to walk, the match
//   is tried on every element and holds if it holds for any (`Checks.Status == passing` is true
//   when some check passes, and `Checks.Status != passing` when some check does not; an empty
//   list matches nothing, whatever the operator).
// - A key that is not there decides by operator, as bexpr decides a missing map key: == and in
//   are false; !=, not in and not matches are true, and so is `matches` (v0.1.2's quirk, kept).
//   `is empty` / `is not empty` on a missing key are refused: Consul's maps hold strings or
//   structs, which have no emptiness test, and a missing struct field is an invalid selector.
//   JSON null (Go's nil map, slice or pointer) decides by bexpr's missing-key rule, `is empty`
//   true and `is not empty` false included.
// - At the end of the selector the JSON type picks bexpr's comparison: strings compare as
//   strings (in / contains test for a substring), numbers and booleans after coercing the
//   value with Go's ParseInt / ParseFloat / ParseBool, lists by element (in / contains) or
//   emptiness, objects by key (in / contains) or emptiness.
//
// Consul checks operators and values against its Go types when it creates the evaluator and
// refuses the whole request; the fake, having no types, finds the same faults when it reaches
// a value and reports them with bexpr's wording, e.g.
//   Invalid match operator "Is Empty" for selector "Service.Address"
//   Failed to coerce value "x" for selector "Service.Port": strconv.ParseInt: parsing "x": invalid syntax
//   Selector "Service.Port.x" is not valid
// All of an expression's matches are evaluated (no short-circuit), so a fault anywhere in the
// expression is found for every element that reaches it; the first in tree order wins, as in
// bexpr's validation.
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "fakes/consul/filter/ast.hpp"

namespace baton::fakes::consul::filter {

// A filter Consul would have refused against its types. `message` is bexpr's text.
struct EvaluationError {
  std::string message;
};

using Verdict = std::variant<bool, EvaluationError>;

Verdict evaluate(const Node& node, const nlohmann::json& element);

}  // namespace baton::fakes::consul::filter
