#include "engine/config/hcl/scanner.hpp"

#include <optional>

#include <fmt/format.h>

#include "engine/config/hcl/heredoc.hpp"
#include "engine/config/hcl/utf8.hpp"

namespace baton::config::hcl {
namespace {

constexpr char32_t kEnd = 0;  // what peek() answers past the end (NUL cannot occur in the text)

bool is_letter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         utf8::is_non_ascii_letter(c);
}
bool is_decimal(char32_t c) { return c >= '0' && c <= '9'; }
bool is_hexadecimal(char32_t c) {
  return is_decimal(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// HCL1 skips exactly these four between tokens; \v, \f and Unicode spaces are illegal there.
bool is_whitespace(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int digit_value(char32_t c) {
  if (is_decimal(c)) return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return 16;
}

// The character as a user would want it quoted in "illegal char" errors.
std::string show(char32_t c) {
  if (c < 0x20 || c == 0x7F) return fmt::format("U+{:04X}", static_cast<unsigned>(c));
  std::string text = "'";
  utf8::append(text, c);
  return text + "'";
}

Result<bool> ok() { return true; }

// The one-character tokens; '-' reaches here only when no digit follows it.
std::optional<TokenKind> punctuation_kind(char32_t c) {
  switch (c) {
    case '[': return TokenKind::lbrack;
    case ']': return TokenKind::rbrack;
    case '{': return TokenKind::lbrace;
    case '}': return TokenKind::rbrace;
    case ',': return TokenKind::comma;
    case '=': return TokenKind::assign;
    case '+': return TokenKind::add;
    case '-': return TokenKind::sub;
    default: return std::nullopt;
  }
}

}  // namespace

Scanner::Scanner(std::string_view file, std::string_view text) : file_(file), text_(text) {}

char32_t Scanner::peek(std::size_t runes_ahead) const {
  std::size_t offset = offset_;
  for (std::size_t i = 0; i < runes_ahead && offset < text_.size(); ++i) {
    offset += utf8::decode(text_, offset).size;
  }
  if (offset >= text_.size()) return kEnd;
  return utf8::decode(text_, offset).rune;
}

void Scanner::advance() {
  if (at_end()) return;
  const utf8::Decoded decoded = utf8::decode(text_, offset_);
  offset_ += decoded.size;
  if (decoded.rune == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
}

Position Scanner::here() const { return Position{file_, line_, column_}; }

Token Scanner::finish(TokenKind kind, std::size_t start, const Position& position) const {
  return Token{kind, text_.substr(start, offset_ - start), position};
}

Result<Token> Scanner::scan() {
  if (const auto skipped = skip_space_and_comments(); !skipped) return skipped.error();
  const std::size_t start = offset_;
  const Position position = here();
  if (at_end()) return Token{TokenKind::eof, {}, position};

  const char32_t c = peek();
  if (is_letter(c)) {
    scan_identifier();
    Token token = finish(TokenKind::identifier, start, position);
    if (token.text == "true" || token.text == "false") token.kind = TokenKind::boolean;
    return token;
  }
  // A '-' right before a digit belongs to the number; anywhere else it is HCL1's SUB token.
  if (is_decimal(c) || (c == '-' && is_decimal(peek(1)))) {
    const auto kind = scan_number(position);
    if (!kind) return kind.error();
    return finish(kind.value(), start, position);
  }
  switch (c) {
    case '"': {
      if (const auto scanned = scan_string(position); !scanned) return scanned.error();
      return finish(TokenKind::string, start, position);
    }
    case '<': {
      if (const auto scanned = scan_heredoc(position); !scanned) return scanned.error();
      return finish(TokenKind::heredoc, start, position);
    }
    case '.': {
      const auto kind = scan_period(position);
      if (!kind) return kind.error();
      return finish(kind.value(), start, position);
    }
    default: break;
  }
  const std::optional<TokenKind> punctuation = punctuation_kind(c);
  if (!punctuation) return Error::at(position, "illegal char " + show(c));
  advance();
  return finish(*punctuation, start, position);
}

Result<bool> Scanner::skip_space_and_comments() {
  for (;;) {
    while (is_whitespace(peek()) && !at_end()) advance();
    const char32_t c = peek();
    if (c != '#' && c != '/') return ok();
    if (const auto skipped = skip_comment(); !skipped) return skipped;
  }
}

// `# ...` and `// ...` run to the end of the line; `/* ... */` to the first "*/" (no nesting).
Result<bool> Scanner::skip_comment() {
  const Position start = here();
  const char32_t first = peek();
  if (first == '#' || (first == '/' && peek(1) == '/')) {
    while (!at_end() && peek() != '\n') advance();
    return ok();
  }
  if (peek(1) != '*') {
    advance();
    return Error::at(start, "expected '/' for comment");
  }
  advance();
  advance();
  for (;;) {
    if (at_end()) return Error::at(start, "comment not terminated");
    const char32_t c = peek();
    advance();
    if (c == '*' && peek() == '/') {
      advance();
      return ok();
    }
  }
}

void Scanner::scan_identifier() {
  advance();
  for (char32_t c = peek(); is_letter(c) || is_decimal(c) || c == '-' || c == '.'; c = peek()) {
    advance();
  }
}

// scanNumber: decimal, 0x hexadecimal and 0-prefixed octal integers, and floats with a
// fraction and/or an exponent. The value is read later (number_literal.hpp), as HCL1 reads it
// when decoding.
Result<TokenKind> Scanner::scan_number(const Position& start) {
  if (peek() == '-') advance();
  const bool leading_zero = peek() == '0';
  advance();
  if (leading_zero && (peek() == 'x' || peek() == 'X')) {
    advance();
    if (!is_hexadecimal(peek())) return Error::at(start, "illegal hexadecimal number");
    while (is_hexadecimal(peek())) advance();
    return TokenKind::number;
  }
  bool has_eight_or_nine = false;
  while (is_decimal(peek())) {
    has_eight_or_nine = has_eight_or_nine || peek() == '8' || peek() == '9';
    advance();
  }
  bool is_float = false;
  if (peek() == '.') {
    is_float = true;
    advance();
    while (is_decimal(peek())) advance();
  }
  if (peek() == 'e' || peek() == 'E') {
    is_float = true;
    if (const auto scanned = scan_exponent(start); !scanned) return scanned.error();
  }
  if (is_float) return TokenKind::floating;
  // "09" is scanned by HCL1 and then refused by Go's ParseInt: an octal number has no 8 or 9.
  if (leading_zero && has_eight_or_nine) return Error::at(start, "illegal octal number");
  return TokenKind::number;
}

// HCL1 reads ".5" as a float and a lone '.' as a PERIOD. An exponent after ".5" ends the
// token early there (scanExponent re-reads the 'e'), so ".5e3" never decodes; we say so.
Result<TokenKind> Scanner::scan_period(const Position& start) {
  advance();
  if (!is_decimal(peek())) return TokenKind::period;
  while (is_decimal(peek())) advance();
  if (peek() == 'e' || peek() == 'E') {
    return Error::at(start, "malformed exponent in number (HCL1 reads no exponent after a "
                            "leading '.')");
  }
  return TokenKind::floating;
}

// HCL1 swallows one more character when the exponent has no digits ("1e" then a newline) and
// then fails to decode the token; we stop at the missing digits and say so.
Result<bool> Scanner::scan_exponent(const Position& start) {
  advance();
  if (peek() == '+' || peek() == '-') advance();
  if (!is_decimal(peek())) return Error::at(start, "malformed exponent in number");
  while (is_decimal(peek())) advance();
  return ok();
}

// scanString: a double-quoted string on one line, except that inside `${ ... }` (braces
// counted) quotes and newlines do not end it. Escapes are checked here and resolved by
// string_literal.hpp, which also keeps `${ ... }` verbatim.
Result<bool> Scanner::scan_string(const Position& start) {
  advance();  // the opening quote
  int braces = 0;
  for (;;) {
    const char32_t c = peek();
    if (at_end() || (c == '\n' && braces == 0)) {
      return Error::at(start, "literal not terminated");
    }
    if (c == '"' && braces == 0) {
      advance();
      return ok();
    }
    if (c == '\\') {
      if (const auto scanned = scan_escape(); !scanned) return scanned;
      continue;
    }
    advance();
    if (braces == 0 && c == '$' && peek() == '{') {
      ++braces;
      advance();
    } else if (braces > 0 && c == '{') {
      ++braces;
    } else if (braces > 0 && c == '}') {
      --braces;
    }
  }
}

// scanEscape: \a \b \f \n \r \t \v \\ \" and \NNN (3 octal digits), \xHH, \uHHHH, \UHHHHHHHH.
Result<bool> Scanner::scan_escape() {
  const Position start = here();
  advance();  // the backslash
  const char32_t c = peek();
  int digits = 0;
  int base = 16;
  switch (c) {
    case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\': case '"':
      advance();
      return ok();
    case 'x': digits = 2; break;
    case 'u': digits = 4; break;
    case 'U': digits = 8; break;
    default:
      if (c >= '0' && c <= '7') {
        digits = 3;
        base = 8;
        break;
      }
      return Error::at(start, "illegal char escape");
  }
  if (base == 16) advance();  // the x, u or U; an octal escape's first digit counts as a digit
  for (int i = 0; i < digits; ++i) {
    if (at_end() || digit_value(peek()) >= base) return Error::at(start, "illegal char escape");
    advance();
  }
  return ok();
}

// scanHeredoc: `<<ANCHOR` or `<<-ANCHOR` at the end of its line, then lines up to one that
// holds the anchor alone (after optional white space), which must itself end with a newline.
Result<bool> Scanner::scan_heredoc(const Position& start) {
  advance();  // the first '<'
  if (peek() != '<') {
    advance();
    return Error::at(start, "heredoc expected second '<', didn't see it");
  }
  advance();
  const std::size_t anchor_start = offset_;
  if (peek() == '-') advance();
  for (char32_t c = peek(); (is_letter(c) || is_decimal(c)) && !at_end(); c = peek()) advance();
  if (at_end()) return Error::at(start, "heredoc not terminated");
  // HCL1 keeps a '\r' before the newline as part of the anchor (its CRLF folding happens
  // earlier, so only a lone '\r' gets here); the closing line then needs one too.
  if (peek() == '\r' && peek(1) == '\n') advance();
  if (peek() != '\n') return Error::at(start, "invalid characters in heredoc anchor");
  const std::string_view anchor = text_.substr(anchor_start, offset_ - anchor_start);
  if (anchor.empty() || anchor == "-") return Error::at(start, "zero-length heredoc anchor");
  advance();  // the anchor line's newline

  std::size_t line_start = offset_;
  for (;;) {
    if (at_end()) return Error::at(start, "heredoc not terminated");
    const char32_t c = peek();
    advance();
    if (c != '\n') continue;
    const std::string_view line = text_.substr(line_start, offset_ - 1 - line_start);
    if (is_heredoc_terminator(line, anchor)) return ok();
    line_start = offset_;
  }
}

}  // namespace baton::config::hcl
