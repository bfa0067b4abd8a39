#include "sim/swarm/seed_outcome.hpp"

#include <nlohmann/json.hpp>

namespace baton::sim::swarm {

std::vector<std::string> failed_check_names(const run::RunResult& result) {
  std::vector<std::string> names;
  if (result.setup_error) names.push_back("setup");
  if (result.step_error) names.push_back("steps");
  for (const run::Verdict& verdict : result.verdicts) {
    if (!verdict.passed) names.push_back(verdict.name);
  }
  return names;
}

SeedOutcome outcome_of(const run::RunResult& result, std::string base_file, std::string mix) {
  SeedOutcome outcome;
  outcome.seed = result.seed;
  outcome.base_file = std::move(base_file);
  outcome.mix = std::move(mix);
  outcome.passed = result.passed();
  outcome.failed_checks = failed_check_names(result);
  if (result.setup_error) outcome.evidence.push_back(*result.setup_error);
  if (result.step_error) outcome.evidence.push_back(*result.step_error);
  for (const run::Verdict& verdict : result.verdicts) {
    if (verdict.passed) continue;
    outcome.evidence.push_back(verdict.name + ": " + verdict.summary);
    for (std::size_t i = 0; i < verdict.evidence.size() && i < 3; ++i) outcome.evidence.push_back("  " + verdict.evidence[i]);
  }
  for (const run::Failover& failover : result.failovers) {
    outcome.failovers.push_back(FailoverSample{failover.cause, failover.duration_ns().value_or(-1)});
  }
  outcome.session_ttl_ns = result.ttl_ns;
  outcome.virtual_ns = result.end_ns;
  outcome.events = result.events_run;
  outcome.steps = result.steps.size();
  for (const run::StepRecord& step : result.steps) outcome.skipped_steps += step.skipped_because.empty() ? 0 : 1;
  return outcome;
}

std::string to_line(const SeedOutcome& outcome) {
  nlohmann::json failovers = nlohmann::json::array();
  for (const FailoverSample& sample : outcome.failovers) failovers.push_back({sample.cause, sample.duration_ns});
  const nlohmann::json json = {{"seed", outcome.seed},         {"base", outcome.base_file},    {"mix", outcome.mix},
                               {"passed", outcome.passed},     {"failed", outcome.failed_checks}, {"evidence", outcome.evidence},
                               {"failovers", failovers},       {"ttl_ns", outcome.session_ttl_ns}, {"virtual_ns", outcome.virtual_ns},
                               {"events", outcome.events},     {"steps", outcome.steps},       {"skipped", outcome.skipped_steps}};
  return json.dump();
}

std::optional<SeedOutcome> from_line(const std::string& line) {
  const nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  try {
    SeedOutcome outcome;
    outcome.seed = json.at("seed").get<std::uint64_t>();
    outcome.base_file = json.at("base").get<std::string>();
    outcome.mix = json.at("mix").get<std::string>();
    outcome.passed = json.at("passed").get<bool>();
    outcome.failed_checks = json.at("failed").get<std::vector<std::string>>();
    outcome.evidence = json.at("evidence").get<std::vector<std::string>>();
    for (const nlohmann::json& sample : json.at("failovers")) {
      outcome.failovers.push_back(FailoverSample{sample.at(0).get<std::string>(), sample.at(1).get<std::int64_t>()});
    }
    outcome.session_ttl_ns = json.at("ttl_ns").get<std::int64_t>();
    outcome.virtual_ns = json.at("virtual_ns").get<std::int64_t>();
    outcome.events = json.at("events").get<std::uint64_t>();
    outcome.steps = json.at("steps").get<std::size_t>();
    outcome.skipped_steps = json.at("skipped").get<std::size_t>();
    return outcome;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace baton::sim::swarm
