#include "engine/config/hcl/native_parser.hpp"

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "engine/config/hcl/heredoc.hpp"
#include "engine/config/hcl/limits.hpp"
#include "engine/config/hcl/number_literal.hpp"
#include "engine/config/hcl/scanner.hpp"
#include "engine/config/hcl/source_text.hpp"
#include "engine/config/hcl/string_literal.hpp"

namespace baton::config::hcl {
namespace {

bool is_literal(TokenKind kind) {
  return kind == TokenKind::number || kind == TokenKind::floating ||
         kind == TokenKind::boolean || kind == TokenKind::string || kind == TokenKind::heredoc;
}

// The keys before '=' or '{', as HCL1 quotes them in errors: raw token texts joined by spaces.
std::string join_keys(const std::vector<Token>& keys) {
  std::string joined;
  for (const Token& key : keys) {
    if (!joined.empty()) joined.push_back(' ');
    joined.append(key.text);
  }
  return joined;
}

Error too_deep(const Token& token) {
  return Error::at(token.position,
                   fmt::format("nesting too deep: more than {} levels of blocks, objects and lists",
                               kMaxNestingDepth));
}

// One token of lookahead over the scanner, as HCL1's parser has (scan/unscan).
class Parser {
 public:
  Parser(std::string_view file, std::string_view text) : scanner_(file, text) {}

  Result<Body> parse_file() { return parse_items(/*nested=*/false, 0); }

 private:
  Result<Token> next() {
    if (pushed_back_) {
      pushed_back_ = false;
      return current_;
    }
    auto token = scanner_.scan();
    if (token) current_ = token.value();
    return token;
  }
  void push_back() { pushed_back_ = true; }

  // objectList: items until '}' (nested) or the end of the file (top level). Nested, the '}'
  // is left for the caller, which also reports a missing one.
  Result<Body> parse_items(bool nested, int depth) {
    Body body;
    for (;;) {
      auto token = next();
      if (!token) return token.error();
      if (token.value().kind == TokenKind::eof || (nested && token.value().kind == TokenKind::rbrace)) {
        push_back();
        return body;
      }
      auto item = parse_item(token.value(), depth);
      if (!item) return item.error();
      body.items.push_back(std::move(item.value()));
      auto separator = next();
      if (!separator) return separator.error();
      if (separator.value().kind != TokenKind::comma) push_back();
    }
  }

  // objectItem: keys, then '=' and a value (an Attribute) or '{' and items (a Block).
  Result<Item> parse_item(Token token, int depth) {
    std::vector<Token> keys;
    for (;;) {
      switch (token.kind) {
        case TokenKind::identifier:
        case TokenKind::string:
          keys.push_back(token);
          break;
        case TokenKind::assign:
          if (keys.empty()) return Error::at(token.position, "no object keys found before '='");
          if (keys.size() > 1) {
            return Error::at(token.position, fmt::format(
                "nested object expected: '{{' got: '=' after '{}' (only a block has labels)",
                join_keys(keys)));
          }
          return parse_attribute(keys.front(), depth);
        case TokenKind::lbrace:
          if (keys.empty()) {
            return Error::at(token.position, "expected: identifier or string got: '{'");
          }
          return parse_block(keys, token, depth);
        case TokenKind::eof:
        case TokenKind::rbrace:
          if (!keys.empty()) return expected_start(keys, token);
          [[fallthrough]];
        default:
          return Error::at(token.position, fmt::format(
              "expected: identifier, string, '=' or '{{' got: {}", describe(token)));
      }
      auto following = next();
      if (!following) return following.error();
      token = following.value();
    }
  }

  static Error expected_start(const std::vector<Token>& keys, const Token& found) {
    return Error::at(found.position,
                     fmt::format("key '{}' expected start of object ('{{') or assignment ('=')",
                                 join_keys(keys)));
  }

  Result<Item> parse_attribute(const Token& name, int depth) {
    auto decoded = key_text(name);
    if (!decoded) return decoded.error();
    auto value = parse_value(depth);
    if (!value) return value.error();
    return Item(Attribute{std::move(decoded.value()), name.position, std::move(value.value())});
  }

  Result<Item> parse_block(const std::vector<Token>& keys, const Token& open, int depth) {
    // Each label is one more level for the decoder (go_value.hpp nests a map per label), so
    // labels count towards the depth bound.
    const int block_depth = depth + static_cast<int>(keys.size()) - 1;
    if (block_depth + 1 > kMaxNestingDepth) return too_deep(keys.back());
    Block block;
    block.position = keys.front().position;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      auto decoded = key_text(keys[i]);
      if (!decoded) return decoded.error();
      if (i == 0) {
        block.type = std::move(decoded.value());
      } else {
        block.labels.push_back(Label{std::move(decoded.value()), keys[i].position});
      }
    }
    auto body = parse_braced_items(open, block_depth);
    if (!body) return body.error();
    block.body = std::move(body.value());
    return Item(std::move(block));
  }

