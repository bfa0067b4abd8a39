// Go's duration syntax, as Consul and CTS users write it and Consul prints it.
#include <gtest/gtest.h>

#include "engine/time/go_duration.hpp"

namespace baton {
namespace {

using namespace std::chrono_literals;

TEST(GoDuration, ParsesWhatGoParses) {
  EXPECT_EQ(parse_go_duration("15s"), Duration(15s));
  EXPECT_EQ(parse_go_duration("1m30s"), Duration(90s));
  EXPECT_EQ(parse_go_duration("250ms"), Duration(250ms));
  EXPECT_EQ(parse_go_duration("1.5h"), Duration(90min));
  EXPECT_EQ(parse_go_duration("0.001s"), Duration(1ms));
  EXPECT_EQ(parse_go_duration("-2m"), Duration(-120s));
  EXPECT_EQ(parse_go_duration("0"), Duration::zero());
  EXPECT_EQ(parse_go_duration("10us"), Duration(10us));
  EXPECT_EQ(parse_go_duration("1h2m3s4ms5us6ns"), Duration(1h + 2min + 3s + 4ms + 5us + 6ns));
  EXPECT_EQ(parse_go_duration(".5s"), Duration(500ms));
}

TEST(GoDuration, RejectsWhatGoRejects) {
  for (const char* bad : {"", "5", "1x", "s", "--1s", "1s5", ".s", "1.s.", " 1s"}) {
    EXPECT_FALSE(parse_go_duration(bad).has_value()) << bad;
  }
}

TEST(GoDuration, FormatsAsGoDoes) {
  EXPECT_EQ(format_go_duration(Duration::zero()), "0s");
  EXPECT_EQ(format_go_duration(10s), "10s");
  EXPECT_EQ(format_go_duration(24h), "24h0m0s");
  EXPECT_EQ(format_go_duration(1500ms), "1.5s");
  EXPECT_EQ(format_go_duration(250ms), "250ms");
  EXPECT_EQ(format_go_duration(1500us), "1.5ms");
  EXPECT_EQ(format_go_duration(42ns), "42ns");
  EXPECT_EQ(format_go_duration(-(2min + 3500ms)), "-2m3.5s");
  EXPECT_EQ(format_go_duration(61min), "1h1m0s");
}

}  // namespace
}  // namespace baton
