#include "sim/cli/swarm_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "sim/run/console_report.hpp"
#include "sim/run/run_scenario.hpp"
#include "sim/scenario/duration_text.hpp"
#include "sim/scenario/scenario_parser.hpp"
#include "sim/scenario/scenario_writer.hpp"
#include "sim/swarm/shrink.hpp"
#include "sim/swarm/swarm.hpp"
#include "sim/swarm/worker_pool.hpp"

namespace baton::sim::cli {

namespace {

using namespace baton::sim::swarm;

constexpr int kPassed = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

std::optional<DrawOptions> draw_options(const SwarmFlags& flags) {
  DrawOptions options;
  if (!flags.faults.empty()) {
    const FaultList list = parse_fault_list(flags.faults);
    if (!list.error.empty()) {
      std::cerr << "error: " << list.error << "\n";
      return std::nullopt;
    }
    options.allowed = list.kinds;
  }
  std::string error;
  const auto duration = scenario::parse_duration(flags.duration, scenario::TtlMultiple::rejected, error);
  if (!duration || duration->ns <= options.warmup_ns) {
    std::cerr << "error: --duration: " << (duration ? "must be longer than the 30s warm-up" : error) << "\n";
    return std::nullopt;
  }
  options.heal_at_ns = duration->ns;
  return options;
}

// The command that runs one seed again, with the flags that shape its schedule.
std::string seed_command(const SwarmFlags& flags, const std::string& base_path, std::uint64_t seed) {
  std::string command = fmt::format("sim swarm {} --seed {}", base_path, seed);
  if (!flags.faults.empty()) command += " --faults " + flags.faults;
  if (flags.duration != SwarmFlags{}.duration) command += " --duration " + flags.duration;
  return command;
}

bool write_file(const std::string& path, const std::string& text) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  std::ofstream out(path);
  out << text;
  if (!out) std::cerr << "error: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

// The scenario as a file; the writer refuses (throws) a field the language cannot express,
// which would be a bug in the schedule that made it: said in the file rather than lost.
std::string scenario_text(const scenario::Scenario& scenario, std::vector<std::string> header) {
  scenario::WriteOptions options;
  options.header_comments = std::move(header);
  try {
    return scenario::write_scenario_yaml(scenario, options);
  } catch (const std::invalid_argument& error) {
    std::cerr << "error: the scenario cannot be written as a file: " << error.what() << "\n";
    return fmt::format("# the scenario cannot be written as a file: {}\n", error.what());
  }
}

int one_seed(const SwarmFlags& flags, const std::vector<SwarmBase>& bases, const DrawOptions& options) {
  const SwarmBase& base = base_of(bases, *flags.seed);
  const SeedPlan plan = plan_seed(base, *flags.seed, options);
  const std::string command = seed_command(flags, flags.path, *flags.seed);
  fmt::print("seed {} on {}: {}\n", *flags.seed, base.scenario.file, plan.drawn.mix_text());
  if (!flags.write_path.empty()) {
    const std::string text = scenario_text(plan.scheduled.scenario, {"Written by: " + command, "Mix: " + plan.drawn.mix_text()});
    if (!write_file(flags.write_path, text)) return kUsage;
    fmt::print("wrote {}\n", flags.write_path);
  }
  run::RunOptions run_options;
  run_options.log_out = flags.verbose ? &std::cout : nullptr;
  const run::RunResult result = run::run_scenario(plan.scheduled.scenario, run_options);
  run::print_report(std::cout, result, command);
  return result.passed() ? kPassed : kFailed;
}

class Progress {
 public:
  Progress(std::uint64_t total, int jobs) : total_(total), jobs_(jobs), terminal_(::isatty(STDERR_FILENO) != 0) {}

  void update(std::uint64_t done, std::uint64_t violations) {
    const double now = wall_seconds();
    const bool last = done == total_;
    const std::uint64_t tenth = std::max<std::uint64_t>(total_ / 10, 1);
    if (terminal_ ? (now - shown_at_ < 0.2 && !last) : (done % tenth != 0 && !last)) return;
    shown_at_ = now;
    const double elapsed = now - start_;
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(kWidth * done / std::max<std::uint64_t>(total_, 1));
    fmt::print(stderr, "{}[{:=<{}}{:<{}}] {}/{} seeds  {:.1f} seeds/s ({:.1f} per job)  violations {}{}", terminal_ ? "\r" : "", "",
               filled, "", kWidth - filled, done, total_, rate, rate / jobs_, violations, terminal_ && !last ? "" : "\n");
    std::fflush(stderr);
  }
  double elapsed() const { return wall_seconds() - start_; }

