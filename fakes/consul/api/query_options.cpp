#include "fakes/consul/api/query_options.hpp"

#include <algorithm>
#include <charconv>

#include "engine/time/go_duration.hpp"

namespace baton::fakes::consul {

std::optional<std::uint64_t> parse_uint64(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
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
  } else if (auto bearer = request.header("Authorization"); bearer && bearer->substr(0, 7) == "Bearer ") {
    options.token = std::string(bearer->substr(7));
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
