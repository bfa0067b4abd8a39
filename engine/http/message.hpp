#pragma once
// HTTP/1.1 messages as plain values: what the production Consul client sends over Beast, what
// fake-consul's handlers receive, and what the simulator passes between a node and its
// in-process Consul agent. Keeping one shape for all three lets the engine's Consul client code
// (request building, response parsing, error texts) run unchanged in both worlds.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baton::http {

struct Header {
  std::string name;
  std::string value;
};

// Case-insensitive lookup over a header list: the first match, or nullopt.
std::optional<std::string_view> find_header(const std::vector<Header>& headers, std::string_view name);

struct Request {
  std::string method;  // "GET", "PUT", "DELETE", ...
  std::string target;  // origin form, still encoded: "/v1/kv/web?index=12&wait=5s"
  std::vector<Header> headers;
  std::string body;

  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
};

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;

  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
  // Replaces every header of that name (case-insensitive) with one.
  void set_header(std::string_view name, std::string value);
};

// A request target split into its decoded path and its decoded query parameters, in order.
// A parameter given without '=' ("?recurse") has an empty value and counts as present.
struct Target {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;

  bool has(std::string_view key) const;
  // The first value of `key`, or nullopt when absent.
  std::optional<std::string> get(std::string_view key) const;
  // Every value of `key`, for repeatable parameters such as ?tag=.
  std::vector<std::string> all(std::string_view key) const;
};

// nullopt when the target is not origin form or holds a malformed %-escape. '+' in the query
// decodes to a space, as Go's url.ParseQuery does; in the path it stays '+'.
std::optional<Target> parse_target(std::string_view target);

// %-encodes everything but unreserved characters (RFC 3986) and, when keep_slashes, '/'.
std::string percent_encode(std::string_view text, bool keep_slashes = false);

// "200 OK" style reason phrases for the status codes Consul uses.
std::string_view reason_phrase(int status);

}  // namespace baton::http
