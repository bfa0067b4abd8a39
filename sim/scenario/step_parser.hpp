#pragma once
// The timeline: `steps:` items into Steps, and what they share with the rest of the file
// (a Terraform failure is the same map in `terraform.failures` and in a `terraform_fail` step).
#include <optional>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/target_text.hpp"
#include "sim/scenario/yaml_reader.hpp"

namespace baton::sim::scenario {

// Every action a step can take, in the order the documentation lists them.
const std::vector<std::string_view>& action_names();

// `steps:`, a list of maps, each `at` (optional) and one action. Targets are checked against
// `size`. Appends to `steps`.
void parse_steps(YamlReader& reader, const YamlValue& list, const ClusterSize& size, std::vector<Step>& steps);

// {task, command, times, message, instance, mode}, every key optional.
std::optional<TerraformFailure> parse_terraform_failure(YamlReader& reader, const YamlValue& value,
                                                        const ClusterSize& size);

// A target by its text (target_text.hpp), failing at `value` when it names nothing.
std::optional<Target> parse_target(YamlReader& reader, const YamlValue& value, const ClusterSize& size);

}  // namespace baton::sim::scenario
