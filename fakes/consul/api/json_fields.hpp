#pragma once
// Reading request bodies as Go's encoding/json does: object keys match struct fields
// case-insensitively.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string_view>

namespace baton::fakes::consul {

inline const nlohmann::json* field(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    const bool same = key.size() == name.size() && std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
                        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                      });
    if (same && !it.value().is_null()) return &it.value();
  }
  return nullptr;
}

template <class T>
T field_or(const nlohmann::json& object, std::string_view name, T fallback) {
  const nlohmann::json* value = field(object, name);
  return value != nullptr ? value->get<T>() : fallback;
}

}  // namespace baton::fakes::consul
