#pragma once
// The tokens of HCL1's native syntax (hcl/token/token.go). Comments never reach the parser:
// HCL1's parser skips them wherever they appear, so our scanner does.
#include <string>
#include <string_view>

#include "engine/config/hcl/position.hpp"

namespace baton::config::hcl {

enum class TokenKind {
  eof,
  identifier,  // foo, foo-bar, foo.bar, _x (letters, digits, '-' and '.' after the first)
  number,      // an integer literal: 42, -7, 0x1F, 0755
  floating,    // 1.5, 1e3, -2.5E-3, .5, 1.
  boolean,     // true, false
  string,      // "..." (text keeps the quotes; see string_literal.hpp)
  heredoc,     // <<EOF ... EOF and <<-EOF ... EOF (text runs from "<<" to the final newline)
  lbrack,
  rbrack,
  lbrace,
  rbrace,
  comma,
  assign,
  // HCL1 scans these but its grammar has no place for them: they only ever make errors.
  period,
  add,
  sub,
};

struct Token {
  TokenKind kind = TokenKind::eof;
  std::string_view text;  // into the scanner's copy of the source
  Position position;
};

// For error messages: "'{'", "end of file", "identifier 'foo'", "string \"a\"", "number 12".
std::string describe(const Token& token);

}  // namespace baton::config::hcl
