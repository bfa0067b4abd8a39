#pragma once
// What HCL1 checks of a file before (or while) scanning it, done once up front: the size bound,
// CRLF line endings folded to LF (hcl/parser/parser.go Parse does this first, which is why
// positions still count lines and columns of the original), and the characters its scanner's
// next() refuses wherever they appear, comments and strings included.
#include <string>
#include <string_view>

#include "engine/config/hcl/error.hpp"

namespace baton::config::hcl {

// The text with every "\r\n" replaced by "\n", or the first refused character's error:
// "illegal UTF-8 encoding", "unexpected null character (0x00)",
// "unicode code point U+E123 reserved for internal use", or the size bound.
Result<std::string> check_source_text(std::string_view file, std::string_view text);

// Refuses input above kMaxInputBytes (limits.hpp); both syntaxes call it first.
Result<bool> check_input_size(std::string_view file, std::string_view text);

// The line and column of a byte offset, counted as HCL1 counts them.
Position position_of_offset(std::string_view file, std::string_view text, std::size_t offset);

}  // namespace baton::config::hcl
