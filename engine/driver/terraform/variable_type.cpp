#include "engine/driver/terraform/variable_type.hpp"

#include "engine/driver/terraform/hcl_tokens_for.hpp"

namespace baton::driver::terraform {
namespace {

Token token(TokenType type, const char* bytes) { return Token{type, bytes}; }

// name(any)
Tokens generic(const char* name) {
  return {identifier_token(name), token(TokenType::open_paren, "("), identifier_token("any"),
          token(TokenType::close_paren, ")")};
}

// tuple([t1, t2])
Tokens tuple_type(const std::vector<Value>& elements) {
  Tokens out{identifier_token("tuple"), token(TokenType::open_paren, "("), token(TokenType::open_bracket, "[")};
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out.push_back(token(TokenType::comma, ","));
    append(out, variable_type_tokens(elements[i]));
  }
  out.push_back(token(TokenType::close_bracket, "]"));
  out.push_back(token(TokenType::close_paren, ")"));
  return out;
}

// object({}) or object({ newline key = type newline ... })
Tokens object_type(const std::vector<Value::Member>& members) {
  Tokens out{identifier_token("object"), token(TokenType::open_paren, "("), token(TokenType::open_brace, "{")};
  if (!members.empty()) out.push_back(token(TokenType::newline, "\n"));
  for (const Value::Member& member : members) {
    // CTS writes the key as is, identifier or not.
    out.push_back(identifier_token(member.key));
    out.push_back(token(TokenType::equal, "="));
    append(out, variable_type_tokens(member.value));
    out.push_back(token(TokenType::newline, "\n"));
  }
  out.push_back(token(TokenType::close_brace, "}"));
  out.push_back(token(TokenType::close_paren, ")"));
  return out;
}

}  // namespace

Tokens variable_type_tokens(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::null: return {identifier_token("unknown")};
    case Value::Kind::boolean: return {identifier_token("bool")};
    case Value::Kind::number: return {identifier_token("number")};
    case Value::Kind::string: return {identifier_token("string")};
    case Value::Kind::list: return generic("list");
    case Value::Kind::map: return generic("map");
    case Value::Kind::tuple: return tuple_type(value.elements());
    case Value::Kind::object: return object_type(value.members());
  }
  return {identifier_token("unknown")};
}

Tokens variable_type_line(const Value& value) {
  Tokens out{identifier_token("type"), token(TokenType::equal, "=")};
  append(out, variable_type_tokens(value));
  out.push_back(token(TokenType::newline, "\n"));
  return out;
}

}  // namespace baton::driver::terraform
