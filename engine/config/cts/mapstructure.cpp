#include "engine/config/cts/mapstructure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "engine/config/cts/go_parse_duration.hpp"
#include "engine/config/cts/go_strconv.hpp"
#include "engine/config/cts/go_text.hpp"

namespace baton::config::cts {
namespace {

bool is_slice(const GoValue& value) { return value.kind == GoKind::slice || value.kind == GoKind::map_slice; }

bool equal_fold_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string quoted_name(const std::string& name) { return "'" + name + "'"; }

// "'name' expected type 'T', got unconvertible type 'U', value: 'v'".
void fail_unconvertible(Decoding& d, const std::string& name, const GoValue& value, std::string_view type) {
  d.fail(value.position, quoted_name(name) + " expected type '" + std::string(type) + "', got unconvertible type '" +
                             hcl::go_type_name(value.kind) + "', value: '" + go_sprint(value) + "'");
}

// Go's int64(float64): truncation; out of range gives the minimum int64 on amd64.
std::int64_t go_float_to_int(double value) {
  if (std::isnan(value) || value >= 9223372036854775808.0 || value < -9223372036854775808.0) {
    return std::numeric_limits<std::int64_t>::min();
  }
  return static_cast<std::int64_t>(value);
}

// decodeInt, for `int` and for time.Duration (an int64 kind) once the hooks ran.
std::optional<std::int64_t> decode_int_value(Decoding& d, const std::string& name, const GoValue& value,
                                             std::string_view type) {
  switch (value.kind) {
    case GoKind::integer: return value.integer;
    case GoKind::floating: return go_float_to_int(value.floating);
    case GoKind::boolean: return value.boolean ? 1 : 0;
    case GoKind::string: {
      const auto parsed = go_parse_int(value.string.empty() ? std::string_view("0") : std::string_view(value.string));
      if (const auto* error = std::get_if<std::string>(&parsed)) {
        d.fail(value.position, "cannot parse " + quoted_name(name) + " as int: " + *error);
        return std::nullopt;
      }
      return std::get<std::int64_t>(parsed);
    }
    default: fail_unconvertible(d, name, value, type); return std::nullopt;
  }
}

// decodeString on one value (after the hooks).
std::optional<std::string> decode_string_value(Decoding& d, const std::string& name, const GoValue& value) {
  switch (value.kind) {
    case GoKind::string: return value.string;
    case GoKind::boolean: return std::string(value.boolean ? "1" : "0");
    case GoKind::integer: return std::to_string(value.integer);
    case GoKind::floating: return go_format_float_f(value.floating);
    default: fail_unconvertible(d, name, value, "string"); return std::nullopt;
  }
}

// HookWeakDecodeFromSlice for a target of type interface{}: the element, unSliced.
GoValue to_interface(const Decoding& d, const GoValue& value) {
  if (!d.weak_decode_from_slice() || !is_slice(value) || value.elements.size() != 1) return value;
  GoValue element = value.elements.front();
  un_slice(element);
  return element;
}

template <class Map, class Add>
void decode_map_into(Decoding& d, const std::string& name, const GoValue& in, Opt<Map>& out, Add add) {
  const GoValue& value = after_slice_hook(d, in, 1);
  if (value.kind == GoKind::nil) return;
  if (is_slice(value)) {
    // decodeMapFromSlice: every element decoded into the same map.
    if (!out) out.set(Map{}, value.position);
    for (std::size_t i = 0; i < value.elements.size(); ++i) {
      const std::size_t errors_before = d.error_count();
      decode_map_into(d, element_path(name, i), value.elements[i], out, add);
      if (d.error_count() != errors_before) return;
    }
    return;
  }
  if (value.kind != GoKind::map) {
    d.fail(value.position, quoted_name(name) + " expected a map, got '" + go_kind_name(value.kind) + "'");
    return;
  }
  Map& map = out ? *out : out.ensure(value.position);
  for (const hcl::GoEntry& entry : value.entries) add(map, name + "[" + entry.key + "]", entry);
}

}  // namespace

void Decoding::fail(const hcl::Position& position, std::string message) {
  std::string go_text = message;
  errors_.push_back(DecodeError{position, std::move(message), std::move(go_text)});
}

void Decoding::fail_with(const std::string& prefix, const Decoding& inner) {
  const DecodeError first = inner.first_error();
  errors_.push_back(DecodeError{first.position, prefix + first.message, prefix + inner.go_text()});
}

void Decoding::fail_alone(const hcl::Position& position, std::string message) {
  fail(position, std::move(message));
  alone_ = errors_.size() == 1;
}

std::vector<DecodeError> Decoding::sorted_errors() const {
  std::vector<DecodeError> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const DecodeError& a, const DecodeError& b) { return a.go_text < b.go_text; });
  return sorted;
}

