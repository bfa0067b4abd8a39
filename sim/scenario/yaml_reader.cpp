#include "sim/scenario/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

#include "sim/scenario/words.hpp"

namespace baton::sim::scenario {
namespace {

constexpr std::size_t kDescribedLengthMax = 40;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_integer_text(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

bool is_decimal_text(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || !std::all_of(whole.begin(), whole.end(), is_digit)) return false;
  if (dot != std::string_view::npos && (fraction.empty() || !std::all_of(fraction.begin(), fraction.end(), is_digit))) {
    return false;
  }
  return true;
}

}  // namespace

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

YamlReader::YamlReader(std::string file, std::string text) : file_(std::move(file)), text_(std::move(text)) {}

void YamlReader::fail(const SourceRef& at, const std::string& path, std::string message) {
  if (error_) return;
  error_ = ScenarioError{file_, at.line, at.column, path, std::move(message)};
}

SourceRef YamlReader::where(const YAML::Node& node, const SourceRef& fallback) const {
  if (node.IsNull()) return fallback;
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0 || mark.column < 0) return fallback;
  return SourceRef{file_, mark.line + 1, mark.column + 1};
}

YamlValue YamlReader::root(const YAML::Node& node) const {
  return YamlValue{node, "", where(node, SourceRef{file_, 1, 1})};
}

SourceRef YamlReader::text_start(const YamlValue& value) const {
  if (!value.node.IsScalar()) return value.at;
  const YAML::Mark mark = value.node.Mark();
  if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text_.size()) return value.at;
  const char indicator = text_[static_cast<std::size_t>(mark.pos)];
  if (indicator == '"' || indicator == '\'') return SourceRef{file_, value.at.line, value.at.column + 1};
  if (indicator != '|' && indicator != '>') return value.at;
  // The block's first line is the line after its header; its indentation is that of its first
  // non-blank line (YAML's auto-detection).
  std::size_t line_start = text_.find('\n', static_cast<std::size_t>(mark.pos));
  if (line_start == std::string::npos) return value.at;
  ++line_start;
  const int first_line = mark.line + 2;
  for (std::size_t at = line_start; at < text_.size();) {
    std::size_t end = text_.find('\n', at);
    if (end == std::string::npos) end = text_.size();
    const std::string_view line(text_.data() + at, end - at);
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent != std::string_view::npos && line[indent] != '\r') {
      return SourceRef{file_, first_line, static_cast<int>(indent) + 1};
    }
    at = end + 1;
  }
  return SourceRef{file_, first_line, 1};
}

std::string YamlReader::describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& text = node.Scalar();
  const std::size_t newline = text.find('\n');
  if (text.size() <= kDescribedLengthMax && newline == std::string::npos) return quote(text);
  return quote(text.substr(0, std::min(kDescribedLengthMax, newline)) + "...");
}

bool YamlReader::count(std::size_t values) {
  if (failed()) return false;
  values_read_ += values;
  if (values_read_ <= kYamlValuesMax) return true;
  fail(SourceRef{file_, 1, 1}, "",
       "the scenario has more than " + std::to_string(kYamlValuesMax) + " values (aliases included)");
  return false;
}

bool YamlReader::plain_tag(const YamlValue& value) {
  // "?" is an untagged plain value, "!" a quoted one, "" a null; anything else was written.
  const std::string& tag = value.node.Tag();
  if (tag.empty() || tag == "?" || tag == "!") return true;
  fail(value, "YAML tags are not supported (found " + quote(tag) + ")");
  return false;
}

bool YamlReader::is_map(const YamlValue& value, std::string_view what) {
  if (failed() || !plain_tag(value)) return false;
  if (value.node.IsMap()) return true;
  fail(value, "expected " + std::string(what) + ", found " + describe(value.node));
  return false;
}

bool YamlReader::is_list(const YamlValue& value, std::string_view what) {
  if (failed() || !plain_tag(value)) return false;
  if (value.node.IsSequence()) return true;
  fail(value, "expected " + std::string(what) + ", found " + describe(value.node));
  return false;
}

