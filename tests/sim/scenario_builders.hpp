#pragma once
// Scenarios written in code for sim/run's tests: the same model the YAML parser fills.
#include <optional>
#include <string>
#include <utility>

#include "sim/scenario/scenario.hpp"

namespace baton::sim::run::test {

using namespace scenario;
inline constexpr std::int64_t kSecond = 1'000'000'000;

inline DurationSpec seconds(double s) { return DurationSpec{static_cast<std::int64_t>(s * kSecond)}; }
inline DurationSpec ttls(double multiple) { return DurationSpec{0, multiple, true}; }

inline Target the_leader() { return Target{Target::Kind::instance, Target::Select::leader, {}}; }

inline Step step(Action action, std::optional<DurationSpec> at = std::nullopt, bool relative = false) {
  Step s;
  s.at_source = SourceRef{"test.yaml", 1, 1};
  s.at = at;
  s.at_is_relative = relative;
  s.action = std::move(action);
  return s;
}

inline Register web(const std::string& id, const std::string& address) { return Register{"web", id, address, 80, {}, {}, "node-1", "passing"}; }
inline WaitUntil applied(const std::string& task) { return WaitUntil{WaitUntil::Condition::task_applied, task, seconds(120)}; }
inline WaitUntil once_mode_done() { return WaitUntil{WaitUntil::Condition::once_mode_done, "", seconds(120)}; }

// Three instances, one task "web" watching the service "web", session TTL 15s; `extra_storage`
// goes inside storage "consul" { }.
inline Scenario web_cluster(const std::string& name, const std::string& extra_storage = "") {
  Scenario s;
  s.file = "test.yaml";
  s.name = name;
  s.engine.config_hcl = R"(
high_availability {
  cluster {
    name = "cts-cluster"
    storage "consul" {
      session_ttl = "15s"
      )" + extra_storage + R"(
    }
  }
}
task {
  name = "web"
  module = "/modules/web"
  condition "services" { names = ["web"] }
}
)";
  return s;
}

}  // namespace baton::sim::run::test
