#include "engine/config/cts/cron_expression.hpp"

#include <array>
#include <vector>

namespace baton::config::cts {
namespace {

struct FieldDescriptor {
  const char* name;
  int min;
  int max;          // the field's range, for steps
  int pattern_max;  // the largest number valuePattern accepts (day-of-week accepts 7)
  bool four_digits; // year
  std::vector<std::string_view> names;  // month and day-of-week names, lowercase
};

const FieldDescriptor kSecond{"second", 0, 59, 59, false, {}};
const FieldDescriptor kMinute{"minute", 0, 59, 59, false, {}};
const FieldDescriptor kHour{"hour", 0, 23, 23, false, {}};
const FieldDescriptor kDayOfMonth{"day-of-month", 1, 31, 31, false, {}};
const FieldDescriptor kMonth{"month", 1, 12, 12, false,
                             {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                              "january", "february", "march", "april", "june", "july", "august", "september",
                              "october", "november", "december"}};
const FieldDescriptor kDayOfWeek{"day-of-week", 0, 6, 7, false,
                                 {"sun", "mon", "tue", "wed", "thu", "fri", "sat", "sunday", "monday", "tuesday",
                                  "wednesday", "thursday", "friday", "saturday"}};
const FieldDescriptor kYear{"year", 1970, 2099, 2099, true, {}};

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
  for (const std::string_view name : field.names) {
    if (s == name) return true;
  }
  return false;
}

// numberTokens: what cronexpr's atoi gives a step (0 for anything not in its table).
int step_value(std::string_view s) {
  if (!all_digits(s)) return 0;
  if (s.size() <= 2) return digits_value(s) <= 59 ? digits_value(s) : 0;
  if (s.size() == 4 && digits_value(s) >= 1970 && digits_value(s) <= 2099) return digits_value(s);
  return 0;
}

bool is_range(std::string_view s, const FieldDescriptor& field) {
  const std::size_t dash = s.find('-');
  return dash != std::string_view::npos && is_value(s.substr(0, dash), field) && is_value(s.substr(dash + 1), field);
}

enum class Kind { none, one, span, all };

struct Directive {
  Kind kind = Kind::none;
  std::string text;  // as written (not lowercased), for messages
};

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A step (`*/2`, `5/2`, `5-20/2`), or nullopt when the entry has no '/' form; an error text
// when the step is out of range.
std::optional<std::optional<std::string>> parse_step(std::string_view s, const FieldDescriptor& field) {
  const std::size_t slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view base = s.substr(0, slash);
  const std::string_view step = s.substr(slash + 1);
  if (!all_digits(step)) return std::nullopt;
  if (!(base == "*" || is_value(base, field) || is_range(base, field))) return std::nullopt;
  const int value = step_value(step);
  if (value < 1 || value > field.max) return std::optional<std::string>("invalid interval " + std::string(s));
  return std::optional<std::string>();
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
    Directive directive{Kind::none, std::string(entry)};
    if (normal == "*" || normal == "?") {
      directive.kind = Kind::all;
    } else if (is_value(normal, field)) {
      directive.kind = Kind::one;
    } else if (is_range(normal, field)) {
      directive.kind = Kind::span;
    } else if (const auto step = parse_step(normal, field)) {
      if (*step) return *step;
      directive.kind = Kind::span;
    }
    directives.push_back(std::move(directive));
  }
  if (directives.empty()) return std::string(field.name) + " field: missing directive";
  return std::nullopt;
}

std::string syntax_error(const FieldDescriptor& field, std::string_view text) {
  return "syntax error in " + std::string(field.name) + " field: '" + std::string(text) + "'";
}

// genericFieldHandler: stops at the first `*`, fails at the first unknown entry.
std::optional<std::string> check_generic(std::string_view text, const FieldDescriptor& field) {
  std::vector<Directive> directives;
  if (auto error = parse_entries(text, field, directives)) return error;
  for (const Directive& directive : directives) {
    if (directive.kind == Kind::all) return std::nullopt;
    if (directive.kind == Kind::none) return syntax_error(field, directive.text);
  }
  return std::nullopt;
}

bool ends_with_value(std::string_view s, char suffix, const FieldDescriptor& field) {
  return s.size() >= 2 && s.back() == suffix && is_value(s.substr(0, s.size() - 1), field);
}

std::optional<std::string> check_day_of_month(std::string_view text) {
  std::vector<Directive> directives;
  if (auto error = parse_entries(text, kDayOfMonth, directives)) return error;
  for (const Directive& directive : directives) {
    if (directive.kind != Kind::none) continue;
    const std::string s = lowercase(directive.text);
    if (s == "l" || s == "lw" || ends_with_value(s, 'w', kDayOfMonth)) continue;
    return syntax_error(kDayOfMonth, directive.text);
  }
  return std::nullopt;
}

std::optional<std::string> check_day_of_week(std::string_view text) {
  std::vector<Directive> directives;
  if (auto error = parse_entries(text, kDayOfWeek, directives)) return error;
  for (const Directive& directive : directives) {
    if (directive.kind != Kind::none) continue;
    const std::string s = lowercase(directive.text);
    if (ends_with_value(s, 'l', kDayOfWeek)) continue;
    const std::size_t hash = s.find('#');
    if (hash != std::string::npos && is_value(s.substr(0, hash), kDayOfWeek) && s.size() == hash + 2 &&
        s[hash + 1] >= '1' && s[hash + 1] <= '5') {
      continue;
    }
    return syntax_error(kDayOfWeek, directive.text);
  }
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

}  // namespace

std::optional<std::string> cron_syntax_error(std::string_view text) {
  const std::string cron = normalize(text);
  const std::vector<std::string_view> fields = fields_of(cron);
  if (fields.size() < 5) return "missing field(s)";
  const std::size_t count = std::min<std::size_t>(fields.size(), 7);
  std::size_t field = 0;
  if (count == 7) {
    if (auto error = check_generic(fields[field++], kSecond)) return error;
  }
  if (auto error = check_generic(fields[field++], kMinute)) return error;
  if (auto error = check_generic(fields[field++], kHour)) return error;
  if (auto error = check_day_of_month(fields[field++])) return error;
  if (auto error = check_generic(fields[field++], kMonth)) return error;
  if (auto error = check_day_of_week(fields[field++])) return error;
  if (field < count) {
    if (auto error = check_generic(fields[field], kYear)) return error;
  }
  return std::nullopt;
}

}  // namespace baton::config::cts
