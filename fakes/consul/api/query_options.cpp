#include "fakes/consul/api/query_options.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "engine/time/go_duration.hpp"

namespace baton::fakes::consul {

std::optional<std::uint64_t> parse_uint64(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string bearer_token(std::string_view authorization) {
  // Go's strings.TrimSpace, for the ASCII whitespace a header can hold.
  auto trim = [](std::string_view text) {
    constexpr std::string_view kSpace = " \t\n\v\f\r";
    const std::size_t first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return std::string_view();
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
  };
  // "<Scheme> <Value>": split on the first space; no space, no token.
  const std::size_t space = authorization.find(' ');
  if (space == std::string_view::npos) return {};
  std::string scheme(authorization.substr(0, space));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (scheme != "bearer") return {};
  // The value, trimmed; a bearer token holds no spaces, so only its first word counts.
  const std::string_view value = trim(authorization.substr(space + 1));
  return std::string(trim(value.substr(0, value.find(' '))));
}

std::variant<QueryOptions, RpcError> parse_query_options(const http::Request& request, const http::Target& target) {
  QueryOptions options;
  if (auto wait = target.get("wait"); wait && !wait->empty()) {
    auto parsed = parse_go_duration(*wait);
    if (!parsed) return RpcError{"Invalid wait time", 400};
    options.wait = *parsed;
  }
  if (auto index = target.get("index"); index && !index->empty()) {
    auto parsed = parse_uint64(*index);
    if (!parsed) return RpcError{"Invalid index", 400};
    options.min_index = *parsed;
  }
  const bool stale = target.has("stale");
  const bool consistent = target.has("consistent");
  if (stale && consistent) return RpcError{"Cannot specify ?stale with ?consistent, conflicting semantics.", 400};
  if (stale) options.consistency = Consistency::stale;
  if (consistent) options.consistency = Consistency::consistent;

  if (target.has("ns") || request.header("X-Consul-Namespace")) {
    return RpcError{"Invalid query parameter: \"ns\" - Namespaces are a Consul Enterprise feature", 400};
  }
  if (auto token = target.get("token"); token && !token->empty()) {
    options.token = *token;
  } else if (auto header = request.header("X-Consul-Token"); header && !header->empty()) {
    options.token = std::string(*header);
  } else if (auto authorization = request.header("Authorization"); authorization && !authorization->empty()) {
    options.token = bearer_token(*authorization);
  }
  options.datacenter = target.get("dc").value_or("");
  return options;
}

std::string encode_query_like_go(const http::Target& target) {
  std::vector<std::pair<std::string, std::string>> pairs = target.query;
  std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  // url.QueryEscape: unreserved characters stay, ' ' becomes '+', the rest %XX.
  auto escape = [](const std::string& text) {
    std::string out = http::percent_encode(text);
    std::string::size_type at = 0;
    while ((at = out.find("%20", at)) != std::string::npos) out.replace(at, 3, "+");
    return out;
  };
  std::string encoded;
  for (const auto& [key, value] : pairs) {
    if (!encoded.empty()) encoded += '&';
    encoded += escape(key) + "=" + escape(value);
  }
  return encoded;
}

}  // namespace baton::fakes::consul
