// The Go behaviours CTS's messages and conversions come from, each ported into
// engine/config/cts and checked here on cases whose expected text Go itself produced (Go's
// regexp, strconv, time, net/url and fmt; hashicorp/cronexpr v1.1.1; hashicorp/go-version).
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "engine/config/cts/cron_expression.hpp"
#include "engine/config/cts/go_parse_duration.hpp"
#include "engine/config/cts/go_path.hpp"
#include "engine/config/cts/go_regexp_syntax.hpp"
#include "engine/config/cts/go_semver.hpp"
#include "engine/config/cts/go_strconv.hpp"
#include "engine/config/cts/go_text.hpp"
#include "engine/config/cts/go_url.hpp"

namespace baton::config::cts {
namespace {

struct Case {
  std::string input;
  std::string expected;  // "OK" or Go's message
};

template <class Check>
void expect_all(const std::vector<Case>& cases, Check check) {
  for (const Case& c : cases) EXPECT_EQ(check(c.input), c.expected) << "input: " << c.input;
}

TEST(GoRegexpSyntax, ErrorsAsRegexpCompileGivesThem) {
  expect_all(
      {
          {"^web(-[0-9]+)?$", "OK"},
          {"[\\d-z]", "OK"},
          {"(?i)web|api", "OK"},
          {"(?P<name>a)\\p{Greek}\\pL[[:alpha:]]\\x{263a}\\Qa*\\E", "OK"},
          {"(?i)\\p{Greek}(?i-)?", "error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`"},
          {"\\q\\12+((", "error parsing regexp: invalid escape sequence: `\\q`"},
          {"\\1", "error parsing regexp: invalid escape sequence: `\\1`"},
          {"(\\pXa**", "error parsing regexp: invalid character class range: `\\pX`"},
          {"*?", "error parsing regexp: missing argument to repetition operator: `*?`"},
          {"{01}[:alpha:](?P<1a>{3,2}", "error parsing regexp: invalid repeat count: `{3,2}`"},
          {"a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"},
          {"(a{10}){200}", "error parsing regexp: invalid repeat count: `{200}`"},
          {"a***?(a{10}){200}", "error parsing regexp: invalid nested repetition operator: `**`"},
          {"(\\-", "error parsing regexp: missing closing ): `(\\-`"},
          {")$\\x41-", "error parsing regexp: unexpected ): `)$\\x41-`"},
          {"(?P<1a>\\p{Greek}[a-](?P<>", "error parsing regexp: invalid named capture: `(?P<>`"},
          {"[^(?-i)", "error parsing regexp: missing closing ]: `[^(?-i)`"},
          {"[z-a]", "error parsing regexp: invalid character class range: `z-a`"},
          {"[[:foo:]]", "error parsing regexp: invalid character class range: `[:foo:]`"},
          {"\\", "error parsing regexp: trailing backslash at end of expression: ``"},
          {"\\C", "error parsing regexp: invalid escape sequence: `\\C`"},
          {"a\xff", "error parsing regexp: invalid UTF-8: `\xff`"},
      },
      [](const std::string& s) { return go_regexp_syntax_error(s).value_or("OK"); });
}

TEST(CronExpression, ParseAsCronexprDoes) {
  expect_all(
      {
          {"*/5 * * * *", "OK"},
          {"0 3 * * mon-fri", "OK"},
          {"@weekly mar-dec/2 @yearly 1970", "OK"},
          {"0 0 L * ?", "OK"},
          {"0 0 15W * 5#3", "OK"},
          {"* * *", "missing field(s)"},
          {"61 * * * *", "syntax error in minute field: '61'"},
          {"5#6 ? 31 sun-sat 1,2 @daily", "syntax error in second field: '5#6'"},
          {"@hourlymar-dec/2 2099 1- ,32 mon", "syntax error in year field: '*mar-dec/2'"},
          {"JAN 59 */5 @daily", "syntax error in second field: 'JAN'"},
          {"1,2 @weekly5L 12 5#600 31", "syntax error in day-of-month field: '0'"},
          {"0 */0 @annually L 00", "invalid interval */0"},
          {"*/60 * * * *", "invalid interval */60"},
          {"0 0 * * 8", "syntax error in day-of-week field: '8'"},
          {", * * * *", "minute field: missing directive"},
      },
      [](const std::string& s) { return cron_syntax_error(s).value_or("OK"); });
}

TEST(GoParseDuration, ValuesAndMessages) {
  expect_all(
      {
          {"0", "OK 0"},
          {".5s", "OK 500000000"},
          {"5.s", "OK 5000000000"},
          {"+1\xce\xbcs", "OK 1000"},
          {"1h2m3.456789s", "OK 3723456789000"},
          {"-2s", "OK -2000000000"},
          {"2562047h", "OK 9223369200000000000"},
          {"2562048h", "time: invalid duration \"2562048h\""},
          {".s", "time: invalid duration \".s\""},
          {"", "time: invalid duration \"\""},
          {"1e3s", "time: unknown unit \"e\" in duration \"1e3s\""},
          {"5", "time: missing unit in duration \"5\""},
          {"1s2", "time: missing unit in duration \"1s2\""},
          {"\xc3\xa9", "time: invalid duration \"\\xc3\\xa9\""},
          {"1s\xc3\xa9", "time: unknown unit \"s\\xc3\\xa9\" in duration \"1s\\xc3\\xa9\""},
      },
      [](const std::string& s) {
        const auto parsed = go_parse_duration(s);
        if (const auto* error = std::get_if<std::string>(&parsed)) return *error;
        return "OK " + std::to_string(std::get<Duration>(parsed).count());
      });
}

TEST(GoStrconv, ParseIntBaseZero) {
  expect_all(
      {
          {"1_000", "OK 1000"},
          {"0o17", "OK 15"},
          {"017", "OK 15"},
          {"0b101", "OK 5"},
          {"0x1F", "OK 31"},
          {"-9223372036854775808", "OK -9223372036854775808"},
          {"-9223372036854775809", "strconv.ParseInt: parsing \"-9223372036854775809\": value out of range"},
          {"9223372036854775808", "strconv.ParseInt: parsing \"9223372036854775808\": value out of range"},
          {"0x", "strconv.ParseInt: parsing \"0x\": invalid syntax"},
          {"09", "strconv.ParseInt: parsing \"09\": invalid syntax"},
          {"1__0", "strconv.ParseInt: parsing \"1__0\": invalid syntax"},
          {" 1", "strconv.ParseInt: parsing \" 1\": invalid syntax"},
          {"", "strconv.ParseInt: parsing \"\": invalid syntax"},
      },
      [](const std::string& s) {
        const auto parsed = go_parse_int(s);
        if (const auto* error = std::get_if<std::string>(&parsed)) return *error;
        return "OK " + std::to_string(std::get<std::int64_t>(parsed));
      });
  EXPECT_EQ(std::get<bool>(go_parse_bool("T")), true);
  EXPECT_EQ(std::get<std::string>(go_parse_bool("yes")), "strconv.ParseBool: parsing \"yes\": invalid syntax");
}

TEST(GoUrl, ParseRequestUriErrors) {
  expect_all(
      {
          {"http://cts:8558/v1/health", "OK"},
          {"http:opaque", "OK"},
          {"http://\x7f", "parse \"http://\\x7f\": net/url: invalid control character in URL"},
          {"http://host:port", "parse \"http://host:port\": invalid port \":port\" after host"},
          {"http://[::1]x", "parse \"http://[::1]x\": invalid port \"x\" after host"},
          {"http://[::1", "parse \"http://[::1\": missing ']' in host"},
          {"httpx", "parse \"httpx\": invalid URI for request"},
          {"http://h/%zz", "parse \"http://h/%zz\": invalid URL escape \"%zz\""},
          {"http://h/%2", "parse \"http://h/%2\": invalid URL escape \"%2\""},
          {"http://h%41", "parse \"http://h%41\": invalid URL escape \"%41\""},
          {"http://us er@h", "parse \"http://us er@h\": net/url: invalid userinfo"},
          {"http://h#frag", "parse \"http://h#frag\": invalid character \"#\" in host name"},
      },
      [](const std::string& s) { return go_parse_request_uri_error(s).value_or("OK"); });
}

TEST(GoText, QuoteAndFloats) {
  EXPECT_EQ(go_quote("a\"b\xe2\x80\x8b"), "\"a\\\"b\\u200b\"");
  EXPECT_EQ(go_quote("\xc3\xa9\\\n\t\r\a\b\f\v"), "\"\xc3\xa9\\\\\\n\\t\\r\\a\\b\\f\\v\"");
  EXPECT_EQ(go_quote("\x7f\xff\xf0\x9f\x98\x80"), "\"\\x7f\\xff\xf0\x9f\x98\x80\"");
  EXPECT_EQ(go_format_float_g(1e6), "1e+06");
  EXPECT_EQ(go_format_float_g(123456), "123456");
  EXPECT_EQ(go_format_float_g(1234567), "1.234567e+06");
  EXPECT_EQ(go_format_float_g(2e-5), "2e-05");
  EXPECT_EQ(go_format_float_g(0.0001), "0.0001");
  EXPECT_EQ(go_format_float_g(-2.5), "-2.5");
  EXPECT_EQ(go_format_float_f(1e21), "1000000000000000000000");
  EXPECT_EQ(go_format_float_f(2e-5), "0.00002");
}

TEST(GoSemver, NewSemverAndTheTerraformConstraint) {
  const auto version = [](std::string_view text) { return std::get<SemVersion>(parse_semver(text)); };
  EXPECT_EQ(version("v1.2.3-beta.1+build.5").prerelease, "beta.1");
  EXPECT_EQ(version("1.2").segments, (std::vector<std::int64_t>{1, 2, 0}));
  EXPECT_EQ(std::get<std::string>(parse_semver("1.2.")), "Malformed version: 1.2.");
  EXPECT_EQ(std::get<std::string>(parse_semver("1.2.3beta")), "Malformed version: 1.2.3beta");
  EXPECT_TRUE(satisfies_terraform_constraint(version("0.13.0")));
  EXPECT_TRUE(satisfies_terraform_constraint(version("1.14.3")));
  EXPECT_FALSE(satisfies_terraform_constraint(version("1.14.4")));
  EXPECT_FALSE(satisfies_terraform_constraint(version("1.2.0-rc1")));
}

TEST(GoPath, CleanAndJoin) {
  EXPECT_EQ(go_path_join("sync-tasks", "web"), "sync-tasks/web");
  EXPECT_EQ(go_path_join("consul-terraform-sync/", "cts-cluster"), "consul-terraform-sync/cts-cluster");
  EXPECT_EQ(go_path_join("/a/./b/../", "c"), "/a/c");
  EXPECT_EQ(go_path_join("", "web"), "web");
  EXPECT_EQ(go_path_clean("../../x"), "../../x");
  EXPECT_EQ(go_path_clean("/../x"), "/x");
}

}  // namespace
}  // namespace baton::config::cts
