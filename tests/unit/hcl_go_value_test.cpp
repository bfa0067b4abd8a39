// What CTS's mapstructure step receives (engine/config/hcl/go_value.hpp): the shapes HCL1's
// decoder and encoding/json give, which CTS's decode hooks switch on, and the native block
// views.
#include <gtest/gtest.h>

#include <string>

#include "engine/config/hcl/block_view.hpp"
#include "engine/config/hcl/go_value.hpp"
#include "hcl_test_support.hpp"

namespace baton::config::hcl {
namespace {

using testing::dump;
using testing::parse_ok;

std::string go(std::string_view name, std::string_view text) {
  const File file = parse_ok(name, text);
  const auto value = to_go_value(file);
  return value ? dump(value.value()) : to_string(value.error());
}
std::string go(std::string_view text) { return go("t.hcl", text); }

TEST(HclGoValue, HighAvailabilityBlocksBecomeListsOfMapsAsHclDecodeGivesThem) {
  EXPECT_EQ(go("high_availability {\ncluster {\nname = \"cts-cluster\"\nstorage \"consul\" {\n"
               "parent_path = \"cts\"\nnamespace = \"ns\"\nsession_ttl = \"30s\"\n}\n}\n"
               "instance {\naddress = \"cts-01.example.com\"\n}\n}\n"),
            "map[high_availability:[]map[map[cluster:[]map[map[name:\"cts-cluster\" "
            "storage:[]map[map[consul:[]map[map[parent_path:\"cts\" namespace:\"ns\" "
            "session_ttl:\"30s\"]]]]]] instance:[]map[map[address:\"cts-01.example.com\"]]]]]");
}

TEST(HclGoValue, LabelsNestOneMapPerLabel) {
  // config/condition.go: "data hcl ex: [map[catalog-services:[map[regexp:.*]]]]".
  EXPECT_EQ(go("task { condition \"catalog-services\" { regexp = \".*\" } }"),
            "map[task:[]map[map[condition:[]map[map[catalog-services:[]map[map[regexp:\".*\"]]]]]]]");
  EXPECT_EQ(go("a \"b\" \"c\" { x = 1 }"), "map[a:[]map[map[b:[]map[map[c:[]map[map[x:1]]]]]]]");
}

TEST(HclGoValue, RepeatedBlocksAppendAndObjectAssignmentsCountAsBlocks) {
  EXPECT_EQ(go("task { name = \"a\" }\ntask { name = \"b\" }\ntask = { name = \"c\" }\n"),
            "map[task:[]map[map[name:\"a\"] map[name:\"b\"] map[name:\"c\"]]]");
  EXPECT_EQ(go("terraform_provider \"x\" {}\nterraform_provider \"y\" { a = 1 }\n"),
            "map[terraform_provider:[]map[map[x:[]map[map[]]] map[y:[]map[map[a:1]]]]]");
  // A list of objects written as an attribute appends to the blocks too.
  EXPECT_EQ(go("task { name = \"a\" }\ntask = [{ name = \"b\" }]\n"),
            "map[task:[]map[map[name:\"a\"] map[name:\"b\"]]]");
}

TEST(HclGoValue, ListsHoldPlainMapsAndAppendWhenRepeated) {
  EXPECT_EQ(go("x = [{ a = 1 }, 2, [true], <<EOF\nh\nEOF\n]"),
            "map[x:[map[a:1] 2 [true] \"h\\x0a\"]]");
  EXPECT_EQ(go("l = [1]\nl = [2, 3]\n"), "map[l:[1 2 3]]");
  EXPECT_EQ(go("l = [1]\nl { a = 2 }\n"), "map[l:[1 map[a:2]]]");
}

TEST(HclGoValue, NumbersKeepHcl1sIntAndFloat64) {
  EXPECT_EQ(go("a = 1\nb = 1.0\nc = 1e3\nd = 0x10\ne = 010\n"),
            "map[a:1 b:float(1) c:float(1000) d:16 e:8]");
}

TEST(HclGoValue, ARepeatedScalarIsDecodedIntoTheEarlierOnesType) {
  EXPECT_EQ(go("port = 1\nport = 2\n"), "map[port:2]");
  // decodeInt reads a quoted string with ParseInt(s, 0, 0); decodeString keeps a number's text.
  EXPECT_EQ(go("port = 1\nport = \"0x10\"\n"), "map[port:16]");
  EXPECT_EQ(go("port = \"8558\"\nport = 0x1F\n"), "map[port:\"0x1F\"]");
  // decodeFloat reads the integer literal's text with ParseFloat.
  EXPECT_EQ(go("ratio = 0.5\nratio = 0755\n"), "map[ratio:float(755)]");
  EXPECT_EQ(go("ratio = 0.5\nratio = 0x10\n"),
            "t.hcl:2:9: root.ratio: strconv.ParseFloat: parsing \"0x10\": invalid syntax");
  EXPECT_EQ(go("port = 1\nport = \"x\"\n"),
            "t.hcl:2:8: root.port: strconv.ParseInt: parsing \"x\": invalid syntax");
  EXPECT_EQ(go("name = \"a\"\nname = 1.5\n"),
            "t.hcl:2:8: root.name: cannot decode a float into string (the type of an earlier 'name')");
  EXPECT_EQ(go("flag = true\nflag = 1\n"),
            "t.hcl:2:8: root.flag: cannot decode an int into bool (the type of an earlier 'flag')");
  EXPECT_EQ(go("port = 1\nport = <<EOF\n2\nEOF\n"),
            "t.hcl:2:8: root.port: cannot decode a heredoc into int (the type of an earlier 'port')");
  EXPECT_EQ(go("a = 1\na { }\n"),
            "t.hcl:2:1: root.a: cannot decode an object into int (the type of an earlier 'a')");
  EXPECT_EQ(go("a { }\na = 1\n"), "t.hcl:2:5: root.a: unknown slice type: an int");
}

TEST(HclGoValue, LabeledItemsAreGatheredCaseInsensitivelyAsFilterDoes) {
  EXPECT_EQ(go("Task \"x\" {}\ntask \"y\" {}\n"),
            "map[Task:[]map[map[x:[]map[map[]]] map[y:[]map[map[]]]] "
            "task:[]map[map[x:[]map[map[]]] map[y:[]map[map[]]]]]");
  // An unlabeled block gathered with labeled ones has no key left: HCL1 refuses that.
  EXPECT_EQ(go("x { }\nx \"l\" { }\n"), "t.hcl:1:1: root.x[0]: map must have string keys");
  // strings.EqualFold reads a malformed byte as U+FFFD, so "\xf0" gathers the "\ud800" block.
  EXPECT_EQ(go("\"\\xf0\" \"l\" {}\n\"\\ud800\" = 1\n"),
            "t.hcl:2:12: root.\xf0[1]: map must have string keys");
}

TEST(HclGoValue, JsonIsDecodedAsEncodingJsonDoes) {
  EXPECT_EQ(go("c.json", "{\"port\": 8502, \"task\": [{\"name\": \"a\"}], \"consul\": {\"address\": \"x\"},"
                         " \"n\": null, \"port\": \"last\"}"),
            "map[port:\"last\" task:[map[name:\"a\"]] consul:map[address:\"x\"] n:nil]");
  EXPECT_EQ(go("c.json", "{\"condition\": {\"services\": {\"names\": [\"web\"]}}}"),
            "map[condition:map[services:map[names:[\"web\"]]]]");
}

TEST(HclGoValue, EntriesKeepTheirKeyPositions) {
  const File file = parse_ok("t.hcl", "a = 1\n  task { x = 2 }\n");
  const auto value = to_go_value(file);
  ASSERT_TRUE(value.ok());
  ASSERT_EQ(value.value().entries.size(), 2u);
  EXPECT_EQ(value.value().entries[1].key_position, (Position{"t.hcl", 2, 3}));
  const GoValue* task = value.value().find("task");
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->kind, GoKind::map_slice);
  EXPECT_EQ(task->elements.at(0).find("x")->position, (Position{"t.hcl", 2, 14}));
}

TEST(HclGoValue, NativeBlockViewsIncludeObjectAssignmentsAndCheckLabelCounts) {
  const File file = parse_ok("t.hcl",
                             "task { name = \"a\" }\ntask = { name = \"b\" }\ntask = [{ name = \"c\" }]\n"
                             "condition \"services\" {}\nbad {}\n");
  const auto tasks = find_blocks(file.body, file.syntax, "task", 0);
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks.value().size(), 3u);
  EXPECT_EQ(tasks.value()[2].body->attributes_named("name").at(0)->value.as_string(), "c");
  EXPECT_EQ(tasks.value()[2].position, (Position{"t.hcl", 3, 9}));

  const auto extra = find_blocks(file.body, file.syntax, "condition", 0);
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(to_string(extra.error()),
            "t.hcl:4:11: extraneous label for condition: a condition block must have 0 labels");
  const auto missing = find_blocks(file.body, file.syntax, "bad", 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(to_string(missing.error()), "t.hcl:5:1: missing label for bad: a bad block must have 1 label");
}

}  // namespace
}  // namespace baton::config::hcl
