#pragma once
// hashicorp/cronexpr v1.1.1's Parse, which CTS v0.9.0 runs on condition "schedule" { cron }:
// 5 fields (minute hour day-of-month month day-of-week), 6 (plus year) or 7 (second first);
// @yearly @annually @monthly @weekly @daily @hourly; names (jan, mon), ranges, steps, and the
// L, W, LW, 5L and 5#3 forms. Only parsing is here (with cronexpr's error texts); computing the
// next activation belongs to whoever schedules the task.
#include <optional>
#include <string>
#include <string_view>

namespace baton::config::cts {

// nullopt when cronexpr accepts `text`, else its message ("missing field(s)",
// "syntax error in minute field: '61'", "invalid interval */0").
std::optional<std::string> cron_syntax_error(std::string_view text);

}  // namespace baton::config::cts
