#include "engine/driver/terraform/hcl_body.hpp"

#include <utility>

#include "engine/driver/terraform/hcl_tokens_for.hpp"

namespace baton::driver::terraform {

struct Body::Item {
  enum class Kind { attribute, block, tokens } kind;
  std::string name;          // attribute name, block type
  std::vector<std::string> labels;
  Tokens tokens;             // attribute expression, or the unstructured tokens
  Body body;                 // block content
};

Body::Body() = default;
Body::Body(Body&&) noexcept = default;
Body& Body::operator=(Body&&) noexcept = default;
Body::~Body() = default;

void Body::set_attribute_raw(const std::string& name, Tokens expression) {
  for (const auto& item : items_) {
    if (item->kind == Item::Kind::attribute && item->name == name) {
      item->tokens = std::move(expression);
      return;
    }
  }
  auto item = std::make_unique<Item>();
  item->kind = Item::Kind::attribute;
  item->name = name;
  item->tokens = std::move(expression);
  items_.push_back(std::move(item));
}

void Body::set_attribute_value(const std::string& name, const Value& value) {
  set_attribute_raw(name, tokens_for_value(value));
}

void Body::set_attribute_traversal(const std::string& name, const std::vector<std::string>& traversal) {
  set_attribute_raw(name, tokens_for_traversal(traversal));
}

Body& Body::append_block(const std::string& type, const std::vector<std::string>& labels) {
  auto item = std::make_unique<Item>();
  item->kind = Item::Kind::block;
  item->name = type;
  item->labels = labels;
  items_.push_back(std::move(item));
  return items_.back()->body;
}

void Body::append_tokens(const Tokens& tokens) {
  auto item = std::make_unique<Item>();
  item->kind = Item::Kind::tokens;
  item->tokens = tokens;
  items_.push_back(std::move(item));
}

void Body::append_newline() { append_tokens({Token{TokenType::newline, "\n"}}); }

void Body::append_comment(std::string text) {
  append_tokens({Token{TokenType::comment, std::move(text)}, Token{TokenType::newline, "\n"}});
}

Tokens Body::build() const {
  Tokens out;
  for (const auto& item : items_) {
    switch (item->kind) {
      case Item::Kind::attribute:
        out.push_back(identifier_token(item->name));
        out.push_back(Token{TokenType::equal, "="});
        append(out, item->tokens);
        out.push_back(Token{TokenType::newline, "\n"});
        break;
      case Item::Kind::block:
        out.push_back(identifier_token(item->name));
        for (const std::string& label : item->labels) append(out, tokens_for_string(label));
        out.push_back(Token{TokenType::open_brace, "{"});
        out.push_back(Token{TokenType::newline, "\n"});
        append(out, item->body.build());
        out.push_back(Token{TokenType::close_brace, "}"});
        out.push_back(Token{TokenType::newline, "\n"});
        break;
      case Item::Kind::tokens:
        append(out, item->tokens);
        break;
    }
  }
  return out;
}

}  // namespace baton::driver::terraform
