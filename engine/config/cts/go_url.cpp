#include "engine/config/cts/go_url.hpp"

#include "engine/config/cts/go_text.hpp"

namespace baton::config::cts {
namespace {

enum class Encoding { path, host, userinfo };

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// unescape's checks: every '%' followed by two hex digits (in hosts, only escapes of
// characters a host may hold, and %25 in a zone); a host made of allowed characters.
std::optional<std::string> unescape_error(std::string_view s, Encoding mode) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
        return "invalid URL escape " + go_quote(s.substr(i, 3));
      }
      // In a host, %-escapes are only for non-ASCII bytes (and %25, the zone separator).
      const bool ascii = s[i + 1] >= '0' && s[i + 1] <= '7';
      if (mode == Encoding::host && ascii && s.substr(i, 3) != "%25") {
        return "invalid URL escape " + go_quote(s.substr(i, 3));
      }
      i += 2;
      continue;
    }
    if (mode == Encoding::host && static_cast<unsigned char>(c) < 0x80 && c != '!' && c != '$' && c != '&' &&
        c != '\'' && c != '(' && c != ')' && c != '*' && c != '+' && c != ',' && c != ';' && c != '=' &&
        c != ':' && c != '[' && c != ']' && c != '<' && c != '>' && c != '"' && c != '-' && c != '.' &&
        c != '_' && c != '~' && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return "invalid character " + go_quote(std::string_view(&c, 1)) + " in host name";
    }
  }
  return std::nullopt;
}

bool valid_optional_port(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  for (const char c : port.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<std::string> host_error(std::string_view host) {
  if (host.starts_with("[")) {
    const std::size_t close = host.rfind(']');
    if (close == std::string_view::npos) return std::string("missing ']' in host");
    const std::string_view port = host.substr(close + 1);
    if (!valid_optional_port(port)) return "invalid port " + go_quote(port) + " after host";
  } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon);
    if (!valid_optional_port(port)) return "invalid port " + go_quote(port) + " after host";
  }
  return unescape_error(host, Encoding::host);
}

bool valid_userinfo(std::string_view s) {
  for (const char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
    switch (c) {
      case '-': case '.': case '_': case ':': case '~': case '!': case '$': case '&': case '\'': case '(':
      case ')': case '*': case '+': case ',': case ';': case '=': case '%': case '@': continue;
      default: return false;
    }
  }
  return true;
}

std::optional<std::string> authority_error(std::string_view authority) {
  const std::size_t at = authority.rfind('@');
  if (auto error = host_error(at == std::string_view::npos ? authority : authority.substr(at + 1))) return error;
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view userinfo = authority.substr(0, at);
  if (!valid_userinfo(userinfo)) return std::string("net/url: invalid userinfo");
  return unescape_error(userinfo, Encoding::userinfo);
}

std::optional<std::string> reason(std::string_view raw) {
  for (const char c : raw) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return std::string("net/url: invalid control character in URL");
  }
  if (raw.empty()) return std::string("empty url");
  if (raw == "*") return std::nullopt;
  std::string_view scheme;
  std::string_view rest = raw;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return std::string("missing protocol scheme");
      scheme = raw.substr(0, i);
      rest = raw.substr(i + 1);
    }
    break;
  }
  if (rest.ends_with("?") && rest.find('?') == rest.size() - 1) {
    rest.remove_suffix(1);
  } else if (const std::size_t query = rest.find('?'); query != std::string_view::npos) {
    rest = rest.substr(0, query);
  }
  if (!rest.starts_with("/")) {
    if (!scheme.empty()) return std::nullopt;  // opaque
    return std::string("invalid URI for request");
  }
  if (!scheme.empty() && rest.starts_with("//")) {
    std::string_view authority = rest.substr(2);
    rest = {};
    if (const std::size_t slash = authority.find('/'); slash != std::string_view::npos) {
      rest = authority.substr(slash);
      authority = authority.substr(0, slash);
    }
    if (auto error = authority_error(authority)) return error;
  }
  return unescape_error(rest, Encoding::path);
}

}  // namespace

std::optional<std::string> go_parse_request_uri_error(std::string_view address) {
  if (auto why = reason(address)) return "parse " + go_quote(address) + ": " + *why;
  return std::nullopt;
}

}  // namespace baton::config::cts
