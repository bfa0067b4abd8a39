#pragma once
// `sim swarm` and `sim shrink`, the command-line side of sim/swarm.
//   sim swarm [FILE|DIR] --seeds N [--first-seed S] [--jobs J] [--faults LIST] [--duration D]
//             [--no-shrink] [--out DIR]
//   sim swarm [FILE|DIR] --seed S [--write FILE.yaml] [-v]       (one seed, its full report)
//   sim shrink FILE [--seed N] [--out FILE.yaml]
#include <cstdint>
#include <optional>
#include <string>

namespace baton::sim::cli {

struct SwarmFlags {
  std::string path = "scenarios/swarm";
  std::uint64_t seeds = 100;
  std::uint64_t first_seed = 1;
  std::optional<std::uint64_t> seed;  // one seed, reported in full
  int jobs = 1;
  std::string faults;                 // empty: every kind
  std::string duration = "10m";       // faults heal at this virtual time
  bool shrink = true;
  std::size_t shrink_max = 3;         // failing seeds shrunk at the end, the first ones
  std::string out_dir = "swarm-failures";
  std::string write_path;             // --seed: write its scenario here
  bool verbose = false;
};

struct ShrinkFlags {
  std::string file;
  std::optional<std::uint64_t> seed;
  std::string out_path;  // default: FILE with "-shrunk" before ".yaml"
};

// Exit codes as `sim run`'s: 0 no violation, 1 a violation, 2 bad input.
int swarm_command(const SwarmFlags& flags);
int shrink_command(const ShrinkFlags& flags);

}  // namespace baton::sim::cli
