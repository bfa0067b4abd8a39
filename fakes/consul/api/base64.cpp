#include "fakes/consul/api/base64.hpp"

namespace baton::fakes::consul {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

// Both directions size their output once and write it by index (values are kilobytes).
std::string base64_encode(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  std::size_t written = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = bytes.size() - i;
    std::uint32_t group = std::uint8_t(bytes[i]) << 16;
    if (left > 1) group |= std::uint8_t(bytes[i + 1]) << 8;
    if (left > 2) group |= std::uint8_t(bytes[i + 2]);
    out[written] = kAlphabet[(group >> 18) & 63];
    out[written + 1] = kAlphabet[(group >> 12) & 63];
    if (left > 1) out[written + 2] = kAlphabet[(group >> 6) & 63];
    if (left > 2) out[written + 3] = kAlphabet[group & 63];
    written += 4;
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  std::size_t written = 0;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const int padding = last ? (text[i + 3] == '=') + (text[i + 2] == '=') : 0;
    if (padding == 1 && text[i + 2] == '=') return std::nullopt;  // "x=y=" is not padding
    std::uint32_t group = 0;
    for (int j = 0; j < 4 - padding; ++j) {
      const int value = sextet(text[i + j]);
      if (value < 0) return std::nullopt;
      group |= std::uint32_t(value) << (18 - 6 * j);
    }
    // Go rejects non-zero bits hidden under the padding.
    if ((padding == 1 && (group & 0xff) != 0) || (padding == 2 && (group & 0xffff) != 0)) return std::nullopt;
    out[written++] = char((group >> 16) & 0xff);
    if (padding < 2) out[written++] = char((group >> 8) & 0xff);
    if (padding < 1) out[written++] = char(group & 0xff);
  }
  out.resize(written);
  return out;
}

}  // namespace baton::fakes::consul
