#include "sim/swarm/swarm.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "sim/scenario/scenario_parser.hpp"
#include "sim/swarm/swarm_base.hpp"

namespace baton::sim::swarm {

namespace {

std::variant<SwarmBase, std::string> load_base(const std::string& file) {
  scenario::ParsedScenario parsed = scenario::load_scenario(file);
  if (auto* error = std::get_if<scenario::ScenarioError>(&parsed)) return error->to_string();
  return make_swarm_base(std::get<scenario::Scenario>(parsed));
}

}  // namespace

std::variant<std::vector<SwarmBase>, std::string> load_bases(const std::string& file_or_dir) {
  std::vector<std::string> files;
  std::error_code error;
  if (std::filesystem::is_directory(file_or_dir, error)) {
    for (const auto& entry : std::filesystem::directory_iterator(file_or_dir, error)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return file_or_dir + ": the folder holds no .yaml scenario";
  } else {
    files.push_back(file_or_dir);
  }
  std::vector<SwarmBase> bases;
  for (const std::string& file : files) {
    auto base = load_base(file);
    if (auto* message = std::get_if<std::string>(&base)) return *message;
    bases.push_back(std::get<SwarmBase>(std::move(base)));
  }
  return bases;
}

const SwarmBase& base_of(const std::vector<SwarmBase>& bases, std::uint64_t seed) { return bases[seed % bases.size()]; }

SeedPlan plan_seed(const SwarmBase& base, std::uint64_t seed, const DrawOptions& options) {
  SeedPlan plan;
  plan.drawn = draw_schedule(base, seed, options);
  plan.scheduled = schedule_scenario(base, plan.drawn.schedule, seed);
  return plan;
}

SeedOutcome run_seed(const SwarmBase& base, std::uint64_t seed, const DrawOptions& options) {
  const SeedPlan plan = plan_seed(base, seed, options);
  const run::RunResult result = run::run_scenario(plan.scheduled.scenario, run::RunOptions{});
  return outcome_of(result, base.scenario.file, plan.drawn.mix_text());
}

double percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

std::map<std::string, FailoverDistribution> failover_distribution(const std::vector<SeedOutcome>& outcomes) {
  std::map<std::string, std::vector<double>> samples;
  std::map<std::string, FailoverDistribution> distribution;
  for (const SeedOutcome& outcome : outcomes) {
    for (const FailoverSample& sample : outcome.failovers) {
      FailoverDistribution& cause = distribution[sample.cause];
      ++cause.count;
      if (sample.duration_ns < 0 || outcome.session_ttl_ns <= 0) {
        ++cause.unfinished;
        continue;
      }
      samples[sample.cause].push_back(static_cast<double>(sample.duration_ns) / static_cast<double>(outcome.session_ttl_ns));
    }
  }
  for (auto& [cause, values] : samples) {
    std::sort(values.begin(), values.end());
    FailoverDistribution& out = distribution[cause];
    out.p50_ttl = percentile(values, 0.50);
    out.p99_ttl = percentile(values, 0.99);
    out.max_ttl = values.back();
  }
  return distribution;
}

}  // namespace baton::sim::swarm
