// Our side of the differential check: parse_hcl then to_go_value, printed as hcl1_decode.go
// prints HCL1's result (map keys sorted, strings hex, floats as bits). Inputs that parse_hcl
// reads as JSON are marked "JSON": HCL1 reads those with its own JSON parser.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "engine/config/hcl/go_value.hpp"
#include "engine/config/hcl/parse.hpp"

namespace hcl = baton::config::hcl;

namespace {

std::string hex_string(const std::string& text) {
  static const char* digits = "0123456789abcdef";
  std::string out = "s";
  for (const unsigned char c : text) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string dump(const hcl::GoValue& value) {
  switch (value.kind) {
    case hcl::GoKind::nil: return "nil";
    case hcl::GoKind::boolean: return value.boolean ? "true" : "false";
    case hcl::GoKind::integer: return std::to_string(value.integer);
    case hcl::GoKind::floating: {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &value.floating, sizeof bits);
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "float(%016llx)", static_cast<unsigned long long>(bits));
      return buffer;
    }
    case hcl::GoKind::string: return hex_string(value.string);
    case hcl::GoKind::slice:
    case hcl::GoKind::map_slice: {
      std::string out = value.kind == hcl::GoKind::slice ? "[" : "[]map[";
      for (std::size_t i = 0; i < value.elements.size(); ++i) out += (i ? " " : "") + dump(value.elements[i]);
      return out + "]";
    }
    case hcl::GoKind::map: {
      std::vector<std::string> parts;
      for (const hcl::GoEntry& entry : value.entries) parts.push_back(hex_string(entry.key) + ":" + dump(entry.value));
      std::sort(parts.begin(), parts.end());
      std::string out = "map[";
      for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " " : "") + parts[i];
      return out + "]";
    }
  }
  return "?";
}

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

std::string base64_decode(const std::string& in) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int value = 0;
  int bits = -8;
  for (const char c : in) {
    const auto digit = alphabet.find(c);
    if (digit == std::string::npos) break;
    value = (value << 6) + static_cast<int>(digit);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    const auto parsed = hcl::parse_hcl("t.hcl", base64_decode(line));
    if (!parsed) {
      std::cout << "ERR " << one_line(to_string(parsed.error())) << "\n";
      continue;
    }
    const auto value = hcl::to_go_value(parsed.value());
    if (!value) {
      std::cout << "ERR " << one_line(to_string(value.error())) << "\n";
      continue;
    }
    std::cout << (parsed.value().syntax == hcl::Syntax::json ? "JSON " : "") << dump(value.value()) << "\n";
  }
}
