#pragma once
// HCL1's heredocs, including the arithmetic its value extraction does
// (hcl/token/token.go unindentHeredoc), so that a heredoc reads here exactly as it reads in CTS:
//
//   <<EOF            the lines between the anchor line and the closing line, each with its
//   text             newline: "text\n". A closing line may be indented even without '-';
//   EOF              HCL1 then keeps that indentation at the end of the value (a quirk).
//
//   <<-EOF           the same, with the closing line's indentation removed from every line when
//     text           every line starts with it; otherwise nothing is removed and only trailing
//     EOF            blanks are trimmed. The closing line must be at least as long as "-EOF",
//                    so an unindented closing "EOF" does not end a <<-EOF heredoc (HCL1 bug).
#include <string>
#include <string_view>

namespace baton::config::hcl {

// Whether `line` (without its newline) closes a heredoc opened with `anchor`, the text between
// "<<" and the newline ("EOF" or "-EOF"). HCL1: the line is at least as long as the anchor and
// matches ^[[:space:]]*NAME\r*$ where NAME is the anchor without its '-'.
bool is_heredoc_terminator(std::string_view line, std::string_view anchor);

// The value of a heredoc token (its whole text, from "<<" through the closing line's newline).
std::string heredoc_value(std::string_view token_text);

}  // namespace baton::config::hcl
