#include "engine/config/hcl/error.hpp"

#include <fmt/format.h>

namespace baton::config::hcl {

std::string to_string(const Position& position) {
  return fmt::format("{}:{}:{}", position.file, position.line, position.column);
}

Error Error::at(const Position& position, std::string message) {
  return Error{position.file, position.line, position.column, std::move(message)};
}

std::string to_string(const Error& error) {
  // Errors about the configuration as a whole ("no configuration files found") have no place.
  if (error.line == 0) return error.file.empty() ? error.message : fmt::format("{}: {}", error.file, error.message);
  return fmt::format("{}:{}:{}: {}", error.file, error.line, error.column, error.message);
}

}  // namespace baton::config::hcl
