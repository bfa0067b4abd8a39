#pragma once
// HCL1's scanner (hcl/scanner/scanner.go in hashicorp/hcl v1.0.1-vault-2, the version CTS
// pins), token for token: the same identifier, number, string and heredoc shapes, the same
// comment forms, the same error wording. Differences are deliberate and listed in README.md.
//
// The text must have passed check_source_text (source_text.hpp): valid UTF-8 without NUL or
// U+E123, with CRLF already folded to LF as HCL1's parser does before scanning.
#include <cstddef>
#include <string>
#include <string_view>

#include "engine/config/hcl/error.hpp"
#include "engine/config/hcl/token.hpp"

namespace baton::config::hcl {

class Scanner {
 public:
  Scanner(std::string_view file, std::string_view text);

  // The next token, white space and comments skipped; an eof token at the end, forever.
  Result<Token> scan();

 private:
  char32_t peek(std::size_t runes_ahead = 0) const;
  void advance();
  bool at_end() const { return offset_ >= text_.size(); }
  Position here() const;
  Token finish(TokenKind kind, std::size_t start, const Position& position) const;

  // Each returns an Error or nothing; they leave the cursor after what they consumed.
  Result<bool> skip_space_and_comments();
  Result<bool> skip_comment();
  Result<TokenKind> scan_number(const Position& start);
  Result<TokenKind> scan_period(const Position& start);
  Result<bool> scan_exponent(const Position& start);
  Result<bool> scan_string(const Position& start);
  Result<bool> scan_escape();
  Result<bool> scan_heredoc(const Position& start);
  void scan_identifier();

  std::string file_;
  std::string_view text_;
  std::size_t offset_ = 0;
  int line_ = 1;
  int column_ = 1;  // of the next character
};

}  // namespace baton::config::hcl
