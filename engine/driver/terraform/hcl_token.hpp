#pragma once
// hclwrite's tokens: what CTS's generators build and hclwrite's formatter re-spaces. Only the
// token types those generators produce exist here.
#include <string>
#include <vector>

namespace baton::driver::terraform {

enum class TokenType {
  newline,
  identifier,
  equal,
  number,
  open_quote,
  quoted_literal,  // the escaped text between the quotes
  close_quote,
  open_brace,
  close_brace,
  open_bracket,
  close_bracket,
  open_paren,
  close_paren,
  comma,
  dot,
  comment,  // "# text", without its line break
  invalid,  // what hclsyntax cannot lex, such as a byte order mark inside a file
};

struct Token {
  TokenType type;
  std::string bytes;
  int spaces_before = 0;  // set by format_tokens
};

using Tokens = std::vector<Token>;

inline void append(Tokens& to, const Tokens& from) { to.insert(to.end(), from.begin(), from.end()); }

}  // namespace baton::driver::terraform
