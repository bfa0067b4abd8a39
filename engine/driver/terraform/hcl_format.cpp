#include "engine/driver/terraform/hcl_format.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/driver/terraform/unicode.hpp"

namespace baton::driver::terraform {
namespace {

// Half-open ranges of token indexes; a line's cells follow each other.
struct Cell {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool empty() const { return begin == end; }
  std::size_t size() const { return end - begin; }
};

struct Line {
  Cell lead;     // up to the `=` of a single-line attribute, or the whole line
  Cell assign;   // from that `=` on, newline included
  Cell comment;  // a trailing comment
};

int bracket_change(const Token& token) {
  switch (token.type) {
    case TokenType::open_brace:
    case TokenType::open_bracket:
    case TokenType::open_paren:
      return 1;
    case TokenType::close_brace:
    case TokenType::close_bracket:
    case TokenType::close_paren:
      return -1;
    default:
      return 0;
  }
}

int net_brackets(const Tokens& tokens, Cell cell) {
  int net = 0;
  for (std::size_t i = cell.begin; i < cell.end; ++i) net += bracket_change(tokens[i]);
  return net;
}

// Moves a trailing comment and the `=` of a single-line attribute into their own cells.
void split_cells(const Tokens& tokens, Line& line) {
  if (line.lead.size() > 1 && tokens[line.lead.end - 1].type == TokenType::comment) {
    line.comment = {line.lead.end - 1, line.lead.end};
    line.lead.end -= 1;
  }
  for (std::size_t i = line.lead.begin + 1; i < line.lead.end; ++i) {
    if (tokens[i].type != TokenType::equal) continue;
    // Only when the right side closes every bracket it opens: a multi-line value breaks the
    // alignment chain.
    if (net_brackets(tokens, {i, line.lead.end}) == 0) {
      line.assign = {i, line.lead.end};
      line.lead.end = i;
    }
    break;
  }
}

std::vector<Line> lines_for_format(const Tokens& tokens) {
  std::vector<Line> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].type != TokenType::newline) continue;
    lines.push_back({{start, i + 1}, {}, {}});
    start = i + 1;
  }
  lines.push_back({{start, tokens.size()}, {}, {}});
  for (Line& line : lines) {
    if (!line.lead.empty()) split_cells(tokens, line);
  }
  return lines;
}

// Each line is indented two spaces per bracket level still open before it; a line that opens
// several brackets at once is one level deeper, and closes them all together.
void format_indent(Tokens& tokens, const std::vector<Line>& lines) {
  std::vector<int> indents;
  for (const Line& line : lines) {
    if (line.lead.empty()) continue;
    Token& first = tokens[line.lead.begin];
    if (first.type == TokenType::newline) {
      first.spaces_before = 0;
      continue;
    }
    const int net = net_brackets(tokens, line.lead) + net_brackets(tokens, line.assign);
    if (net > 0) {
      first.spaces_before = 2 * static_cast<int>(indents.size());
      indents.push_back(net);
      continue;
    }
    for (int closed = -net; closed > 0 && !indents.empty();) {
      if (closed >= indents.back()) {
        closed -= indents.back();
        indents.pop_back();
      } else {
        indents.back() -= closed;
        closed = 0;
      }
    }
    first.spaces_before = 2 * static_cast<int>(indents.size());
  }
}

bool is_in_keyword(const Token& token) { return token.type == TokenType::identifier && token.bytes == "in"; }

// hclwrite's spaceAfterToken, for the token types CTS generates.
bool space_after(const Token& subject, const Token* before, const Token& after) {
  const TokenType s = subject.type;
  const TokenType a = after.type;
  if (a == TokenType::newline) return false;
  if (s == TokenType::identifier && a == TokenType::open_paren) return false;
  if (s == TokenType::dot || a == TokenType::dot) return false;
  if (a == TokenType::comma) return false;
  if (s == TokenType::comma) return true;
  if (s == TokenType::quoted_literal || s == TokenType::open_quote || a == TokenType::quoted_literal ||
      a == TokenType::close_quote)
    return false;
  if (is_in_keyword(subject) && before != nullptr && before->type == TokenType::identifier) return true;
  if (a == TokenType::open_bracket &&
      (s == TokenType::identifier || s == TokenType::number || bracket_change(subject) < 0))
    return false;
  if (s == TokenType::open_brace || a == TokenType::close_brace) {
    return !(s == TokenType::open_brace && a == TokenType::close_brace);
  }
  if (bracket_change(subject) > 0) return false;
  if (bracket_change(after) < 0) return false;
  return true;
}

