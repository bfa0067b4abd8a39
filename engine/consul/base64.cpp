#include "engine/consul/base64.hpp"

#include <array>
#include <cstdint>

namespace baton::consul {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> decoding_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) table[static_cast<unsigned char>(kAlphabet[i])] = std::int8_t(i);
  return table;
}

constexpr std::array<std::int8_t, 256> kDecoding = decoding_table();

}  // namespace

// Both directions size their output once and write it by index: values are kilobytes (task
// definitions, event histories), and appending a character at a time was a visible share of a
// simulation's time.
std::string base64_encode(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  std::size_t written = 0;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16 |
                                std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                                std::uint32_t(static_cast<unsigned char>(bytes[i + 2]));
    for (int shift = 18; shift >= 0; shift -= 6) out[written++] = kAlphabet[(group >> shift) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  std::uint32_t group = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
  if (rest == 2) group |= std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
  out[written++] = kAlphabet[(group >> 18) & 63];
  out[written++] = kAlphabet[(group >> 12) & 63];
  if (rest == 2) out[written] = kAlphabet[(group >> 6) & 63];
  return out;  // the rest is padding already
}

std::optional<std::string> base64_decode(std::string_view text) {
  // Go's decoder skips CR and LF; a value without either (nearly all) is read where it lies.
  std::string stripped;
  if (text.find('\r') != std::string_view::npos || text.find('\n') != std::string_view::npos) {
    stripped.reserve(text.size());
    for (char c : text) {
      if (c != '\r' && c != '\n') stripped += c;
    }
    text = stripped;
  }
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  std::size_t written = 0;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::size_t padding = 0;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=') {
        // Padding only at the end of the last group, and at most two of it.
        if (!last || j < 2) return std::nullopt;
        ++padding;
        group <<= 6;
        continue;
      }
      const std::int8_t value = kDecoding[static_cast<unsigned char>(c)];
      if (value < 0 || padding > 0) return std::nullopt;
      group = group << 6 | std::uint32_t(value);
    }
    out[written++] = char(group >> 16);
    if (padding < 2) out[written++] = char(group >> 8 & 0xff);
    if (padding < 1) out[written++] = char(group & 0xff);
  }
  out.resize(written);
  return out;
}

}  // namespace baton::consul
