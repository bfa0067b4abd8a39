// Properties of the configuration parser: random documents printed and parsed back are the
// same document with positions pointing at what was printed, and no input whatsoever (random
// bytes, random token soups) crashes it: every input gives a document or a positioned error.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "engine/config/hcl/block_view.hpp"
#include "engine/config/hcl/go_value.hpp"
#include "engine/config/hcl/json_parser.hpp"
#include "engine/config/hcl/native_parser.hpp"
#include "engine/config/hcl/number_literal.hpp"
#include "engine/config/hcl/parse.hpp"
#include "engine/config/hcl/printer.hpp"
#include "engine/config/hcl/source_text.hpp"
#include "hcl_test_support.hpp"

namespace baton::config::hcl {
namespace {

using testing::dump;
using testing::offset_of;

// ---- Generators (imperative: `*gen` draws inside a running property) ----

enum class Dialect { native, json };

template <class T>
T pick(const std::vector<T>& choices) {
  return choices.at(static_cast<std::size_t>(*rc::gen::inRange<int>(0, static_cast<int>(choices.size()))));
}

std::string random_identifier() {
  static const std::string first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
  static const std::string rest = first + "0123456789-.";
  std::string name(1, pick(std::vector<char>(first.begin(), first.end())));
  const int length = *rc::gen::inRange(0, 8);
  for (int i = 0; i < length; ++i) name += pick(std::vector<char>(rest.begin(), rest.end()));
  return name;
}

// Characters a string may hold outside `${}`: quotes, backslashes, braces, control characters,
// multi-byte UTF-8, and for HCL1 also U+E123, NUL and a byte that is not UTF-8 (all escaped
// by the printer). Never '$', so that "${" only comes from interpolation segments.
std::string random_plain_text(Dialect dialect) {
  std::vector<std::string> pieces = {"a", "Z", "0", " ", "-", "\"", "\\", "{", "}", "%", "#", "/*",
                                     "\n", "\t", "\r", "\x01", "\x7f", "é", "→", "😀", "=", "[", "'"};
  if (dialect == Dialect::native) {
    pieces.insert(pieces.end(), {"\xEE\x84\xA3", std::string(1, '\0'), "\xff"});
  }
  std::string text;
  const int count = *rc::gen::inRange(0, 6);
  for (int i = 0; i < count; ++i) text += pick(pieces);
  return text;
}

// `${ ... }` as HCL1 keeps it: balanced braces, quotes, newlines and valid escapes inside.
std::string random_interpolation() {
  std::string inner;
  const int count = *rc::gen::inRange(0, 5);
  for (int i = 0; i < count; ++i) {
    inner += pick<std::string>({"var.x", " ", ".", "\"q\"", "\\n", "\n", "{ a }", "f(1)"});
  }
  return "${" + inner + "}";
}

std::string random_string(Dialect dialect) {
  std::string text;
  const int segments = *rc::gen::inRange(0, 4);
  for (int i = 0; i < segments; ++i) {
    const int kind = *rc::gen::inRange(0, dialect == Dialect::native ? 4 : 2);
    if (kind <= 1) text += random_plain_text(dialect);
    if (kind == 2) text += random_interpolation();
    if (kind == 3) text += "$" + random_interpolation();  // "$${x}": kept as written
  }
  return text;
}

// Whole lines that cannot close an "EOT" heredoc (no uppercase at all).
std::string random_heredoc_text() {
  std::string text;
  const int lines = *rc::gen::inRange(0, 4);
  for (int i = 0; i < lines; ++i) {
    text += pick<std::string>({"", "line", "  indented", "\ttab", "${x} \"q\" \\n", "é → 😀"});
    text += "\n";
  }
  return text;
}

std::string random_number_text(Dialect dialect) {
  const auto small = [] { return std::to_string(*rc::gen::inRange(0, 100000)); };
  const int form = *rc::gen::inRange(0, dialect == Dialect::native ? 9 : 5);
  switch (form) {
    case 0: return std::to_string(*rc::gen::arbitrary<std::int64_t>());
    case 1: return small() + "." + small();
    case 2: return "-" + small() + "e" + std::to_string(*rc::gen::inRange(-300, 300));
    case 3: return small() + "E+" + std::to_string(*rc::gen::inRange(0, 300));
    case 4: return "-" + small() + "." + small() + "e-" + std::to_string(*rc::gen::inRange(0, 30));
    case 5: {
      char hex[32];
      std::snprintf(hex, sizeof hex, "0x%llX", static_cast<unsigned long long>(*rc::gen::inRange(0, 1 << 30)));
      return (*rc::gen::arbitrary<bool>() ? "-" : "") + std::string(hex);
    }
    case 6: {
      char octal[32];
      std::snprintf(octal, sizeof octal, "0%o", static_cast<unsigned>(*rc::gen::inRange(0, 1 << 20)));
      return octal;
    }
    case 7: return "." + small();
    default: return small() + ".";
  }
}

Number random_number(Dialect dialect) {
  const std::string text = random_number_text(dialect);
  const bool hexadecimal = text.find('x') != std::string::npos;
  const bool integer_literal = hexadecimal || text.find_first_of(".eE") == std::string::npos;
  NumberReading reading = dialect == Dialect::json      ? read_json_number(text)
                          : integer_literal             ? read_integer_literal(text)
                                                        : read_float_literal(text);
  RC_ASSERT(reading.number.has_value());
  return *reading.number;
}

Body random_body(Dialect dialect, int depth);

Value random_value(Dialect dialect, int depth) {
  const Position nowhere;
  const int kinds = depth >= 3 ? 4 : 6;
  switch (*rc::gen::inRange(0, kinds)) {
    case 0: return Value::boolean(*rc::gen::arbitrary<bool>(), nowhere);
    case 1: return Value::number(random_number(dialect), nowhere);
    case 2: return Value::string(random_string(dialect), nowhere);
    case 3:
      if (dialect == Dialect::json) return Value::null(nowhere);
      return Value::string(random_heredoc_text(), nowhere, StringStyle::heredoc);
    case 4: {
      Value::List elements;
      const int count = *rc::gen::inRange(0, 4);
      for (int i = 0; i < count; ++i) elements.push_back(random_value(dialect, depth + 1));
      return Value::list(std::move(elements), nowhere);
    }
    default: return Value::object(random_body(dialect, depth + 1), nowhere);
  }
}

std::string random_key() {
  return *rc::gen::inRange(0, 4) == 0 ? random_string(Dialect::json) : random_identifier();
}

Body random_body(Dialect dialect, int depth) {
  Body body;
  const int count = *rc::gen::inRange(0, depth == 0 ? 6 : 4);
  for (int i = 0; i < count; ++i) {
    if (dialect == Dialect::native && depth < 3 && *rc::gen::inRange(0, 3) == 0) {
      Block block;
      block.type = random_key();
      const int labels = *rc::gen::inRange(0, 3);
      for (int l = 0; l < labels; ++l) block.labels.push_back(Label{random_string(Dialect::native), {}});
      block.body = random_body(dialect, depth + 1);
      body.items.emplace_back(std::move(block));
    } else {
      body.items.emplace_back(Attribute{random_key(), {}, random_value(dialect, depth)});
    }
  }
  return body;
}

// ---- A JSON printer for the JSON round trip ----

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", byte);
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void print_json_value(std::string& out, const Value& value);

void print_json_body(std::string& out, const Body& body) {
  out += "{";
  bool first = true;
  for (const Attribute* attribute : body.attributes()) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += json_quote(attribute->name) + " : ";
    print_json_value(out, attribute->value);
  }
  out += "}";
}

void print_json_value(std::string& out, const Value& value) {
  switch (value.kind()) {
    case ValueKind::null: out += "null"; return;
    case ValueKind::boolean: out += value.as_bool() ? "true" : "false"; return;
    case ValueKind::number: out += value.as_number().text; return;
    case ValueKind::string: out += json_quote(value.as_string()); return;
    case ValueKind::list: {
      out += "[";
      for (std::size_t i = 0; i < value.as_list().size(); ++i) {
        if (i > 0) out += ", ";
        print_json_value(out, value.as_list()[i]);
      }
      out += "]";
      return;
    }
    case ValueKind::object: print_json_body(out, value.as_object()); return;
  }
}

// ---- Position checks: every position points at the text that was printed there ----

bool text_at(std::string_view text, const Position& position, std::string_view expected) {
  const std::size_t offset = offset_of(text, position.line, position.column);
  return offset != std::string_view::npos && text.substr(offset, expected.size()) == expected;
}

std::string expected_start(const Value& value, Dialect dialect) {
  switch (value.kind()) {
    case ValueKind::null: return "null";
    case ValueKind::boolean: return value.as_bool() ? "true" : "false";
    case ValueKind::number: return value.as_number().text;
    case ValueKind::string:
      if (dialect == Dialect::native && value.string_style() == StringStyle::heredoc) return "<<";
      return "\"";
    case ValueKind::list: return "[";
    case ValueKind::object: return "{";
  }
  return "";
}

void check_positions(std::string_view text, const Body& body, Dialect dialect);

void check_value_positions(std::string_view text, const Value& value, Dialect dialect) {
  RC_ASSERT(text_at(text, value.position(), expected_start(value, dialect)));
  if (value.kind() == ValueKind::list) {
    for (const Value& element : value.as_list()) check_value_positions(text, element, dialect);
  }
  if (value.kind() == ValueKind::object) check_positions(text, value.as_object(), dialect);
}

void check_positions(std::string_view text, const Body& body, Dialect dialect) {
  for (const Item& item : body.items) {
    if (const auto* attribute = std::get_if<Attribute>(&item)) {
      const std::string quoted = dialect == Dialect::json ? json_quote(attribute->name)
                                                          : quote_native(attribute->name);
      RC_ASSERT(text_at(text, attribute->position, attribute->name) ||
                text_at(text, attribute->position, quoted));
      check_value_positions(text, attribute->value, dialect);
      continue;
    }
    const Block& block = std::get<Block>(item);
    RC_ASSERT(text_at(text, block.position, block.type) ||
              text_at(text, block.position, quote_native(block.type)));
    for (const Label& label : block.labels) RC_ASSERT(text_at(text, label.position, quote_native(label.value)));
    check_positions(text, block.body, dialect);
  }
}

// ---- Crash resistance ----

// Parses `text` every way there is and requires a document or a well-formed error each time,
// then runs the consumers of a document over whatever parsed.
void parse_every_way(const std::string& text) {
  const auto check = [&](const Result<File>& parsed) {
    if (!parsed) {
      RC_ASSERT(parsed.error().line >= 1);
      RC_ASSERT(parsed.error().column >= 1);
      RC_ASSERT(!parsed.error().message.empty());
      return;
    }
    (void)print_native(parsed.value().body);
    (void)to_go_value(parsed.value());
    (void)find_blocks(parsed.value().body, parsed.value().syntax, "task", 0);
    (void)find_blocks(parsed.value().body, parsed.value().syntax, "condition", 1);
  };
  check(parse_config_file("fuzz.hcl", text));
  check(parse_config_file("fuzz.json", text));
  const auto native = parse_native_body("fuzz.hcl", text);
  if (native) {
    check(File{"fuzz.hcl", Syntax::native, native.value()});
  } else if (text.find('\r') == std::string::npos) {
    // Without CRs the folded text is the text: the position must lie inside it (or just after).
    RC_ASSERT(offset_of(text, native.error().line, native.error().column) != std::string_view::npos);
  }
}

std::string random_token_soup() {
  static const std::vector<std::string> fragments = {
      "a", "task", "\"s\"", "=", "{", "}", "[", "]", ",", "1", "-", ".5", "0x", "0x1F", "08", "1e",
      "1.5e3", "<<EOF\n", "EOF\n", "<<-X\n", "  X\n", "#c\n", "//c\n", "/*", "*/", "\n", " ", "\"${",
      "}\"", "\\", "true", "null", "é", "\"\\u12\"", "\"\\777\"", ":", "\"", "\r\n", "<<", "{\"k\": 1}",
      "$", "%{", "\t"};
  std::string text;
  const int count = *rc::gen::inRange(0, 40);
  for (int i = 0; i < count; ++i) text += pick(fragments);
  return text;
}

// ---- Properties ----

RC_GTEST_PROP(HclProperty, PrintedNativeDocumentsParseBackIdentically, ()) {
  const Body body = random_body(Dialect::native, 0);
  const std::string text = print_native(body);
  RC_LOG() << "printed:\n" << text << "\n";
  const auto parsed = parse_native_body("p.hcl", text);
  if (!parsed) RC_LOG() << to_string(parsed.error()) << "\n";
  RC_ASSERT(parsed.ok());
  RC_ASSERT(dump(parsed.value()) == dump(body));
  check_positions(text, parsed.value(), Dialect::native);
}

RC_GTEST_PROP(HclProperty, PrintedJsonDocumentsParseBackIdentically, ()) {
  const Body body = random_body(Dialect::json, 0);
  std::string text;
  print_json_body(text, body);
  RC_LOG() << "printed:\n" << text << "\n";
  const auto parsed = parse_json_body("p.json", text);
  if (!parsed) RC_LOG() << to_string(parsed.error()) << "\n";
  RC_ASSERT(parsed.ok());
  RC_ASSERT(dump(parsed.value()) == dump(body));
  check_positions(text, parsed.value(), Dialect::json);
}

RC_GTEST_PROP(HclProperty, RandomBytesNeverCrash, (const std::string& text)) {
  parse_every_way(text);
}

RC_GTEST_PROP(HclProperty, RandomTokenSoupsNeverCrash, ()) {
  parse_every_way(random_token_soup());
}

RC_GTEST_PROP(HclProperty, MutatedConfigurationsNeverCrash, ()) {
  // Valid documents with one byte changed, inserted or removed: close to valid, so the errors
  // come from deep inside the grammar.
  std::string text = print_native(random_body(Dialect::native, 0));
  if (text.empty()) return;
  const auto at = static_cast<std::size_t>(*rc::gen::inRange<int>(0, static_cast<int>(text.size())));
  switch (*rc::gen::inRange(0, 3)) {
    case 0: text[at] = *rc::gen::arbitrary<char>(); break;
    case 1: text.insert(at, 1, *rc::gen::arbitrary<char>()); break;
    default: text.erase(at, 1); break;
  }
  parse_every_way(text);
}

}  // namespace
}  // namespace baton::config::hcl
