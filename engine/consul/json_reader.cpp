#include "engine/consul/json_reader.hpp"

#include <fmt/format.h>

#include <limits>

namespace baton::consul {

void DecodeProblem::set(std::string text) {
  if (!text_) text_ = std::move(text);
}

void DecodeProblem::at_field(std::string_view path, std::string_view what) {
  set(fmt::format("field \"{}\": {}", path, what));
}

FieldReader::FieldReader(const nlohmann::json& object, DecodeProblem& problem, std::string path)
    : object_(object.is_object() ? &object : nullptr), problem_(problem), path_(std::move(path)) {
  if (object_ != nullptr) return;
  if (path_.empty()) {
    problem_.set("expected a JSON object");
  } else {
    problem_.at_field(path_, "expected an object");
  }
}

std::string FieldReader::path_of(std::string_view name) const {
  if (path_.empty()) return std::string(name);
  return fmt::format("{}.{}", path_, name);
}

const nlohmann::json* FieldReader::find(std::string_view name, Presence presence, bool null_allowed, std::string_view type) {
  if (object_ == nullptr || !problem_.ok()) return nullptr;
  const auto it = object_->find(name);
  if (it == object_->end()) {
    if (presence == Presence::required) wrong(name, "missing");
    return nullptr;
  }
  if (it->is_null()) {
    if (!null_allowed) wrong(name, fmt::format("expected {}, got null", type));
    return nullptr;
  }
  return &*it;
}

std::string FieldReader::text(std::string_view name, Presence presence) {
  const nlohmann::json* value = find(name, presence, false, "a string");
  if (value == nullptr) return {};
  if (!value->is_string()) {
    wrong(name, "expected a string");
    return {};
  }
  return value->get_ref<const std::string&>();
}

std::uint64_t FieldReader::uint64(std::string_view name, Presence presence) {
  const nlohmann::json* value = find(name, presence, false, "a number");
  if (value == nullptr) return 0;
  if (!value->is_number()) {
    wrong(name, "expected a number");
    return 0;
  }
  // Negative, fractional, or beyond 2^64 (which nlohmann reads as a double).
  if (!value->is_number_unsigned()) {
    wrong(name, "expected a non-negative integer");
    return 0;
  }
  return value->get<std::uint64_t>();
}

std::int64_t FieldReader::int64(std::string_view name, Presence presence) {
  const nlohmann::json* value = find(name, presence, false, "a number");
  if (value == nullptr) return 0;
  if (!value->is_number()) {
    wrong(name, "expected a number");
    return 0;
  }
  if (!value->is_number_integer()) {
    wrong(name, "expected an integer");
    return 0;
  }
  if (value->is_number_unsigned() && value->get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
    wrong(name, "integer out of range");
    return 0;
  }
  return value->get<std::int64_t>();
}

int FieldReader::int32(std::string_view name, Presence presence) {
  if (!problem_.ok()) return 0;
  const std::int64_t value = int64(name, presence);
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    wrong(name, "integer out of range");
    return 0;
  }
  return int(value);
}

bool FieldReader::boolean(std::string_view name, Presence presence) {
  const nlohmann::json* value = find(name, presence, false, "true or false");
  if (value == nullptr) return false;
  if (!value->is_boolean()) {
    wrong(name, "expected true or false");
    return false;
  }
  return value->get<bool>();
}

std::vector<std::string> FieldReader::strings(std::string_view name, Presence presence) {
  const nlohmann::json* value = find(name, presence, true, "an array of strings");
  std::vector<std::string> list;
  if (value == nullptr) return list;
  if (!value->is_array()) {
    wrong(name, "expected an array of strings");
    return list;
  }
  for (std::size_t i = 0; i < value->size(); ++i) {
    const nlohmann::json& item = (*value)[i];
    if (!item.is_string()) {
      problem_.at_field(fmt::format("{}[{}]", path_of(name), i), "expected a string");
      return {};
    }
    list.push_back(item.get<std::string>());
  }
  return list;
}

std::map<std::string, std::string> FieldReader::string_map(std::string_view name, Presence presence) {
  const nlohmann::json* value = find(name, presence, true, "an object of strings");
  std::map<std::string, std::string> map;
  if (value == nullptr) return map;
  if (!value->is_object()) {
    wrong(name, "expected an object of strings");
    return map;
  }
  for (auto it = value->begin(); it != value->end(); ++it) {
    if (!it.value().is_string()) {
      problem_.at_field(fmt::format("{}.{}", path_of(name), it.key()), "expected a string");
      return {};
    }
    map[it.key()] = it.value().get<std::string>();
  }
  return map;
}

std::optional<FieldReader> FieldReader::object(std::string_view name, Presence presence) {
  const nlohmann::json* value = find(name, presence, presence == Presence::optional, "an object");
  if (value == nullptr) return std::nullopt;
  if (!value->is_object()) {
    wrong(name, "expected an object");
    return std::nullopt;
  }
  return FieldReader(*value, problem_, path_of(name));
}

std::vector<FieldReader::Element> FieldReader::array(std::string_view name, Presence presence) {
  const nlohmann::json* value = find(name, presence, true, "an array");
  std::vector<Element> elements;
  if (value == nullptr) return elements;
  if (!value->is_array()) {
    wrong(name, "expected an array");
    return elements;
  }
  for (std::size_t i = 0; i < value->size(); ++i) elements.push_back({&(*value)[i], fmt::format("{}[{}]", path_of(name), i)});
  return elements;
}

const nlohmann::json* FieldReader::raw(std::string_view name, Presence presence) {
  if (object_ == nullptr || !problem_.ok()) return nullptr;
  const auto it = object_->find(name);
  if (it == object_->end()) {
    if (presence == Presence::required) wrong(name, "missing");
    return nullptr;
  }
  return &*it;
}

std::optional<nlohmann::json> parse_json(std::string_view body, DecodeProblem& problem) {
  // The non-throwing parse: a malformed body is an expected failure, not a bug.
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    problem.set(body.empty() ? "empty body, expected JSON" : "malformed JSON");
    return std::nullopt;
  }
  return json;
}

}  // namespace baton::consul
