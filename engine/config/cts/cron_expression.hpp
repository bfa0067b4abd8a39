#pragma once
// hashicorp/cronexpr v1.1.1, which CTS v0.9.0 runs on condition "schedule" { cron }: Parse
// (with its error texts) and Next.
//
// Syntax: 5 fields (minute hour day-of-month month day-of-week), 6 (plus year) or 7 (second
// first; fields past the 7th are ignored); @yearly @annually @monthly @weekly @daily @hourly
// (replaced wherever they appear, as cronexpr's strings.Replacer does); names (jan, mon, any
// case), ranges, steps (`*/5`, `5/5`: from 5 to the field's end, `5-20/5`), `*` and `?`; in
// day-of-month L (last day), LW (last weekday), 15W (the weekday nearest the 15th, never
// crossing the month); in day-of-week 5L (the month's last Friday) and 5#3 (its third Friday).
//
// cronexpr's quirks are kept, since CTS users get them: day-of-week 7 is Sunday, but a range
// ending in 7 (or in 0) ends on Saturday (`5-7` is Friday and Saturday); the two-digit
// day-of-week forms `00`..`07` parse and all mean Sunday; day-of-month and day-of-week combine
// as crontab(5) says, a day matching either when both are restricted (not `*` or `?`).
//
// Time: Next works on civil time in UTC. The engine gives it the node's wall clock
// (Runtime::wall_now()), so a schedule follows UTC whatever the host's time zone (CTS uses
// time.Now() in the process's local zone; under UTC the two agree, and cronexpr's daylight
// saving paths never run).
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/ports/time.hpp"

namespace baton::config::cts {

// A parsed expression: cronexpr's Expression, its sets as sorted lists.
struct CronExpression {
  std::vector<int> seconds;  // 0-59
  std::vector<int> minutes;  // 0-59
  std::vector<int> hours;    // 0-23
  std::vector<int> days_of_month;     // 1-31 (days past a month's end are skipped)
  std::vector<int> workdays_of_month; // the `15W` days
  bool last_day_of_month = false;      // L
  bool last_workday_of_month = false;  // LW
  bool days_of_month_restricted = false;  // false for `*` or `?`
  std::vector<int> months;                // 1-12
  std::vector<int> days_of_week;          // 0 (Sunday) - 6
  std::vector<int> specific_week_days_of_week;  // 5#3: (3 - 1) * 7 + 5
  std::vector<int> last_week_days_of_week;      // 5L: 5
  bool days_of_week_restricted = false;
  std::vector<int> years;  // 1970-2099

  // cronexpr's Next: the first whole second strictly after `from`'s second (its fraction is
  // dropped first) that matches, in UTC. nullopt where cronexpr returns the zero Time (no match
  // up to 2099) and where it would panic instead (a field whose list came out empty, such as the
  // reversed range `30-10`: CTS crashes there; here the schedule simply never fires).
  std::optional<WallTime> next(WallTime from) const;

  friend bool operator==(const CronExpression&, const CronExpression&) = default;
};

// The expression, or cronexpr's message: "missing field(s)", "syntax error in minute field:
// '61'", "invalid interval */0", "minute field: missing directive".
std::variant<CronExpression, std::string> parse_cron(std::string_view text);

// nullopt when cronexpr accepts `text`, else its message.
std::optional<std::string> cron_syntax_error(std::string_view text);

}  // namespace baton::config::cts
