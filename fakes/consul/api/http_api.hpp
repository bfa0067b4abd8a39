#pragma once
// HttpApi: Consul's HTTP API (/v1/...) in front of one ConsulServer, after agent/*_endpoint.go.
// It parses requests the way Consul's agent does (query options, bodies, flags), calls the
// server (a proposal for writes, a blocking query for reads) and answers with Consul's status
// codes, headers (X-Consul-Index, -KnownLeader, -LastContact) and texts.
//
// The same handlers serve fake-consul over real HTTP and the simulator's in-process agents.
#include <functional>

#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>

#include "engine/async/task.hpp"
#include "engine/http/message.hpp"
#include "fakes/consul/api/query_options.hpp"
#include "fakes/consul/server/consul_server.hpp"

namespace baton::fakes::consul {

// The agent a request arrived at: its node is a session's default Node and where
// /v1/agent/service/register puts services.
struct AgentIdentity {
  std::string node_name;
};

// Consul's ForwardRPC: how a clustered server hands a request to the leader it knows. nullopt
// when no answer came within `timeout` (the leader unreachable or gone).
class ServerForwarder {
 public:
  virtual ~ServerForwarder() = default;
  virtual Task<std::optional<http::Response>> forward(std::string leader_id, http::Request request, AgentIdentity agent,
                                                      Duration timeout, std::stop_token stop) = 0;
};

class HttpApi {
 public:
  HttpApi(ConsulServer& server, AgentIdentity agent, ServerForwarder* forwarder = nullptr)
      : server_(server), agent_(std::move(agent)), forwarder_(forwarder) {}

  Task<http::Response> handle(http::Request request, std::stop_token stop = {});

  // One parsed request, as every endpoint receives it.
  struct Call {
    const http::Request& request;
    const http::Target& target;
    const QueryOptions& options;
    std::stop_token stop;
    std::string_view rest;  // the path after the endpoint's prefix: a key, a session id...
    const Authorizer& authz;
  };

 private:
  Task<http::Response> route(const Call& call);
  // Hands the request to the leader, waiting up to rpc_hold_timeout for one to be known.
  Task<http::Response> forward_to_leader(const http::Request& request, const QueryOptions& options, std::stop_token stop);
  Task<http::Response> kv(const Call& call);
  Task<http::Response> kv_get(const Call& call);
  Task<http::Response> kv_put(const Call& call);
  Task<http::Response> kv_delete(const Call& call);
  Task<http::Response> txn(const Call& call);
  Task<http::Response> session_create(const Call& call);
  Task<http::Response> session_destroy(const Call& call);
  Task<http::Response> session_renew(const Call& call);
  Task<http::Response> session_read(const Call& call, std::string_view what);
  Task<http::Response> health_service(const Call& call);
  Task<http::Response> catalog_services(const Call& call);
  Task<http::Response> catalog_service(const Call& call);
  Task<http::Response> catalog_register(const Call& call);
  Task<http::Response> catalog_deregister(const Call& call);
  Task<http::Response> agent_service_register(const Call& call);
  Task<http::Response> agent_service_deregister(const Call& call);
  Task<http::Response> agent_check_update(const Call& call, std::string_view verb);
  http::Response agent_self() const;
  Task<http::Response> acl(const Call& call);

  // ?filter=: keeps the elements of `body` (an array) that match; an error response for a
  // filter Consul would refuse.
  std::optional<http::Response> apply_filter(const Call& call, nlohmann::json& body) const;
  // Whether the request has a ?filter= that apply_filter would apply.
  static bool has_filter(const Call& call);
  // 403 with Consul's text unless the request's token grants `wanted` on `name`.
  static std::optional<http::Response> denied(const Call& call, AclResource resource, std::string_view name, Access wanted);

  // A write: proposes `command`, turning "No cluster leader" and such into Consul's answer.
  Task<RpcResult<CommandResult>> write(const Call& call, Command command);
  // A read's blocking part: waits until `index_of` (the index the read would report) passes
  // ?index or the wait ends, waking on changes in `scope`/`key`, and returns that index. The
  // caller builds the result after it returns, once: nothing changes in between (one thread),
  // and a wake-up for another service's change costs one index lookup, not a copied result.
  Task<std::uint64_t> block(const Call& call, WatchScope scope, std::string key, std::function<std::uint64_t()> index_of);
  // X-Consul-Index and friends.
  void set_query_meta(http::Response& response, std::uint64_t index, const QueryOptions& options) const;

  ConsulServer& server_;
  AgentIdentity agent_;
  ServerForwarder* forwarder_;
};

http::Response json_response(int status, const nlohmann::json& body);
// A JSON answer already written as text (json_text_views.hpp).
http::Response json_text_response(int status, std::string body);
http::Response text_response(int status, std::string body);
http::Response error_response(const RpcError& error);

}  // namespace baton::fakes::consul
