#include "engine/time/rfc3339.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace baton {

using namespace std::chrono;

std::string format_rfc3339(WallTime time) {
  const sys_days day = floor<days>(time);
  const year_month_day date(day);
  const nanoseconds of_day = time - day;
  const hh_mm_ss<nanoseconds> clock(of_day);
  std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", int(date.year()), unsigned(date.month()),
                                 unsigned(date.day()), clock.hours().count(), clock.minutes().count(), clock.seconds().count());
  long long fraction = clock.subseconds().count();
  if (fraction > 0) {
    std::string digits = fmt::format("{:09}", fraction);
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  return text + "Z";
}

namespace {

bool read_int(std::string_view text, std::size_t at, std::size_t width, int& out) {
  if (at + width > text.size()) return false;
  const char* begin = text.data() + at;
  const auto [end, error] = std::from_chars(begin, begin + width, out);
  return error == std::errc() && end == begin + width;
}

}  // namespace

std::optional<WallTime> parse_rfc3339(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  if (!read_int(text, 0, 4, y) || !read_int(text, 5, 2, mo) || !read_int(text, 8, 2, d) || !read_int(text, 11, 2, h) ||
      !read_int(text, 14, 2, mi) || !read_int(text, 17, 2, s)) {
    return std::nullopt;
  }
  const year_month_day date{year(y), month(unsigned(mo)), day(unsigned(d))};
  if (!date.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::size_t at = 19;
  long long nanos = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    int digits = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (text[at] - '0');
      ++digits;
      ++at;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 9; ++digits) nanos *= 10;
  }
  minutes offset{0};
  if (at < text.size() && text[at] == 'Z') {
    ++at;
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    int oh = 0, om = 0;
    if (!read_int(text, at + 1, 2, oh) || !read_int(text, at + 4, 2, om)) return std::nullopt;
    offset = hours(oh) + minutes(om);
    if (text[at] == '-') offset = -offset;
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  const WallTime local = WallTime(sys_days(date).time_since_epoch()) + hours(h) + minutes(mi) + seconds(s) + nanoseconds(nanos);
  return local - offset;
}

}  // namespace baton
