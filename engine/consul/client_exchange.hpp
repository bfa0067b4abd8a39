#pragma once
// ConsulClient's internals shared by its implementation files (client*.cpp): one request being
// prepared, and the query-string rules every call follows.
#include <string>

#include "engine/consul/client.hpp"
#include "engine/consul/target.hpp"

namespace baton::consul {

struct ConsulClient::Exchange {
  std::string method;
  Target target;
  std::string body;
  Duration timeout{};
};

// ?dc= and ?ns=: the call's own choice, else the client's default, else nothing.
void add_scope(Target& target, const ConsulClientOptions& options, const std::string& datacenter = {},
               const std::string& namespace_name = {});

// ?index=&wait= when blocking, ?stale or ?consistent.
void add_query(Target& target, const QueryOptions& query);

// The request timeout of a read: blocking ones get their wait and Consul's jitter on top.
Duration read_timeout(const ConsulClientOptions& options, const QueryOptions& query);

}  // namespace baton::consul