  // objectType: after a '{', items and the closing '}'.
  Result<Body> parse_braced_items(const Token& open, int depth) {
    if (depth + 1 > kMaxNestingDepth) return too_deep(open);
    auto body = parse_items(/*nested=*/true, depth + 1);
    if (!body) return body.error();
    auto close = next();
    if (!close) return close.error();
    if (close.value().kind != TokenKind::rbrace) {
      return Error::at(close.value().position,
                       fmt::format("object expected closing '}}' got: {}", describe(close.value())));
    }
    return body;
  }

  Result<Value> parse_value(int depth) {
    auto token = next();
    if (!token) return token.error();
    const Token& first = token.value();
    if (is_literal(first.kind)) return parse_literal(first);
    if (first.kind == TokenKind::lbrace) {
      auto body = parse_braced_items(first, depth);
      if (!body) return body.error();
      return Value::object(std::move(body.value()), first.position);
    }
    if (first.kind == TokenKind::lbrack) return parse_list(first, depth);
    const bool is_null = first.kind == TokenKind::identifier && first.text == "null";
    return Error::at(first.position, fmt::format(
        "expected a value (string, number, bool, heredoc, list or object), got: {}{}",
        describe(first), is_null ? " (HCL1 has no null)" : ""));
  }

  // listType, with its quirks: a comma may lead or repeat, and none is needed after a list.
  Result<Value> parse_list(const Token& open, int depth) {
    if (depth + 1 > kMaxNestingDepth) return too_deep(open);
    Value::List elements;
    bool need_comma = false;
    for (;;) {
      auto token = next();
      if (!token) return token.error();
      const Token& current = token.value();
      if (need_comma && current.kind != TokenKind::comma && current.kind != TokenKind::rbrack) {
        return Error::at(current.position, fmt::format(
            "error parsing list, expected comma or list end, got: {}", describe(current)));
      }
      if (current.kind == TokenKind::rbrack) return Value::list(std::move(elements), open.position);
      if (current.kind == TokenKind::comma) {
        need_comma = false;
        continue;
      }
      auto element = parse_list_element(current, depth + 1);
      if (!element) return element.error();
      need_comma = element.value().kind() != ValueKind::list;
      elements.push_back(std::move(element.value()));
    }
  }

  Result<Value> parse_list_element(const Token& token, int depth) {
    if (is_literal(token.kind)) return parse_literal(token);
    if (token.kind == TokenKind::lbrace) {
      auto body = parse_braced_items(token, depth);
      if (!body) return body.error();
      return Value::object(std::move(body.value()), token.position);
    }
    if (token.kind == TokenKind::lbrack) return parse_list(token, depth);
    return Error::at(token.position,
                     fmt::format("unexpected token while parsing list: {}", describe(token)));
  }

  // The decoding HCL1 does later, in Token.Value and the decoder: done here so that a value
  // CTS could not decode (an out-of-range number, an octal escape above \377) is a syntax
  // error with a position instead of a panic.
  static Result<Value> parse_literal(const Token& token) {
    switch (token.kind) {
      case TokenKind::boolean:
        return Value::boolean(token.text == "true", token.position);
      case TokenKind::number:
      case TokenKind::floating: {
        const NumberReading reading = token.kind == TokenKind::number
                                          ? read_integer_literal(token.text)
                                          : read_float_literal(token.text);
        if (!reading.number) {
          return Error::at(token.position,
                           fmt::format("invalid number {}: {}", token.text, reading.failure));
        }
        return Value::number(*reading.number, token.position);
      }
      case TokenKind::heredoc:
        return Value::string(heredoc_value(token.text), token.position, StringStyle::heredoc);
      default: {
        auto text = key_text(token);
        if (!text) return text.error();
        return Value::string(std::move(text.value()), token.position);
      }
    }
  }

  static Result<std::string> key_text(const Token& token) {
    if (token.kind != TokenKind::string) return std::string(token.text);
    Unquoted unquoted = unquote(token.text);
    if (unquoted.failure) {
      return Error::at(token.position, "invalid string literal: " + unquoted.failure->message);
    }
    return std::move(unquoted.value);
  }

  Scanner scanner_;
  Token current_;
  bool pushed_back_ = false;
};

}  // namespace

Result<Body> parse_native_body(std::string_view file, std::string_view text) {
  auto folded = check_source_text(file, text);
  if (!folded) return folded.error();
  Parser parser(file, folded.value());
  return parser.parse_file();
}

}  // namespace baton::config::hcl
