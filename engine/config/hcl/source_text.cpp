#include "engine/config/hcl/source_text.hpp"

#include <fmt/format.h>

#include "engine/config/hcl/limits.hpp"
#include "engine/config/hcl/utf8.hpp"

namespace baton::config::hcl {

Result<bool> check_input_size(std::string_view file, std::string_view text) {
  if (text.size() <= kMaxInputBytes) return true;
  return Error{std::string(file), 1, 1,
               fmt::format("file is too large: {} bytes, the limit is {} bytes", text.size(),
                           kMaxInputBytes)};
}

Position position_of_offset(std::string_view file, std::string_view text, std::size_t offset) {
  Position position{std::string(file), 1, 1};
  std::size_t at = 0;
  while (at < text.size() && at < offset) {
    const utf8::Decoded decoded = utf8::decode(text, at);
    if (decoded.rune == '\n' && decoded.valid) {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
    at += decoded.size;
  }
  return position;
}

Result<std::string> check_source_text(std::string_view file, std::string_view text) {
  if (const auto sized = check_input_size(file, text); !sized) return sized.error();
  std::string folded;
  folded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    folded.push_back(text[i]);
  }
  Position position{std::string(file), 1, 1};
  for (std::size_t offset = 0; offset < folded.size();) {
    const utf8::Decoded decoded = utf8::decode(folded, offset);
    if (!decoded.valid) return Error::at(position, "illegal UTF-8 encoding");
    if (decoded.rune == 0) return Error::at(position, "unexpected null character (0x00)");
    if (decoded.rune == 0xE123) {
      return Error::at(position, "unicode code point U+E123 reserved for internal use");
    }
    if (decoded.rune == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
    offset += decoded.size;
  }
  return folded;
}

}  // namespace baton::config::hcl
