#include "sim/scenario/target_text.hpp"

#include <utility>

#include "sim/scenario/words.hpp"

namespace baton::sim::scenario {
namespace {

Target make(Target::Kind kind, Target::Select select, std::string name = {}) {
  Target target;
  target.kind = kind;
  target.select = select;
  target.name = std::move(name);
  return target;
}

std::string all_targets(const ClusterSize& size) {
  return "targets are leader, follower, all-instances, " + instance_names(size.instances) +
         ", consul-leader, consul-follower, all-consul-servers, " + server_names(size.servers);
}

}  // namespace

std::string instance_name(int number) { return number < 10 ? "cts-0" + std::to_string(number) : "cts-" + std::to_string(number); }

std::string server_name(int number) { return "consul-" + std::to_string(number); }

std::string instance_names(int instances) {
  return instances <= 1 ? instance_name(1) : instance_name(1) + ".." + instance_name(instances);
}

std::string server_names(int servers) {
  return servers <= 1 ? server_name(1) : server_name(1) + ".." + server_name(servers);
}

std::optional<Target> parse_target(std::string_view text, const ClusterSize& size, std::string& error) {
  using Kind = Target::Kind;
  using Select = Target::Select;
  if (text == "leader") return make(Kind::instance, Select::leader);
  if (text == "follower") return make(Kind::instance, Select::follower);
  if (text == "all-instances") return make(Kind::instance, Select::all);
  if (text == "consul-leader") return make(Kind::consul_server, Select::leader);
  if (text == "consul-follower") return make(Kind::consul_server, Select::follower);
  if (text == "all-consul-servers") return make(Kind::consul_server, Select::all);
  for (int i = 1; i <= size.instances; ++i) {
    if (text == instance_name(i)) return make(Kind::instance, Select::name, std::string(text));
  }
  for (int i = 1; i <= size.servers; ++i) {
    if (text == server_name(i)) return make(Kind::consul_server, Select::name, std::string(text));
  }
  if (text.rfind("cts-", 0) == 0) {
    error = "unknown target " + quote(text) + " (instances are " + instance_names(size.instances) + ")";
  } else if (text.rfind("consul-", 0) == 0) {
    error = "unknown target " + quote(text) + " (Consul servers are " + server_names(size.servers) + ")";
  } else {
    error = "unknown target " + quote(text) + " (" + all_targets(size) + ")";
  }
  return std::nullopt;
}

std::string to_string(const Target& target) {
  const bool instance = target.kind == Target::Kind::instance;
  switch (target.select) {
    case Target::Select::leader:
      return instance ? "leader" : "consul-leader";
    case Target::Select::follower:
      return instance ? "follower" : "consul-follower";
    case Target::Select::all:
      return instance ? "all-instances" : "all-consul-servers";
    case Target::Select::name:
      return target.name;
  }
  return target.name;
}

}  // namespace baton::sim::scenario