DecodeError Decoding::first_error() const { return sorted_errors().front(); }

std::string Decoding::go_text() const {
  if (alone_ && errors_.size() == 1) return errors_.front().go_text;
  std::string text = std::to_string(errors_.size()) + " error(s) decoding:\n";
  for (const DecodeError& error : sorted_errors()) text += "\n* " + error.go_text;
  return text;
}

void Decoding::add_unused(std::string name, hcl::Position position) {
  unused_.push_back(UnusedKey{std::move(name), std::move(position)});
}

std::vector<UnusedKey> Decoding::sorted_unused() const {
  std::vector<UnusedKey> sorted = unused_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const UnusedKey& a, const UnusedKey& b) { return a.name < b.name; });
  return sorted;
}

const GoValue& after_slice_hook(const Decoding& decoding, const GoValue& value, int levels) {
  const GoValue* current = &value;
  for (int i = 0; i < levels && decoding.weak_decode_from_slice(); ++i) {
    if (!is_slice(*current) || current->elements.size() != 1) break;
    current = &current->elements.front();
  }
  return *current;
}

std::string field_path(const std::string& parent, std::string_view field) {
  return parent.empty() ? std::string(field) : parent + "." + std::string(field);
}

std::string element_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

const char* go_kind_name(GoKind kind) {
  switch (kind) {
    case GoKind::nil: return "invalid";
    case GoKind::boolean: return "bool";
    case GoKind::integer: return "int";
    case GoKind::floating: return "float64";
    case GoKind::string: return "string";
    case GoKind::slice:
    case GoKind::map_slice: return "slice";
    case GoKind::map: return "map";
  }
  return "invalid";
}

void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<std::string>& out) {
  const GoValue& value = after_slice_hook(d, in, 2);
  if (value.kind == GoKind::nil) return;
  if (auto decoded = decode_string_value(d, name, value)) out.set(std::move(*decoded), value.position);
}

void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<bool>& out) {
  const GoValue& value = after_slice_hook(d, in, 2);
  switch (value.kind) {
    case GoKind::nil: return;
    case GoKind::boolean: out.set(value.boolean, value.position); return;
    case GoKind::integer: out.set(value.integer != 0, value.position); return;
    case GoKind::floating: out.set(value.floating != 0, value.position); return;
    case GoKind::string: {
      if (value.string.empty()) {
        out.set(false, value.position);
        return;
      }
      const auto parsed = go_parse_bool(value.string);
      if (const auto* error = std::get_if<std::string>(&parsed)) {
        d.fail(value.position, "cannot parse " + quoted_name(name) + " as bool: " + *error);
        return;
      }
      out.set(std::get<bool>(parsed), value.position);
      return;
    }
    default: fail_unconvertible(d, name, value, "bool");
  }
}

void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<std::int64_t>& out) {
  const GoValue& value = after_slice_hook(d, in, 2);
  if (value.kind == GoKind::nil) return;
  if (const auto decoded = decode_int_value(d, name, value, "int")) out.set(*decoded, value.position);
}

void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<Duration>& out) {
  const GoValue& value = after_slice_hook(d, in, 2);
  if (value.kind == GoKind::nil) return;
  if (value.kind == GoKind::string) {
    // StringToTimeDurationHookFunc; a hook's error is wrapped by mapstructure's decode.
    const auto parsed = go_parse_duration(value.string);
    if (const auto* error = std::get_if<std::string>(&parsed)) {
      d.fail(value.position, "error decoding " + quoted_name(name) + ": " + *error);
      return;
    }
    out.set(std::get<Duration>(parsed), value.position);
    return;
  }
  if (const auto decoded = decode_int_value(d, name, value, "time.Duration")) out.set(Duration(*decoded), value.position);
}

