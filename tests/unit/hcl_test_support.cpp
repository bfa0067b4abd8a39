#include "hcl_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "engine/config/hcl/native_parser.hpp"
#include "engine/config/hcl/utf8.hpp"

namespace baton::config::hcl::testing {
namespace {

std::string escaped(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7F) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void dump_body(std::string& out, const Body& body, int indent);

void dump_value(std::string& out, const Value& value, int indent) {
  switch (value.kind()) {
    case ValueKind::null: out += "null"; return;
    case ValueKind::boolean: out += value.as_bool() ? "true" : "false"; return;
    case ValueKind::number: {
      const Number& number = value.as_number();
      char buffer[64];
      if (number.is_integer) {
        std::snprintf(buffer, sizeof buffer, "int(%lld ", static_cast<long long>(number.integer));
      } else {
        std::snprintf(buffer, sizeof buffer, "float(%.17g ", number.real);
      }
      out += buffer + escaped(number.text) + ")";
      return;
    }
    case ValueKind::string:
      out += value.string_style() == StringStyle::heredoc ? "heredoc(" : "str(";
      out += escaped(value.as_string()) + ")";
      return;
    case ValueKind::list: {
      out += "[";
      bool first = true;
      for (const Value& element : value.as_list()) {
        if (!first) out += ", ";
        first = false;
        dump_value(out, element, indent);
      }
      out += "]";
      return;
    }
    case ValueKind::object:
      out += "{\n";
      dump_body(out, value.as_object(), indent + 1);
      out += std::string(static_cast<std::size_t>(indent) * 2, ' ') + "}";
      return;
  }
}

void dump_body(std::string& out, const Body& body, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  for (const Item& item : body.items) {
    if (const auto* attribute = std::get_if<Attribute>(&item)) {
      out += pad + escaped(attribute->name) + " = ";
      dump_value(out, attribute->value, indent);
      out += "\n";
      continue;
    }
    const Block& block = std::get<Block>(item);
    out += pad + "block " + escaped(block.type);
    for (const Label& label : block.labels) out += " " + escaped(label.value);
    out += " {\n";
    dump_body(out, block.body, indent + 1);
    out += pad + "}\n";
  }
}

void dump_go(std::string& out, const GoValue& value) {
  char buffer[64];
  switch (value.kind) {
    case GoKind::nil: out += "nil"; return;
    case GoKind::boolean: out += value.boolean ? "true" : "false"; return;
    case GoKind::integer:
      std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(value.integer));
      out += buffer;
      return;
    case GoKind::floating:
      std::snprintf(buffer, sizeof buffer, "float(%.17g)", value.floating);
      out += buffer;
      return;
    case GoKind::string: out += escaped(value.string); return;
    case GoKind::slice:
    case GoKind::map_slice: {
      out += value.kind == GoKind::slice ? "[" : "[]map[";
      bool first = true;
      for (const GoValue& element : value.elements) {
        if (!first) out += " ";
        first = false;
        dump_go(out, element);
      }
      out += "]";
      return;
    }
    case GoKind::map: {
      out += "map[";
      bool first = true;
      for (const GoEntry& entry : value.entries) {
        if (!first) out += " ";
        first = false;
        out += entry.key + ":";
        dump_go(out, entry.value);
      }
      out += "]";
      return;
    }
  }
}

}  // namespace

std::string dump(const Body& body) {
  std::string out;
  dump_body(out, body, 0);
  return out;
}

std::string dump(const Value& value) {
  std::string out;
  dump_value(out, value, 0);
  return out;
}

std::string dump(const GoValue& value) {
  std::string out;
  dump_go(out, value);
  return out;
}

File parse_ok(std::string_view name, std::string_view text) {
  auto parsed = parse_config_file(name, text);
  if (!parsed) {
    ADD_FAILURE() << "parse failed: " << to_string(parsed.error());
    return File{};
  }
  return parsed.value();
}

std::string error_of(std::string_view name, std::string_view text) {
  auto parsed = parse_config_file(name, text);
  return parsed ? std::string("parsed") : to_string(parsed.error());
}

std::string native_error_of(std::string_view text) {
  auto parsed = parse_native_body("t.hcl", text);
  return parsed ? std::string("parsed") : to_string(parsed.error());
}

std::size_t offset_of(std::string_view text, int line, int column) {
  int current_line = 1;
  int current_column = 1;
  for (std::size_t offset = 0; offset <= text.size();) {
    if (current_line == line && current_column == column) return offset;
    if (offset == text.size()) break;
    const utf8::Decoded decoded = utf8::decode(text, offset);
    if (decoded.rune == '\n') {
      ++current_line;
      current_column = 1;
    } else {
      ++current_column;
    }
    offset += decoded.size;
  }
  return std::string_view::npos;
}

}  // namespace baton::config::hcl::testing
