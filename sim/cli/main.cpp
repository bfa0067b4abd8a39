// sim: the deterministic simulation harness's command line.
//   sim run FILE [--seed N] [--trace FILE.jsonl] [--report FILE.html] [-v]
//   sim check-determinism FILE [--seed N]
//   sim swarm [FILE|DIR] --seeds N [--jobs J] [--faults LIST] ...   (sim/cli/swarm_command.hpp)
//   sim shrink FILE [--seed N] [--out FILE.yaml]
//   sim demo
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "sim/cli/swarm_command.hpp"
#include "sim/demo/demo.hpp"
#include "sim/run/console_report.hpp"
#include "sim/run/html_report.hpp"
#include "sim/run/run_scenario.hpp"
#include "sim/scenario/scenario_parser.hpp"

namespace {

using namespace baton::sim;

// Exit codes: 0 every expectation held, 1 one did not, 2 the scenario or a flag is wrong.
constexpr int kPassed = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

struct RunFlags {
  std::string file;
  std::optional<std::uint64_t> seed;
  std::string trace_path;
  std::string report_path;
  bool verbose = false;
};

std::optional<scenario::Scenario> load(const std::string& file) {
  scenario::ParsedScenario parsed = scenario::load_scenario(file);
  if (auto* error = std::get_if<scenario::ScenarioError>(&parsed)) {
    std::cerr << "error: " << error->to_string() << "\n";
    return std::nullopt;
  }
  return std::get<scenario::Scenario>(std::move(parsed));
}

std::string reproduce_command(const std::string& file, std::uint64_t seed) { return fmt::format("sim run {} --seed {}", file, seed); }

int run_command(const RunFlags& flags) {
  const std::optional<scenario::Scenario> loaded = load(flags.file);
  if (!loaded) return kUsage;
  run::RunOptions options;
  options.seed = flags.seed;
  options.log_out = flags.verbose ? &std::cout : nullptr;
  options.keep_messages = !flags.trace_path.empty();
  const run::RunResult result = run::run_scenario(*loaded, options);
  if (result.setup_error) {
    run::print_report(std::cout, result, reproduce_command(flags.file, result.seed));
    return kUsage;
  }
  if (!flags.trace_path.empty()) {
    std::ofstream trace(flags.trace_path);
    result.cluster->world().trace().write_jsonl(trace);
    if (!trace) std::cerr << "error: cannot write " << flags.trace_path << "\n";
  }
  if (!flags.report_path.empty()) {
    std::ofstream report(flags.report_path);
    run::write_html_report(report, result, reproduce_command(flags.file, result.seed));
    if (!report) std::cerr << "error: cannot write " << flags.report_path << "\n";
  }
  run::print_report(std::cout, result, reproduce_command(flags.file, result.seed));
  return result.passed() ? kPassed : kFailed;
}

int check_determinism_command(const std::string& file, std::optional<std::uint64_t> seed) {
  const std::optional<scenario::Scenario> loaded = load(file);
  if (!loaded) return kUsage;
  run::RunOptions options;
  options.seed = seed;
  const run::RunResult first = run::run_scenario(*loaded, options);
  const run::RunResult second = run::run_scenario(*loaded, options);
  if (first.setup_error) {
    std::cerr << "error: " << *first.setup_error << "\n";
    return kUsage;
  }
  const bool same = first.trace_digest == second.trace_digest && first.trace_records == second.trace_records;
  fmt::print("{} seed {}\n  run 1: trace {} ({} records)\n  run 2: trace {} ({} records)\n{}\n", file, first.seed,
             first.trace_digest, first.trace_records, second.trace_digest, second.trace_records,
             same ? "deterministic: the same seed gave the same trace" : "NOT deterministic: the traces differ");
  return same ? kPassed : kFailed;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sim: runs baton's engine against simulated Consul and Terraform on a virtual clock"};
  app.require_subcommand(1);

  RunFlags run_flags;
  CLI::App* run_command_line = app.add_subcommand("run", "Run a scenario file, check its expectations, print the timeline and verdicts");
  run_command_line->add_option("file", run_flags.file, "The scenario (YAML), e.g. scenarios/leader-crash.yaml")->required();
  run_command_line->add_option("--seed", run_flags.seed, "Seed of the run (default: the scenario's); the same seed gives the same trace");
  run_command_line->add_option("--trace", run_flags.trace_path, "Write every trace record as JSON lines to this file");
  run_command_line->add_option("--report", run_flags.report_path, "Write a self-contained HTML report (timeline lanes, verdicts) to this file");
  run_command_line->add_flag("-v,--verbose", run_flags.verbose, "Print every log line of every process as it is written");

  std::string determinism_file;
  std::optional<std::uint64_t> determinism_seed;
  CLI::App* determinism = app.add_subcommand("check-determinism", "Run a scenario twice with one seed and compare the trace digests");
  determinism->add_option("file", determinism_file, "The scenario (YAML)")->required();
  determinism->add_option("--seed", determinism_seed, "Seed of both runs (default: the scenario's)");

  cli::SwarmFlags swarm_flags;
  CLI::App* swarm = app.add_subcommand("swarm", "Run many seeds, each with its own random fault schedule over a base scenario; "
                                                "report violations and the failover distribution; shrink failures to scenario files");
  swarm->add_option("path", swarm_flags.path, "A base scenario, or a folder of them (seed S runs on base S mod their number)")
      ->capture_default_str();
  swarm->add_option("--seeds", swarm_flags.seeds, "How many seeds")->capture_default_str()->check(CLI::PositiveNumber);
  swarm->add_option("--first-seed", swarm_flags.first_seed, "The first seed; the others follow")->capture_default_str();
  swarm->add_option("--seed", swarm_flags.seed, "Run this one seed and print its full report (its timeline and verdicts)");
  swarm->add_option("--jobs,-j", swarm_flags.jobs, "Worker processes")->capture_default_str()->check(CLI::Range(1, 256));
  swarm->add_option("--faults", swarm_flags.faults,
                    "Fault kinds a seed may draw, comma-separated: crash, graceful_stop, pause, partition, consul_crash, "
                    "consul_partition, link, clock, terraform, slow_apply, api, catalog (default: all)");
  swarm->add_option("--duration", swarm_flags.duration, "Virtual time of the faults; everything heals then and must converge")
      ->capture_default_str();
  swarm->add_flag("!--no-shrink", swarm_flags.shrink, "Do not shrink failing seeds");
  swarm->add_option("--shrink-max", swarm_flags.shrink_max, "Shrink at most this many failing seeds")->capture_default_str();
  swarm->add_option("--out", swarm_flags.out_dir, "Where shrunk failures are written as scenario files")->capture_default_str();
  swarm->add_option("--write", swarm_flags.write_path, "With --seed: write the seed's scenario to this file");
  swarm->add_flag("-v,--verbose", swarm_flags.verbose, "With --seed: print every log line");

  cli::ShrinkFlags shrink_flags;
  CLI::App* shrink = app.add_subcommand("shrink", "Shrink a failing scenario to the fewest steps that still fail the same check");
  shrink->add_option("file", shrink_flags.file, "The failing scenario (YAML)")->required();
  shrink->add_option("--seed", shrink_flags.seed, "Seed of the runs (default: the scenario's)");
  shrink->add_option("--out", shrink_flags.out_path, "Where to write the shrunk scenario (default: FILE-shrunk.yaml)");

  DemoOptions demo;
  CLI::App* demo_command = app.add_subcommand("demo", "Run the runtime demonstration: three nodes under a crash, a pause and clock faults");
  demo_command->add_option("--seed", demo.seed, "Seed of the run; the same seed gives the same trace")->capture_default_str();
  demo_command->add_option("--duration", demo.duration_s, "Virtual seconds to run")->capture_default_str()->check(CLI::PositiveNumber);
  bool quiet = false;
  demo_command->add_flag("--quiet", quiet, "Print only the summary, not the nodes' log lines");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kUsage;
  }

  if (run_command_line->parsed()) return run_command(run_flags);
  if (determinism->parsed()) return check_determinism_command(determinism_file, determinism_seed);
  if (swarm->parsed()) return cli::swarm_command(swarm_flags);
  if (shrink->parsed()) return cli::shrink_command(shrink_flags);
  if (demo_command->parsed()) {
    std::cout << "seed=" << demo.seed << "\n";
    demo.log_out = quiet ? nullptr : &std::cout;
    const DemoResult result = run_demo(demo);
    std::cout << "events=" << result.events_run << " heartbeats=" << result.heartbeats
              << " trace_records=" << result.trace_records << " trace_digest=" << result.trace_digest << "\n";
  }
  return 0;
}
