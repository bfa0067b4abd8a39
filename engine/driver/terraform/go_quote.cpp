#include "engine/driver/terraform/go_quote.hpp"

#include <fmt/format.h>

namespace baton::driver::terraform {
namespace {

const char* named_escape(char c) {
  switch (c) {
    case '\a': return "\\a";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\v': return "\\v";
    case '"': return "\\\"";
    case '\\': return "\\\\";
    default: return nullptr;
  }
}

}  // namespace

std::string go_quote(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (const char* escape = named_escape(c)) {
      quoted += escape;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      quoted += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      quoted += c;
    }
  }
  quoted += '"';
  return quoted;
}

}  // namespace baton::driver::terraform
