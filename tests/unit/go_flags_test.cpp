// engine/cli/go_flags: Go's flag package, its syntax and its error texts (Go 1.25 flag.go).
#include <gtest/gtest.h>

#include <sstream>

#include "engine/cli/go_flags.hpp"

namespace baton::cli {
namespace {

using namespace std::chrono_literals;

FlagSet start_flags(std::ostringstream& output, int& usage_calls) {
  FlagSet flags("start");
  flags.add_string("config-file", "", "A `path` to a config file");
  flags.add_string_list("config-dir", "A directory");
  flags.add_bool("once", false, "Run once");
  flags.add_bool("b", true, "A bool");
  flags.add_int("port", 8558, "The port");
  flags.add_duration("wait", 5s, "How long");
  flags.set_output(&output);
  flags.set_usage([&usage_calls] { ++usage_calls; });
  return flags;
}

TEST(GoFlags, SyntaxForms) {
  std::ostringstream output;
  int usage = 0;
  FlagSet flags = start_flags(output, usage);
  EXPECT_FALSE(flags.parse({"-config-file", "a.hcl", "--config-dir=d1", "-config-dir", "d2", "-once", "-port=0x10",
                            "--wait", "1m30s", "-b=F", "task", "-once"}));
  EXPECT_EQ(flags.get_string("config-file"), "a.hcl");
  EXPECT_EQ(flags.get_string_list("config-dir"), (std::vector<std::string>{"d1", "d2"}));
  EXPECT_TRUE(flags.get_bool("once"));
  EXPECT_FALSE(flags.get_bool("b"));
  EXPECT_EQ(flags.get_int("port"), 16);
  EXPECT_EQ(flags.get_duration("wait"), 90s);
  EXPECT_EQ(flags.args(), (std::vector<std::string>{"task", "-once"}));  // stops at the first non-flag
  EXPECT_TRUE(flags.is_set("once"));
  EXPECT_EQ(output.str(), "");
  EXPECT_EQ(usage, 0);
}

TEST(GoFlags, DefaultsAndIsSet) {
  std::ostringstream output;
  int usage = 0;
  FlagSet flags = start_flags(output, usage);
  EXPECT_FALSE(flags.parse({}));
  EXPECT_EQ(flags.get_int("port"), 8558);
  EXPECT_TRUE(flags.get_bool("b"));
  EXPECT_FALSE(flags.is_set("port"));
  EXPECT_FALSE(flags.is_set("b"));
}

TEST(GoFlags, TerminatorAndLoneDash) {
  std::ostringstream output;
  int usage = 0;
  FlagSet flags = start_flags(output, usage);
  EXPECT_FALSE(flags.parse({"-once", "--", "-port", "1"}));
  EXPECT_EQ(flags.args(), (std::vector<std::string>{"-port", "1"}));
  FlagSet dash = start_flags(output, usage);
  EXPECT_FALSE(dash.parse({"-", "-once"}));
  EXPECT_EQ(dash.args(), (std::vector<std::string>{"-", "-once"}));
  EXPECT_FALSE(dash.get_bool("once"));
}

TEST(GoFlags, BoolValues) {
  for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    std::ostringstream output;
    int usage = 0;
    FlagSet flags = start_flags(output, usage);
    EXPECT_FALSE(flags.parse({std::string("-once=") + yes})) << yes;
    EXPECT_TRUE(flags.get_bool("once")) << yes;
  }
  for (const char* no : {"0", "f", "F", "FALSE", "false", "False"}) {
    std::ostringstream output;
    int usage = 0;
    FlagSet flags = start_flags(output, usage);
    EXPECT_FALSE(flags.parse({std::string("-b=") + no})) << no;
    EXPECT_FALSE(flags.get_bool("b")) << no;
  }
  // A bool never takes the next argument.
  std::ostringstream output;
  int usage = 0;
  FlagSet flags = start_flags(output, usage);
  EXPECT_FALSE(flags.parse({"-once", "false"}));
  EXPECT_TRUE(flags.get_bool("once"));
  EXPECT_EQ(flags.args(), (std::vector<std::string>{"false"}));
}

struct ErrorCase {
  std::vector<std::string> args;
  std::string message;
};

TEST(GoFlags, ErrorTextsThenUsage) {
  const std::vector<ErrorCase> cases = {
      {{"-x"}, "flag provided but not defined: -x"},
      {{"--nope=1"}, "flag provided but not defined: -nope"},
      {{"-port"}, "flag needs an argument: -port"},
      {{"-once=yes"}, "invalid boolean value \"yes\" for -once: parse error"},
      {{"-port", "abc"}, "invalid value \"abc\" for flag -port: parse error"},
      {{"-port=99999999999999999999"}, "invalid value \"99999999999999999999\" for flag -port: value out of range"},
      {{"-wait=5"}, "invalid value \"5\" for flag -wait: parse error"},
      {{"---x"}, "bad flag syntax: ---x"},
      {{"-=x"}, "bad flag syntax: -=x"},
  };
  for (const ErrorCase& c : cases) {
    std::ostringstream output;
    int usage = 0;
    FlagSet flags = start_flags(output, usage);
    const auto error = flags.parse(c.args);
    ASSERT_TRUE(error) << c.message;
    EXPECT_FALSE(error->help);
    EXPECT_EQ(error->message, c.message);
    EXPECT_EQ(output.str(), c.message + "\n");
    EXPECT_EQ(usage, 1);
  }
}

TEST(GoFlags, HelpWhenNotDefined) {
  for (const char* help : {"-h", "-help", "--help", "-help=x"}) {
    std::ostringstream output;
    int usage = 0;
    FlagSet flags = start_flags(output, usage);
    const auto error = flags.parse({help});
    ASSERT_TRUE(error);
    EXPECT_TRUE(error->help);
    EXPECT_EQ(output.str(), "");
    EXPECT_EQ(usage, 1);
  }
}

TEST(GoFlags, PrintDefaultsAsGo) {
  std::ostringstream output;
  int usage = 0;
  FlagSet flags = start_flags(output, usage);
  flags.print_defaults();
  EXPECT_EQ(output.str(),
            "  -b\tA bool (default true)\n"
            "  -config-dir value\n    \tA directory\n"
            "  -config-file path\n    \tA path to a config file\n"
            "  -once\n    \tRun once\n"
            "  -port int\n    \tThe port (default 8558)\n"
            "  -wait duration\n    \tHow long (default 5s)\n");
}

TEST(GoFlags, DefaultUsageWithoutUsageFunction) {
  std::ostringstream output;
  FlagSet flags("cmd");
  flags.add_string("name", "x", "the name");
  flags.set_output(&output);
  EXPECT_TRUE(flags.parse({"-zzz"}));
  EXPECT_EQ(output.str(), "flag provided but not defined: -zzz\nUsage of cmd:\n  -name string\n    \tthe name (default \"x\")\n");
}

TEST(GoFlags, VisitAllSortedWithValues) {
  std::ostringstream output;
  int usage = 0;
  FlagSet flags = start_flags(output, usage);
  EXPECT_FALSE(flags.parse({"-config-dir", "a", "-config-dir", "b"}));
  const auto all = flags.visit_all();
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].name, "b");
  EXPECT_EQ(all[1].name, "config-dir");
  EXPECT_EQ(all[1].value_text, "a,b");
  EXPECT_EQ(all[1].default_text, "");
  EXPECT_EQ(all[4].value_text, "8558");
  EXPECT_EQ(all[5].value_text, "5s");
}

TEST(GoFlags, RedefinitionIsABug) {
  FlagSet flags("x");
  flags.add_bool("a", false, "");
  EXPECT_THROW(flags.add_string("a", "", ""), std::logic_error);
}

}  // namespace
}  // namespace baton::cli