 private:
  std::uint64_t total_;
  int jobs_;
  bool terminal_;
  double start_ = wall_seconds();
  double shown_at_ = -1;
};

void print_distribution(const std::vector<SeedOutcome>& outcomes) {
  const auto distribution = failover_distribution(outcomes);
  fmt::print("\nfailovers by cause (x TTL, from the fault to the next leader's lock):\n");
  fmt::print("  {:<10} {:>7} {:>8} {:>8} {:>8} {:>11}\n", "cause", "count", "p50", "p99", "max", "unfinished");
  for (const auto& [cause, d] : distribution) {
    fmt::print("  {:<10} {:>7} {:>7.2f}x {:>7.2f}x {:>7.2f}x {:>11}\n", cause, d.count, d.p50_ttl, d.p99_ttl, d.max_ttl, d.unfinished);
  }
  if (distribution.empty()) fmt::print("  none\n");
}

std::string shrunk_path(const std::string& out_dir, const SwarmBase& base, std::uint64_t seed) {
  return fmt::format("{}/{}-seed-{}.yaml", out_dir, base.scenario.name, seed);
}

void shrink_failure(const SwarmFlags& flags, const SwarmBase& base, std::uint64_t seed, const DrawOptions& options) {
  const SeedPlan plan = plan_seed(base, seed, options);
  ShrinkOptions shrink_options;
  shrink_options.on_progress = [](std::size_t runs, std::size_t steps) {
    if (runs % 20 == 0) fmt::print(stderr, "  shrinking: {} runs, {} steps\n", runs, steps);
  };
  const ShrinkResult shrunk = shrink_scenario(plan.scheduled.scenario, shrink_options);
  if (!shrunk.failed) {
    fmt::print("  seed {}: passed when run again, so the run is not deterministic: {} --write F.yaml, then sim check-determinism F.yaml\n",
               seed, seed_command(flags, flags.path, seed));
    return;
  }
  const std::string path = shrunk_path(flags.out_dir, base, seed);
  const std::string text = scenario_text(shrunk.scenario, {
      fmt::format("Found by: {}", seed_command(flags, flags.path, seed)),
      fmt::format("Shrunk by sim swarm from {} steps to {} in {} runs; it fails {} as the seed did.", shrunk.steps_before,
                  shrunk.steps_after, shrunk.runs, shrunk.primary_failure),
      fmt::format("Reproduce: sim run {}", path),
  });
  if (write_file(path, text)) fmt::print("  seed {}: shrunk from {} to {} steps ({} runs): sim run {}\n", seed, shrunk.steps_before, shrunk.steps_after, shrunk.runs, path);
}

}  // namespace

int swarm_command(const SwarmFlags& flags) {
  const std::optional<DrawOptions> options = draw_options(flags);
  if (!options) return kUsage;
  auto loaded = load_bases(flags.path);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    std::cerr << "error: " << *error << "\n";
    return kUsage;
  }
  const std::vector<SwarmBase>& bases = std::get<std::vector<SwarmBase>>(loaded);
  if (flags.seed) return one_seed(flags, bases, *options);

  std::vector<SeedOutcome> outcomes;
  std::vector<std::uint64_t> failing;
  Progress progress(flags.seeds, flags.jobs);
  PoolCallbacks callbacks;
  callbacks.work = [&](std::size_t index) {
    const std::uint64_t seed = flags.first_seed + index;
    return to_line(run_seed(base_of(bases, seed), seed, *options));
  };
  callbacks.on_result = [&](std::size_t index, const std::string& line, bool crashed) {
    const std::uint64_t seed = flags.first_seed + index;
    std::optional<SeedOutcome> outcome = crashed ? std::nullopt : from_line(line);
    if (!outcome) {
      outcome = SeedOutcome{};
      outcome->seed = seed;
      outcome->base_file = base_of(bases, seed).scenario.file;
      outcome->failed_checks = {"crashed"};
      outcome->evidence = {crashed ? "the simulator process died on this seed" : "unreadable result: " + line};
    }
    if (!outcome->passed) failing.push_back(seed);
    outcomes.push_back(std::move(*outcome));
    progress.update(outcomes.size(), failing.size());
  };
  run_pool(flags.seeds, flags.jobs, callbacks);
  const double elapsed = progress.elapsed();