bool YamlReader::is_scalar(const YamlValue& value, std::string_view what) {
  if (failed() || !plain_tag(value)) return false;
  if (value.node.IsScalar()) return true;
  fail(value, "expected " + std::string(what) + ", found " + describe(value.node));
  return false;
}

std::vector<YamlValue> YamlReader::items(const YamlValue& list, std::string_view what) {
  std::vector<YamlValue> out;
  if (!is_list(list, what) || !count(list.node.size())) return out;
  std::size_t index = 0;
  for (auto it = list.node.begin(); it != list.node.end(); ++it, ++index) {
    const YAML::Node item = *it;
    out.push_back(YamlValue{item, list.path + "[" + std::to_string(index) + "]", where(item, list.at)});
  }
  return out;
}

std::optional<std::string> YamlReader::string(const YamlValue& value) {
  if (!is_scalar(value, "a string")) return std::nullopt;
  return value.node.Scalar();
}

std::optional<std::string> YamlReader::name(const YamlValue& value) {
  std::optional<std::string> text = string(value);
  if (text && text->empty()) {
    fail(value, "expected a non-empty string");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> YamlReader::choice(const YamlValue& value, const std::vector<std::string_view>& choices) {
  const std::string expected = "expected one of " + join(choices);
  if (!is_scalar(value, expected)) return std::nullopt;
  const std::string& text = value.node.Scalar();
  if (std::find(choices.begin(), choices.end(), text) != choices.end()) return text;
  fail(value, expected + ", found " + describe(value.node));
  return std::nullopt;
}

std::optional<std::int64_t> YamlReader::integer(const YamlValue& value, std::int64_t min, std::int64_t max) {
  const std::string expected = "expected an integer in " + std::to_string(min) + ".." + std::to_string(max);
  if (!is_scalar(value, expected)) return std::nullopt;
  const std::string& text = value.node.Scalar();
  std::int64_t number = 0;
  const bool plain = value.node.Tag() == "?";
  if (plain && is_integer_text(text)) {
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (failure == std::errc() && end == text.data() + text.size() && number >= min && number <= max) return number;
    fail(value, expected + ", found " + text);
    return std::nullopt;
  }
  fail(value, expected + ", found " + describe(value.node));
  return std::nullopt;
}

std::optional<std::uint64_t> YamlReader::unsigned_integer(const YamlValue& value) {
  const std::string expected = "expected an integer in 0.." + std::to_string(UINT64_MAX);
  if (!is_scalar(value, expected)) return std::nullopt;
  const std::string& text = value.node.Scalar();
  std::uint64_t number = 0;
  if (value.node.Tag() == "?" && !text.empty() && std::all_of(text.begin(), text.end(), is_digit)) {
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (failure == std::errc() && end == text.data() + text.size()) return number;
    fail(value, expected + ", found " + text);
    return std::nullopt;
  }
  fail(value, expected + ", found " + describe(value.node));
  return std::nullopt;
}

std::optional<double> YamlReader::fraction(const YamlValue& value, double min, double max_exclusive,
                                           std::string_view what) {
  char bounds[64];
  const auto [bounds_end, bounds_failure] =
      std::to_chars(bounds, bounds + sizeof bounds, min);  // "[0, 1)" for the usual probability
  const std::string low = bounds_failure == std::errc() ? std::string(bounds, bounds_end) : std::string("?");
  const auto [high_end, high_failure] = std::to_chars(bounds, bounds + sizeof bounds, max_exclusive);
  const std::string high = high_failure == std::errc() ? std::string(bounds, high_end) : std::string("?");
  const std::string expected = "expected " + std::string(what) + " in [" + low + ", " + high + ")";
  if (!is_scalar(value, expected)) return std::nullopt;
  const std::string& text = value.node.Scalar();
  if (value.node.Tag() == "?" && is_decimal_text(text)) {
    double number = 0;
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (failure == std::errc() && end == text.data() + text.size() && std::isfinite(number) && number >= min &&
        number < max_exclusive) {
      return number;
    }
    fail(value, expected + ", found " + text);
    return std::nullopt;
  }
  fail(value, expected + ", found " + describe(value.node));
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YamlValue& value) {
  if (!is_scalar(value, "true or false")) return std::nullopt;
  const std::string& text = value.node.Scalar();
  if (value.node.Tag() == "?" && (text == "true" || text == "false")) return text == "true";
  fail(value, "expected true or false, found " + describe(value.node));
  return std::nullopt;
}

std::optional<DurationSpec> YamlReader::duration(const YamlValue& value, TtlMultiple ttl) {
  if (!is_scalar(value, "a duration such as 30s")) return std::nullopt;
  std::string error;
  std::optional<DurationSpec> spec = parse_duration(value.node.Scalar(), ttl, error);
  if (!spec) fail(value, error);
  return spec;
}

std::optional<DurationRange> YamlReader::duration_range(const YamlValue& value, TtlMultiple ttl) {
  if (!is_scalar(value, "a duration or a range such as 1ms..5ms")) return std::nullopt;
  std::string error;
  std::optional<DurationRange> range = parse_duration_range(value.node.Scalar(), ttl, error);
  if (!range) fail(value, error);
  return range;
}

std::optional<std::int64_t> YamlReader::signed_duration_ns(const YamlValue& value) {
  if (!is_scalar(value, "a duration such as -3s")) return std::nullopt;
  std::string error;
  std::optional<std::int64_t> ns = parse_signed_duration_ns(value.node.Scalar(), error);
  if (!ns) fail(value, error);
  return ns;
}

std::optional<std::vector<std::string>> YamlReader::names(const YamlValue& value, bool unique) {
  std::vector<std::string> out;
  for (const YamlValue& item : items(value, "a list of strings")) {
    std::optional<std::string> text = name(item);
    if (!text) return std::nullopt;
    if (unique && std::find(out.begin(), out.end(), *text) != out.end()) {
      fail(item, quote(*text) + " is listed twice");
      return std::nullopt;
    }
    out.push_back(std::move(*text));
  }
  if (failed()) return std::nullopt;
  return out;
}

YamlMap::YamlMap(YamlReader& reader, const YamlValue& map, std::optional<std::vector<std::string_view>> allowed,
                 std::string_view what)
    : reader_(reader), self_(map) {
  if (!reader.is_map(map, what) || !reader.count(map.node.size())) return;
  for (auto it = map.node.begin(); it != map.node.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    const SourceRef key_at = reader.where(key, map.at);
    if (!key.IsScalar() || (key.Tag() != "?" && key.Tag() != "!")) {
      reader.fail(key_at, map.path, "a key must be a word, found " + YamlReader::describe(key));
      return;
    }
    const std::string& name = key.Scalar();
    if (allowed && std::find(allowed->begin(), allowed->end(), name) == allowed->end()) {
      reader.fail(key_at, map.path, "unknown key " + quote(name) + " (allowed: " + join(*allowed) + ")");
      return;
    }
    for (const Entry& earlier : entries_) {
      if (earlier.key == name) {
        reader.fail(key_at, map.path,
                    "duplicate key " + quote(name) + " (first at line " + std::to_string(earlier.key_at.line) + ")");
        return;
      }
    }
    entries_.push_back(Entry{name, key_at, YamlValue{value, child_path(map.path, name), reader.where(value, key_at)}});
  }
  valid_ = true;
}

std::optional<YamlValue> YamlMap::get(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return entry.value;
  }
  return std::nullopt;
}

std::optional<YamlValue> YamlMap::require(std::string_view key) const {
  std::optional<YamlValue> value = get(key);
  if (!value && valid_) reader_.fail(self_, "missing required key " + quote(key));
  return value;
}

}  // namespace baton::sim::scenario