void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<StringList>& out) {
  const GoValue& value = in;  // []string is not a pointer, and a list into a list is left alone
  if (value.kind == GoKind::nil) return;
  std::vector<const GoValue*> elements;
  if (is_slice(value)) {
    for (const GoValue& element : value.elements) elements.push_back(&element);
  } else if (!(value.kind == GoKind::map && value.entries.empty())) {
    elements.push_back(&value);  // weak typing lifts one value into a list
  }
  const std::size_t errors_before = d.error_count();
  StringList decoded;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const GoValue& element = after_slice_hook(d, *elements[i], 1);
    auto text = element.kind == GoKind::nil ? std::optional<std::string>("")
                                            : decode_string_value(d, element_path(name, i), element);
    decoded.push_back(text ? std::move(*text) : std::string());
  }
  if (d.error_count() == errors_before) out.set(std::move(decoded), value.position);
}

void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<StringMap>& out) {
  decode_map_into(d, name, in, out, [&d](StringMap& map, const std::string& path, const hcl::GoEntry& entry) {
    const GoValue& value = after_slice_hook(d, entry.value, 1);
    if (value.kind == GoKind::nil) {
      map[entry.key];
      return;
    }
    if (auto text = decode_string_value(d, path, value)) map[entry.key] = std::move(*text);
  });
}

void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<GoObject>& out) {
  decode_map_into(d, name, in, out, [&d](GoObject& object, const std::string&, const hcl::GoEntry& entry) {
    if (object.value.kind != GoKind::map) object = empty_go_map();
    GoValue value = to_interface(d, entry.value);
    for (hcl::GoEntry& existing : object.value.entries) {
      if (existing.key == entry.key) {
        existing.value = std::move(value);
        return;
      }
    }
    object.value.entries.push_back(hcl::GoEntry{entry.key, entry.key_position, std::move(value)});
  });
  if (out && out->value.kind != GoKind::map) out->value.kind = GoKind::map;
}

StructReader::StructReader(Decoding& decoding, std::string name, const GoValue& map)
    : decoding_(decoding),
      name_(std::move(name)),
      map_(map),
      used_(map.entries.size(), false),
      errors_before_(decoding.error_count()) {}

StructReader::~StructReader() {
  // mapstructure records unused keys only for a struct whose fields all decoded.
  if (decoding_.error_count() != errors_before_) return;
  for (std::size_t i = 0; i < map_.entries.size(); ++i) {
    if (!used_[i]) decoding_.add_unused(field_path(name_, map_.entries[i].key), map_.entries[i].key_position);
  }
}

const GoValue* StructReader::take(std::string_view key, std::string& path) {
  std::size_t found = map_.entries.size();
  for (std::size_t i = 0; i < map_.entries.size() && found == map_.entries.size(); ++i) {
    if (map_.entries[i].key == key) found = i;
  }
  for (std::size_t i = 0; i < map_.entries.size() && found == map_.entries.size(); ++i) {
    if (equal_fold_ascii(map_.entries[i].key, key)) found = i;
  }
  if (found == map_.entries.size()) return nullptr;
  used_[found] = true;
  path = field_path(name_, key);
  return &map_.entries[found].value;
}

std::optional<std::vector<const GoValue*>> slice_elements(const Decoding& d, const GoValue& in, int pointer_levels) {
  const GoValue& value = after_slice_hook(d, in, pointer_levels);
  if (value.kind == GoKind::nil) return std::nullopt;
  std::vector<const GoValue*> elements;
  if (is_slice(value)) {
    for (const GoValue& element : value.elements) elements.push_back(&element);
  } else if (!(value.kind == GoKind::map && value.entries.empty())) {
    elements.push_back(&value);
  }
  return elements;
}

}  // namespace baton::config::cts
