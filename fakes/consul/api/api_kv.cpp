// /v1/kv (agent/kvs_endpoint.go).
#include <fmt/format.h>

#include "fakes/consul/api/http_api.hpp"
#include "fakes/consul/api/json_text_views.hpp"
#include "fakes/consul/api/json_views.hpp"

namespace baton::fakes::consul {
namespace {

http::Response bool_response(bool value) { return json_response(200, value); }

// strconv.ParseUint's error as Go prints it; Consul returns it as a 500.
RpcError parse_uint_error(const std::string& text) {
  return RpcError{fmt::format("strconv.ParseUint: parsing \"{}\": invalid syntax", text)};
}

// [entry,...], written straight to text; through the DOM when a key or value is not UTF-8 (see
// array_text).
http::Response kv_entries_response(const std::vector<KvEntry>& entries) {
  const auto write = [](JsonText& out, const KvEntry& entry) { write_kv(out, entry); };
  if (std::optional<std::string> text = array_text(entries, write)) return json_text_response(200, std::move(*text));
  nlohmann::json body = nlohmann::json::array();
  for (const KvEntry& entry : entries) body.push_back(kv_json(entry));
  return json_response(200, body);
}

}  // namespace

Task<http::Response> HttpApi::kv(const Call& call) {
  const std::string& method = call.request.method;
  if (method == "GET") co_return co_await kv_get(call);
  if (method == "PUT") co_return co_await kv_put(call);
  if (method == "DELETE") co_return co_await kv_delete(call);
  co_return text_response(405, fmt::format("method {} not allowed", method));
}

Task<http::Response> HttpApi::kv_get(const Call& call) {
  const std::string key(call.rest);
  const StateStore& store = server_.store();
  if (call.target.has("keys")) {
    const std::string separator = call.target.get("separator").value_or("");
    const std::uint64_t index = co_await block(call, WatchScope::kv_prefix, key, [&] { return store.kv_list_index(key); });
    std::vector<std::string> keys = store.kv_keys(key, separator);
    // FilterDirEnt: keys the token may not read are left out, not refused.
    std::erase_if(keys, [&](const std::string& k) { return !call.authz.allows(AclResource::key, k, Access::read); });
    // Not found for an empty list under a prefix; the root gives [] (KVSGetKeys).
    http::Response response = keys.empty() && !key.empty() ? text_response(404, "") : json_response(200, keys);
    set_query_meta(response, index, call.options);
    co_return response;
  }
  if (call.target.has("recurse")) {
    const std::uint64_t index = co_await block(call, WatchScope::kv_prefix, key, [&] { return store.kv_list_index(key); });
    std::vector<KvEntry> entries = store.kv_list(key);
    std::erase_if(entries, [&](const KvEntry& e) { return !call.authz.allows(AclResource::key, e.key, Access::read); });
    http::Response response = entries.empty() ? text_response(404, "") : kv_entries_response(entries);
    set_query_meta(response, index, call.options);
    co_return response;
  }
  if (key.empty()) co_return text_response(400, "Missing key name");
  if (auto refusal = denied(call, AclResource::key, key, Access::read)) co_return *refusal;
  const std::uint64_t index = co_await block(call, WatchScope::kv_key, key, [&] { return store.kv_get_index(key); });
  const KvEntry* found = store.kv_get(key);
  const std::optional<KvEntry> entry = found != nullptr ? std::optional<KvEntry>(*found) : std::nullopt;
  http::Response response;
  if (!entry) {
    response = text_response(404, "");
  } else if (call.target.has("raw")) {
    response = text_response(200, entry->value);
  } else {
    response = kv_entries_response({*entry});
  }
  set_query_meta(response, index, call.options);
  co_return response;
}

Task<http::Response> HttpApi::kv_put(const Call& call) {
  const std::string key(call.rest);
  if (key.empty()) co_return text_response(400, "Missing key name");
  int lock_flags = 0;
  for (const char* flag : {"cas", "acquire", "release"}) lock_flags += call.target.has(flag) ? 1 : 0;
  if (lock_flags > 1) co_return text_response(400, "Conflicting flags: " + encode_query_like_go(call.target));
  if (auto refusal = denied(call, AclResource::key, key, Access::write)) co_return *refusal;

  const std::size_t limit = server_.options().kv_max_value_size_bytes;
  if (call.request.body.size() > limit) {
    co_return text_response(413, fmt::format("Request body({} bytes) too large, max size: {} bytes. See "
                                             "https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.",
                                             call.request.body.size(), limit));
  }
  KvCommand command{.op = KvOp::set, .entry = {.key = key, .value = call.request.body}};
  if (auto flags = call.target.get("flags")) {
    auto parsed = parse_uint64(*flags);
    if (!parsed) co_return error_response(parse_uint_error(*flags));
    command.entry.flags = *parsed;
  }
  if (auto cas = call.target.get("cas")) {
    auto parsed = parse_uint64(*cas);
    if (!parsed) co_return error_response(parse_uint_error(*cas));
    command.op = KvOp::cas;
    command.cas_index = *parsed;
  } else if (auto acquire = call.target.get("acquire")) {
    command.op = KvOp::lock;
    command.entry.session = *acquire;
  } else if (auto release = call.target.get("release")) {
    command.op = KvOp::unlock;
    command.entry.session = *release;
  }
  RpcResult<CommandResult> result = co_await write(call, std::move(command));
  if (!result.ok()) co_return error_response(result.error());
  const WriteResult& outcome = result.value().write;
  if (outcome.kind == WriteResult::Kind::failed) co_return error_response({outcome.error});
  co_return bool_response(outcome.ok());
}

Task<http::Response> HttpApi::kv_delete(const Call& call) {
  const std::string key(call.rest);
  const bool recurse = call.target.has("recurse");
  if (!recurse && key.empty()) co_return text_response(400, "Missing key name");
  if (recurse && !call.authz.allows_write_under_prefix(AclResource::key, key)) {
    co_return text_response(403, call.authz.denial(AclResource::key, key, Access::write));
  }
  if (!recurse) {
    if (auto refusal = denied(call, AclResource::key, key, Access::write)) co_return *refusal;
  }
  KvCommand command{.op = recurse ? KvOp::delete_tree : KvOp::delete_key, .entry = {.key = key}};
  if (auto cas = call.target.get("cas")) {
    if (recurse) co_return text_response(400, "Conflicting flags: " + encode_query_like_go(call.target));
    auto parsed = parse_uint64(*cas);
    if (!parsed) co_return error_response(parse_uint_error(*cas));
    command.op = KvOp::delete_cas;
    command.cas_index = *parsed;
  }
  RpcResult<CommandResult> result = co_await write(call, std::move(command));
  if (!result.ok()) co_return error_response(result.error());
  const WriteResult& outcome = result.value().write;
  if (outcome.kind == WriteResult::Kind::failed) co_return error_response({outcome.error});
  co_return bool_response(outcome.ok());
}

}  // namespace baton::fakes::consul
