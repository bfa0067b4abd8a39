// Consul's ?filter= language (go-bexpr v0.1.2) as fake-consul parses and evaluates it.
// Expected error texts marked "bexpr v0.1.2 grammar_test.go" or "evaluate_test.go" are the ones
// go-bexpr's own tests assert; "hashicorp/consul#N" ones were reported by Consul users verbatim;
// the "filtering.mdx" cases are the examples of Consul's API documentation
// (website/content/api-docs/features/filtering.mdx) with their documented results.
#include <gtest/gtest.h>

#include <string>

#include "fakes/consul/filter/expression.hpp"
#include "engine/text/go_regex.hpp"
#include "fakes/consul/filter/go_strconv.hpp"

namespace baton::fakes::consul::filter {
namespace {

using nlohmann::json;

Expression parsed(std::string_view text) {
  auto result = Expression::parse(text);
  if (auto* error = std::get_if<ParseError>(&result)) ADD_FAILURE() << text << " -> " << error->message;
  return std::get<Expression>(std::move(result));
}

ParseError parse_error(std::string_view text) {
  auto result = Expression::parse(text);
  if (std::holds_alternative<Expression>(result)) {
    ADD_FAILURE() << text << " parsed, an error was expected";
    return {};
  }
  return std::get<ParseError>(std::move(result));
}

std::string error_text(std::string_view text) { return parse_error(text).message; }

bool matches(std::string_view text, const json& element) {
  const Verdict verdict = parsed(text).evaluate(element);
  if (auto* error = std::get_if<EvaluationError>(&verdict)) ADD_FAILURE() << text << " -> " << error->message;
  return std::holds_alternative<bool>(verdict) && std::get<bool>(verdict);
}

std::string evaluation_error(std::string_view text, const json& element) {
  const Verdict verdict = parsed(text).evaluate(element);
  if (std::holds_alternative<bool>(verdict)) {
    ADD_FAILURE() << text << " evaluated to " << std::get<bool>(verdict) << ", an error was expected";
    return {};
  }
  return std::get<EvaluationError>(verdict).message;
}

const Match& match_of(const Expression& expression) { return std::get<Match>(expression.tree().kind); }

// One /v1/health/service/web entry as Consul renders it.
json health_entry() {
  return json::parse(R"({
    "Node": {"ID": "a1", "Node": "node-1", "Address": "10.0.0.1", "Datacenter": "dc1",
             "TaggedAddresses": {"lan": "10.0.0.1", "wan": "10.0.0.1"}, "Meta": {"rack": "r1"}},
    "Service": {"ID": "web-1", "Service": "web", "Tags": ["primary", "v2"], "Address": "",
                "Meta": {"env": "prod", "version": "2"}, "Port": 8080,
                "Weights": {"Passing": 1, "Warning": 1}, "EnableTagOverride": false, "Proxy": null},
    "Checks": [
      {"Node": "node-1", "CheckID": "serfHealth", "Status": "passing", "ServiceName": "", "ServiceTags": []},
      {"Node": "node-1", "CheckID": "service:web-1", "Status": "critical", "ServiceName": "web",
       "ServiceTags": ["primary", "v2"]}
    ]
  })");
}

// ---------------------------------------------------------------------------------------------
// Syntax errors, byte for byte as bexpr reports them.

TEST(ConsulFilterSyntax, ErrorsAssertedByBexprsOwnTests) {  // bexpr v0.1.2 grammar_test.go
  EXPECT_EQ(error_text("foo == \"12x"), "1:12 (11): rule \"string\": Unterminated string literal");
  EXPECT_EQ(error_text("foo == `12x"), "1:12 (11): rule \"string\": Unterminated string literal");
  EXPECT_EQ(error_text("foo == 3x"), "1:9 (8): rule \"number\": Invalid number literal");
  EXPECT_EQ(error_text("foo[3] == abc"), "1:5 (4): rule \"index\": Invalid index");
  EXPECT_EQ(error_text("x in foo[\"abc\""), "1:15 (14): rule \"index\": Unclosed index expression");
  EXPECT_EQ(error_text("foo[\"abc\" == 3"), "1:11 (10): rule \"index\": Unclosed index expression");
  EXPECT_EQ(error_text("x in 32"), "1:6 (5): rule \"match\": Invalid selector");
  EXPECT_EQ(error_text("32 == 32"), R"(1:4 (3): no match found, expected: "in", "not" or [ \t\r\n])");
  EXPECT_EQ(error_text("32 is empty"), R"(1:4 (3): no match found, expected: "in", "not" or [ \t\r\n])");
  EXPECT_EQ(error_text("x in foo abc"), R"(1:10 (9): no match found, expected: "and", "or", [ \t\r\n] or EOF)");
  EXPECT_EQ(error_text("x in foo and "),
            R"(1:14 (13): no match found, expected: "(", "-", "0", "\"", "`", "not", [ \t\r\n], [1-9] or [a-zA-Z])");
  EXPECT_EQ(error_text("x in foo or "),
            R"(1:13 (12): no match found, expected: "(", "-", "0", "\"", "`", "not", [ \t\r\n], [1-9] or [a-zA-Z])");
  EXPECT_EQ(error_text("x in foo or not "),
            R"(1:17 (16): no match found, expected: "!=", "(", "-", "0", "==", "\"", "`", "contains", "in", "is", )"
            R"("matches", "not", [ \t\r\n], [1-9] or [a-zA-Z])");
  EXPECT_EQ(error_text("(foo == 4"), "1:10 (9): rule \"grouping\": Unmatched parentheses");
}

TEST(ConsulFilterSyntax, ErrorsConsulUsersReported) {
  // hashicorp/consul#7338: ServicesWithFilter("foo").
  EXPECT_EQ(error_text("foo"), R"(1:4 (3): no match found, expected: "!=", ".", "==", "[", [ \t\r\n] or [a-zA-Z0-9_])");
  // hashicorp/consul#9441: an unquoted IP address is read as a malformed number.
  EXPECT_EQ(error_text("Address == 10.10.10.10 "), "1:17 (16): rule \"number\": Invalid number literal");
}

TEST(ConsulFilterSyntax, ErrorPositionIsTheFirstErrorsByteOffset) {
  EXPECT_EQ(parse_error("foo == 3x").position, 8u);
  EXPECT_EQ(parse_error("foo").position, 3u);
}

TEST(ConsulFilterSyntax, ColumnsCountRunesAndLinesFollowNewlines) {
  // 'é' is two bytes and one column.
  EXPECT_EQ(error_text("foo == \"é"), "1:10 (10): rule \"string\": Unterminated string literal");
  // The newline ends line 1; the end of input is column 1 of line 2.
  EXPECT_EQ(error_text("foo ==\n"),
            R"(2:1 (7): no match found, expected: "-", "0", "\"", "`", [ \t\r\n], [1-9] or [a-zA-Z])");
}

TEST(ConsulFilterSyntax, EmptyAndBlankFiltersAreErrors) {
  // Consul never parses an empty ?filter= (it means no filter); bexpr itself refuses it.
  EXPECT_EQ(error_text(""),
            R"(1:1 (0): no match found, expected: "(", "-", "0", "\"", "`", "not", [ \t\r\n], [1-9] or [a-zA-Z])");
  EXPECT_EQ(parse_error("   ").position, 3u);
}

TEST(ConsulFilterSyntax, NotNeedsWhitespaceBeforeAParenthesis) {
  // `not(...)` is read as a selector named "not": a syntax error in Consul too.
  EXPECT_EQ(error_text("not(Service.Port == 80)"),
            R"(1:4 (3): no match found, expected: "!=", ".", "==", "[", [ \t\r\n] or [a-zA-Z0-9_])");
  EXPECT_TRUE(parsed("not (Service.Port == 80)").matches(health_entry()));
}

TEST(ConsulFilterSyntax, BadEscapesAndRawNewlinesInDoubleQuotesAreInvalidSyntax) {
  EXPECT_EQ(error_text(R"(foo == "a\"b")"), "1:8 (7): rule \"string\": invalid syntax");  // \" closes nothing
  EXPECT_EQ(error_text(R"(foo == "\q")"), "1:8 (7): rule \"string\": invalid syntax");
  EXPECT_EQ(error_text(R"(foo == "\'")"), "1:8 (7): rule \"string\": invalid syntax");
  EXPECT_EQ(error_text("foo == \"a\nb\""), "1:8 (7): rule \"string\": invalid syntax");
  EXPECT_EQ(error_text(R"(foo == "\400")"), "1:8 (7): rule \"string\": invalid syntax");  // octal above 255
}

TEST(ConsulFilterSyntax, InvalidUtf8IsReportedWhereItIsRead) {
  EXPECT_EQ(error_text("foo == \"\xff\""), "1:9 (8): rule \"string\": invalid encoding");
  EXPECT_EQ(error_text("\xff"), "1:1 (0): invalid encoding");
}

TEST(ConsulFilterSyntax, LaterBexprSyntaxIsNotConsuls) {
  // `is nil`, any/all and '/' in identifiers came after v0.1.2, which Consul pins.
  EXPECT_EQ(error_text("Service.Proxy is nil"), R"(1:18 (17): no match found, expected: "empty", "not" or [ \t\r\n])");
  EXPECT_FALSE(std::holds_alternative<Expression>(Expression::parse("any Checks as c { c.Status == passing }")));
  EXPECT_FALSE(std::holds_alternative<Expression>(Expression::parse("a/b == 1")));
}

TEST(ConsulFilterSyntax, DeepNestingIsRefusedInsteadOfExhaustingTheStack) {
  const std::string deep = std::string(300, '(') + "a == 1" + std::string(300, ')');
  EXPECT_NE(error_text(deep).find("grammar rules deep"), std::string::npos);
  // Nesting that stays under the limit parses, and quickly: rule results are remembered.
  const std::string nested = std::string(100, '(') + "a == 1" + std::string(100, ')');
  EXPECT_TRUE(parsed(nested).matches(json{{"a", "1"}}));
}

// ---------------------------------------------------------------------------------------------
// What parses, and into what.

TEST(ConsulFilterParse, OperatorsAndOperandOrder) {
  struct Case {
    std::string_view text;
    Selector selector;
    MatchOperator op;
    std::optional<std::string> value;
  };
  const Case cases[] = {
      {"foo == 3", {"foo"}, MatchOperator::equal, "3"},
      {"foo != xyz", {"foo"}, MatchOperator::not_equal, "xyz"},
      {"list is empty", {"list"}, MatchOperator::is_empty, std::nullopt},
      {"list is not empty", {"list"}, MatchOperator::is_not_empty, std::nullopt},
      {"foo in bar", {"bar"}, MatchOperator::in, "foo"},
      {"foo not in bar", {"bar"}, MatchOperator::not_in, "foo"},
      {"bar contains foo", {"bar"}, MatchOperator::in, "foo"},
      {"bar not contains foo", {"bar"}, MatchOperator::not_in, "foo"},
      {"foo matches bar", {"foo"}, MatchOperator::matches, "bar"},
      {"foo not matches bar", {"foo"}, MatchOperator::not_matches, "bar"},
      {"foo==bar", {"foo"}, MatchOperator::equal, "bar"},
      {"foo == -0.2", {"foo"}, MatchOperator::equal, "-0.2"},
      {"foo == 11.11", {"foo"}, MatchOperator::equal, "11.11"},
  };
  for (const Case& c : cases) {
    const Expression expression = parsed(c.text);
    const Match& match = match_of(expression);
    EXPECT_EQ(match.selector, c.selector) << c.text;
    EXPECT_EQ(match.op, c.op) << c.text;
    EXPECT_EQ(match.value ? std::optional<std::string>(match.value->raw) : std::nullopt, c.value) << c.text;
  }
}

TEST(ConsulFilterParse, SelectorsTakeDotsAndIndexes) {  // bexpr v0.1.2 grammar_test.go
  const Expression dotted_and_indexed = parsed("`environment` in foo.bar[\"meta\"].tags[\t`ENV` ]");
  EXPECT_EQ(match_of(dotted_and_indexed).selector, (Selector{"foo", "bar", "meta", "tags", "ENV"}));
  EXPECT_EQ(match_of(dotted_and_indexed).value->raw, "environment");
  EXPECT_EQ(match_of(parsed(R"(environment in foo["bar"]["meta"]["tags"]["ENV"])")).selector,
            (Selector{"foo", "bar", "meta", "tags", "ENV"}));
  EXPECT_EQ(match_of(parsed("environment in foo[\"abc-def ghi åß∂ƒ\"]")).selector,
            (Selector{"foo", "abc-def ghi åß∂ƒ"}));
}

TEST(ConsulFilterParse, WhitespaceIsFreeAroundEverything) {  // bexpr v0.1.2 grammar_test.go
  EXPECT_EQ(match_of(parsed("\t\r\n  foo \t\r\n is \t\r\n not \t\r\n empty \t\r\n")).op, MatchOperator::is_not_empty);
  const Expression negated = parsed("\t\r\n not \t\r\n  foo \t\r\n in \t\r\n x \t\r\n");
  EXPECT_TRUE(std::holds_alternative<Not>(negated.tree().kind));
  EXPECT_EQ(match_of(parsed("\t\r\n ( \t\r\n foo \t\r\n == \t\r\n x \t\r\n ) \t\r\n")).value->raw, "x");
}

TEST(ConsulFilterParse, ValuesAsBexprLeavesThem) {
  // An unquoted word is its own text, a selector-shaped one joined with dots.
  EXPECT_EQ(match_of(parsed("Node == host.name")).value->raw, "host.name");
  EXPECT_EQ(match_of(parsed(R"(x == foo["a b"])")).value->raw, "foo.a b");
  EXPECT_EQ(match_of(parsed("x == true")).value->raw, "true");
  // Double quotes unescape as Go does; backticks keep everything but carriage returns.
  EXPECT_EQ(match_of(parsed(R"(x == "a\tb\u00e9\x41\101\\")")).value->raw, "a\tbéAA\\");
  EXPECT_EQ(match_of(parsed(R"(x == `a\nb`)")).value->raw, R"(a\nb)");
  EXPECT_EQ(match_of(parsed("x == `a\r\nb`")).value->raw, "a\nb");
  EXPECT_EQ(match_of(parsed(R"(x == "")")).value->raw, "");
}

TEST(ConsulFilterParse, AndBindsTighterThanOrAndNotTighterThanBoth) {
  const Expression mixed = parsed("a == 1 or b == 2 and c == 3");
  const Or& top = std::get<Or>(mixed.tree().kind);
  EXPECT_TRUE(std::holds_alternative<Match>(top.left->kind));
  EXPECT_TRUE(std::holds_alternative<And>(top.right->kind));

  const Expression negated = parsed("not a == 1 and b == 2");
  const And& both = std::get<And>(negated.tree().kind);
  EXPECT_TRUE(std::holds_alternative<Not>(both.left->kind));

  const Expression grouped = parsed("(a == 1 or b == 2) and c == 3");
  EXPECT_TRUE(std::holds_alternative<Or>(std::get<And>(grouped.tree().kind).left->kind));
}

TEST(ConsulFilterParse, DoubleNegationFoldsAway) {  // bexpr v0.1.2 grammar_test.go "Double Not"
  EXPECT_TRUE(std::holds_alternative<Match>(parsed("not not foo == 3").tree().kind));
  EXPECT_TRUE(std::holds_alternative<Match>(parsed("not (not foo == 3)").tree().kind));
  EXPECT_TRUE(std::holds_alternative<Not>(parsed("not not not foo == 3").tree().kind));
}

TEST(ConsulFilterParse, ManyParenthesesParse) {  // bexpr v0.1.2 grammar_test.go "Complex"
  const Expression complex = parsed(
      "(((foo == 3) and (not ((bar in baz) and (not (one != two))))) or (((next is empty) and "
      "(not (foo is not empty))) and (bar not in foo)))");
  EXPECT_TRUE(std::holds_alternative<Or>(complex.tree().kind));
}

// ---------------------------------------------------------------------------------------------
// Evaluation against JSON.

TEST(ConsulFilterEvaluate, EqualityOnStrings) {
  const json entry = health_entry();
  EXPECT_TRUE(matches("Service.Service == web", entry));
  EXPECT_TRUE(matches(R"(Service.Service == "web")", entry));
  EXPECT_FALSE(matches("Service.Service == api", entry));
  EXPECT_TRUE(matches("Service.Service != api", entry));
  EXPECT_FALSE(matches("Service.Service != web", entry));
  EXPECT_TRUE(matches(R"(Service.Address == "")", entry));
}

TEST(ConsulFilterEvaluate, InAndContainsOnStringsLookForASubstring) {  // evaluate_test.go "port in String"
  const json entry = health_entry();
  EXPECT_TRUE(matches("eb in Service.Service", entry));
  EXPECT_TRUE(matches(R"(Service.Service contains "we")", entry));
  EXPECT_FALSE(matches("Service.Service contains api", entry));
  EXPECT_TRUE(matches("api not in Service.Service", entry));
  EXPECT_FALSE(matches("Service.Service not contains eb", entry));
}

TEST(ConsulFilterEvaluate, InAndContainsOnListsLookForAnElement) {
  const json entry = health_entry();
  EXPECT_TRUE(matches(R"("primary" in Service.Tags)", entry));
  EXPECT_TRUE(matches("Service.Tags contains v2", entry));
  EXPECT_FALSE(matches("Service.Tags contains prim", entry));  // elements, not substrings
  EXPECT_TRUE(matches("canary not in Service.Tags", entry));
  EXPECT_FALSE(matches("Service.Tags not contains primary", entry));
  EXPECT_TRUE(matches("2 in Ports", json{{"Ports", {1, 2, 3}}}));
  EXPECT_TRUE(matches("Service.Tags is not empty", entry));
  EXPECT_FALSE(matches("Service.Tags is empty", entry));
}

TEST(ConsulFilterEvaluate, InAndContainsOnObjectsTestTheKeys) {  // evaluate_test.go "Nested.Map contains foo"
  const json entry = health_entry();
  EXPECT_TRUE(matches("env in Service.Meta", entry));
  EXPECT_TRUE(matches("Service.Meta contains version and Service.Meta contains env", entry));
  EXPECT_FALSE(matches("prod in Service.Meta", entry));  // a value, not a key
  EXPECT_TRUE(matches("Service.Meta is not empty", entry));
  EXPECT_TRUE(matches("Meta is empty", json{{"Meta", json::object()}}));
}

TEST(ConsulFilterEvaluate, MapValuesByDotOrIndex) {
  const json entry = health_entry();
  EXPECT_TRUE(matches("Service.Meta.env == prod", entry));
  EXPECT_TRUE(matches(R"(Service.Meta["env"] == "prod")", entry));
  EXPECT_TRUE(matches(R"(Node.TaggedAddresses["lan"] == "10.0.0.1")", entry));
  EXPECT_TRUE(matches("Service.Meta.env contains ro", entry));
  EXPECT_TRUE(matches(R"(Meta["a.b-c"] == x)", json{{"Meta", {{"a.b-c", "x"}}}}));
}

TEST(ConsulFilterEvaluate, AMissingKeyDecidesByOperatorAsBexprsMissingMapKeyDoes) {
  const json entry = health_entry();
  EXPECT_FALSE(matches("Service.Meta.missing == x", entry));
  EXPECT_TRUE(matches("Service.Meta.missing != x", entry));
  EXPECT_FALSE(matches("x in Service.Meta.missing", entry));
  EXPECT_TRUE(matches("x not in Service.Meta.missing", entry));
  // Consul's maps hold strings, and bexpr has no emptiness test for strings: refused (checked
  // against real bexpr v0.1.2 with Consul-shaped types).
  EXPECT_EQ(evaluation_error("Service.Meta.missing is empty", entry),
            R"(Invalid match operator "Is Empty" for selector "Service.Meta.missing")");
  EXPECT_EQ(evaluation_error("Service.Meta.missing is not empty", entry),
            R"(Invalid match operator "Is Not Empty" for selector "Service.Meta.missing")");
  EXPECT_TRUE(matches("Service.Meta.missing not matches x", entry));
  // v0.1.2 answers true for `matches` on a missing key too (later bexpr: false). Kept.
  EXPECT_TRUE(matches("Service.Meta.missing matches x", entry));
  // The fake cannot tell a misspelled struct field from a missing map key; Consul refuses the
  // former when it creates the evaluator ("Selector \"Service.Servic\" is not valid").
  EXPECT_FALSE(matches("Service.Servic == web", entry));
  EXPECT_TRUE(matches("Service.Servic != web", entry));
}

TEST(ConsulFilterEvaluate, NullDecidesLikeAMissingKey) {
  const json entry = health_entry();
  EXPECT_TRUE(matches("Service.Proxy is empty", entry));
  EXPECT_FALSE(matches("Service.Proxy.DestinationServiceName == web", entry));
  EXPECT_TRUE(matches("TaggedAddresses is empty", json{{"TaggedAddresses", nullptr}}));
  EXPECT_FALSE(matches("lan in TaggedAddresses", json{{"TaggedAddresses", nullptr}}));
}

TEST(ConsulFilterEvaluate, CrossingAListMatchesWhenAnyElementDoes) {
  const json entry = health_entry();  // one passing check, one critical
  EXPECT_TRUE(matches("Checks.Status == passing", entry));
  EXPECT_TRUE(matches("Checks.Status == critical", entry));
  EXPECT_FALSE(matches("Checks.Status == warning", entry));
  EXPECT_TRUE(matches("Checks.Status != passing", entry));  // some check is not passing
  EXPECT_TRUE(matches("Checks.ServiceTags contains v2", entry));
  EXPECT_TRUE(matches("Checks.CheckID matches \"^service:\"", entry));
  // "every check passing" is Consul's own idiom, `not Checks.Status != passing` (agent/xds).
  EXPECT_FALSE(matches("not Checks.Status != passing", entry));
  json healthy = entry;
  healthy["Checks"][1]["Status"] = "passing";
  EXPECT_TRUE(matches("not Checks.Status != passing", healthy));
}

TEST(ConsulFilterEvaluate, AnEmptyListMatchesNothingWhateverTheOperator) {
  json entry = health_entry();
  entry["Checks"] = json::array();
  EXPECT_FALSE(matches("Checks.Status == passing", entry));
  EXPECT_FALSE(matches("Checks.Status != passing", entry));
  EXPECT_FALSE(matches("Checks.Status is empty", entry));
  EXPECT_TRUE(matches("not Checks.Status != passing", entry));
  EXPECT_TRUE(matches("Checks is empty", entry));
}

TEST(ConsulFilterEvaluate, NumbersCoerceTheValueWithGosParseInt) {
  const json entry = health_entry();
  EXPECT_TRUE(matches("Service.Port == 8080", entry));
  EXPECT_TRUE(matches(R"(Service.Port == "8080")", entry));
  EXPECT_TRUE(matches(R"(Service.Port == "0x1F90")", entry));  // base 0: prefixes and
  EXPECT_TRUE(matches(R"(Service.Port == "8_080")", entry));   // underscores
  EXPECT_TRUE(matches(R"(Service.Port == "017620")", entry));  // a leading 0 is octal
  EXPECT_FALSE(matches("Service.Port == 80", entry));
  EXPECT_TRUE(matches("Service.Port != 80", entry));
  EXPECT_TRUE(matches("Service.Weights.Passing == 1", entry));
  EXPECT_TRUE(matches("Offset == -5", json{{"Offset", -5}}));
  // Above int64 only a Go uint64 fits, coerced with ParseUint.
  EXPECT_TRUE(matches("Index == 18446744073709551615", json{{"Index", 18446744073709551615ull}}));
  EXPECT_EQ(evaluation_error("Index == -1", json{{"Index", 18446744073709551615ull}}),
            R"(Failed to coerce value "-1" for selector "Index": strconv.ParseUint: parsing "-1": invalid syntax)");
  EXPECT_TRUE(matches("Ratio == 1.5", json{{"Ratio", 1.5}}));
  EXPECT_TRUE(matches("Ratio == 1.50", json{{"Ratio", 1.5}}));
  EXPECT_TRUE(matches("Ratio != 2", json{{"Ratio", 1.5}}));
}

TEST(ConsulFilterEvaluate, BooleansCoerceTheValueWithGosParseBool) {
  const json entry = health_entry();
  EXPECT_TRUE(matches("Service.EnableTagOverride == false", entry));
  EXPECT_FALSE(matches("Service.EnableTagOverride == true", entry));
  EXPECT_TRUE(matches("Service.EnableTagOverride == F", entry));
  EXPECT_TRUE(matches("Service.EnableTagOverride != 1", entry));
}

TEST(ConsulFilterEvaluate, ValuesThatDoNotCoerceAreRefusedWithBexprsMessage) {
  const json entry = health_entry();
  EXPECT_EQ(evaluation_error("Service.Port == abc", entry),
            R"(Failed to coerce value "abc" for selector "Service.Port": strconv.ParseInt: parsing "abc": invalid syntax)");
  EXPECT_EQ(evaluation_error("Service.Port == 99999999999999999999", entry),
            R"(Failed to coerce value "99999999999999999999" for selector "Service.Port": )"
            R"(strconv.ParseInt: parsing "99999999999999999999": value out of range)");
  EXPECT_EQ(evaluation_error("Service.EnableTagOverride == yes", entry),
            R"(Failed to coerce value "yes" for selector "Service.EnableTagOverride": )"
            R"(strconv.ParseBool: parsing "yes": invalid syntax)");
  EXPECT_EQ(evaluation_error("Ratio == x", json{{"Ratio", 1.5}}),
            R"(Failed to coerce value "x" for selector "Ratio": strconv.ParseFloat: parsing "x": invalid syntax)");
  EXPECT_EQ(evaluation_error("x in Ports", json{{"Ports", {1, 2}}}),
            R"(Failed to coerce value "x" for selector "Ports": strconv.ParseInt: parsing "x": invalid syntax)");
}

TEST(ConsulFilterEvaluate, OperatorsATypeDoesNotSupportAreRefusedWithBexprsMessage) {
  const json entry = health_entry();
  // v0.1.2 has no emptiness test on strings, only ==, !=, in, not in, matches, not matches.
  EXPECT_EQ(evaluation_error("Service.Address is empty", entry),
            R"(Invalid match operator "Is Empty" for selector "Service.Address")");
  EXPECT_EQ(evaluation_error("Service.Tags == primary", entry),
            R"(Invalid match operator "Equal" for selector "Service.Tags")");
  EXPECT_EQ(evaluation_error(R"(Service.Tags matches "^p")", entry),
            R"(Invalid match operator "Matches" for selector "Service.Tags")");
  EXPECT_EQ(evaluation_error("x in Checks", entry), R"(Invalid match operator "In" for selector "Checks")");
  EXPECT_EQ(evaluation_error("Service.Port contains 8", entry),
            R"(Invalid match operator "In" for selector "Service.Port")");
  EXPECT_EQ(evaluation_error("Service.Port is not empty", entry),
            R"(Invalid match operator "Is Not Empty" for selector "Service.Port")");
  EXPECT_EQ(evaluation_error("Service.Meta == x", entry), R"(Invalid match operator "Equal" for selector "Service.Meta")");
}

TEST(ConsulFilterEvaluate, SelectingIntoAScalarIsAnInvalidSelector) {  // evaluate_test.go "foo.bar.baz == 3"
  const json entry = health_entry();
  EXPECT_EQ(evaluation_error("Service.Port.x == 1", entry), R"(Selector "Service.Port.x" is not valid)");
  EXPECT_EQ(evaluation_error("Service.Tags.x == 1", entry), R"(Selector "Service.Tags.x" is not valid)");
}

TEST(ConsulFilterEvaluate, EveryMatchIsCheckedSoAFaultIsNotHiddenByShortCircuit) {
  // Consul validates the whole tree before evaluating anything.
  EXPECT_EQ(evaluation_error("Service.Service == web or Service.Port == abc", health_entry()),
            R"(Failed to coerce value "abc" for selector "Service.Port": strconv.ParseInt: parsing "abc": invalid syntax)");
}

TEST(ConsulFilterEvaluate, RegularExpressionsSearchAnywhereInTheValue) {
  const json entry = health_entry();
  EXPECT_TRUE(matches(R"(Service.Service matches "^w.b$")", entry));
  EXPECT_TRUE(matches(R"(Service.Service matches "e")", entry));
  EXPECT_TRUE(matches(R"(Service.Service not matches "^api")", entry));
  EXPECT_FALSE(matches(R"(Service.Service not matches "^we")", entry));
  EXPECT_TRUE(matches(R"(Service.Service matches "(?i)^WEB$")", entry));
  EXPECT_TRUE(matches("Service.ID matches `^web-[0-9]+$`", entry));
  EXPECT_TRUE(matches(R"(Service.Meta.version matches "\\d")", entry));
}

TEST(ConsulFilterEvaluate, LogicalOperatorsAndPrecedence) {
  const json flags = {{"A", "1"}, {"B", "0"}, {"C", "0"}};
  EXPECT_TRUE(matches("A == 1 or B == 1 and C == 1", flags));     // A or (B and C)
  EXPECT_FALSE(matches("(A == 1 or B == 1) and C == 1", flags));  // grouping overrides
  EXPECT_TRUE(matches("not A == 1 or B == 0", flags));            // (not A) or B
  EXPECT_FALSE(matches("not (A == 1 or B == 0)", flags));
  EXPECT_TRUE(matches("not B == 1 and not C == 1", flags));
}

TEST(ConsulFilterEvaluate, DocumentedPrecedenceEquivalence) {  // filtering.mdx, "Connecting Expressions"
  for (int bits = 0; bits < 8; ++bits) {
    const json element = {{"E1", (bits & 1) ? "t" : "f"}, {"E2", (bits & 2) ? "t" : "f"}, {"E3", (bits & 4) ? "t" : "f"}};
    EXPECT_EQ(matches("E1 == t and not E2 == t or E3 == t", element),
              matches("( E1 == t and (not E2 == t )) or E3 == t", element))
        << bits;
  }
}

// ---------------------------------------------------------------------------------------------
// Regular expressions: Go's syntax and messages on std::regex.

TEST(ConsulFilterRegex, CompileErrorsAreParseErrorsWithGosText) {
  EXPECT_EQ(error_text(R"(Service.Service matches "(")"),
            "Failed to compile regular expression \"(\": error parsing regexp: missing closing ): `(`");
  const ParseError unbalanced = parse_error(R"x(Service.Service matches "a)")x");
  EXPECT_EQ(unbalanced.message, "Failed to compile regular expression \"a)\": error parsing regexp: unexpected ): `a)`");
  EXPECT_EQ(unbalanced.position, 24u);  // where the value starts
  EXPECT_EQ(error_text(R"(x matches "*")"),
            "Failed to compile regular expression \"*\": error parsing regexp: missing argument to repetition operator: `*`");
  EXPECT_EQ(error_text(R"(x matches "a**")"),
            "Failed to compile regular expression \"a**\": error parsing regexp: invalid nested repetition operator: `**`");
  EXPECT_EQ(error_text(R"(x matches "[a")"),
            "Failed to compile regular expression \"[a\": error parsing regexp: missing closing ]: `[a`");
  EXPECT_EQ(error_text("x matches `a\\`"),
            "Failed to compile regular expression \"a\\\\\": error parsing regexp: trailing backslash at end of expression: ``");
  EXPECT_EQ(error_text("x matches `a{1001}`"),
            "Failed to compile regular expression \"a{1001}\": error parsing regexp: invalid repeat count: `{1001}`");
}

TEST(ConsulFilterRegex, ErrorFragmentsAsGoNamesThem) {  // checked against Go 1.19's regexp
  auto error = [](std::string_view pattern) {
    auto compiled = GoRegex::compile(pattern);
    return std::holds_alternative<std::string>(compiled) ? std::get<std::string>(compiled) : std::string("compiled");
  };
  EXPECT_EQ(error("[z-a]"), "error parsing regexp: invalid character class range: `z-a`");
  EXPECT_EQ(error("[a-\\d]"), "error parsing regexp: invalid escape sequence: `\\d`");
  EXPECT_EQ(error("\\x{110000}"), "error parsing regexp: invalid escape sequence: `\\x{110000`");
  EXPECT_EQ(error("\\x{}"), "error parsing regexp: invalid escape sequence: `\\x{}`");
  EXPECT_EQ(error("[[:foo:]]"), "error parsing regexp: invalid character class range: `[:foo:]`");
  EXPECT_EQ(error("[a\\"), "error parsing regexp: trailing backslash at end of expression: ``");
  EXPECT_EQ(error("a*+"), "error parsing regexp: invalid nested repetition operator: `*+`");
  EXPECT_EQ(error("a{2}{3}"), "error parsing regexp: invalid nested repetition operator: `{2}{3}`");
  EXPECT_EQ(error("(?P<a-b>x)"), "error parsing regexp: invalid named capture: `(?P<a-b>`");
  EXPECT_EQ(error("\\8"), "error parsing regexp: invalid escape sequence: `\\8`");
  EXPECT_EQ(error("[\\d-z]"), "compiled");  // '-' after a class is a literal
  EXPECT_EQ(error("^*"), "compiled");         // Go repeats anchors
}

TEST(ConsulFilterRegex, WhatECMAScriptAllowsAndGoDoesNotIsRefused) {
  EXPECT_EQ(error_text("x matches `(a)\\1`"),
            "Failed to compile regular expression \"(a)\\\\1\": error parsing regexp: invalid escape sequence: `\\1`");
  EXPECT_EQ(error_text("x matches `a(?=b)`"),
            "Failed to compile regular expression \"a(?=b)\": error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
  EXPECT_EQ(error_text("x matches `\\cA`"),
            "Failed to compile regular expression \"\\\\cA\": error parsing regexp: invalid escape sequence: `\\c`");
}

TEST(ConsulFilterRegex, GoSemanticsKeptByTranslation) {
  auto search = [](std::string_view pattern, std::string_view subject) {
    auto compiled = GoRegex::compile(pattern);
    if (auto* error = std::get_if<std::string>(&compiled)) {
      ADD_FAILURE() << pattern << " -> " << *error;
      return false;
    }
    return std::get<std::shared_ptr<const GoRegex>>(compiled)->search(subject);
  };
  EXPECT_FALSE(search("a.b", "a\nb"));  // '.' stops at newlines only
  EXPECT_TRUE(search("a.b", "a\rb"));
  EXPECT_TRUE(search("(?s)a.b", "a\nb"));
  EXPECT_TRUE(search("[]a]", "]"));  // ']' first in a class is a literal
  EXPECT_TRUE(search("a{", "xa{y"));  // '{' that is no repeat count is a literal
  EXPECT_TRUE(search("a{2}", "aa"));
  EXPECT_TRUE(search("\\Qa.b\\E", "a.b"));
  EXPECT_FALSE(search("\\Qa.b\\E", "axb"));
  EXPECT_TRUE(search("\\x{41}\\x42\\103", "ABC"));
  EXPECT_TRUE(search("(?P<name>web)-(?<n>[0-9])", "web-1"));
  EXPECT_TRUE(search("\\Aweb\\z", "web"));
  EXPECT_FALSE(search("\\Aweb\\z", "web\n"));
  EXPECT_TRUE(search("[[:word:]]+[[:alpha:]]", "a_b"));
  EXPECT_TRUE(search("a|", "zzz"));
  EXPECT_TRUE(search("é+", "éé"));  // a repetition applies to the whole character
  EXPECT_TRUE(search("^*\\b*x$+", "x"));  // Go repeats anchors; ECMAScript needs them grouped
  EXPECT_TRUE(search("[\\d-z]", "-"));
  EXPECT_FALSE(search("[\\d-z]", "m"));
  EXPECT_TRUE(search("[a-c-e]", "-"));
}

TEST(ConsulFilterRegex, KnownDeviationsFromGo) {
  // std::regex matches bytes: Go's "^.$" matches "é" (one rune), the fake's does not.
  auto compiled = GoRegex::compile("^.$");
  EXPECT_FALSE(std::get<std::shared_ptr<const GoRegex>>(compiled)->search("é"));
  // Accepted by Go, refused by the fake: Unicode classes, flags after the start, non-ASCII in a class.
  for (std::string_view pattern : {"\\pL", "a(?i)b", "(?m)^a", "[é]", "[[:^alpha:]]"}) {
    auto refused = GoRegex::compile(pattern);
    ASSERT_TRUE(std::holds_alternative<std::string>(refused)) << pattern;
    EXPECT_NE(std::get<std::string>(refused).find("unsupported by baton (std::regex)"), std::string::npos) << pattern;
  }
}

// ---------------------------------------------------------------------------------------------
// Filtering whole responses, with Consul's documented examples (filtering.mdx).

TEST(ConsulFilterDocs, AgentServicesByMeta) {
  const json services = json::parse(R"({
    "redis1": {"ID": "redis1", "Service": "redis", "Tags": ["primary", "production"],
               "Meta": {"env": "production", "foo": "bar"}, "Port": 1234, "Address": "",
               "Weights": {"Passing": 1, "Warning": 1}, "EnableTagOverride": false},
    "redis2": {"ID": "redis2", "Service": "redis", "Tags": ["secondary", "production"],
               "Meta": {"env": "production", "foo": "bar"}, "Port": 1235, "Address": "",
               "Weights": {"Passing": 1, "Warning": 1}, "EnableTagOverride": false},
    "redis3": {"ID": "redis3", "Service": "redis", "Tags": ["primary", "qa"],
               "Meta": {"env": "qa"}, "Port": 1234, "Address": "",
               "Weights": {"Passing": 1, "Warning": 1}, "EnableTagOverride": false}
  })");
  const auto kept = parsed(R"(Meta.env == "qa")").filter(services);
  ASSERT_TRUE(std::holds_alternative<json>(kept));
  EXPECT_EQ(std::get<json>(kept), (json{{"redis3", services["redis3"]}}));
  // More on the same data: tags, ports, and a missing Meta key.
  EXPECT_EQ(std::get<json>(parsed("primary in Tags and Port == 1234").filter(services)).size(), 2u);
  EXPECT_EQ(std::get<json>(parsed("Meta.foo != bar").filter(services)), (json{{"redis3", services["redis3"]}}));
}

TEST(ConsulFilterDocs, CatalogServiceByNodeMeta) {
  const json nodes = json::parse(R"([
    {"ID": "b4f64e8c", "Node": "node-1", "Address": "198.18.0.1", "Datacenter": "dc1", "TaggedAddresses": null,
     "NodeMeta": {"agent": "true", "arch": "i386", "os": "darwin"}, "ServiceKind": "", "ServiceID": "api-internal",
     "ServiceName": "api-internal", "ServiceTags": ["tag"], "ServiceAddress": "",
     "ServiceWeights": {"Passing": 1, "Warning": 1}, "ServiceMeta": {"environment": "qa"}, "ServicePort": 9090,
     "ServiceEnableTagOverride": false, "ServiceProxy": {}, "ServiceConnect": {}, "CreateIndex": 30, "ModifyIndex": 30},
    {"ID": "b4faf93a", "Node": "node-2", "Address": "198.18.0.2", "Datacenter": "dc1", "TaggedAddresses": null,
     "NodeMeta": {"arch": "arm", "os": "linux"}, "ServiceKind": "", "ServiceID": "api-internal",
     "ServiceName": "api-internal", "ServiceTags": ["test", "tag"], "ServiceAddress": "",
     "ServiceWeights": {"Passing": 1, "Warning": 1}, "ServiceMeta": {"environment": "production"}, "ServicePort": 9090,
     "ServiceEnableTagOverride": false, "ServiceProxy": {}, "ServiceConnect": {}, "CreateIndex": 29, "ModifyIndex": 29},
    {"ID": "b4fbe7f4", "Node": "node-4", "Address": "198.18.0.4", "Datacenter": "dc1", "TaggedAddresses": null,
     "NodeMeta": {"arch": "i386", "os": "freebsd"}, "ServiceKind": "", "ServiceID": "api-internal",
     "ServiceName": "api-internal", "ServiceTags": [], "ServiceAddress": "",
     "ServiceWeights": {"Passing": 1, "Warning": 1}, "ServiceMeta": {"environment": "qa"}, "ServicePort": 9090,
     "ServiceEnableTagOverride": false, "ServiceProxy": {}, "ServiceConnect": {}, "CreateIndex": 28, "ModifyIndex": 28}
  ])");
  const auto linux_only = parsed(R"(NodeMeta.os == "linux")").filter(nodes);
  ASSERT_TRUE(std::holds_alternative<json>(linux_only));
  EXPECT_EQ(std::get<json>(linux_only), json::array({nodes[1]}));
  // The selector table's examples for this endpoint: ServiceMeta.foo and ServiceMeta["foo"].
  EXPECT_EQ(std::get<json>(parsed("ServiceMeta.environment == qa").filter(nodes)), json::array({nodes[0], nodes[2]}));
  EXPECT_EQ(std::get<json>(parsed(R"(ServiceMeta["environment"] == qa)").filter(nodes)),
            json::array({nodes[0], nodes[2]}));
  EXPECT_EQ(std::get<json>(parsed("ServiceTags is empty").filter(nodes)), json::array({nodes[2]}));
  EXPECT_EQ(std::get<json>(parsed("TaggedAddresses is empty").filter(nodes)).size(), 3u);
}

TEST(ConsulFilterDocs, HealthNodeChecksByServiceName) {
  const json checks = json::parse(R"([
    {"Node": "node-1", "CheckID": "node-health", "Name": "Node level check", "Status": "critical", "Notes": "",
     "Output": "", "ServiceID": "", "ServiceName": "", "ServiceTags": [], "Definition": {}, "CreateIndex": 13,
     "ModifyIndex": 13},
    {"Node": "node-1", "CheckID": "svc-web-health", "Name": "Service level check - web", "Status": "warning",
     "Notes": "", "Output": "", "ServiceID": "", "ServiceName": "web", "ServiceTags": [], "Definition": {},
     "CreateIndex": 18, "ModifyIndex": 18}
  ])");
  const auto kept = parsed(R"(ServiceName != "")").filter(checks);
  ASSERT_TRUE(std::holds_alternative<json>(kept));
  EXPECT_EQ(std::get<json>(kept), json::array({checks[1]}));
}

TEST(ConsulFilterDocs, FilteringFailsWholeWhenConsulWouldRefuseTheFilter) {
  const json entries = json::array({health_entry(), health_entry()});
  const auto refused = parsed("Service.Port == abc").filter(entries);
  ASSERT_TRUE(std::holds_alternative<EvaluationError>(refused));
  EXPECT_EQ(evaluator_error_text(std::get<EvaluationError>(refused).message),
            "Failed to create boolean expression evaluator: Failed to coerce value \"abc\" for selector "
            "\"Service.Port\": strconv.ParseInt: parsing \"abc\": invalid syntax");
  const auto not_a_collection = parsed("a == 1").filter(json("text"));
  ASSERT_TRUE(std::holds_alternative<EvaluationError>(not_a_collection));
  EXPECT_EQ(std::get<EvaluationError>(not_a_collection).message, "Only slices, arrays and maps are filterable");
  EXPECT_EQ(std::get<json>(parsed("a == 1").filter(json::array())), json::array());
}

TEST(ConsulFilterDocs, ErrorBodyForABadFilter) {
  // Consul answers HTTP 500 with this body (via a client agent: "rpc error making call: " first).
  EXPECT_EQ(evaluator_error_text(error_text("foo")),
            "Failed to create boolean expression evaluator: 1:4 (3): no match found, expected: \"!=\", \".\", "
            "\"==\", \"[\", [ \\t\\r\\n] or [a-zA-Z0-9_]");
}

TEST(ConsulFilterExpression, KeepsItsTextAndCopiesCheaply) {
  const Expression original = parsed("Service.Tags contains web");
  const Expression copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.text(), "Service.Tags contains web");
  EXPECT_EQ(&copy.tree(), &original.tree());
}

// ---------------------------------------------------------------------------------------------
// Go's strconv, as the messages need it.

TEST(GoStrconv, QuoteEscapesAsPercentQ) {
  EXPECT_EQ(go_quote("Service.Port"), "\"Service.Port\"");
  EXPECT_EQ(go_quote("a\"b\\c\n\t\x01\x7f"), R"("a\"b\\c\n\t\x01\x7f")");
  EXPECT_EQ(go_quote("é\xff"), "\"é\\xff\"");
  EXPECT_EQ(go_quote("\xc2\xa0"), R"("\u00a0")");
}

TEST(GoStrconv, ParseIntBaseZero) {
  auto value = [](std::string_view text) { return std::get<std::int64_t>(go_parse_int(text)); };
  auto error = [](std::string_view text) { return std::get<NumError>(go_parse_int(text)).text; };
  EXPECT_EQ(value("42"), 42);
  EXPECT_EQ(value("-42"), -42);
  EXPECT_EQ(value("+7"), 7);
  EXPECT_EQ(value("0"), 0);
  EXPECT_EQ(value("0x1F"), 31);
  EXPECT_EQ(value("0o17"), 15);
  EXPECT_EQ(value("0b101"), 5);
  EXPECT_EQ(value("017"), 15);
  EXPECT_EQ(value("1_000"), 1000);
  EXPECT_EQ(value("0x_1f"), 31);
  EXPECT_EQ(value("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(error("9223372036854775808"), R"(strconv.ParseInt: parsing "9223372036854775808": value out of range)");
  EXPECT_EQ(error(""), R"(strconv.ParseInt: parsing "": invalid syntax)");
  EXPECT_EQ(error("08"), R"(strconv.ParseInt: parsing "08": invalid syntax)");
  EXPECT_EQ(error("1__0"), R"(strconv.ParseInt: parsing "1__0": invalid syntax)");
  EXPECT_EQ(error("_1"), R"(strconv.ParseInt: parsing "_1": invalid syntax)");
  EXPECT_EQ(error("1.5"), R"(strconv.ParseInt: parsing "1.5": invalid syntax)");
}

TEST(GoStrconv, ParseBoolAndFloat) {
  for (std::string_view yes : {"1", "t", "T", "TRUE", "true", "True"}) EXPECT_TRUE(std::get<bool>(go_parse_bool(yes)));
  for (std::string_view no : {"0", "f", "F", "FALSE", "false", "False"}) EXPECT_FALSE(std::get<bool>(go_parse_bool(no)));
  EXPECT_EQ(std::get<NumError>(go_parse_bool("tRuE")).text, R"(strconv.ParseBool: parsing "tRuE": invalid syntax)");
  EXPECT_EQ(std::get<double>(go_parse_float("1e3")), 1000.0);
  EXPECT_EQ(std::get<double>(go_parse_float(".5")), 0.5);
  EXPECT_EQ(std::get<double>(go_parse_float("-Inf")), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(std::get<NumError>(go_parse_float("1e")).text, R"(strconv.ParseFloat: parsing "1e": invalid syntax)");
  EXPECT_EQ(std::get<NumError>(go_parse_float("1e999")).text, R"(strconv.ParseFloat: parsing "1e999": value out of range)");
}

TEST(GoStrconv, UnquoteAsGo) {
  EXPECT_EQ(go_unquote(R"("a\x41\u00e9\U0001F600")"), "aAé\xF0\x9F\x98\x80");
  EXPECT_EQ(go_unquote("`a\\n\r`"), "a\\n");
  EXPECT_FALSE(go_unquote(R"("\ud800")"));  // a surrogate is not a rune
  EXPECT_FALSE(go_unquote(R"("\x4")"));
}

}  // namespace
}  // namespace baton::fakes::consul::filter
