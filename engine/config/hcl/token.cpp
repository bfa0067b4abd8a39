#include "engine/config/hcl/token.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace baton::config::hcl {
namespace {

// Long texts are cut so one bad token cannot flood the message, and line breaks (a string may
// span lines inside `${}`) are shown escaped so the message stays on one line.
std::string excerpt(std::string_view text) {
  constexpr std::size_t kMaxBytes = 40;
  std::size_t cut = std::min(text.size(), kMaxBytes);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string shown;
  for (const char c : text.substr(0, cut)) {
    if (c == '\n') {
      shown += "\\n";
    } else if (c == '\r') {
      shown += "\\r";
    } else {
      shown += c;
    }
  }
  return cut < text.size() ? shown + "..." : shown;
}

}  // namespace

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::eof: return "end of file";
    case TokenKind::identifier: return fmt::format("identifier '{}'", excerpt(token.text));
    case TokenKind::number:
    case TokenKind::floating: return fmt::format("number {}", excerpt(token.text));
    case TokenKind::boolean: return fmt::format("bool {}", token.text);
    case TokenKind::string: return fmt::format("string {}", excerpt(token.text));
    case TokenKind::heredoc: return "heredoc";
    case TokenKind::lbrack: return "'['";
    case TokenKind::rbrack: return "']'";
    case TokenKind::lbrace: return "'{'";
    case TokenKind::rbrace: return "'}'";
    case TokenKind::comma: return "','";
    case TokenKind::assign: return "'='";
    case TokenKind::period: return "'.'";
    case TokenKind::add: return "'+'";
    case TokenKind::sub: return "'-'";
  }
  return "token";
}

}  // namespace baton::config::hcl
