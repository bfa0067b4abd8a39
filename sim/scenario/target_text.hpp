#pragma once
// The processes a step can name, as text:
//
//   leader              the baton instance that leads when the step runs
//   follower            a baton instance that does not lead (the runner picks one)
//   all-instances       every baton instance
//   cts-01 .. cts-0N    an instance by name (engine.instances, 1..9)
//   consul-leader       the Consul server that leads the Raft cluster when the step runs
//   consul-follower     a Consul server that does not lead
//   all-consul-servers  every Consul server
//   consul-1 .. consul-N  a Consul server by name (consul.servers, 1..7)
//
// Names are checked against the cluster's size.
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/scenario.hpp"

namespace baton::sim::scenario {

// The largest clusters a scenario may set up: instance names keep two digits (cts-01..cts-09),
// and seven servers is as large as Consul recommends a server cluster.
inline constexpr int kInstancesMax = 9;
inline constexpr int kServersMax = 7;

struct ClusterSize {
  int instances = 3;
  int servers = 3;
};

// "cts-01", "consul-1" (1-based).
std::string instance_name(int number);
std::string server_name(int number);

// nullopt with `error` set when `text` names nothing in a cluster of `size`:
// `unknown target "cts-9" (instances are cts-01..cts-03)`.
std::optional<Target> parse_target(std::string_view text, const ClusterSize& size, std::string& error);

// The text that parses back to `target`: "leader", "cts-02", "consul-follower".
std::string to_string(const Target& target);

// "cts-01..cts-03", "consul-1..consul-5" (one name alone when the count is 1).
std::string instance_names(int instances);
std::string server_names(int servers);

}  // namespace baton::sim::scenario
