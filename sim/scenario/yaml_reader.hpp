#pragma once
// Reading a yaml-cpp document strictly, with every error a value that says where it is.
//
// YamlReader keeps the first error and ignores the rest: once something is wrong, whatever
// follows may only be a consequence of it. Every reader returns nullopt after a failure (its
// own or an earlier one), so the parser simply skips the assignment and carries on, and no
// yaml-cpp call that could throw is made on a node of the wrong type.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/scenario/duration_text.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_error.hpp"

namespace baton::sim::scenario {

// A node, its key path ("steps[3].crash") and where it was written. A null value (`key:` and
// nothing) has no position of its own in yaml-cpp: it takes its key's.
struct YamlValue {
  YAML::Node node;
  std::string path;
  SourceRef at;
};

// Bounds every input: a document may hold this many map entries and list items in all, so
// that aliases to long lists cannot make reading quadratic.
inline constexpr std::size_t kYamlValuesMax = 100'000;

class YamlReader {
 public:
  YamlReader(std::string file, std::string text);

  const std::string& file() const { return file_; }
  bool failed() const { return error_.has_value(); }
  const std::optional<ScenarioError>& error() const { return error_; }

  // Records the error unless one is recorded already.
  void fail(const SourceRef& at, const std::string& path, std::string message);
  void fail(const YamlValue& value, std::string message) { fail(value.at, value.path, std::move(message)); }

  // Where `node` was written, or `fallback` when yaml-cpp has no position for it.
  SourceRef where(const YAML::Node& node, const SourceRef& fallback) const;
  // The document itself.
  YamlValue root(const YAML::Node& node) const;
  // Where the text of a scalar starts: for a block scalar (`|`, `>`), the line after its
  // indicator at the block's indentation; for a quoted one, just inside the quote.
  SourceRef text_start(const YamlValue& value) const;

  // "nothing", "a list", "a map", or the scalar quoted (shortened when long).
  static std::string describe(const YAML::Node& node);

  // The kind checks fail with "expected <what>, found <describe>".
  bool is_map(const YamlValue& value, std::string_view what = "a map");
  bool is_list(const YamlValue& value, std::string_view what = "a list");
  bool is_scalar(const YamlValue& value, std::string_view what);

  // A list's items, as values with paths "<path>[i]"; empty after a failure.
  std::vector<YamlValue> items(const YamlValue& list, std::string_view what = "a list");

  // Any scalar, quoted or not, as written; not null.
  std::optional<std::string> string(const YamlValue& value);
  // As string(), and not empty.
  std::optional<std::string> name(const YamlValue& value);
  // One of `choices`: `expected one of passing, warning, critical, found "ok"`.
  std::optional<std::string> choice(const YamlValue& value, const std::vector<std::string_view>& choices);
  // An unquoted integer within [min, max].
  std::optional<std::int64_t> integer(const YamlValue& value, std::int64_t min, std::int64_t max);
  std::optional<std::uint64_t> unsigned_integer(const YamlValue& value);
  // An unquoted decimal number within [min, max_exclusive).
  std::optional<double> fraction(const YamlValue& value, double min, double max_exclusive, std::string_view what);
  // true or false, unquoted.
  std::optional<bool> boolean(const YamlValue& value);
  std::optional<DurationSpec> duration(const YamlValue& value, TtlMultiple ttl);
  std::optional<DurationRange> duration_range(const YamlValue& value, TtlMultiple ttl);
  std::optional<std::int64_t> signed_duration_ns(const YamlValue& value);
  // A list of non-empty strings; `unique` rejects one written twice.
  std::optional<std::vector<std::string>> names(const YamlValue& value, bool unique);

  // Counts values read against kYamlValuesMax; false (and failed) past it.
  bool count(std::size_t values);

 private:
  bool plain_tag(const YamlValue& value);

  std::string file_;
  std::string text_;
  std::optional<ScenarioError> error_;
  std::size_t values_read_ = 0;
};

// A map's entries, checked: keys are scalars (quoted or not, untagged), written once, and (when `allowed` is given)
// among `allowed`: `unknown key "serverz" (allowed: servers, bootstrap_expect, ...)`.
class YamlMap {
 public:
  struct Entry {
    std::string key;
    SourceRef key_at;
    YamlValue value;
  };

  YamlMap(YamlReader& reader, const YamlValue& map, std::optional<std::vector<std::string_view>> allowed,
          std::string_view what = "a map");

  // False when the value was not a well-formed map (the reader has failed).
  bool valid() const { return valid_; }
  const YamlValue& self() const { return self_; }
  const std::vector<Entry>& entries() const { return entries_; }
  // The value of `key`, if written.
  std::optional<YamlValue> get(std::string_view key) const;
  // As get(), failing with `missing required key "service"` (at the map) when it is absent.
  std::optional<YamlValue> require(std::string_view key) const;

 private:
  YamlReader& reader_;
  YamlValue self_;
  std::vector<Entry> entries_;
  bool valid_ = false;
};

// "a.b" (or "b" at the top).
std::string child_path(const std::string& parent, std::string_view key);

}  // namespace baton::sim::scenario
