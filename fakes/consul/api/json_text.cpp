#include "fakes/consul/api/json_text.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace baton::fakes::consul {
namespace {

// The escape nlohmann's serializer writes for a byte below 0x20, or none (0).
char short_escape(unsigned char byte) {
  switch (byte) {
    case '\b': return 'b';
    case '\t': return 't';
    case '\n': return 'n';
    case '\f': return 'f';
    case '\r': return 'r';
    case '"': return '"';
    case '\\': return '\\';
    default: return 0;
  }
}

bool needs_escape(unsigned char byte) { return byte < 0x20 || byte == '"' || byte == '\\'; }

// How many bytes from `from` on are printable ASCII that needs no escape, eight at a time
// (values are kilobytes of base64). Word tests from Bit Twiddling Hacks: a byte below n
// (n <= 128) is (w - n*0x01..) & ~w & 0x80..; a byte equal to c is a zero byte of w ^ c*0x01...
std::size_t plain_words(std::string_view text, std::size_t from) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const auto has_below = [](std::uint64_t word, std::uint64_t n) { return ((word - kOnes * n) & ~word & kHighs) != 0; };
  std::size_t at = from;
  while (at + 8 <= text.size()) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + at, sizeof word);
    if ((word & kHighs) != 0 || has_below(word, 0x20) || has_below(word ^ (kOnes * '"'), 1) ||
        has_below(word ^ (kOnes * '\\'), 1)) {
      break;
    }
    at += 8;
  }
  return at - from;
}

// Length of the well-formed UTF-8 sequence at `at` (Unicode Table 3-7), 0 when ill-formed.
std::size_t sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
  const unsigned lead = byte(at);
  const auto tail = [&](std::size_t i, unsigned low = 0x80, unsigned high = 0xBF) { return byte(i) >= low && byte(i) <= high; };
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return tail(at + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned low = lead == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
    const unsigned high = lead == 0xED ? 0x9F : 0xBF;  // no surrogates
    return tail(at + 1, low, high) && tail(at + 2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned low = lead == 0xF0 ? 0x90 : 0x80;   // no overlong forms
    const unsigned high = lead == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
    return tail(at + 1, low, high) && tail(at + 2) && tail(at + 3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

bool valid_utf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = sequence_length(text, at);
    if (length == 0) return false;
    at += length;
  }
  return true;
}

void JsonText::string(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  text_ += '"';
  bool ascii = true;
  std::size_t plain_from = 0;
  for (std::size_t i = plain_words(text, 0); i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    ascii = ascii && byte < 0x80;
    if (!needs_escape(byte)) continue;
    text_.append(text, plain_from, i - plain_from);
    plain_from = i + 1;
    if (const char escape = short_escape(byte)) {
      text_ += '\\';
      text_ += escape;
    } else {
      const char unicode[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xF]};
      text_.append(unicode, sizeof unicode);
    }
    i += plain_words(text, i + 1);
  }
  text_.append(text, plain_from, text.size() - plain_from);
  text_ += '"';
  // Multi-byte sequences are copied as they are once known to be well formed.
  if (!ascii && !valid_utf8(text)) valid_ = false;
}

void JsonText::number(std::uint64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  text_.append(digits, end);
}

void JsonText::number(std::int64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  text_.append(digits, end);
}

void JsonText::string_map(const std::map<std::string, std::string>& map) {
  text_ += '{';
  bool first = true;
  for (const auto& [key, value] : map) {
    if (!first) text_ += ',';
    first = false;
    string(key);
    text_ += ':';
    string(value);
  }
  text_ += '}';
}

void JsonText::string_list(const std::vector<std::string>& list) {
  text_ += '[';
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) text_ += ',';
    string(list[i]);
  }
  text_ += ']';
}

}  // namespace baton::fakes::consul
