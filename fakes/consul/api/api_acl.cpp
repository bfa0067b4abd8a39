// /v1/acl/policy and /v1/acl/token (agent/acl_endpoint.go), for the management token.
#include <fmt/format.h>

#include "fakes/consul/api/http_api.hpp"
#include "fakes/consul/api/json_fields.hpp"

namespace baton::fakes::consul {
namespace {

nlohmann::json policy_json(const AclPolicy& policy, std::uint64_t index) {
  return {{"ID", policy.id}, {"Name", policy.name}, {"Description", ""}, {"Rules", policy.rules_text},
          {"Datacenters", nullptr}, {"CreateIndex", index}, {"ModifyIndex", index}};
}

nlohmann::json token_json(const AclToken& token, const AclTables& tables, std::uint64_t index) {
  nlohmann::json policies = nlohmann::json::array();
  for (const std::string& id : token.policy_ids) {
    const AclPolicy* policy = tables.policy(id);
    policies.push_back({{"ID", id}, {"Name", policy != nullptr ? policy->name : ""}});
  }
  return {{"AccessorID", token.accessor_id}, {"SecretID", token.secret_id}, {"Description", token.description},
          {"Policies", policies}, {"Local", false}, {"CreateIndex", index}, {"ModifyIndex", index}};
}

}  // namespace

Task<http::Response> HttpApi::acl(const Call& call) {
  if (!server_.options().acl.enabled) co_return text_response(401, "ACL support disabled");
  const std::string what(call.rest);
  const std::optional<nlohmann::json> body = [&]() -> std::optional<nlohmann::json> {
    try {
      return nlohmann::json::parse(call.request.body.empty() ? std::string("{}") : call.request.body);
    } catch (const nlohmann::json::parse_error&) {
      return std::nullopt;
    }
  }();
  if (!body) co_return text_response(400, "Request decode failed: invalid JSON");
  if (what == "token/self" && call.request.method == "GET") {
    const AclToken* token = server_.store().acl().token_by_secret(call.options.token);
    if (token == nullptr) co_return text_response(403, "ACL not found");
    co_return json_response(200, token_json(*token, server_.store().acl(), server_.last_index()));
  }
  // Creating policies and tokens takes acl:write, which only the management token holds here.
  if (call.options.token != server_.options().acl.management_token) {
    const AclToken* token = server_.store().acl().token_by_secret(call.options.token);
    co_return text_response(403, fmt::format("Permission denied: token with AccessorID '{}' lacks permission 'acl:write'",
                                             token != nullptr ? token->accessor_id : kAnonymousAccessorId));
  }
  if (call.request.method != "PUT") co_return text_response(405, fmt::format("method {} not allowed", call.request.method));
  if (what == "policy") {
    AclPolicy policy{.id = generate_uuid(server_.runtime().rng()), .name = field_or<std::string>(*body, "Name", ""),
                     .rules_text = field_or<std::string>(*body, "Rules", "")};
    if (policy.name.empty()) co_return text_response(400, "Invalid Policy: no Name is set");
    auto rules = parse_acl_rules(policy.rules_text.empty() ? "{}" : policy.rules_text);
    if (auto* error = std::get_if<std::string>(&rules)) co_return text_response(400, *error);
    policy.rules = std::get<std::vector<AclRule>>(std::move(rules));
    const AclPolicy shown = policy;
    Command command = AclPolicySetCommand{std::move(policy)};
    RpcResult<CommandResult> result = co_await write(call, std::move(command));
    if (!result.ok()) co_return error_response(result.error());
    co_return json_response(200, policy_json(shown, server_.last_index()));
  }
  if (what == "token") {
    AclToken token{.accessor_id = generate_uuid(server_.runtime().rng()),
                   .secret_id = field_or<std::string>(*body, "SecretID", ""),
                   .description = field_or<std::string>(*body, "Description", "")};
    if (token.secret_id.empty()) token.secret_id = generate_uuid(server_.runtime().rng());
    if (const nlohmann::json* policies = field(*body, "Policies")) {
      for (const nlohmann::json& link : *policies) {
        const AclPolicy* policy = server_.store().acl().policy(field_or<std::string>(link, "ID", ""));
        if (policy == nullptr) policy = server_.store().acl().policy_by_name(field_or<std::string>(link, "Name", ""));
        if (policy == nullptr) co_return text_response(400, fmt::format("No such ACL policy with ID \"{}\"", link.dump()));
        token.policy_ids.push_back(policy->id);
      }
    }
    const AclToken shown = token;
    Command command = AclTokenSetCommand{std::move(token)};
    RpcResult<CommandResult> result = co_await write(call, std::move(command));
    if (!result.ok()) co_return error_response(result.error());
    co_return json_response(200, token_json(shown, server_.store().acl(), server_.last_index()));
  }
  co_return text_response(404, "404 page not found\n");
}

}  // namespace baton::fakes::consul
