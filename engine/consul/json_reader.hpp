#pragma once
// Strict reading of Consul's JSON answers, without exceptions.
//
// A decoder reads every field it wants through a FieldReader; the first problem met is kept in
// a DecodeProblem, naming the field by its path from the answer's element ("Node.Address",
// "Checks[1].Status"), and later reads return empty values. The decoder checks ok() once at the
// end, so decoding code reads like the struct it fills.
//
// Rules (Go's encoding/json as Consul's structs use it): a required field must be present; any
// present field must have its type; null stands for an empty array or map (Go marshals nil
// slices and maps as null), never for a string or a number. Names match exactly: Consul always
// spells them the same way.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace baton::consul {

class DecodeProblem {
 public:
  bool ok() const { return !text_.has_value(); }
  // Only when !ok().
  const std::string& text() const { return *text_; }
  // Keeps the first problem only: later ones are usually its echoes.
  void set(std::string text);
  void at_field(std::string_view path, std::string_view what);

 private:
  std::optional<std::string> text_;
};

enum class Presence { required, optional };

class FieldReader {
 public:
  // `object` should be a JSON object; when it is not, the problem is recorded at `path` (or,
  // at the top, as "expected a JSON object") and every read returns an empty value.
  FieldReader(const nlohmann::json& object, DecodeProblem& problem, std::string path = {});

  std::string text(std::string_view name, Presence presence = Presence::required);
  std::uint64_t uint64(std::string_view name, Presence presence = Presence::required);
  std::int64_t int64(std::string_view name, Presence presence = Presence::required);
  int int32(std::string_view name, Presence presence = Presence::required);
  bool boolean(std::string_view name, Presence presence = Presence::required);
  // An array of strings; null or (optional and) absent: empty.
  std::vector<std::string> strings(std::string_view name, Presence presence = Presence::required);
  // An object of strings; null or (optional and) absent: empty.
  std::map<std::string, std::string> string_map(std::string_view name, Presence presence = Presence::required);
  // A nested object; nullopt when it is absent (optional), null, or wrong (the problem is kept).
  std::optional<FieldReader> object(std::string_view name, Presence presence = Presence::required);
  // The elements of an array field, each with its path ("Checks[1]"); null or absent: none.
  struct Element {
    const nlohmann::json* value;
    std::string path;
  };
  std::vector<Element> array(std::string_view name, Presence presence = Presence::required);
  // The raw value, for fields with a shape of their own (null included); nullptr when absent
  // (a required one is recorded as missing).
  const nlohmann::json* raw(std::string_view name, Presence presence = Presence::required);

  std::string path_of(std::string_view name) const;
  DecodeProblem& problem() const { return problem_; }

 private:
  // The field's value, or nullptr when absent (recorded if required), when null (for
  // `null_allowed` fields; otherwise recorded as "expected <type>"), or after an earlier problem.
  const nlohmann::json* find(std::string_view name, Presence presence, bool null_allowed, std::string_view type);
  void wrong(std::string_view name, std::string_view what) const { problem_.at_field(path_of(name), what); }

  const nlohmann::json* object_;  // nullptr when the value read was not an object
  DecodeProblem& problem_;
  std::string path_;
};

// Parses `body` as JSON; nullopt (and the problem recorded) when it is not.
std::optional<nlohmann::json> parse_json(std::string_view body, DecodeProblem& problem);

}  // namespace baton::consul
