#pragma once
// The base a swarm run starts from: a scenario file's setup (Consul, network, engine
// configuration, Terraform) and its steps as the initial workload, with what a schedule can
// act on read from its engine configuration.
#include <string>
#include <variant>

#include "sim/scenario/scenario.hpp"
#include "sim/swarm/fault_schedule.hpp"

namespace baton::sim::swarm {

// An error names the scenario file and what is wrong with it as a base.
std::variant<SwarmBase, std::string> make_swarm_base(const scenario::Scenario& scenario);

}  // namespace baton::sim::swarm
