// Every syntax error of the HCL1 native parser, with its exact file:line:column and message
// (HCL1's own wording where it has one). Errors are values: nothing here may throw.
#include <gtest/gtest.h>

#include <string>

#include "engine/config/hcl/limits.hpp"
#include "engine/config/hcl/parse.hpp"
#include "hcl_test_support.hpp"

namespace baton::config::hcl {
namespace {

using testing::error_of;
using testing::native_error_of;

struct ErrorCase {
  std::string text;
  std::string expected;  // "t.hcl:line:column: message"
};

void expect_errors(const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& c : cases) EXPECT_EQ(native_error_of(c.text), c.expected) << "input: " << c.text;
}

TEST(HclErrors, AnErrorIsAValueWithFileLineColumnAndMessage) {
  const auto parsed = parse_config_file("config.hcl", "log_level = \"INFO\"\n\ntask\n");
  ASSERT_FALSE(parsed.ok());
  const Error& error = parsed.error();
  EXPECT_EQ(error.file, "config.hcl");
  EXPECT_EQ(error.line, 4);
  EXPECT_EQ(error.column, 1);
  EXPECT_EQ(error.message, "key 'task' expected start of object ('{') or assignment ('=')");
  EXPECT_EQ(to_string(error),
            "config.hcl:4:1: key 'task' expected start of object ('{') or assignment ('=')");
}

TEST(HclErrors, IllegalCharacters) {
  expect_errors({
      {"a: 1", "t.hcl:1:2: illegal char ':'"},
      {"a = 1;", "t.hcl:1:6: illegal char ';'"},
      {"a = 'x'", "t.hcl:1:5: illegal char '''"},
      {"a = 1\n\x0b", "t.hcl:2:1: illegal char U+000B"},
      {"a = \xE2\x86\x92", "t.hcl:1:5: illegal char '\xE2\x86\x92'"},
      {"\xEF\xBB\xBF" "a = 1", "t.hcl:1:1: illegal char '\xEF\xBB\xBF'"},
  });
}

TEST(HclErrors, EncodingErrorsAnywhereInTheFileIncludingComments) {
  expect_errors({
      {"a = \"\xff\"", "t.hcl:1:6: illegal UTF-8 encoding"},
      {"# fine\n# \xC0\xAF overlong", "t.hcl:2:3: illegal UTF-8 encoding"},
      {std::string("a = 1\n\0", 7), "t.hcl:2:1: unexpected null character (0x00)"},
      {"# \xEE\x84\xA3", "t.hcl:1:3: unicode code point U+E123 reserved for internal use"},
  });
}

TEST(HclErrors, Comments) {
  expect_errors({
      {"a = 1 / 2", "t.hcl:1:7: expected '/' for comment"},
      {"a = 1\n/* open\n", "t.hcl:2:1: comment not terminated"},
      {"/*/", "t.hcl:1:1: comment not terminated"},
  });
}

TEST(HclErrors, Numbers) {
  expect_errors({
      {"a = 0x", "t.hcl:1:5: illegal hexadecimal number"},
      {"a = -0xg", "t.hcl:1:5: illegal hexadecimal number"},
      {"a = 0189", "t.hcl:1:5: illegal octal number"},
      {"a = 08", "t.hcl:1:5: illegal octal number"},
      {"a = 1e\n", "t.hcl:1:5: malformed exponent in number"},
      {"a = 2.5e+x", "t.hcl:1:5: malformed exponent in number"},
      {"a = .5e3",
       "t.hcl:1:5: malformed exponent in number (HCL1 reads no exponent after a leading '.')"},
      {"a = 99999999999999999999", "t.hcl:1:5: invalid number 99999999999999999999: value out of range"},
      {"a = -9223372036854775809", "t.hcl:1:5: invalid number -9223372036854775809: value out of range"},
      {"a = 0x10000000000000000", "t.hcl:1:5: invalid number 0x10000000000000000: value out of range"},
      {"a = 1e400", "t.hcl:1:5: invalid number 1e400: value out of range"},
      {"a = [1, -1.5e999]", "t.hcl:1:9: invalid number -1.5e999: value out of range"},
  });
}

TEST(HclErrors, Strings) {
  expect_errors({
      {"a = \"abc\nb = 1", "t.hcl:1:5: literal not terminated"},
      {"a = \"abc", "t.hcl:1:5: literal not terminated"},
      {"a = \"${abc\"", "t.hcl:1:5: literal not terminated"},
      {"a = \"\\q\"", "t.hcl:1:6: illegal char escape"},
      {"a = \"\\'\"", "t.hcl:1:6: illegal char escape"},
      {"a = \"x\\u12\"", "t.hcl:1:7: illegal char escape"},
      {"a = \"\\08\"", "t.hcl:1:6: illegal char escape"},
      {"a = \"${ \\q }\"", "t.hcl:1:9: illegal char escape"},
      {"a = \"\\777\"", "t.hcl:1:5: invalid string literal: octal escape value > 255"},
      {"a = \"\\U00110000\"", "t.hcl:1:5: invalid string literal: escape value above U+10FFFF"},
      {"a = \"\\U7FFFFFFF\"", "t.hcl:1:5: invalid string literal: escape value above U+10FFFF"},
      {"\"\\400\" = 1", "t.hcl:1:1: invalid string literal: octal escape value > 255"},
      {"a = \"${\xEF\xBF\xBD}\"", "t.hcl:1:5: invalid string literal: invalid interpolation section"},
  });
}

TEST(HclErrors, Heredocs) {
  expect_errors({
      {"a = <EOF\n", "t.hcl:1:5: heredoc expected second '<', didn't see it"},
      {"a = <<EOF\ntext\n", "t.hcl:1:5: heredoc not terminated"},
      {"a = <<EOF", "t.hcl:1:5: heredoc not terminated"},
      // The closing line must end with a newline (HCL1).
      {"a = <<EOF\ntext\nEOF", "t.hcl:1:5: heredoc not terminated"},
      // <<-EOF needs a closing line at least as long as "-EOF" (HCL1 bug, kept).
      {"a = <<-EOF\n  text\nEOF\n", "t.hcl:1:5: heredoc not terminated"},
      {"a = <<EOF x\nEOF\n", "t.hcl:1:5: invalid characters in heredoc anchor"},
      {"a = <<\nx\n", "t.hcl:1:5: zero-length heredoc anchor"},
      {"a = <<-\nx\n", "t.hcl:1:5: zero-length heredoc anchor"},
  });
}

TEST(HclErrors, KeysWithoutAssignmentOrBlock) {
  expect_errors({
      {"task", "t.hcl:1:5: key 'task' expected start of object ('{') or assignment ('=')"},
      {"storage \"consul\"\n",
       "t.hcl:2:1: key 'storage \"consul\"' expected start of object ('{') or assignment ('=')"},
      {"x {\n  task\n}", "t.hcl:3:1: key 'task' expected start of object ('{') or assignment ('=')"},
      {"a \"b\" = 1",
       "t.hcl:1:7: nested object expected: '{' got: '=' after 'a \"b\"' (only a block has labels)"},
      {"= 1", "t.hcl:1:1: no object keys found before '='"},
      {"a = 1\n{}", "t.hcl:2:1: expected: identifier or string got: '{'"},
      {"a = 1 }", "t.hcl:1:7: expected: identifier, string, '=' or '{' got: '}'"},
      {"a 1", "t.hcl:1:3: expected: identifier, string, '=' or '{' got: number 1"},
      {"true = 1", "t.hcl:1:1: expected: identifier, string, '=' or '{' got: bool true"},
      {"a = 1 ]", "t.hcl:1:7: expected: identifier, string, '=' or '{' got: ']'"},
      {"x { <<EOF\nEOF\n }", "t.hcl:1:5: expected: identifier, string, '=' or '{' got: heredoc"},
  });
}

TEST(HclErrors, Values) {
  const std::string expected = "expected a value (string, number, bool, heredoc, list or object), got: ";
  expect_errors({
      {"a = b", "t.hcl:1:5: " + expected + "identifier 'b'"},
      {"a = null", "t.hcl:1:5: " + expected + "identifier 'null' (HCL1 has no null)"},
      {"a = -b", "t.hcl:1:5: " + expected + "'-'"},
      {"a = +1", "t.hcl:1:5: " + expected + "'+'"},
      {"a = .", "t.hcl:1:5: " + expected + "'.'"},
      {"a = ,", "t.hcl:1:5: " + expected + "','"},
      // HCL1 silently drops these two attributes; we refuse them (README.md).
      {"a =", "t.hcl:1:4: " + expected + "end of file"},
      {"x { a = }", "t.hcl:1:9: " + expected + "'}'"},
      // The general form: any error at a '}' inside a block; HCL1 drops the item silently.
      {"x { l = [1 }\n}", "t.hcl:1:12: error parsing list, expected comma or list end, got: '}'"},
  });
}

TEST(HclErrors, ObjectsAndLists) {
  expect_errors({
      {"x {\n  a = 1\n", "t.hcl:3:1: object expected closing '}' got: end of file"},
      {"a = { b = 1", "t.hcl:1:12: object expected closing '}' got: end of file"},
      {"a = [1 2]", "t.hcl:1:8: error parsing list, expected comma or list end, got: number 2"},
      {"a = [{} {}]", "t.hcl:1:9: error parsing list, expected comma or list end, got: '{'"},
      {"a = [b]", "t.hcl:1:6: unexpected token while parsing list: identifier 'b'"},
      {"a = [1,", "t.hcl:1:8: unexpected token while parsing list: end of file"},
      {"a = [{ b = }]", "t.hcl:1:12: expected a value (string, number, bool, heredoc, list or "
                        "object), got: '}'"},
  });
}

TEST(HclErrors, NestingDeeperThanTheBoundIsAnErrorNotAStackOverflow) {
  const std::string message = "nesting too deep: more than 128 levels of blocks, objects and lists";
  ASSERT_EQ(kMaxNestingDepth, 128);
  std::string lists = "a = " + std::string(129, '[') + std::string(129, ']');
  EXPECT_EQ(native_error_of(lists), "t.hcl:1:133: " + message);
  EXPECT_EQ(native_error_of("a = " + std::string(128, '[') + std::string(128, ']')), "parsed");

  std::string blocks;
  for (int i = 0; i < 129; ++i) blocks += "a { ";
  EXPECT_EQ(native_error_of(blocks + std::string(129, '}')), "t.hcl:1:513: " + message);

  std::string objects = "a = ";
  for (int i = 0; i < 129; ++i) objects += "{ a = ";
  EXPECT_EQ(native_error_of(objects + "1" + std::string(129, '}')), "t.hcl:1:" +
                std::to_string(5 + 128 * 6) + ": " + message);

  // Labels nest in the decoded form, so they count too.
  std::string labels = "a";
  for (int i = 0; i < 128; ++i) labels += " \"l\"";
  EXPECT_EQ(native_error_of(labels + " {}"), "t.hcl:1:511: " + message);
  std::string fewer_labels = "a";
  for (int i = 0; i < 127; ++i) fewer_labels += " \"l\"";
  EXPECT_EQ(native_error_of(fewer_labels + " {}"), "parsed");

  // A million brackets: refused quickly, without recursion.
  EXPECT_EQ(native_error_of("a = " + std::string(1'000'000, '[')), "t.hcl:1:133: " + message);
}

TEST(HclErrors, InputsAboveTheSizeBoundAreRefused) {
  const std::string huge(kMaxInputBytes + 1, ' ');
  EXPECT_EQ(error_of("big.hcl", huge),
            "big.hcl:1:1: file is too large: 8388609 bytes, the limit is 8388608 bytes");
  EXPECT_EQ(error_of("big.json", huge),
            "big.json:1:1: file is too large: 8388609 bytes, the limit is 8388608 bytes");
}

TEST(HclErrors, PositionsCountTheFoldedCrlfTextLikeHcl1) {
  EXPECT_EQ(error_of("w.hcl", "a = 1\r\nb = 2\r\n  task\r\n"),
            "w.hcl:4:1: key 'task' expected start of object ('{') or assignment ('=')");
  EXPECT_EQ(error_of("w.hcl", "a = \"x\r\n\""), "w.hcl:1:5: literal not terminated");
}

}  // namespace
}  // namespace baton::config::hcl
