// sim: the deterministic simulation harness's command line.
#include <CLI/CLI.hpp>

#include <iostream>

#include "sim/demo/demo.hpp"

int main(int argc, char** argv) {
  CLI::App app{"sim: runs baton's engine against simulated Consul and Terraform on a virtual clock"};
  app.require_subcommand(1);

  baton::sim::DemoOptions demo;
  CLI::App* demo_command = app.add_subcommand("demo", "Run the runtime demonstration: three nodes under a crash, a pause and clock faults");
  demo_command->add_option("--seed", demo.seed, "Seed of the run; the same seed gives the same trace")->capture_default_str();
  demo_command->add_option("--duration", demo.duration_s, "Virtual seconds to run")->capture_default_str()->check(CLI::PositiveNumber);
  bool quiet = false;
  demo_command->add_flag("--quiet", quiet, "Print only the summary, not the nodes' log lines");

  CLI11_PARSE(app, argc, argv);

  if (demo_command->parsed()) {
    std::cout << "seed=" << demo.seed << "\n";
    demo.log_out = quiet ? nullptr : &std::cout;
    const baton::sim::DemoResult result = baton::sim::run_demo(demo);
    std::cout << "events=" << result.events_run << " heartbeats=" << result.heartbeats
              << " trace_records=" << result.trace_records << " trace_digest=" << result.trace_digest << "\n";
  }
  return 0;
}