  std::int64_t virtual_ns = 0;
  for (const SeedOutcome& outcome : outcomes) virtual_ns += outcome.virtual_ns;
  fmt::print("\n{} seeds ({}..{}) on {} base(s), {} job(s): {} passed, {} failed\n", outcomes.size(), flags.first_seed,
             flags.first_seed + flags.seeds - 1, bases.size(), flags.jobs, outcomes.size() - failing.size(), failing.size());
  fmt::print("{:.1f} s wall, {:.1f} seeds/s ({:.1f} per job), {:.0f} virtual s per wall s\n", elapsed,
             static_cast<double>(outcomes.size()) / elapsed, static_cast<double>(outcomes.size()) / elapsed / flags.jobs,
             static_cast<double>(virtual_ns) / 1e9 / elapsed);
  print_distribution(outcomes);

  std::sort(failing.begin(), failing.end());
  if (failing.empty()) {
    fmt::print("\nno violation\n");
    return kPassed;
  }
  fmt::print("\nfailing seeds:\n");
  for (const SeedOutcome& outcome : outcomes) {
    if (outcome.passed) continue;
    fmt::print("  seed {} ({}): {}\n", outcome.seed, outcome.mix, fmt::join(outcome.failed_checks, ", "));
    for (const std::string& line : outcome.evidence) fmt::print("      {}\n", line);
    fmt::print("    reproduce: {}\n", seed_command(flags, flags.path, outcome.seed));
  }
  if (flags.shrink) {
    fmt::print("\nshrinking the first {} failing seed(s):\n", std::min(flags.shrink_max, failing.size()));
    for (std::size_t i = 0; i < failing.size() && i < flags.shrink_max; ++i) shrink_failure(flags, base_of(bases, failing[i]), failing[i], *options);
  }
  return kFailed;
}

int shrink_command(const ShrinkFlags& flags) {
  scenario::ParsedScenario parsed = scenario::load_scenario(flags.file);
  if (auto* error = std::get_if<scenario::ScenarioError>(&parsed)) {
    std::cerr << "error: " << error->to_string() << "\n";
    return kUsage;
  }
  scenario::Scenario input = std::get<scenario::Scenario>(std::move(parsed));
  if (flags.seed) input.seed = *flags.seed;
  ShrinkOptions options;
  options.on_progress = [](std::size_t runs, std::size_t steps) {
    if (runs % 20 == 0) fmt::print(stderr, "shrinking: {} runs, {} steps\n", runs, steps);
  };
  const ShrinkResult shrunk = shrink_scenario(input, options);
  if (!shrunk.failed) {
    fmt::print("{} (seed {}) passes: nothing to shrink\n", flags.file, input.seed);
    return kPassed;
  }
  std::string out_path = flags.out_path;
  if (out_path.empty()) {
    const std::filesystem::path path(flags.file);
    out_path = (path.parent_path() / (path.stem().string() + "-shrunk.yaml")).string();
  }
  const std::string text = scenario_text(shrunk.scenario, {
      fmt::format("Shrunk by: sim shrink {}{}", flags.file, flags.seed ? fmt::format(" --seed {}", *flags.seed) : ""),
      fmt::format("From {} steps to {} in {} runs; it fails {} as the original did.", shrunk.steps_before, shrunk.steps_after,
                  shrunk.runs, shrunk.primary_failure),
  });
  if (!write_file(out_path, text)) return kUsage;
  fmt::print("{}: fails {}; shrunk from {} to {} steps in {} runs\nwrote {}: sim run {}\n", flags.file, shrunk.primary_failure,
             shrunk.steps_before, shrunk.steps_after, shrunk.runs, out_path, out_path);
  return kFailed;
}

}  // namespace baton::sim::cli
