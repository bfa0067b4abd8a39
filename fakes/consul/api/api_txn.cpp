// /v1/txn (agent/txn_endpoint.go): KV operations only.
#include <fmt/format.h>

#include "fakes/consul/api/http_api.hpp"
#include "fakes/consul/api/json_text_views.hpp"
#include "fakes/consul/api/json_views.hpp"
#include "fakes/consul/api/txn_body.hpp"

namespace baton::fakes::consul {
namespace {

http::Response txn_errors(const std::vector<TxnError>& errors) {
  nlohmann::json list = nlohmann::json::array();
  for (const TxnError& error : errors) list.push_back({{"OpIndex", error.op_index}, {"What", error.what}});
  return json_response(409, {{"Results", nullptr}, {"Errors", list}});
}

// kvsPreApply's ACL checks, per operation: gets are filtered afterwards; check-session and
// check-index need key:read; delete-tree needs write on everything beneath; every other verb,
// check-not-exists included (kvsPreApply's default case), needs key:write.
std::vector<TxnError> acl_errors(const std::vector<TxnOp>& ops, const Authorizer& authz) {
  std::vector<TxnError> errors;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const TxnOp& op = ops[i];
    const std::string& key = op.entry.key;
    switch (op.verb) {
      case TxnVerb::get: case TxnVerb::get_or_empty: case TxnVerb::get_tree: break;
      case TxnVerb::check_index: case TxnVerb::check_session:
        if (!authz.allows(AclResource::key, key, Access::read)) errors.push_back({i, authz.denial(AclResource::key, key, Access::read)});
        break;
      case TxnVerb::delete_tree:
        if (!authz.allows_write_under_prefix(AclResource::key, key)) errors.push_back({i, authz.denial(AclResource::key, key, Access::write)});
        break;
      default:
        if (!authz.allows(AclResource::key, key, Access::write)) errors.push_back({i, authz.denial(AclResource::key, key, Access::write)});
    }
  }
  return errors;
}

// {"Errors":null,"Results":[{"KV":...},...]}, written straight to text; through the DOM when a
// key or value is not UTF-8 (see array_text).
http::Response txn_results_response(const std::vector<const TxnResult*>& results) {
  if (std::optional<std::string> text = txn_results_text(results)) return json_text_response(200, std::move(*text));
  nlohmann::json list_json = nlohmann::json::array();
  for (const TxnResult* result : results) list_json.push_back({{"KV", kv_json(result->entry, result->with_value)}});
  return json_response(200, {{"Results", list_json}, {"Errors", nullptr}});
}

}  // namespace

Task<http::Response> HttpApi::txn(const Call& call) {
  auto decoded = decode_txn_body(call.request.body, server_.options());
  if (auto* error = std::get_if<RpcError>(&decoded)) {
    // An unknown verb or a missing key is reported per operation, as the state store would.
    if (error->status == 409) co_return txn_errors({TxnError{0, error->text}});
    co_return error_response(*error);
  }
  Command command = TxnCommand{std::get<std::vector<TxnOp>>(std::move(decoded))};
  if (std::vector<TxnError> refused = acl_errors(std::get<TxnCommand>(command).ops, call.authz); !refused.empty()) {
    co_return txn_errors(refused);
  }
  RpcResult<CommandResult> result = co_await write(call, std::move(command));
  if (!result.ok()) co_return error_response(result.error());
  const TxnOutcome& outcome = result.value().txn;
  if (!outcome.committed()) co_return txn_errors(outcome.errors);
  std::vector<const TxnResult*> readable;
  for (const TxnResult& result_entry : outcome.results) {
    if (call.authz.allows(AclResource::key, result_entry.entry.key, Access::read)) readable.push_back(&result_entry);
  }
  co_return txn_results_response(readable);
}

}  // namespace baton::fakes::consul
