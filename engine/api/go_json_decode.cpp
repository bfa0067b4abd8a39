#include "engine/api/go_json_decode.hpp"

#include <fmt/format.h>

#include "engine/api/model/go_json.hpp"

namespace baton::api {
namespace {

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool starts_a_value(char c) {
  return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
}

// Go quotes the offending byte as %q of a rune: printable ones as is, others escaped.
std::string quoted_char(char c) {
  if (c == '\'') return "'\\''";
  if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("'\\x{:02x}'", static_cast<unsigned char>(c));
}

}  // namespace

std::variant<nlohmann::json, std::string> go_json_unmarshal(const std::string& body) {
  nlohmann::json value = nlohmann::json::parse(body, nullptr, false);
  if (!value.is_discarded()) return value;
  const std::size_t position = model::json_parse_error_position(body);
  std::size_t at = position == 0 ? 0 : position - 1;
  if (at >= body.size()) return std::string("unexpected end of JSON input");
  std::size_t first = 0;
  while (first < body.size() && is_json_space(body[first])) ++first;
  if (first == body.size()) return std::string("unexpected end of JSON input");
  if (at == first && !starts_a_value(body[at])) {
    return fmt::format("invalid character {} looking for beginning of value", quoted_char(body[at]));
  }
  // A complete value followed by more: everything up to `at` parses alone.
  if (!nlohmann::json::parse(body.substr(0, at), nullptr, false).is_discarded()) {
    return fmt::format("invalid character {} after top-level value", quoted_char(body[at]));
  }
  return fmt::format("invalid character {} in JSON", quoted_char(body[at]));
}

const char* go_json_kind(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: return "object";
    case nlohmann::json::value_t::array: return "array";
    case nlohmann::json::value_t::string: return "string";
    case nlohmann::json::value_t::boolean: return "bool";
    case nlohmann::json::value_t::null: return "null";
    default: return "number";
  }
}

}  // namespace baton::api
