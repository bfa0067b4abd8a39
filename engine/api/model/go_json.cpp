#include "engine/api/model/go_json.hpp"

#include <cstdint>
#include <cstdio>

namespace baton::api::model {

namespace {

// The length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8
// (Go's utf8.DecodeRuneInString returning RuneError with size 1).
std::size_t utf8_length(std::string_view text, std::size_t i, std::uint32_t& rune) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  std::size_t length = 0;
  std::uint32_t minimum = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    rune = b0 & 0x1F;
    minimum = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    rune = b0 & 0x0F;
    minimum = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    rune = b0 & 0x07;
    minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return 0;
    rune = (rune << 6) | (b & 0x3F);
  }
  if (rune < minimum || rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) return 0;
  return length;
}

// Json: nlohmann::json (objects in sorted key order) or nlohmann::ordered_json (in insertion
// order: Go's struct field order where it is not alphabetical).
template <class Json>
void write_value(std::string& out, const Json& value, std::string_view prefix, std::string_view indent,
                 bool pretty, int depth) {
  const auto newline = [&](int level) {
    out += '\n';
    out += prefix;
    for (int k = 0; k < level; ++k) out += indent;
  };
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      if (value.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.items()) {
        if (!first) out += ',';
        first = false;
        if (pretty) newline(depth + 1);
        out += go_json_string(key);
        out += pretty ? ": " : ":";
        write_value(out, member, prefix, indent, pretty, depth + 1);
      }
      if (pretty) newline(depth);
      out += '}';
      return;
    }
    case nlohmann::json::value_t::array: {
      if (value.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first) out += ',';
        first = false;
        if (pretty) newline(depth + 1);
        write_value(out, element, prefix, indent, pretty, depth + 1);
      }
      if (pretty) newline(depth);
      out += ']';
      return;
    }
    case nlohmann::json::value_t::string: out += go_json_string(value.template get_ref<const std::string&>()); return;
    default: out += value.dump(); return;  // null, booleans, numbers
  }
}

}  // namespace

std::string go_json_string(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    std::uint32_t rune = 0;
    const std::size_t length = utf8_length(text, i, rune);
    if (length == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (rune == 0x2028 || rune == 0x2029) {
      out += rune == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  out += '"';
  return out;
}

namespace {

// A SAX handler that only notes where a parse failed.
struct ParseErrorPosition : nlohmann::json_sax<nlohmann::json> {
  std::size_t byte = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    byte = position;
    return false;
  }
};

}  // namespace

std::size_t json_parse_error_position(std::string_view text) {
  ParseErrorPosition where;
  (void)nlohmann::json::sax_parse(text, &where);
  return where.byte;
}

std::string go_json_marshal(const nlohmann::json& value) {
  std::string out;
  write_value(out, value, "", "", false, 0);
  return out;
}

std::string go_json_marshal(const nlohmann::ordered_json& value) {
  std::string out;
  write_value(out, value, "", "", false, 0);
  return out;
}

std::string go_json_marshal_indent(const nlohmann::json& value, std::string_view prefix, std::string_view indent) {
  std::string out;
  write_value(out, value, prefix, indent, true, 0);
  return out;
}

}  // namespace baton::api::model
