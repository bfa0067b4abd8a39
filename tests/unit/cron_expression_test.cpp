// cronexpr v1.1.1's Next (engine/config/cts/cron_expression.hpp), in UTC: cronexpr's own test
// vectors (cronexpr_test.go: TestExpressions, TestZero, TestNextN, TestNextN_every5min), then
// cases whose expected times were produced by running cronexpr v1.1.1 itself (Go 1.19), chosen
// for its quirks. The same port was compared with cronexpr on about 200,000 random
// (expression, time) pairs with no difference.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "engine/config/cts/cron_expression.hpp"

namespace baton::config::cts {
namespace {

// "2013-01-01 00:00:00" (UTC) as a WallTime.
WallTime utc(const std::string& text) {
  const int year = std::stoi(text.substr(0, 4));
  const unsigned month = unsigned(std::stoi(text.substr(5, 2)));
  const unsigned day = unsigned(std::stoi(text.substr(8, 2)));
  const std::chrono::sys_days date = std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day};
  const auto time_of_day = std::chrono::hours(std::stoi(text.substr(11, 2))) + std::chrono::minutes(std::stoi(text.substr(14, 2))) +
                           std::chrono::seconds(std::stoi(text.substr(17, 2)));
  return WallTime(date.time_since_epoch() + time_of_day);
}

std::string text_of(std::optional<WallTime> time) {
  if (!time) return "zero";
  const auto day = std::chrono::floor<std::chrono::days>(*time);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time_of_day{std::chrono::floor<std::chrono::seconds>(*time - day)};
  static constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  char out[64];
  std::snprintf(out, sizeof out, "%s %04d-%02u-%02u %02ld:%02ld:%02ld", kWeekdays[std::chrono::weekday{day}.c_encoding()],
                int(date.year()), unsigned(date.month()), unsigned(date.day()), long(time_of_day.hours().count()),
                long(time_of_day.minutes().count()), long(time_of_day.seconds().count()));
  return out;
}

CronExpression parsed(const std::string& text) {
  auto result = parse_cron(text);
  if (const auto* error = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << text << ": " << *error;
    return {};
  }
  return std::get<CronExpression>(std::move(result));
}

struct Vector {
  std::string from;
  std::string next;  // "Tue 2013-01-01 00:00:01", or "zero"
};

void expect_next(const std::string& expression, const std::vector<Vector>& vectors) {
  const CronExpression expr = parsed(expression);
  for (const Vector& v : vectors) {
    EXPECT_EQ(text_of(expr.next(utc(v.from))), v.next) << expression << " from " << v.from;
  }
}

TEST(CronNext, CronexprTestExpressions) {
  expect_next("* * * * * * *", {{"2013-01-01 00:00:00", "Tue 2013-01-01 00:00:01"},
                                {"2013-01-01 00:00:59", "Tue 2013-01-01 00:01:00"},
                                {"2013-01-01 00:59:59", "Tue 2013-01-01 01:00:00"},
                                {"2013-01-01 23:59:59", "Wed 2013-01-02 00:00:00"},
                                {"2013-02-28 23:59:59", "Fri 2013-03-01 00:00:00"},
                                {"2016-02-28 23:59:59", "Mon 2016-02-29 00:00:00"},
                                {"2012-12-31 23:59:59", "Tue 2013-01-01 00:00:00"}});
  expect_next("*/5 * * * * * *", {{"2013-01-01 00:00:00", "Tue 2013-01-01 00:00:05"},
                                  {"2013-01-01 00:00:59", "Tue 2013-01-01 00:01:00"},
                                  {"2013-01-01 00:59:59", "Tue 2013-01-01 01:00:00"},
                                  {"2013-01-01 23:59:59", "Wed 2013-01-02 00:00:00"},
                                  {"2013-02-28 23:59:59", "Fri 2013-03-01 00:00:00"},
                                  {"2016-02-28 23:59:59", "Mon 2016-02-29 00:00:00"},
                                  {"2012-12-31 23:59:59", "Tue 2013-01-01 00:00:00"}});
  expect_next("* * * * *", {{"2013-01-01 00:00:00", "Tue 2013-01-01 00:01:00"},
                            {"2013-01-01 00:00:59", "Tue 2013-01-01 00:01:00"},
                            {"2013-01-01 00:59:00", "Tue 2013-01-01 01:00:00"},
                            {"2013-01-01 23:59:00", "Wed 2013-01-02 00:00:00"},
                            {"2013-02-28 23:59:00", "Fri 2013-03-01 00:00:00"},
                            {"2016-02-28 23:59:00", "Mon 2016-02-29 00:00:00"},
                            {"2012-12-31 23:59:00", "Tue 2013-01-01 00:00:00"}});
  expect_next("17-43/5 * * * *", {{"2013-01-01 00:00:00", "Tue 2013-01-01 00:17:00"},
                                  {"2013-01-01 00:16:59", "Tue 2013-01-01 00:17:00"},
                                  {"2013-01-01 00:30:00", "Tue 2013-01-01 00:32:00"},
                                  {"2013-01-01 00:50:00", "Tue 2013-01-01 01:17:00"},
                                  {"2013-01-01 23:50:00", "Wed 2013-01-02 00:17:00"},
                                  {"2013-02-28 23:50:00", "Fri 2013-03-01 00:17:00"},
                                  {"2016-02-28 23:50:00", "Mon 2016-02-29 00:17:00"},
                                  {"2012-12-31 23:50:00", "Tue 2013-01-01 00:17:00"}});
  expect_next("15-30/4,55 * * * *", {{"2013-01-01 00:00:00", "Tue 2013-01-01 00:15:00"},
                                     {"2013-01-01 00:16:00", "Tue 2013-01-01 00:19:00"},
                                     {"2013-01-01 00:30:00", "Tue 2013-01-01 00:55:00"},
                                     {"2013-01-01 00:55:00", "Tue 2013-01-01 01:15:00"},
                                     {"2013-01-01 23:55:00", "Wed 2013-01-02 00:15:00"},
                                     {"2013-02-28 23:55:00", "Fri 2013-03-01 00:15:00"},
                                     {"2016-02-28 23:55:00", "Mon 2016-02-29 00:15:00"},
                                     {"2012-12-31 23:54:00", "Mon 2012-12-31 23:55:00"},
                                     {"2012-12-31 23:55:00", "Tue 2013-01-01 00:15:00"}});
  // Days of week.
  expect_next("0 0 * * MON", {{"2013-01-01 00:00:00", "Mon 2013-01-07 00:00:00"},
                              {"2013-01-28 00:00:00", "Mon 2013-02-04 00:00:00"},
                              {"2013-12-30 00:30:00", "Mon 2014-01-06 00:00:00"}});
  expect_next("0 0 * * friday", {{"2013-01-01 00:00:00", "Fri 2013-01-04 00:00:00"},
                                 {"2013-01-28 00:00:00", "Fri 2013-02-01 00:00:00"},
                                 {"2013-12-30 00:30:00", "Fri 2014-01-03 00:00:00"}});
  expect_next("0 0 * * 6,7", {{"2013-01-01 00:00:00", "Sat 2013-01-05 00:00:00"},
                              {"2013-01-28 00:00:00", "Sat 2013-02-02 00:00:00"},
                              {"2013-12-30 00:30:00", "Sat 2014-01-04 00:00:00"}});
  expect_next("0 0 * * 5-7", {{"2013-01-01 00:00:00", "Fri 2013-01-04 00:00:00"},
                              {"2013-01-28 00:00:00", "Fri 2013-02-01 00:00:00"},
                              {"2013-12-30 00:30:00", "Fri 2014-01-03 00:00:00"}});
  // Specific days of week.
  expect_next("0 0 * * 6#5", {{"2013-09-02 00:00:00", "Sat 2013-11-30 00:00:00"}});
  // Work day of month, also at the month's end.
  expect_next("0 0 14W * *", {{"2013-03-31 00:00:00", "Mon 2013-04-15 00:00:00"},
                              {"2013-08-31 00:00:00", "Fri 2013-09-13 00:00:00"}});
  expect_next("0 0 30W * *", {{"2013-03-02 00:00:00", "Fri 2013-03-29 00:00:00"},
                              {"2013-06-02 00:00:00", "Fri 2013-06-28 00:00:00"},
                              {"2013-09-02 00:00:00", "Mon 2013-09-30 00:00:00"},
                              {"2013-11-02 00:00:00", "Fri 2013-11-29 00:00:00"}});
  // Last day, last work day of month.
  expect_next("0 0 L * *", {{"2013-09-02 00:00:00", "Mon 2013-09-30 00:00:00"},
                            {"2014-01-01 00:00:00", "Fri 2014-01-31 00:00:00"},
                            {"2014-02-01 00:00:00", "Fri 2014-02-28 00:00:00"},
                            {"2016-02-15 00:00:00", "Mon 2016-02-29 00:00:00"}});
  expect_next("0 0 LW * *", {{"2013-09-02 00:00:00", "Mon 2013-09-30 00:00:00"},
                             {"2013-11-02 00:00:00", "Fri 2013-11-29 00:00:00"},
                             {"2014-08-15 00:00:00", "Fri 2014-08-29 00:00:00"}});
  // Zero padded months (six fields: the sixth is the year).
  expect_next("0 0 * 04 * *", {{"2013-09-02 00:00:00", "Tue 2014-04-01 00:00:00"},
                               {"2014-04-03 03:00:00", "Fri 2014-04-04 00:00:00"},
                               {"2014-08-15 00:00:00", "Wed 2015-04-01 00:00:00"}});
}

TEST(CronNext, CronexprTestZero) {
  EXPECT_EQ(text_of(parsed("* * * * * 1980").next(utc("2013-08-31 00:00:00"))), "zero");
  EXPECT_NE(text_of(parsed("* * * * * 2050").next(utc("2013-08-31 00:00:00"))), "zero");
}

TEST(CronNext, CronexprTestNextN) {
  const auto next_n = [](const std::string& expression, const std::string& from, std::size_t n) {
    const CronExpression expr = parsed(expression);
    std::vector<std::string> out;
    std::optional<WallTime> at = utc(from);
    while (out.size() < n && (at = expr.next(*at))) out.push_back(text_of(at));
    return out;
  };
  EXPECT_EQ(next_n("0 0 * * 6#5", "2013-09-02 08:44:30", 5),
            (std::vector<std::string>{"Sat 2013-11-30 00:00:00", "Sat 2014-03-29 00:00:00", "Sat 2014-05-31 00:00:00",
                                      "Sat 2014-08-30 00:00:00", "Sat 2014-11-29 00:00:00"}));
  EXPECT_EQ(next_n("*/5 * * * *", "2013-09-02 08:44:32", 5),
            (std::vector<std::string>{"Mon 2013-09-02 08:45:00", "Mon 2013-09-02 08:50:00", "Mon 2013-09-02 08:55:00",
                                      "Mon 2013-09-02 09:00:00", "Mon 2013-09-02 09:05:00"}));
}

// Expected values from cronexpr v1.1.1 itself.
TEST(CronNext, CronexprQuirksAsGoRunsThem) {
  expect_next("0 0 * * 01", {{"2013-01-01 00:00:00", "Sun 2013-01-06 00:00:00"}});  // "01" is dowTokens' 0
  expect_next("0 0 * * 07", {{"2013-01-01 00:00:00", "Sun 2013-01-06 00:00:00"}});
  expect_next("0 0 * * 7", {{"2013-01-01 00:00:00", "Sun 2013-01-06 00:00:00"}});
  expect_next("0 0 * * 0-0", {{"2013-01-01 00:00:00", "Wed 2013-01-02 00:00:00"}});  // a span ending in 0 ends on Saturday
  expect_next("0 0 * * 6-7", {{"2013-01-06 00:00:00", "Sat 2013-01-12 00:00:00"}});  // ... so 6-7 is Saturday only
  expect_next("0 0 31 * mon", {{"2013-01-01 00:00:00", "Mon 2013-01-07 00:00:00"}});  // both restricted: either
  expect_next("0 0 13 * fri", {{"2013-09-07 00:00:00", "Fri 2013-09-13 00:00:00"}});
  expect_next("0 0 1W * *", {{"2013-05-31 00:00:00", "Mon 2013-06-03 00:00:00"}});  // Saturday the 1st: Monday
  expect_next("0 0 31W * *", {{"2013-03-01 00:00:00", "Fri 2013-03-29 00:00:00"}});  // Sunday the 31st: Friday
  expect_next("0 0 LW * *", {{"2013-06-01 00:00:00", "Fri 2013-06-28 00:00:00"}});
  expect_next("0 0 * * 7L", {{"2013-01-01 00:00:00", "Sun 2013-01-27 00:00:00"}});
  expect_next("0 0 * * FRIL", {{"2013-01-01 00:00:00", "Fri 2013-01-25 00:00:00"}});
  expect_next("0 0 * * sun#1,sat#5", {{"2013-01-01 00:00:00", "Sun 2013-01-06 00:00:00"}});
  expect_next("0 0 30 2 *", {{"2013-01-01 00:00:00", "zero"}});
  expect_next("0 0 29 2 * 2013-2015", {{"2013-01-01 00:00:00", "zero"}});
  expect_next("0 0 29 2 *", {{"2013-01-01 00:00:00", "Mon 2016-02-29 00:00:00"}});
  expect_next("15 10 * * ? 2005", {{"2013-01-01 00:00:00", "zero"}});
  expect_next("*/15 */6 1,15 jan-mar/2 * 2014", {{"2013-07-04 12:00:00", "Wed 2014-01-01 00:00:00"}});
  expect_next("59 23 L dec * *", {{"2013-12-31 23:59:00", "Wed 2014-12-31 23:59:00"}});
  expect_next("@hourly", {{"2013-01-01 00:59:59", "Tue 2013-01-01 01:00:00"}});
  expect_next("@weekly", {{"2013-01-01 00:00:00", "Sun 2013-01-06 00:00:00"}});
  expect_next("@monthly", {{"2013-01-31 12:00:00", "Fri 2013-02-01 00:00:00"}});
  expect_next("@yearly", {{"2013-06-01 00:00:00", "Wed 2014-01-01 00:00:00"}});
  expect_next("@daily", {{"2013-01-01 23:59:59", "Wed 2013-01-02 00:00:00"}});
  expect_next("30 0 0 1-31/5 Oct-Dec * 2000,2006,2008,2013-2015", {{"2013-01-01 00:00:00", "Tue 2013-10-01 00:00:30"}});
  expect_next("0 0 0 * Feb-Nov/2 thu#3 2000-2050", {{"2013-01-01 00:00:00", "Thu 2013-02-21 00:00:00"}});
  expect_next("30 3 15W 3/3 *", {{"2013-01-01 00:00:00", "Fri 2013-03-15 03:30:00"}});
  expect_next("0 0 0 1 1 * 2099", {{"2099-01-01 00:00:00", "zero"}});
  expect_next("0 12 * * mon-fri", {{"2026-01-02 12:00:00", "Mon 2026-01-05 12:00:00"}});
  expect_next("5 4 * * sun", {{"2026-01-01 00:00:00", "Sun 2026-01-04 04:05:00"}});
}

TEST(CronNext, TheFractionOfTheStartingSecondIsDropped) {
  const CronExpression every_minute = parsed("* * * * *");
  EXPECT_EQ(text_of(every_minute.next(utc("2013-01-01 00:00:59") + std::chrono::nanoseconds(999'999'999))),
            "Tue 2013-01-01 00:01:00");
  const CronExpression every_second = parsed("* * * * * * *");
  EXPECT_EQ(text_of(every_second.next(utc("2013-01-01 00:00:00") + std::chrono::milliseconds(500))), "Tue 2013-01-01 00:00:01");
}

// cronexpr panics (index out of range) on an empty list; CTS would crash. Here: no next time.
TEST(CronNext, AnEmptyFieldNeverMatches) {
  EXPECT_EQ(text_of(parsed("30-10 * * * *").next(utc("2013-01-01 00:00:00"))), "zero");
  EXPECT_EQ(text_of(parsed("0 0 * 12-1 *").next(utc("2013-01-01 00:00:00"))), "zero");
}

TEST(CronParse, FieldsAsCronexprFillsThem) {
  const CronExpression five = parsed("*/20 9-17 * jan,Jul mon-fri");
  EXPECT_EQ(five.seconds, (std::vector<int>{0}));
  EXPECT_EQ(five.minutes, (std::vector<int>{0, 20, 40}));
  EXPECT_EQ(five.hours, (std::vector<int>{9, 10, 11, 12, 13, 14, 15, 16, 17}));
  EXPECT_FALSE(five.days_of_month_restricted);
  EXPECT_EQ(five.months, (std::vector<int>{1, 7}));
  EXPECT_TRUE(five.days_of_week_restricted);
  EXPECT_EQ(five.days_of_week, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(five.years.front(), 1970);
  EXPECT_EQ(five.years.back(), 2099);

  const CronExpression seven = parsed("5/20 0 0 L,LW,15W * 5L,2#3 2030/10");
  EXPECT_EQ(seven.seconds, (std::vector<int>{5, 25, 45}));
  EXPECT_TRUE(seven.last_day_of_month);
  EXPECT_TRUE(seven.last_workday_of_month);
  EXPECT_EQ(seven.workdays_of_month, (std::vector<int>{15}));
  EXPECT_EQ(seven.last_week_days_of_week, (std::vector<int>{5}));
  EXPECT_EQ(seven.specific_week_days_of_week, (std::vector<int>{16}));  // (3 - 1) * 7 + 2
  EXPECT_EQ(seven.years, (std::vector<int>{2030, 2040, 2050, 2060, 2070, 2080, 2090}));

  // More than seven fields: the rest is ignored.
  EXPECT_EQ(parsed("0 0 0 1 1 * 2030 whatever"), parsed("0 0 0 1 1 * 2030"));
  EXPECT_EQ(parsed("@daily"), parsed("0 0 0 * * * *"));
}

}  // namespace
}  // namespace baton::config::cts
