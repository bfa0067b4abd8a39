#include "engine/driver/terraform/hcl_tokens_for.hpp"

#include <cstdio>

#include "engine/driver/terraform/unicode.hpp"

namespace baton::driver::terraform {
namespace {

Token punctuation(TokenType type, const char* bytes) { return Token{type, bytes}; }

std::string unicode_escape(char32_t rune) {
  char buffer[16];
  if (rune < 0x10000) std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(rune));
  else std::snprintf(buffer, sizeof buffer, "\\U%08x", static_cast<unsigned>(rune));
  return buffer;
}

void append_escaped_rune(std::string& out, char32_t rune, std::string_view rest) {
  switch (rune) {
    case U'\n': out += "\\n"; return;
    case U'\r': out += "\\r"; return;
    case U'\t': out += "\\t"; return;
    case U'"': out += "\\\""; return;
    case U'\\': out += "\\\\"; return;
    case U'$':
    case U'%':
      out += static_cast<char>(rune);
      // Doubling the introducer keeps `${` and `%{` literal instead of starting a template.
      if (!rest.empty() && rest[0] == '{') out += static_cast<char>(rune);
      return;
    default:
      if (is_go_printable(rune)) append_utf8(out, rune);
      else out += unicode_escape(rune);
  }
}

void append_sequence(Tokens& to, const std::vector<Value>& elements) {
  to.push_back(punctuation(TokenType::open_bracket, "["));
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) to.push_back(punctuation(TokenType::comma, ","));
    append(to, tokens_for_value(elements[i]));
  }
  to.push_back(punctuation(TokenType::close_bracket, "]"));
}

void append_keyed(Tokens& to, const std::vector<Value::Member>& members) {
  to.push_back(punctuation(TokenType::open_brace, "{"));
  if (!members.empty()) to.push_back(punctuation(TokenType::newline, "\n"));
  for (const Value::Member& member : members) {
    if (is_hcl_identifier(member.key)) to.push_back(identifier_token(member.key));
    else append(to, tokens_for_string(member.key));
    to.push_back(punctuation(TokenType::equal, "="));
    append(to, tokens_for_value(member.value));
    to.push_back(punctuation(TokenType::newline, "\n"));
  }
  to.push_back(punctuation(TokenType::close_brace, "}"));
}

// Printable ASCII that needs no escape: copied as a run, not rune by rune.
bool is_plain_ascii(char c) { return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' && c != '$' && c != '%'; }

}  // namespace

std::string escape_quoted_string(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    std::size_t plain = 0;
    while (plain < text.size() && is_plain_ascii(text[plain])) ++plain;
    out.append(text.substr(0, plain));
    text.remove_prefix(plain);
    if (text.empty()) break;
    const DecodedRune decoded = decode_rune(text);
    text.remove_prefix(decoded.size_bytes);
    append_escaped_rune(out, decoded.rune, text);
  }
  return out;
}

Token identifier_token(std::string name) { return Token{TokenType::identifier, std::move(name)}; }

Tokens tokens_for_string(std::string_view text) {
  Tokens tokens{punctuation(TokenType::open_quote, "\"")};
  if (!text.empty()) tokens.push_back(Token{TokenType::quoted_literal, escape_quoted_string(text)});
  tokens.push_back(punctuation(TokenType::close_quote, "\""));
  return tokens;
}

Tokens tokens_for_value(const Value& value) {
  Tokens tokens;
  switch (value.kind()) {
    case Value::Kind::null:
      tokens.push_back(identifier_token("null"));
      break;
    case Value::Kind::boolean:
      tokens.push_back(identifier_token(value.as_bool() ? "true" : "false"));
      break;
    case Value::Kind::number:
      tokens.push_back(Token{TokenType::number, value.text()});
      break;
    case Value::Kind::string:
      tokens = tokens_for_string(value.text());
      break;
    case Value::Kind::list:
    case Value::Kind::tuple:
      append_sequence(tokens, value.elements());
      break;
    case Value::Kind::map:
    case Value::Kind::object:
      append_keyed(tokens, value.members());
      break;
  }
  return tokens;
}

void append_string_tokens(Tokens& to, std::string_view text) {
  to.push_back(punctuation(TokenType::open_quote, "\""));
  if (!text.empty()) to.push_back(Token{TokenType::quoted_literal, escape_quoted_string(text)});
  to.push_back(punctuation(TokenType::close_quote, "\""));
}

void append_string_map_tokens(Tokens& to, const std::map<std::string, std::string>& entries) {
  // std::map is ordered bytewise by key, as Value::map sorts its members.
  to.push_back(punctuation(TokenType::open_brace, "{"));
  if (!entries.empty()) to.push_back(punctuation(TokenType::newline, "\n"));
  for (const auto& [key, value] : entries) {
    if (is_hcl_identifier(key)) to.push_back(identifier_token(key));
    else append_string_tokens(to, key);
    to.push_back(punctuation(TokenType::equal, "="));
    append_string_tokens(to, value);
    to.push_back(punctuation(TokenType::newline, "\n"));
  }
  to.push_back(punctuation(TokenType::close_brace, "}"));
}

void append_string_list_tokens(Tokens& to, const std::vector<std::string>& elements) {
  to.push_back(punctuation(TokenType::open_bracket, "["));
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) to.push_back(punctuation(TokenType::comma, ","));
    append_string_tokens(to, elements[i]);
  }
  to.push_back(punctuation(TokenType::close_bracket, "]"));
}

Tokens tokens_for_traversal(const std::vector<std::string>& names) {
  Tokens tokens;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) tokens.push_back(punctuation(TokenType::dot, "."));
    tokens.push_back(identifier_token(names[i]));
  }
  return tokens;
}

}  // namespace baton::driver::terraform
