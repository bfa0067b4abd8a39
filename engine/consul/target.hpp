#pragma once
// Request targets for Consul's API, escaped once, here.
//
// Keys are user data: spaces, '?', '#', '%', '+', '&' and any UTF-8 must reach Consul as the same
// bytes. Path segments are %-encoded except unreserved characters and '/', which stays a
// separator (a KV key's own hierarchy); query names and values are %-encoded entirely. Consul
// (Go's net/url) and the fake (http::parse_target) both decode them back byte for byte.
#include <string>
#include <string_view>

namespace baton::consul {

class Target {
 public:
  // `prefix` is a fixed API path such as "/v1/kv/"; `rest` (a key, a name, an id) is escaped.
  Target(std::string_view prefix, std::string_view rest = {});

  // "?name=value", value escaped; repeatable (?tag=a&tag=b).
  Target& param(std::string_view name, std::string_view value);
  // "?name" with no value: Consul's presence flags (?recurse, ?stale, ?consistent).
  Target& flag(std::string_view name);
  // param() only when `value` is not empty: the client's defaults (dc, ns) are optional.
  Target& param_if(std::string_view name, std::string_view value);

  // The escaped path, without the query: what error messages name.
  const std::string& path() const { return path_; }
  // The full origin-form target.
  std::string str() const { return path_ + query_; }

 private:
  std::string path_;
  std::string query_;
};

}  // namespace baton::consul
