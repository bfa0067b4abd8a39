#pragma once
// mitchellh/mapstructure v1.5.0 as CTS v0.9.0 configures it (config.go decodeConfig:
// WeaklyTypedInput, Metadata for unused keys, and the decode hooks), decoding the
// map[string]interface{} of one file (hcl/go_value.hpp) into typed fields.
//
// What is reproduced:
// - keys match fields exactly, else case-insensitively (ASCII); unmatched keys are "unused"
//   and named by their path: `consul.tls.foo`, `task[0].bar`;
// - weak typing: strings <-> numbers <-> bools (`port = "8558"`, `enabled = 1`), a single value
//   where a list is expected (`providers = "aws"`), an empty map where a list is expected;
// - HookWeakDecodeFromSlice (HCL files, and always inside condition/module_input blocks):
//   a one-element list where a single value is expected is that value, once per pointer level,
//   and values kept as interface{} are unSliced (go_object.hpp);
// - StringToTimeDurationHookFunc: strings into durations with time.ParseDuration;
// - error texts word for word ("'port' expected type 'int', got unconvertible type 'bool',
//   value: 'true'"), each with the position of the offending value.
// What is not: mapstructure prints every error of a decode as a sorted list under "N error(s)
// decoding:"; this collects them alike but reports the first of that list alone, with its
// position (a hook's nested list is reduced to its first error the same way).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/cts/go_object.hpp"
#include "engine/config/cts/opt.hpp"
#include "engine/config/cts/task_config.hpp"
#include "engine/config/hcl/error.hpp"
#include "engine/config/hcl/go_value.hpp"
#include "engine/ports/time.hpp"

namespace baton::config::cts {

using hcl::GoKind;
using hcl::GoValue;

struct UnusedKey {
  std::string name;  // "consul.foo"
  hcl::Position position;
};

// One of the errors mapstructure collects.
struct DecodeError {
  hcl::Position position;
  std::string message;  // as reported: a nested error list reduced to its first error
  std::string go_text;  // as mapstructure prints this point, nested lists in full
};

// One mapstructure.Decode: its options, its errors and its Metadata.Unused. Like mapstructure,
// decoding goes on after an error, so that the error reported is the one CTS prints first.
class Decoding {
 public:
  explicit Decoding(bool weak_decode_from_slice) : weak_decode_from_slice_(weak_decode_from_slice) {}

  bool weak_decode_from_slice() const { return weak_decode_from_slice_; }

  void fail(const hcl::Position& position, std::string message);
  // A decode hook's error: "error decoding 'name': " and the text of the inner decoding's errors.
  void fail_with(const std::string& prefix, const Decoding& inner);
  // The decode's own value was not a map: the error stands alone rather than in a list.
  void fail_alone(const hcl::Position& position, std::string message);

  bool failed() const { return !errors_.empty(); }
  std::size_t error_count() const { return errors_.size(); }
  // The error CTS prints first (mapstructure sorts its list), reduced to one message.
  DecodeError first_error() const;
  // mapstructure's Error(): "N error(s) decoding:\n\n* a\n* b", or the lone error.
  std::string go_text() const;

  // The errors in the order mapstructure prints them.
  std::vector<DecodeError> sorted_errors() const;

  void add_unused(std::string name, hcl::Position position);
  // Sorted by name, as CTS sorts md.Unused before printing it.
  std::vector<UnusedKey> sorted_unused() const;

 private:

  bool weak_decode_from_slice_;
  std::vector<DecodeError> errors_;
  bool alone_ = false;
  std::vector<UnusedKey> unused_;
};

// The value one decode step works on after HookWeakDecodeFromSlice, applied `levels` times
// (a pointer field is decoded at two levels, the pointer and its element).
const GoValue& after_slice_hook(const Decoding& decoding, const GoValue& value, int levels);

// "parent.field", or "field" at the root; "parent[i]" for elements.
std::string field_path(const std::string& parent, std::string_view field);
std::string element_path(const std::string& parent, std::size_t index);

// Reflect's Kind name of a decoded value: "string", "int", "float64", "bool", "slice", "map".
const char* go_kind_name(GoKind kind);

// Scalar and collection fields, each as its Go type in CTS's structs.
void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<std::string>& out);       // *string
void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<bool>& out);              // *bool
void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<std::int64_t>& out);      // *int
void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<Duration>& out);          // *time.Duration
void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<StringList>& out);        // []string
void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<StringMap>& out);         // map[string]string
void decode_field(Decoding& d, const std::string& name, const GoValue& in, Opt<GoObject>& out);          // map[string]interface{}

// decodeStructFromMap: the fields of one struct, read from one map.
class StructReader {
 public:
  StructReader(Decoding& decoding, std::string name, const GoValue& map);
  ~StructReader();
  StructReader(const StructReader&) = delete;
  StructReader& operator=(const StructReader&) = delete;

  Decoding& decoding() { return decoding_; }
  const std::string& name() const { return name_; }

  // The value written for `key`, marked used, or nullptr. `path` receives the field's path.
  const GoValue* take(std::string_view key, std::string& path);

  template <class T>
  void field(std::string_view key, T& out) {
    std::string path;
    if (const GoValue* value = take(key, path)) decode_field(decoding_, path, *value, out);
  }

 private:
  Decoding& decoding_;
  std::string name_;
  const GoValue& map_;
  std::vector<bool> used_;
  std::size_t errors_before_;
};

// A pointer-to-struct field (or a slice element of pointer type): `levels` hook applications,
// then nil leaves `out` alone, a map is read by `read(StructReader&, T&)`, anything else is
// "'name' expected a map, got 'kind'".
template <class T, class Read>
void decode_struct(Decoding& d, const std::string& name, const GoValue& in, Opt<T>& out, Read read, int levels = 2) {
  const GoValue& value = after_slice_hook(d, in, levels);
  if (value.kind == GoKind::nil) return;
  if (value.kind != GoKind::map) {
    std::string message = "'" + name + "' expected a map, got '" + go_kind_name(value.kind) + "'";
    if (name.empty()) {
      d.fail_alone(value.position, std::move(message));
    } else {
      d.fail(value.position, std::move(message));
    }
    return;
  }
  const std::size_t errors_before = d.error_count();
  T decoded{};
  {
    StructReader reader(d, name, value);
    read(reader, decoded);
  }
  if (d.error_count() == errors_before) out.set(std::move(decoded), value.position);
}

// The elements a *[]T field decodes: after the pointer's hook, a list is its elements, an empty
// map none, anything else one element (weak typing). nullopt for nil.
std::optional<std::vector<const GoValue*>> slice_elements(const Decoding& d, const GoValue& in, int pointer_levels);

// A *[]*T field of structs (tasks, services).
template <class T, class Read>
void decode_struct_list(Decoding& d, const std::string& name, const GoValue& in, Opt<std::vector<T>>& out, Read read) {
  const auto elements = slice_elements(d, in, 1);
  if (!elements) return;
  const std::size_t errors_before = d.error_count();
  std::vector<T> decoded;
  for (std::size_t i = 0; i < elements->size(); ++i) {
    Opt<T> element;
    decode_struct(d, element_path(name, i), *(*elements)[i], element, read);
    hcl::Position position = element.position();
    decoded.push_back(element ? std::move(*element) : T{});
    if constexpr (requires { decoded.back().where; }) decoded.back().where.position = std::move(position);
  }
  if (d.error_count() == errors_before) out.set(std::move(decoded), after_slice_hook(d, in, 1).position);
}

}  // namespace baton::config::cts
