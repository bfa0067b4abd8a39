#pragma once
// Writing a Scenario back out as a scenario file (scenarios/README.md), for scenarios made in
// code: `sim swarm` and `sim shrink` write a failing run as a file that `sim run` reads back and
// that fails the same way. The text looks like the hand-written files: steps as flow maps
// (`- register: { service: web, id: web-1, port: 80 }`), HCL as `config: |` literal blocks,
// and only what differs from the parser's defaults.
//
// The writer never drops anything silently: after writing, it parses its own text and compares
// the result with the input, field by field (scenario_fields). A field the language cannot
// express, or a value the parser would reject, makes it throw std::invalid_argument naming the
// field, e.g. `steps[2].register.id = "" reads back as "web"`. Such fields are:
//   - Register.id empty (an unwritten id means the service's name), and every other field the
//     parser reads as a non-empty name (Deregister.id, KvPut.key, TerraformFailure.message, ...);
//   - a Partition with more than one of from, from_consul, from_instances, and
//     TerraformRecover.task "all" (the language's word for every task);
//   - a task name with a space in `wait_until: task <name> applied`;
//   - negative durations outside clock_skew.offset, an offset of INT64_MIN ns, TTL multiples
//     that are negative, above 1000 or not finite.
// What the comparison ignores, because it is not part of a scenario's meaning (sim/run never
// reads it): every SourceRef, Scenario::file, EngineSpec::config_name, the unused half of a
// DurationSpec (`ns` of a TTL multiple, `ttl_multiple` of a fixed duration), Target::name unless
// it selects by name, WaitUntil::task unless the condition is task_applied, ApiCall::task_hcl
// unless the call is create, and reset_storage entries set to false (an instance not listed
// starts plainly, as one listed with false does).
//
// Durations are written exactly: in the largest unit that divides them (`90s`, `1500ms`, `7ns`),
// whole numbers only, since the duration parser reads integers with units exactly; any
// non-negative int64 count of nanoseconds has such a form. TTL multiples are written as the
// shortest decimal that reads back as the same double.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace baton::sim::scenario {

struct WriteOptions {
  std::vector<std::string> header_comments;          // written as "# ..." lines at the top
  std::map<std::size_t, std::string> step_comments;  // step index -> "# ..." line written before that step
};

// The scenario as YAML that parse_scenario reads back as the same scenario. Throws
// std::invalid_argument naming the field when that is impossible (see above), and when a step
// comment names a step the scenario does not have.
std::string write_scenario_yaml(const Scenario& scenario, const WriteOptions& options = {});

// Every field a scenario file expresses, one `path = value` line each, in a fixed order
// ("steps[3].register.port = 80"): the scenario's meaning, without SourceRefs and the rest
// listed above. Two scenarios with equal lists run alike.
std::vector<std::string> scenario_fields(const Scenario& scenario);

// The first field where `a` and `b` differ, as `<line of a> | <line of b>` (a missing line
// is "(none)"), or nullopt when their scenario_fields are equal.
std::optional<std::string> first_difference(const Scenario& a, const Scenario& b);

}  // namespace baton::sim::scenario
