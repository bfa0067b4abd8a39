#include "fakes/consul/acl/acl.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace baton::fakes::consul {
namespace {

struct ResourceName {
  const char* exact;
  const char* prefix;
  AclResource resource;
};
constexpr ResourceName kResources[] = {
    {"key", "key_prefix", AclResource::key},
    {"session", "session_prefix", AclResource::session},
    {"node", "node_prefix", AclResource::node},
    {"service", "service_prefix", AclResource::service},
};

std::optional<Access> parse_access(const std::string& text) {
  if (text == "deny") return Access::deny;
  if (text == "read" || text == "list") return Access::read;
  if (text == "write") return Access::write;
  return std::nullopt;
}

const char* access_name(Access access) {
  switch (access) {
    case Access::deny: return "deny";
    case Access::read: return "read";
    case Access::write: return "write";
  }
  return "deny";
}

// Consul's precedence when policies disagree on one resource: deny, then write, then read.
Access merge(Access a, Access b) {
  if (a == Access::deny || b == Access::deny) return Access::deny;
  return a == Access::write || b == Access::write ? Access::write : Access::read;
}

}  // namespace

const char* to_string(AclResource resource) {
  for (const ResourceName& name : kResources) {
    if (name.resource == resource) return name.exact;
  }
  return "unknown";
}

std::variant<std::vector<AclRule>, std::string> parse_acl_rules(std::string_view json_text) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& error) {
    return fmt::format("Failed to parse ACL rules: {}", error.what());
  }
  if (!json.is_object()) return std::string("Failed to parse ACL rules: want a JSON object");
  std::vector<AclRule> rules;
  for (auto block = json.begin(); block != json.end(); ++block) {
    const ResourceName* kind = nullptr;
    bool prefix = false;
    for (const ResourceName& name : kResources) {
      if (block.key() == name.exact || block.key() == name.prefix) {
        kind = &name;
        prefix = block.key() == name.prefix;
      }
    }
    if (kind == nullptr) return fmt::format("Failed to parse ACL rules: unsupported rule \"{}\"", block.key());
    if (!block.value().is_object()) return fmt::format("Failed to parse ACL rules: \"{}\" wants an object of names", block.key());
    for (auto rule = block.value().begin(); rule != block.value().end(); ++rule) {
      const std::string policy = rule.value().is_object() ? rule.value().value("policy", "") : "";
      const std::optional<Access> access = parse_access(policy);
      if (!access) return fmt::format("Failed to parse ACL rules: {} \"{}\": invalid policy \"{}\"", block.key(), rule.key(), policy);
      rules.push_back(AclRule{kind->resource, rule.key(), prefix, *access});
    }
  }
  return rules;
}

Authorizer Authorizer::allow_all(std::string accessor_id) {
  Authorizer authorizer(std::move(accessor_id), {}, Access::write);
  authorizer.management_ = true;
  return authorizer;
}

Authorizer::Authorizer(std::string accessor_id, std::vector<const AclPolicy*> policies, Access default_access)
    : accessor_id_(std::move(accessor_id)), default_access_(default_access) {
  for (const AclPolicy* policy : policies) rules_.insert(rules_.end(), policy->rules.begin(), policy->rules.end());
}

std::optional<Access> Authorizer::matching(AclResource resource, std::string_view name) const {
  std::optional<Access> exact;
  std::optional<Access> best_prefix;
  std::size_t best_length = 0;
  for (const AclRule& rule : rules_) {
    if (rule.resource != resource) continue;
    if (!rule.prefix && rule.name == name) {
      exact = exact ? merge(*exact, rule.access) : rule.access;
    } else if (rule.prefix && name.substr(0, rule.name.size()) == rule.name) {
      if (!best_prefix || rule.name.size() > best_length) {
        best_prefix = rule.access;
        best_length = rule.name.size();
      } else if (rule.name.size() == best_length) {
        best_prefix = merge(*best_prefix, rule.access);
      }
    }
  }
  return exact ? exact : best_prefix;
}

bool Authorizer::allows(AclResource resource, std::string_view name, Access wanted) const {
  if (management_) return true;
  const Access granted = matching(resource, name).value_or(default_access_);
  return granted != Access::deny && (wanted == Access::read || granted == Access::write);
}

bool Authorizer::allows_write_under_prefix(AclResource resource, std::string_view prefix) const {
  if (!allows(resource, prefix, Access::write)) return false;
  for (const AclRule& rule : rules_) {
    const bool beneath = rule.name.size() > prefix.size() && std::string_view(rule.name).substr(0, prefix.size()) == prefix;
    if (!management_ && rule.resource == resource && beneath && rule.access != Access::write) return false;
  }
  return true;
}

std::string Authorizer::denial(AclResource resource, std::string_view name, Access wanted) const {
  return fmt::format("Permission denied: token with AccessorID '{}' lacks permission '{}:{}' on \"{}\"", accessor_id_,
                     to_string(resource), access_name(wanted), name);
}

void AclTables::set_policy(AclPolicy policy) {
  const std::string id = policy.id;
  policies_.insert_or_assign(id, std::move(policy));
}

void AclTables::set_token(AclToken token) {
  const std::string secret = token.secret_id;
  tokens_by_secret_.insert_or_assign(secret, std::move(token));
}

const AclPolicy* AclTables::policy(std::string_view id) const {
  auto it = policies_.find(id);
  return it == policies_.end() ? nullptr : &it->second;
}

const AclPolicy* AclTables::policy_by_name(std::string_view name) const {
  for (const auto& [id, policy] : policies_) {
    if (policy.name == name) return &policy;
  }
  return nullptr;
}

const AclToken* AclTables::token_by_secret(std::string_view secret) const {
  auto it = tokens_by_secret_.find(secret);
  return it == tokens_by_secret_.end() ? nullptr : &it->second;
}

std::vector<AclPolicy> AclTables::policies() const {
  std::vector<AclPolicy> list;
  for (const auto& [id, policy] : policies_) list.push_back(policy);
  return list;
}

std::variant<Authorizer, std::string> resolve_token(const AclOptions& options, const AclTables& tables,
                                                   std::string_view secret) {
  if (!options.enabled) return Authorizer::allow_all();
  if (!options.management_token.empty() && secret == options.management_token) return Authorizer::allow_all("management");
  if (secret.empty()) return Authorizer(kAnonymousAccessorId, {}, options.default_access);
  const AclToken* token = tables.token_by_secret(secret);
  if (token == nullptr) return std::string("ACL not found");
  if (token->management) return Authorizer::allow_all(token->accessor_id);
  std::vector<const AclPolicy*> policies;
  for (const std::string& id : token->policy_ids) {
    if (const AclPolicy* policy = tables.policy(id)) policies.push_back(policy);
  }
  return Authorizer(token->accessor_id, std::move(policies), options.default_access);
}

}  // namespace baton::fakes::consul
