#pragma once
// Consul's `?filter=` expressions for fake-consul: the language of go-bexpr v0.1.2, the version
// Consul pins, parsed with bexpr's grammar and error messages and evaluated against each result
// element's JSON rendering. README.md beside this file lists where it follows bexpr and where
// it cannot.
//
//   auto parsed = Expression::parse(R"(Service.Tags contains "web" and Checks.Status == passing)");
//   if (auto* error = std::get_if<ParseError>(&parsed)) -> HTTP 500, evaluator_error_text(error->message)
//   auto kept = std::get<Expression>(parsed).filter(health_entries);   // json array, or EvaluationError
//
// What Consul answers for a bad filter (agent/http.go, Consul 1.x): HTTP 500, not 400, with the
// body evaluator_error_text(message). The filter is created on the server that runs the query,
// so when the request reached it through a client agent (or a follower forwarding to the
// leader) Consul's RPC layer puts "rpc error making call: " in front. Endpoints a client agent
// answers itself (/v1/agent/services, /v1/agent/checks) have no such prefix. An empty ?filter=
// means no filter at all (Consul only reads a non-empty one); parse("") is an error, as in bexpr.
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "fakes/consul/filter/ast.hpp"
#include "fakes/consul/filter/evaluate.hpp"
#include "fakes/consul/filter/parse_error.hpp"

namespace baton::fakes::consul::filter {

// "Failed to create boolean expression evaluator: " + bexpr's message (go-bexpr v0.1.2
// filter.go, CreateFilter; later bexpr versions spell it with a lower-case "failed").
std::string evaluator_error_text(std::string_view bexpr_message);

class Expression {
 public:
  // The expression, or the error Consul would report: bexpr's syntax errors (with position and
  // expectations) and regular expressions Go would not compile
  // ("Failed to compile regular expression \"(\": error parsing regexp: missing closing ): `(`").
  static std::variant<Expression, ParseError> parse(std::string_view text);

  // Whether `element` (one result element as Consul renders it) matches; an EvaluationError
  // where Consul would have refused the filter against its types.
  Verdict evaluate(const nlohmann::json& element) const;

  // evaluate() for callers that have already screened out refused filters: an EvaluationError
  // counts as no match.
  bool matches(const nlohmann::json& element) const;

  // bexpr's Filter.Execute: the elements of an array that match, in order, or the members of an
  // object whose values match (as /v1/agent/services filters its map). The first element that
  // makes Consul refuse the filter fails the whole call, as it fails the whole request.
  std::variant<nlohmann::json, EvaluationError> filter(const nlohmann::json& collection) const;

  const std::string& text() const { return text_; }
  const Node& tree() const { return *root_; }

 private:
  Expression(std::string text, NodePtr root) : text_(std::move(text)), root_(std::move(root)) {}

  std::string text_;
  NodePtr root_;
};

}  // namespace baton::fakes::consul::filter
