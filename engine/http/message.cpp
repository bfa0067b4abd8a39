#include "engine/http/message.hpp"

#include <algorithm>
#include <cctype>

namespace baton::http {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  // Runs of plain characters are copied whole: most of a target has nothing to decode.
  const auto special = [plus_is_space](char c) { return c == '%' || (c == '+' && plus_is_space); };
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t next = at;
    while (next < text.size() && !special(text[next])) ++next;
    out.append(text.substr(at, next - at));
    if (next == text.size()) break;
    if (text[next] == '+') {
      out += ' ';
      at = next + 1;
      continue;
    }
    if (next + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[next + 1]);
    const int low = hex_value(text[next + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += char(high * 16 + low);
    at = next + 3;
  }
  return out;
}

}  // namespace

std::optional<std::string_view> find_header(const std::vector<Header>& headers, std::string_view name) {
  for (const Header& header : headers) {
    if (equal_ignoring_case(header.name, name)) return std::string_view(header.value);
  }
  return std::nullopt;
}

void Response::set_header(std::string_view name, std::string value) {
  std::erase_if(headers, [&](const Header& header) { return equal_ignoring_case(header.name, name); });
  headers.push_back({std::string(name), std::move(value)});
}

bool Target::has(std::string_view key) const {
  return std::any_of(query.begin(), query.end(), [&](const auto& pair) { return pair.first == key; });
}

std::optional<std::string> Target::get(std::string_view key) const {
  for (const auto& [name, value] : query) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::vector<std::string> Target::all(std::string_view key) const {
  std::vector<std::string> values;
  for (const auto& [name, value] : query) {
    if (name == key) values.push_back(value);
  }
  return values;
}

std::optional<Target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  const std::size_t question = target.find('?');
  Target parsed;
  auto path = percent_decode(target.substr(0, question), /*plus_is_space=*/false);
  if (!path) return std::nullopt;
  parsed.path = std::move(*path);
  if (question == std::string_view::npos) return parsed;

  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    auto key = percent_decode(pair.substr(0, equals), true);
    auto value = percent_decode(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (!key || !value) return std::nullopt;
    parsed.query.emplace_back(std::move(*key), std::move(*value));
  }
  return parsed;
}

std::string percent_encode(std::string_view text, bool keep_slashes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slashes && c == '/')) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Request Entity Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

}  // namespace baton::http