void format_cell_spaces(Tokens& tokens, Cell cell) {
  for (std::size_t i = cell.begin; i + 1 < cell.end; ++i) {
    const Token* before = i > cell.begin ? &tokens[i - 1] : nullptr;
    tokens[i + 1].spaces_before = space_after(tokens[i], before, tokens[i + 1]) ? 1 : 0;
  }
}

void format_spaces(Tokens& tokens, const std::vector<Line>& lines) {
  for (const Line& line : lines) {
    format_cell_spaces(tokens, line.lead);
    if (line.assign.empty()) continue;
    tokens[line.assign.begin].spaces_before = 1;
    format_cell_spaces(tokens, line.assign);
  }
}

std::size_t columns(const Tokens& tokens, Cell cell) {
  std::size_t total = 0;
  for (std::size_t i = cell.begin; i < cell.end; ++i) {
    total += static_cast<std::size_t>(tokens[i].spaces_before) + grapheme_count(tokens[i].bytes);
  }
  return total;
}

// Aligns the first token of cell `which` over each run of consecutive lines that have one.
template <typename Which, typename Width>
void align(Tokens& tokens, const std::vector<Line>& lines, Which which, Width width_before) {
  std::size_t chain_start = 0;
  std::size_t widest = 0;
  bool in_chain = false;
  const auto close = [&](std::size_t end) {
    for (std::size_t i = chain_start; i < end; ++i) {
      tokens[which(lines[i]).begin].spaces_before = static_cast<int>(widest - width_before(lines[i]) + 1);
    }
    in_chain = false;
    widest = 0;
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (which(lines[i]).empty()) {
      if (in_chain) close(i);
      continue;
    }
    if (!in_chain) chain_start = i;
    in_chain = true;
    widest = std::max(widest, width_before(lines[i]));
  }
  if (in_chain) close(lines.size());
}

void format_cells(Tokens& tokens, const std::vector<Line>& lines) {
  align(tokens, lines, [](const Line& l) { return l.assign; },
        [&](const Line& l) { return columns(tokens, l.lead); });
  align(tokens, lines, [](const Line& l) { return l.comment; },
        [&](const Line& l) { return columns(tokens, l.lead) + columns(tokens, l.assign); });
}

}  // namespace

void format_tokens(Tokens& tokens) {
  const std::vector<Line> lines = lines_for_format(tokens);
  format_indent(tokens, lines);
  format_spaces(tokens, lines);
  format_cells(tokens, lines);
}

std::string write_tokens(const Tokens& tokens) {
  std::string out;
  for (const Token& token : tokens) {
    out.append(static_cast<std::size_t>(token.spaces_before), ' ');
    out += token.bytes;
  }
  return out;
}

std::string formatted(Tokens tokens) {
  format_tokens(tokens);
  return write_tokens(tokens);
}

std::string formatted_relexed(Tokens tokens) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  Tokens relexed;
  relexed.reserve(tokens.size());
  for (Token& token : tokens) {
    if (token.type == TokenType::identifier && token.bytes.size() > kByteOrderMark.size() &&
        std::string_view(token.bytes).substr(0, kByteOrderMark.size()) == kByteOrderMark) {
      relexed.push_back(Token{TokenType::invalid, std::string(kByteOrderMark)});
      token.bytes.erase(0, kByteOrderMark.size());
    }
    relexed.push_back(std::move(token));
  }
  return formatted(std::move(relexed));
}

}  // namespace baton::driver::terraform
