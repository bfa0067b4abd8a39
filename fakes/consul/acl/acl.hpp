#pragma once
// Consul's ACL system, reduced to what KV, session and catalog clients meet (agent/acl,
// acl/policy.go, acl/policy_authorizer.go): policies of rules, tokens that carry policies, a
// management token, the anonymous token, and the default policy.
//
// Rules name a resource exactly (`key "app/config"`) or by prefix (`key_prefix "app/"`); the
// exact rule wins for its resource, otherwise the longest matching prefix; with no match the
// default policy decides. Where several policies of a token rule on the same resource, deny
// wins over write, write over read (Consul's precedence).
//
// Rules are given in Consul's JSON rule syntax ({"key_prefix": {"app/": {"policy": "write"}}});
// the HCL syntax arrives with the project's HCL parser.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace baton::fakes::consul {

enum class Access { deny, read, write };

enum class AclResource { key, session, node, service };
const char* to_string(AclResource resource);

struct AclRule {
  AclResource resource;
  std::string name;     // the key, node or service name, or the prefix
  bool prefix = false;  // key_prefix, session_prefix...
  Access access = Access::deny;
};

struct AclPolicy {
  std::string id;
  std::string name;
  std::string rules_text;  // as given, shown back by the API
  std::vector<AclRule> rules;
};

struct AclToken {
  std::string accessor_id;
  std::string secret_id;
  std::string description;
  std::vector<std::string> policy_ids;
  bool management = false;
};

// Parses Consul's JSON rule syntax; an error names the offending field.
std::variant<std::vector<AclRule>, std::string> parse_acl_rules(std::string_view json_text);

inline constexpr const char* kAnonymousAccessorId = "00000000-0000-0000-0000-000000000002";

// What one request may do: resolved from its token against the ACL tables.
class Authorizer {
 public:
  static Authorizer allow_all(std::string accessor_id = {});
  Authorizer(std::string accessor_id, std::vector<const AclPolicy*> policies, Access default_access);

  bool allows(AclResource resource, std::string_view name, Access wanted) const;
  // For deletes of a whole tree: write on the prefix and no deny rule anywhere beneath it.
  bool allows_write_under_prefix(AclResource resource, std::string_view prefix) const;
  // Consul's 403 text: Permission denied: token with AccessorID '<id>' lacks permission
  // '<resource>:<access>' on "<name>"
  std::string denial(AclResource resource, std::string_view name, Access wanted) const;

 private:
  std::optional<Access> matching(AclResource resource, std::string_view name) const;

  std::string accessor_id_;
  std::vector<AclRule> rules_;
  Access default_access_ = Access::write;
  bool management_ = false;
};

struct AclOptions {
  bool enabled = false;
  // What a request with no matching rule gets: "allow" (write) or "deny".
  Access default_access = Access::write;
  // The bootstrap management token (Consul's acl.tokens.initial_management, formerly master).
  std::string management_token;
};

// The ACL tables a server holds (replicated in Consul; written through commands here too).
class AclTables {
 public:
  void set_policy(AclPolicy policy);
  void set_token(AclToken token);
  const AclPolicy* policy(std::string_view id) const;
  const AclPolicy* policy_by_name(std::string_view name) const;
  const AclToken* token_by_secret(std::string_view secret) const;
  std::vector<AclPolicy> policies() const;

 private:
  std::map<std::string, AclPolicy, std::less<>> policies_;
  std::map<std::string, AclToken, std::less<>> tokens_by_secret_;
};

// Resolves a request's token: an Authorizer, or Consul's "ACL not found" for an unknown token.
std::variant<Authorizer, std::string> resolve_token(const AclOptions& options, const AclTables& tables,
                                                   std::string_view secret);

}  // namespace baton::fakes::consul
