#include "sim/swarm/shrink.hpp"

#include <algorithm>

#include "sim/run/run_scenario.hpp"
#include "sim/swarm/seed_outcome.hpp"

namespace baton::sim::swarm {

namespace {

class Shrinker {
 public:
  Shrinker(const scenario::Scenario& failing, const ShrinkOptions& options) : best_(failing), options_(options) {}

  ShrinkResult shrink() {
    ShrinkResult result;
    result.steps_before = best_.steps.size();
    const std::vector<std::string> failed = failures_of(best_);
    if (failed.empty()) {
      result.scenario = best_;
      result.steps_after = best_.steps.size();
      result.runs = runs_;
      return result;
    }
    primary_ = failed.front();
    remove_chunks();
    remove_single_steps();
    restore_default_settings();
    result.failed = true;
    result.primary_failure = primary_;
    result.scenario = best_;
    result.steps_after = best_.steps.size();
    result.runs = runs_;
    return result;
  }

 private:
  std::vector<std::string> failures_of(const scenario::Scenario& candidate) {
    ++runs_;
    const run::RunResult result = run::run_scenario(candidate, run::RunOptions{});
    return failure_signatures(result);
  }

  // A failed check's name and the shape of its summary (digits dropped): "converged: no leader
  // at the end" is another failure than "converged: N differences at the end", and a shrink
  // that slipped from one to the other would explain nothing (found shrinking sim swarm seed
  // 2091: a lost deregistration became a quorum loss).
  static std::vector<std::string> failure_signatures(const run::RunResult& result) {
    std::vector<std::string> signatures;
    if (result.setup_error) signatures.push_back("setup");
    if (result.step_error) signatures.push_back("steps");
    for (const run::Verdict& verdict : result.verdicts) {
      if (verdict.passed) continue;
      std::string shape;
      for (char c : verdict.summary) {
        if (c < '0' || c > '9') shape += c;
      }
      std::size_t doubled;
      while ((doubled = shape.find("  ")) != std::string::npos) shape.erase(doubled, 1);
      if (!shape.empty() && shape.front() == ' ') shape.erase(0, 1);
      signatures.push_back(verdict.name + ": " + shape);
    }
    return signatures;
  }

  bool out_of_runs() const { return runs_ >= options_.runs_max; }

  // Adopts the candidate when it still fails the primary check.
  bool try_candidate(scenario::Scenario candidate) {
    if (out_of_runs()) return false;
    const std::vector<std::string> failed = failures_of(candidate);
    const bool same = std::find(failed.begin(), failed.end(), primary_) != failed.end();
    if (same) best_ = std::move(candidate);
    if (options_.on_progress) options_.on_progress(runs_, best_.steps.size());
    return same;
  }

  scenario::Scenario without(std::size_t begin, std::size_t end) const {
    scenario::Scenario candidate = best_;
    candidate.steps.erase(candidate.steps.begin() + static_cast<std::ptrdiff_t>(begin), candidate.steps.begin() + static_cast<std::ptrdiff_t>(end));
    return candidate;
  }

  // ddmin's complement-removal loop: split into `parts` chunks, drop the first chunk whose
  // removal keeps the failure, else split finer.
  void remove_chunks() {
    std::size_t parts = 2;
    while (best_.steps.size() >= 2 && !out_of_runs()) {
      const std::size_t size = best_.steps.size();
      const std::size_t chunk = (size + parts - 1) / parts;
      bool removed = false;
      for (std::size_t begin = 0; begin < size; begin += chunk) {
        if (try_candidate(without(begin, std::min(begin + chunk, size)))) {
          removed = true;
          break;
        }
      }
      if (removed) {
        parts = std::max<std::size_t>(parts - 1, 2);
      } else if (parts >= size) {
        break;
      } else {
        parts = std::min(parts * 2, size);
      }
    }
  }

  // From the end: a fault's recovery comes after it, so removing late steps first lets the
  // fault itself go next.
  void remove_single_steps() {
    for (std::size_t i = best_.steps.size(); i-- > 0 && !out_of_runs();) {
      if (i < best_.steps.size()) try_candidate(without(i, i + 1));
    }
  }

  void restore_default_settings() {
    scenario::Scenario candidate = best_;
    candidate.network = scenario::NetworkSpec{};
    candidate.terraform.apply_time = scenario::TerraformSpec{}.apply_time;
    const bool differs = candidate.network.latency.max.ns != best_.network.latency.max.ns || candidate.network.loss != best_.network.loss ||
                         candidate.terraform.apply_time.max.ns != best_.terraform.apply_time.max.ns;
    if (differs) try_candidate(std::move(candidate));
  }

  scenario::Scenario best_;
  const ShrinkOptions& options_;
  std::string primary_;
  std::size_t runs_ = 0;
};

}  // namespace

ShrinkResult shrink_scenario(const scenario::Scenario& failing, const ShrinkOptions& options) {
  return Shrinker(failing, options).shrink();
}

}  // namespace baton::sim::swarm
