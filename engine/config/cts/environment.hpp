#pragma once
// What CTS's Finalize reads from the process rather than from the files. The engine reads
// nothing itself: the caller (baton's main, a simulated node) hands these in.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace baton::config::cts {

struct Environment {
  // The process environment. CTS v0.9.0 reads exactly these: CONSUL_HTTP_ADDR; CONSUL_TOKEN
  // then CONSUL_HTTP_TOKEN; CONSUL_CLIENT_CERT, CONSUL_CACERT, CONSUL_CAPATH, CONSUL_CLIENT_KEY,
  // CONSUL_TLS_SERVER_NAME; VAULT_ADDR, VAULT_NAMESPACE, VAULT_TOKEN, VAULT_CACERT, VAULT_CAPATH,
  // VAULT_CLIENT_CERT, VAULT_CLIENT_KEY, VAULT_TLS_SERVER_NAME, VAULT_SKIP_VERIFY,
  // VAULT_RENEW_TOKEN, VAULT_UNWRAP_TOKEN. (Not CONSUL_HTTP_SSL, nor CONSUL_NAMESPACE.)
  std::map<std::string, std::string, std::less<>> variables;
  std::string hostname;           // os.Hostname(): the default id is "cts-<hostname>"
  std::string working_directory;  // os.Getwd(): the default driver.terraform.path

  // stringFromEnv: the first non-empty variable of `names`, trimmed of white space.
  std::optional<std::string> first_set(std::initializer_list<std::string_view> names) const;
  // boolFromEnv: the first of `names` that strconv.ParseBool accepts.
  std::optional<bool> first_bool(std::initializer_list<std::string_view> names) const;
};

}  // namespace baton::config::cts
