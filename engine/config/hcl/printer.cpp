#include "engine/config/hcl/printer.hpp"

#include <fmt/format.h>

#include "engine/config/hcl/heredoc.hpp"
#include "engine/config/hcl/utf8.hpp"

namespace baton::config::hcl {
namespace {

constexpr std::string_view kHeredocAnchor = "EOT";

bool is_identifier(std::string_view key) {
  if (key.empty() || key == "true" || key == "false") return false;
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!letter(key[0])) return false;
  for (const char c : key) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') return false;
  }
  return true;
}

std::string print_key(std::string_view key) {
  return is_identifier(key) ? std::string(key) : quote_native(key);
}

// A "${" section through its matching brace, or to the end when it never closes.
std::size_t interpolation_length(std::string_view text) {
  int braces = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') ++braces;
    if (text[i] == '}' && --braces == 0) return i + 1;
  }
  return text.size();
}

void append_escaped(std::string& out, std::string_view text, std::size_t& offset) {
  const utf8::Decoded decoded = utf8::decode(text, offset);
  const char32_t c = decoded.rune;
  if (!decoded.valid) {
    out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[offset]));
  } else if (c == '\\' || c == '"') {
    out.push_back('\\');
    out.push_back(static_cast<char>(c));
  } else if (c == '\n') {
    out += "\\n";
  } else if (c == '\t') {
    out += "\\t";
  } else if (c == '\r') {
    out += "\\r";
  } else if (c < 0x20 || c == 0x7F || c == 0xE123) {
    out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
  } else {
    out.append(text.substr(offset, decoded.size));
  }
  offset += decoded.size;
}

// A heredoc reads back identically when its value is whole lines, no line would close it, and
// it holds nothing the scanner refuses or folds (NUL, bad UTF-8, U+E123, CRLF).
bool fits_heredoc(std::string_view value) {
  if (!value.empty() && value.back() != '\n') return false;
  if (value.find("\r\n") != std::string_view::npos) return false;
  for (std::size_t offset = 0; offset < value.size();) {
    const utf8::Decoded decoded = utf8::decode(value, offset);
    if (!decoded.valid || decoded.rune == 0 || decoded.rune == 0xE123) return false;
    offset += decoded.size;
  }
  std::string_view rest = value;
  while (!rest.empty()) {
    const auto newline = rest.find('\n');
    if (is_heredoc_terminator(rest.substr(0, newline), kHeredocAnchor)) return false;
    rest.remove_prefix(newline + 1);
  }
  return true;
}

void print_body(std::string& out, const Body& body, int indent);

void print_value(std::string& out, const Value& value, int indent) {
  switch (value.kind()) {
    case ValueKind::null: out += "null"; return;
    case ValueKind::boolean: out += value.as_bool() ? "true" : "false"; return;
    case ValueKind::number: out += value.as_number().text; return;
    case ValueKind::string:
      if (value.string_style() == StringStyle::heredoc && fits_heredoc(value.as_string())) {
        out += fmt::format("<<{}\n{}{}\n", kHeredocAnchor, value.as_string(), kHeredocAnchor);
      } else {
        out += quote_native(value.as_string());
      }
      return;
    case ValueKind::list: {
      out += "[";
      const Value::List& elements = value.as_list();
      for (std::size_t i = 0; i < elements.size(); ++i) {
        if (i > 0) out += ", ";
        print_value(out, elements[i], indent);
      }
      out += "]";
      return;
    }
    case ValueKind::object:
      out += "{\n";
      print_body(out, value.as_object(), indent + 1);
      out += std::string(static_cast<std::size_t>(indent) * 2, ' ') + "}";
      return;
  }
}

void print_item(std::string& out, const Item& item, int indent) {
  out += std::string(static_cast<std::size_t>(indent) * 2, ' ');
  if (const auto* attribute = std::get_if<Attribute>(&item)) {
    out += print_key(attribute->name) + " = ";
    print_value(out, attribute->value, indent);
    // A heredoc ends with its own newline; anything else needs one.
    if (!out.ends_with('\n')) out += "\n";
    return;
  }
  const Block& block = std::get<Block>(item);
  out += print_key(block.type);
  for (const Label& label : block.labels) out += " " + quote_native(label.value);
  out += " {\n";
  print_body(out, block.body, indent + 1);
  out += std::string(static_cast<std::size_t>(indent) * 2, ' ') + "}\n";
}

void print_body(std::string& out, const Body& body, int indent) {
  for (const Item& item : body.items) print_item(out, item, indent);
}

}  // namespace

std::string quote_native(std::string_view value) {
  std::string out = "\"";
  for (std::size_t offset = 0; offset < value.size();) {
    if (value.substr(offset).starts_with("${")) {
      const std::size_t length = interpolation_length(value.substr(offset));
      out.append(value.substr(offset, length));
      offset += length;
    } else {
      append_escaped(out, value, offset);
    }
  }
  return out + "\"";
}

std::string print_native(const Body& body) {
  std::string out;
  print_body(out, body, 0);
  return out;
}

}  // namespace baton::config::hcl
