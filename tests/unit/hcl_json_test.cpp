// JSON configuration files (engine/config/hcl/json_parser.hpp): the same document model with
// real positions, what json.Unmarshal accepts and refuses, and blocks read out of JSON.
#include <gtest/gtest.h>

#include <string>

#include "engine/config/hcl/block_view.hpp"
#include "engine/config/hcl/limits.hpp"
#include "engine/config/hcl/parse.hpp"
#include "hcl_test_support.hpp"

namespace baton::config::hcl {
namespace {

using testing::dump;
using testing::error_of;
using testing::parse_ok;

const Attribute& attribute_at(const Body& body, std::size_t index) {
  return std::get<Attribute>(body.items.at(index));
}
Position at(int line, int column) { return Position{"c.json", line, column}; }

TEST(HclJson, MembersBecomeAttributesWithPositions) {
  const File file = parse_ok("c.json",
                             "{\n"
                             "  \"log_level\": \"INFO\",\n"
                             "  \"port\": 8502,\n"
                             "  \"consul\": {\"address\": \"consul:8500\", \"tls\": {\"enabled\": true}},\n"
                             "  \"task\": [{\"name\": \"a\"}, {\"name\": \"b\"}],\n"
                             "  \"nothing\": null\n"
                             "}\n");
  EXPECT_EQ(file.syntax, Syntax::json);
  EXPECT_EQ(dump(file.body),
            "\"log_level\" = str(\"INFO\")\n"
            "\"port\" = int(8502 \"8502\")\n"
            "\"consul\" = {\n  \"address\" = str(\"consul:8500\")\n  \"tls\" = {\n"
            "    \"enabled\" = true\n  }\n}\n"
            "\"task\" = [{\n  \"name\" = str(\"a\")\n}, {\n  \"name\" = str(\"b\")\n}]\n"
            "\"nothing\" = null\n");
  EXPECT_EQ(attribute_at(file.body, 0).position, at(2, 3));
  EXPECT_EQ(attribute_at(file.body, 0).value.position(), at(2, 16));
  const Value& consul = attribute_at(file.body, 2).value;
  EXPECT_EQ(consul.position(), at(4, 13));
  EXPECT_EQ(attribute_at(consul.as_object(), 1).position, at(4, 40));
  const Value& tasks = attribute_at(file.body, 3).value;
  EXPECT_EQ(tasks.position(), at(5, 11));
  EXPECT_EQ(tasks.as_list()[1].position(), at(5, 27));
  EXPECT_EQ(attribute_at(tasks.as_list()[1].as_object(), 0).value.position(), at(5, 36));
  EXPECT_EQ(attribute_at(file.body, 4).value.position(), at(6, 14));
}

TEST(HclJson, PositionsCountCodePointsAndEscapedStrings) {
  const File file = parse_ok("c.json", "{\"é\\n\\u00e9\": \"→\", \"b\": 1}");
  EXPECT_EQ(attribute_at(file.body, 0).name, "é\né");
  EXPECT_EQ(attribute_at(file.body, 0).value.position(), at(1, 15));
  EXPECT_EQ(attribute_at(file.body, 1).position, at(1, 20));
}

TEST(HclJson, NumbersKeepTextAndIntegersWhenIntegral) {
  const File file = parse_ok("c.json",
                             "{\"a\": 1, \"b\": -2.5, \"c\": 1e3, \"d\": 12345678901234567890,"
                             " \"e\": -0, \"f\": 9223372036854775807}");
  EXPECT_EQ(dump(file.body),
            "\"a\" = int(1 \"1\")\n\"b\" = float(-2.5 \"-2.5\")\n\"c\" = float(1000 \"1e3\")\n"
            "\"d\" = float(1.2345678901234567e+19 \"12345678901234567890\")\n"
            "\"e\" = int(0 \"-0\")\n"
            "\"f\" = int(9223372036854775807 \"9223372036854775807\")\n");
}

TEST(HclJson, DuplicateMembersAreAllKeptInOrder) {
  const File file = parse_ok("c.json", "{\"port\": 1, \"port\": 2}");
  ASSERT_EQ(file.body.attributes_named("port").size(), 2u);
  EXPECT_EQ(file.body.attributes_named("port")[1]->value.as_number().integer, 2);
}

TEST(HclJson, NullTopLevelIsAnEmptyConfigurationAsInGo) {
  EXPECT_TRUE(parse_ok("c.json", " null ").body.items.empty());
  EXPECT_TRUE(parse_ok("c.json", "{}").body.items.empty());
}

TEST(HclJson, InterpolationsAndTemplatesAreJustText) {
  const File file = parse_ok("c.json", R"({"token": "${env.TOKEN}", "p": "{{ key \"x\" }}"})");
  EXPECT_EQ(attribute_at(file.body, 0).value.as_string(), "${env.TOKEN}");
  EXPECT_EQ(attribute_at(file.body, 1).value.as_string(), "{{ key \"x\" }}");
}

TEST(HclJson, SyntaxErrorsNameFileLineAndColumn) {
  EXPECT_EQ(error_of("c.json", "{\n  \"a\": 1,\n  \"b\" 2\n}"),
            "c.json:3:7: syntax error while parsing object separator - unexpected number literal; "
            "expected ':'");
  EXPECT_EQ(error_of("c.json", "{\"a\": [1, 2,]}"),
            "c.json:1:13: syntax error while parsing value - unexpected ']'; expected '[', '{', or a "
            "literal");
  EXPECT_EQ(error_of("c.json", "{\"a\": \"open"),
            "c.json:1:7: syntax error while parsing value - invalid string: missing closing quote; "
            "last read: '\"open'");
  EXPECT_EQ(error_of("c.json", "{\"a\": tru}"),
            "c.json:1:7: syntax error while parsing value - invalid literal; last read: '\"a\": tru}'");
  EXPECT_EQ(error_of("c.json", "{\"a\": 1x}"),
            "c.json:1:8: syntax error while parsing object - invalid literal; last read: '1x'; expected '}'");
  EXPECT_EQ(error_of("c.json", "{\"a\": \"b\\q\"}"),
            "c.json:1:7: syntax error while parsing value - invalid string: forbidden character after "
            "backslash; last read: '\"b\\q'");
  EXPECT_EQ(error_of("c.json", "{\"a\": 1"),
            "c.json:1:8: syntax error while parsing object - unexpected end of input; expected '}'");
  EXPECT_EQ(error_of("c.json", ""),
            "c.json:1:1: syntax error while parsing value - unexpected end of input; expected '[', "
            "'{', or a literal");
  EXPECT_EQ(error_of("c.json", "{} {}"),
            "c.json:1:4: syntax error while parsing value - unexpected '{'; expected end of input");
}

TEST(HclJson, WhatGoRefusesIsRefused) {
  EXPECT_EQ(error_of("c.json", "[1, 2]"),
            "c.json:1:1: the top level of a JSON configuration must be an object, got: array");
  EXPECT_EQ(error_of("c.json", "\"x\""),
            "c.json:1:1: the top level of a JSON configuration must be an object, got: string");
  EXPECT_EQ(error_of("c.json", "\xEF\xBB\xBF{}"),
            "c.json:1:1: invalid character 'ï' looking for beginning of value (a byte order mark)");
  EXPECT_EQ(error_of("c.json", "{\n \"a\": 1e400}"), "c.json:2:7: invalid number 1e400: value out of range");
}

TEST(HclJson, StringsGoWouldRepairAreRefused) {
  // encoding/json substitutes U+FFFD for these; nlohmann refuses them (README.md).
  EXPECT_NE(error_of("c.json", "{\"a\": \"\\ud800\"}"), "parsed");
  EXPECT_NE(error_of("c.json", "{\"a\": \"\xff\"}"), "parsed");
  EXPECT_EQ(error_of("c.json", "{\"a\": \"\\ud83d\\ude00\"}"), "parsed");
}

TEST(HclJson, NestingDeeperThanTheBoundIsAnError) {
  const std::string deep = "{\"a\": " + std::string(200, '[') + std::string(200, ']') + "}";
  EXPECT_EQ(error_of("c.json", deep),
            "c.json:1:" + std::to_string(7 + kMaxNestingDepth - 1) +
                ": nesting too deep: more than 128 levels of objects and arrays");
  const std::string fits = "{\"a\": " + std::string(127, '[') + std::string(127, ']') + "}";
  EXPECT_EQ(error_of("c.json", fits), "parsed");
}

// The JSON form of a CTS configuration, as in CTS's config/testdata/long.json: blocks with
// labels are objects keyed by label, repeated blocks are arrays.
constexpr std::string_view kJsonConfig = R"({
  "consul": {"address": "consul.example.com"},
  "driver": {"terraform": {"log": true, "backend": {"consul": {"gzip": true}}}},
  "terraform_provider": [{"X": {}}, {"Y": {"token": "t"}}],
  "task": [
    {
      "name": "a",
      "condition": {"catalog-services": {"regexp": ".*", "node_meta": {"k": "v"}}},
      "module_input": [{"consul-kv": {"path": "p"}}]
    },
    {"name": "b", "condition": {"services": {"names": ["web"]}}}
  ]
})";

TEST(HclJson, BlockViewsReadBlocksOutOfJsonByLabelCount) {
  const File file = parse_ok("c.json", kJsonConfig);
  const auto consul = find_blocks(file.body, file.syntax, "consul", 0);
  ASSERT_TRUE(consul.ok());
  ASSERT_EQ(consul.value().size(), 1u);
  EXPECT_EQ(consul.value()[0].body->attributes_named("address").at(0)->value.as_string(),
            "consul.example.com");

  const auto driver = find_blocks(file.body, file.syntax, "driver", 1);
  ASSERT_TRUE(driver.ok());
  ASSERT_EQ(driver.value().size(), 1u);
  EXPECT_EQ(driver.value()[0].labels.at(0).value, "terraform");
  EXPECT_EQ(driver.value()[0].labels.at(0).position, at(3, 14));
  const auto backend = find_blocks(*driver.value()[0].body, Syntax::json, "backend", 1);
  ASSERT_TRUE(backend.ok());
  EXPECT_EQ(backend.value().at(0).labels.at(0).value, "consul");

  const auto providers = find_blocks(file.body, file.syntax, "terraform_provider", 1);
  ASSERT_TRUE(providers.ok());
  ASSERT_EQ(providers.value().size(), 2u);
  EXPECT_EQ(providers.value()[1].labels.at(0).value, "Y");

  const auto tasks = find_blocks(file.body, file.syntax, "task", 0);
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks.value().size(), 2u);
  EXPECT_EQ(tasks.value()[1].position, at(11, 5));
  const auto conditions = find_blocks(*tasks.value()[0].body, Syntax::json, "condition", 1);
  ASSERT_TRUE(conditions.ok());
  EXPECT_EQ(conditions.value().at(0).labels.at(0).value, "catalog-services");
  const auto inputs = find_blocks(*tasks.value()[0].body, Syntax::json, "module_input", 1);
  ASSERT_TRUE(inputs.ok());
  EXPECT_EQ(inputs.value().at(0).labels.at(0).value, "consul-kv");
}

TEST(HclJson, BlockViewsRefuseValuesThatCannotBeBlocks) {
  const File file = parse_ok("c.json", "{\"task\": \"x\", \"condition\": {\"services\": 1}}");
  const auto task = find_blocks(file.body, file.syntax, "task", 0);
  ASSERT_FALSE(task.ok());
  EXPECT_EQ(to_string(task.error()), "c.json:1:10: a task block must be a JSON object");
  const auto condition = find_blocks(file.body, file.syntax, "condition", 1);
  ASSERT_FALSE(condition.ok());
  EXPECT_EQ(to_string(condition.error()), "c.json:1:41: a condition block must be a JSON object");
  const auto unlabeled = find_blocks(file.body, file.syntax, "task", 1);
  ASSERT_FALSE(unlabeled.ok());
  EXPECT_EQ(to_string(unlabeled.error()),
            "c.json:1:10: a task block must be a JSON object keyed by its label");
}

}  // namespace
}  // namespace baton::config::hcl
