#include "engine/config/cts/cron_expression.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <set>

namespace baton::config::cts {
namespace {

// cronexpr's fieldDescriptor: the field's range (for `*` and steps), the largest number its
// valuePattern accepts (day-of-week accepts 7), and its names with what its atoi gives them.
struct FieldDescriptor {
  const char* name;
  int min;
  int max;
  int pattern_max;
  bool four_digits;  // year
  std::vector<std::pair<std::string_view, int>> names;  // lowercase
  bool dow_tokens;   // day-of-week's atoi: dowTokens has "0".."7" only ("00".."07" give 0)
};

const FieldDescriptor kSecond{"second", 0, 59, 59, false, {}, false};
const FieldDescriptor kMinute{"minute", 0, 59, 59, false, {}, false};
const FieldDescriptor kHour{"hour", 0, 23, 23, false, {}, false};
const FieldDescriptor kDayOfMonth{"day-of-month", 1, 31, 31, false, {}, false};
const FieldDescriptor kMonth{"month", 1, 12, 12, false,
                             {{"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"may", 5}, {"jun", 6},
                              {"jul", 7}, {"aug", 8}, {"sep", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
                              {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"june", 6},
                              {"july", 7}, {"august", 8}, {"september", 9}, {"october", 10},
                              {"november", 11}, {"december", 12}},
                             false};
const FieldDescriptor kDayOfWeek{"day-of-week", 0, 6, 7, false,
                                 {{"sun", 0}, {"mon", 1}, {"tue", 2}, {"wed", 3}, {"thu", 4}, {"fri", 5},
                                  {"sat", 6}, {"sunday", 0}, {"monday", 1}, {"tuesday", 2},
                                  {"wednesday", 3}, {"thursday", 4}, {"friday", 5}, {"saturday", 6}},
                                 true};
const FieldDescriptor kYear{"year", 1970, 2099, 2099, true, {}, false};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int digits_value(std::string_view s) {
  int value = 0;
  for (const char c : s) value = value * 10 + (c - '0');
  return value;
}

// `^(valuePattern)$`: the field's numbers as its pattern writes them (`0?[0-9]|[1-5][0-9]`:
// one or two digits), or one of its names.
bool is_value(std::string_view s, const FieldDescriptor& field) {
  if (field.four_digits) return s.size() == 4 && all_digits(s) && digits_value(s) >= 1970 && digits_value(s) <= 2099;
  if (all_digits(s) && s.size() <= 2) {
    const int value = digits_value(s);
    return value >= field.min && value <= field.pattern_max;
  }
  for (const auto& [name, value] : field.names) {
    if (s == name) return true;
  }
  return false;
}

// The field's atoi on a text is_value accepted.
int value_of(std::string_view s, const FieldDescriptor& field) {
  for (const auto& [name, value] : field.names) {
    if (s == name) return value;
  }
  if (field.dow_tokens) return s.size() == 1 ? digits_value(s) % 7 : 0;
  return digits_value(s);
}

// numberTokens: what cronexpr's atoi gives a step (0 for anything not in its table).
int step_value(std::string_view s) {
  if (!all_digits(s)) return 0;
  if (s.size() <= 2) return digits_value(s) <= 59 ? digits_value(s) : 0;
  if (s.size() == 4 && digits_value(s) >= 1970 && digits_value(s) <= 2099) return digits_value(s);
  return 0;
}

enum class Kind { none, one, span, all };

struct Directive {
  Kind kind = Kind::none;
  int first = 0;
  int last = 0;
  int step = 1;
  std::string text;  // as written (not lowercased), for messages
};

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// `^(value)-(value)$` on `s`: the two values, or nullopt.
std::optional<std::pair<int, int>> range_of(std::string_view s, const FieldDescriptor& field) {
  const std::size_t dash = s.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view low = s.substr(0, dash);
  const std::string_view high = s.substr(dash + 1);
  if (!is_value(low, field) || !is_value(high, field)) return std::nullopt;
  return std::pair{value_of(low, field), value_of(high, field)};
}

// The step forms `*/2`, `5/2`, `5-20/2`: true when `s` has one of them (the directive filled
// in), false when it has none; an error text when its step is out of range.
std::variant<bool, std::string> parse_step(std::string_view s, const FieldDescriptor& field, Directive& directive) {
  const std::size_t slash = s.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view base = s.substr(0, slash);
  const std::string_view step = s.substr(slash + 1);
  if (!all_digits(step)) return false;
  if (base == "*") {
    directive.first = field.min;
    directive.last = field.max;
  } else if (is_value(base, field)) {
    directive.first = value_of(base, field);
    directive.last = field.max;
  } else if (const auto range = range_of(base, field)) {
    directive.first = range->first;
    directive.last = range->second;
  } else {
    return false;
  }
  directive.kind = Kind::span;
  directive.step = step_value(step);
  if (directive.step < 1 || directive.step > field.max) return "invalid interval " + std::string(s);
  return true;
}

// genericFieldParse: one directive per comma-separated entry, or an error text.
std::optional<std::string> parse_entries(std::string_view field_text, const FieldDescriptor& field,
                                         std::vector<Directive>& directives) {
  std::size_t start = 0;
  while (start < field_text.size()) {
    std::size_t end = field_text.find(',', start);
    if (end == std::string_view::npos) end = field_text.size();
    const std::string_view entry = field_text.substr(start, end - start);
    start = end + 1;
    if (entry.empty()) continue;
    const std::string normal = lowercase(entry);
    Directive directive;
    directive.text = std::string(entry);
    if (normal == "*" || normal == "?") {
      directive.kind = Kind::all;
      directive.first = field.min;
      directive.last = field.max;
    } else if (is_value(normal, field)) {
      directive.kind = Kind::one;
      directive.first = value_of(normal, field);
    } else if (const auto range = range_of(normal, field)) {
      directive.kind = Kind::span;
      directive.first = range->first;
      directive.last = range->second;
    } else {
      auto stepped = parse_step(normal, field, directive);
      if (auto* error = std::get_if<std::string>(&stepped)) return std::move(*error);
    }
    directives.push_back(std::move(directive));
  }
  if (directives.empty()) return std::string(field.name) + " field: missing directive";
  return std::nullopt;
}

std::string syntax_error(const FieldDescriptor& field, std::string_view text) {
  return "syntax error in " + std::string(field.name) + " field: '" + std::string(text) + "'";
}

void populate(std::set<int>& values, int first, int last, int step) {
  for (int i = first; i <= last; i += step) values.insert(i);
}

std::vector<int> default_list(const FieldDescriptor& field) {
  std::vector<int> list;
  for (int i = field.min; i <= field.max; ++i) list.push_back(i);
  return list;
}

// genericFieldHandler: the field's values; stops at the first `*` (its default list), fails at
// the first unknown entry before it.
std::variant<std::vector<int>, std::string> generic_field(std::string_view text, const FieldDescriptor& field) {
  std::vector<Directive> directives;
  if (auto error = parse_entries(text, field, directives)) return std::move(*error);
  std::set<int> values;
  for (const Directive& directive : directives) {
    switch (directive.kind) {
      case Kind::none: return syntax_error(field, directive.text);
      case Kind::one: values.insert(directive.first); break;
      case Kind::span: populate(values, directive.first, directive.last, directive.step); break;
      case Kind::all: return default_list(field);
    }
  }
  return std::vector<int>(values.begin(), values.end());
}

bool ends_with_value(std::string_view s, char suffix, const FieldDescriptor& field) {
  return s.size() >= 2 && s.back() == suffix && is_value(s.substr(0, s.size() - 1), field);
}

// domFieldHandler.
std::optional<std::string> day_of_month_field(std::string_view text, CronExpression& expr) {
  std::vector<Directive> directives;
  if (auto error = parse_entries(text, kDayOfMonth, directives)) return error;
  expr.days_of_month_restricted = true;
  std::set<int> days, workdays;
  for (const Directive& directive : directives) {
    switch (directive.kind) {
      case Kind::none: {
        const std::string s = lowercase(directive.text);
        if (s == "l") {
          expr.last_day_of_month = true;
        } else if (s == "lw") {
          expr.last_workday_of_month = true;
        } else if (ends_with_value(s, 'w', kDayOfMonth)) {
          workdays.insert(value_of(std::string_view(s).substr(0, s.size() - 1), kDayOfMonth));
        } else {
          return syntax_error(kDayOfMonth, directive.text);
        }
        break;
      }
      case Kind::one: days.insert(directive.first); break;
      case Kind::span: populate(days, directive.first, directive.last, directive.step); break;
      case Kind::all:
        populate(days, directive.first, directive.last, directive.step);
        expr.days_of_month_restricted = false;
        break;
    }
  }
  expr.days_of_month.assign(days.begin(), days.end());
  expr.workdays_of_month.assign(workdays.begin(), workdays.end());
  return std::nullopt;
}

// dowFieldHandler.
std::optional<std::string> day_of_week_field(std::string_view text, CronExpression& expr) {
  std::vector<Directive> directives;
  if (auto error = parse_entries(text, kDayOfWeek, directives)) return error;
  expr.days_of_week_restricted = true;
  std::set<int> days, specific, last_week;
  for (Directive directive : directives) {
    switch (directive.kind) {
      case Kind::none: {
        const std::string s = lowercase(directive.text);
        const std::size_t hash = s.find('#');
        if (ends_with_value(s, 'l', kDayOfWeek)) {
          last_week.insert(value_of(std::string_view(s).substr(0, s.size() - 1), kDayOfWeek));
        } else if (hash != std::string::npos && is_value(std::string_view(s).substr(0, hash), kDayOfWeek) &&
                   s.size() == hash + 2 && s[hash + 1] >= '1' && s[hash + 1] <= '5') {
          const int week = s[hash + 1] - '0';
          specific.insert((week - 1) * 7 + value_of(std::string_view(s).substr(0, hash), kDayOfWeek) % 7);
        } else {
          return syntax_error(kDayOfWeek, directive.text);
        }
        break;
      }
      case Kind::one: days.insert(directive.first); break;
      case Kind::span:
        if (directive.last == 0) directive.last = 6;  // "to properly handle spans that end in 7 (Sunday)"
        populate(days, directive.first, directive.last, directive.step);
        break;
      case Kind::all:
        populate(days, directive.first, directive.last, directive.step);
        expr.days_of_week_restricted = false;
        break;
    }
  }
  expr.days_of_week.assign(days.begin(), days.end());
  expr.specific_week_days_of_week.assign(specific.begin(), specific.end());
  expr.last_week_days_of_week.assign(last_week.begin(), last_week.end());
  return std::nullopt;
}

// cronNormalizer: the @ aliases, replaced wherever they appear.
std::string normalize(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kAliases = {{
      {"@yearly", "0 0 0 1 1 * *"},
      {"@annually", "0 0 0 1 1 * *"},
      {"@monthly", "0 0 0 1 * * *"},
      {"@weekly", "0 0 0 * * 0 *"},
      {"@daily", "0 0 0 * * * *"},
      {"@hourly", "0 0 * * * * *"},
  }};
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    bool replaced = false;
    for (const auto& [alias, expansion] : kAliases) {
      if (text.substr(i).starts_with(alias)) {
        out += expansion;
        i += alias.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

// Go's \s (RE2's Perl class): no \v.
bool is_cron_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

std::vector<std::string_view> fields_of(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_cron_space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_cron_space(text[i])) ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

// ---- Next: civil time in UTC, as Go's time.Date normalizes it -------------------------------

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::int64_t kSecondsPerDay = 86400;

// A UTC instant in whole seconds since the Unix epoch, and its civil fields.
struct Civil {
  int year, month, day, hour, minute, second;
};

std::int64_t days_from_civil(int year, int month, int day) {
  // time.Date: the month first carried into the year, then the day added to the month's first.
  int y = year + (month - 1) / 12;
  int m = (month - 1) % 12;
  if (m < 0) {
    m += 12;
    --y;
  }
  const sys_days first = std::chrono::year{y} / std::chrono::month{unsigned(m + 1)} / std::chrono::day{1};
  return first.time_since_epoch().count() + (day - 1);
}

std::int64_t make_time(int year, int month, int day, int hour, int minute, int second) {
  return days_from_civil(year, month, day) * kSecondsPerDay + std::int64_t(hour) * 3600 + std::int64_t(minute) * 60 + second;
}

Civil civil_of(std::int64_t seconds) {
  std::int64_t day_count = seconds / kSecondsPerDay;
  std::int64_t in_day = seconds % kSecondsPerDay;
  if (in_day < 0) {
    in_day += kSecondsPerDay;
    --day_count;
  }
  const std::chrono::year_month_day date{sys_days{days{day_count}}};
  return Civil{int(date.year()), int(unsigned(date.month())), int(unsigned(date.day())), int(in_day / 3600),
               int(in_day / 60 % 60), int(in_day % 60)};
}

int last_day_of(int year, int month) {
  const std::chrono::year_month_day_last last{std::chrono::year{year}, std::chrono::month_day_last{std::chrono::month{unsigned(month)}}};
  return int(unsigned(last.day()));
}

// 0 = Sunday.
int weekday_of(int year, int month, int day) {
  return int(std::chrono::weekday{sys_days{days{days_from_civil(year, month, day)}}}.c_encoding());
}

// workdayOfMonth: a Saturday moves to Friday (or to Monday the 3rd when it is the 1st), a
// Sunday to Monday (or to Friday when it is the month's last day).
int workday_of_month(int year, int month, int day, int last_day) {
  const int weekday = weekday_of(year, month, day);
  if (weekday == 6) return day > 1 ? day - 1 : day + 2;
  if (weekday == 0) return day < last_day ? day + 1 : day - 2;
  return day;
}

constexpr std::array<std::array<int, 5>, 7> kDowNormalizedOffsets = {{
    {1, 8, 15, 22, 29},
    {2, 9, 16, 23, 30},
    {3, 10, 17, 24, 31},
    {4, 11, 18, 25, 0},
    {5, 12, 19, 26, 0},
    {6, 13, 20, 27, 0},
    {7, 14, 21, 28, 0},
}};

// calculateActualDaysOfMonth.
std::vector<int> actual_days_of_month(const CronExpression& expr, int year, int month) {
  const int last_day = last_day_of(year, month);
  std::set<int> days_hit;
  if (!expr.days_of_month_restricted && !expr.days_of_week_restricted) {
    std::vector<int> all;
    for (int d = 1; d <= last_day; ++d) all.push_back(d);
    return all;
  }
  if (expr.days_of_month_restricted) {
    if (expr.last_day_of_month) days_hit.insert(last_day);
    if (expr.last_workday_of_month) days_hit.insert(workday_of_month(year, month, last_day, last_day));
    for (const int d : expr.days_of_month) {
      if (d <= last_day) days_hit.insert(d);
    }
    for (const int d : expr.workdays_of_month) {
      if (d <= last_day) days_hit.insert(workday_of_month(year, month, d, last_day));
    }
  }
  if (expr.days_of_week_restricted) {
    int offset = 7 - weekday_of(year, month, 1);  // how far the first Sunday is from the 1st
    for (const int v : expr.days_of_week) {
      const auto& w = kDowNormalizedOffsets[std::size_t((offset + v) % 7)];
      for (std::size_t i = 0; i < 4; ++i) days_hit.insert(w[i]);
      if (w[4] != 0 && w[4] <= last_day) days_hit.insert(w[4]);
    }
    for (const int specific : expr.specific_week_days_of_week) {
      const int d = 1 + 7 * (specific / 7) + (offset + specific) % 7;
      if (d <= last_day) days_hit.insert(d);
    }
    const int last_week_origin = last_day - 6;
    offset = 7 - weekday_of(year, month, last_week_origin);
    for (const int v : expr.last_week_days_of_week) {
      const int d = last_week_origin + (offset + v) % 7;
      if (d <= last_day) days_hit.insert(d);
    }
  }
  return std::vector<int>(days_hit.begin(), days_hit.end());
}

// sort.SearchInts: the first index whose value is >= x.
std::size_t search(const std::vector<int>& list, int x) {
  return std::size_t(std::lower_bound(list.begin(), list.end(), x) - list.begin());
}

}  // namespace

std::variant<CronExpression, std::string> parse_cron(std::string_view text) {
  const std::string cron = normalize(text);
  const std::vector<std::string_view> fields = fields_of(cron);
  if (fields.size() < 5) return std::string("missing field(s)");
  const std::size_t count = std::min<std::size_t>(fields.size(), 7);
  CronExpression expr;
  std::size_t field = 0;
  const auto generic = [&](const FieldDescriptor& descriptor, std::vector<int>& out) -> std::optional<std::string> {
    auto values = generic_field(fields[field++], descriptor);
    if (auto* error = std::get_if<std::string>(&values)) return std::move(*error);
    out = std::get<std::vector<int>>(std::move(values));
    return std::nullopt;
  };
  if (count == 7) {
    if (auto error = generic(kSecond, expr.seconds)) return *error;
  } else {
    expr.seconds = {0};
  }
  if (auto error = generic(kMinute, expr.minutes)) return *error;
  if (auto error = generic(kHour, expr.hours)) return *error;
  if (auto error = day_of_month_field(fields[field++], expr)) return *error;
  if (auto error = generic(kMonth, expr.months)) return *error;
  if (auto error = day_of_week_field(fields[field++], expr)) return *error;
  if (field < count) {
    if (auto error = generic(kYear, expr.years)) return *error;
  } else {
    expr.years = default_list(kYear);
  }
  return expr;
}

std::optional<std::string> cron_syntax_error(std::string_view text) {
  auto parsed = parse_cron(text);
  if (auto* error = std::get_if<std::string>(&parsed)) return std::move(*error);
  return std::nullopt;
}

std::optional<WallTime> CronExpression::next(WallTime from) const {
  // Where cronexpr indexes an empty list it panics; where it searches one it ends up returning
  // the zero Time. Either way: no next activation.
  if (seconds.empty() || minutes.empty() || hours.empty() || months.empty() || years.empty()) return std::nullopt;

  // fromTime.Add(time.Second - fromTime.Nanosecond()): the next whole second.
  const std::int64_t from_ns = from.time_since_epoch().count();
  std::int64_t from_s = from_ns / 1'000'000'000;
  if (from_ns % 1'000'000'000 < 0) --from_s;
  std::int64_t t = from_s + 1;

  // Each pass moves t forward (or returns); years end at 2099, so the loop ends.
  for (;;) {
    Civil c = civil_of(t);
    std::size_t i = search(years, c.year);
    if (i == years.size()) return std::nullopt;
    if (years[i] != c.year) t = make_time(years[i], months[0], 1, 0, 0, 0);

    c = civil_of(t);
    i = search(months, c.month);
    if (i == months.size()) {
      t = make_time(c.year + 1, months[0], 1, 0, 0, 0);
      continue;
    }
    if (months[i] != c.month) t = make_time(c.year, months[i], 1, 0, 0, 0);

    c = civil_of(t);
    const std::vector<int> actual_days = actual_days_of_month(*this, c.year, c.month);
    if (actual_days.empty()) {
      t = make_time(c.year, c.month + 1, 1, 0, 0, 0);
      continue;
    }
    i = search(actual_days, c.day);
    if (i == actual_days.size()) {
      t = make_time(c.year, c.month + 1, 1, 0, 0, 0);
      continue;
    }
    if (actual_days[i] != c.day) t = make_time(c.year, c.month, actual_days[i], 0, 0, 0);

    // UTC has no daylight saving: cronexpr's fast path.
    c = civil_of(t);
    i = search(hours, c.hour);
    if (i == hours.size()) {
      t = make_time(c.year, c.month, c.day + 1, 0, 0, 0);
      continue;
    }
    if (hours[i] != c.hour) t = make_time(c.year, c.month, c.day, hours[i], minutes[0], seconds[0]);

    c = civil_of(t);
    i = search(minutes, c.minute);
    if (i == minutes.size()) {
      t = make_time(c.year, c.month, c.day, c.hour + 1, 0, 0);
      continue;
    }
    if (minutes[i] != c.minute) t = make_time(c.year, c.month, c.day, c.hour, minutes[i], seconds[0]);

    c = civil_of(t);
    i = search(seconds, c.second);
    if (i == seconds.size()) {
      t = make_time(c.year, c.month, c.day, c.hour, c.minute + 1, 0);
      continue;
    }
    if (seconds[i] != c.second) t = make_time(c.year, c.month, c.day, c.hour, c.minute, seconds[i]);
    return WallTime(std::chrono::seconds(t));
  }
}

}  // namespace baton::config::cts
