#include "engine/config/cts/environment.hpp"

#include <variant>

#include "engine/config/cts/go_strconv.hpp"

namespace baton::config::cts {
namespace {

bool is_go_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string trim_space(std::string_view s) {
  while (!s.empty() && is_go_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_go_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::optional<std::string> Environment::first_set(std::initializer_list<std::string_view> names) const {
  for (const std::string_view name : names) {
    const auto found = variables.find(name);
    if (found != variables.end() && !found->second.empty()) return trim_space(found->second);
  }
  return std::nullopt;
}

std::optional<bool> Environment::first_bool(std::initializer_list<std::string_view> names) const {
  for (const std::string_view name : names) {
    const auto found = variables.find(name);
    if (found == variables.end() || found->second.empty()) continue;
    const auto parsed = go_parse_bool(found->second);
    if (const bool* value = std::get_if<bool>(&parsed)) return *value;
  }
  return std::nullopt;
}

}  // namespace baton::config::cts
