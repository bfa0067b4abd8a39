#include "engine/log/cts_formatter.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

namespace baton {
namespace {

std::string_view level_tag(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "[TRACE]";
    case spdlog::level::debug: return "[DEBUG]";
    case spdlog::level::info: return "[INFO]";
    case spdlog::level::warn: return "[WARN]";
    default: return "[ERROR]";
  }
}

// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm): no time zone database
// and no libc call, so formatting is the same on every machine.
struct CivilDate {
  int year;
  unsigned month, day;
};
CivilDate civil_from_days(long long days) {
  days += 719468;
  const long long era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = unsigned(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {int(year_of_era + era * 400 + (month <= 2)), month, day};
}

}  // namespace

void CtsFormatter::format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) {
  using namespace std::chrono;
  const auto local = message.time.time_since_epoch() + minutes(options_.utc_offset_minutes);
  const long long millis_total = duration_cast<milliseconds>(local).count();
  long long days = millis_total / 86'400'000;
  long long millis_of_day = millis_total % 86'400'000;
  if (millis_of_day < 0) {
    millis_of_day += 86'400'000;
    days -= 1;
  }
  const CivilDate date = civil_from_days(days);
  const long long seconds_of_day = millis_of_day / 1000;

  if (options_.prefix_process_name) fmt::format_to(std::back_inserter(out), "{} ", message.logger_name);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}", date.year, date.month,
                 date.day, seconds_of_day / 3600, seconds_of_day / 60 % 60, seconds_of_day % 60,
                 millis_of_day % 1000);
  if (options_.utc_offset_minutes == 0) {
    out.push_back('Z');
  } else {
    const int offset = std::abs(options_.utc_offset_minutes);
    fmt::format_to(std::back_inserter(out), "{}{:02}{:02}", options_.utc_offset_minutes < 0 ? '-' : '+',
                   offset / 60, offset % 60);
  }
  fmt::format_to(std::back_inserter(out), " {} ", level_tag(message.level));
  out.append(message.payload.data(), message.payload.data() + message.payload.size());
  out.push_back('\n');
}

}  // namespace baton
