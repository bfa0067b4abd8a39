#pragma once
// The runtime demonstration `sim demo` runs until scenarios exist (issue 7): three nodes
// with heartbeat loops and random jitter, under a crash and restart, a pause, a clock drift
// and a wall-clock step, printing their CTS-shaped logs and the trace digest.
#include <cstdint>
#include <iosfwd>
#include <string>

namespace baton::sim {

struct DemoOptions {
  std::uint64_t seed = 1;
  // Length of the run in virtual seconds.
  std::int64_t duration_s = 30;
  // Where log lines go; nullptr prints none.
  std::ostream* log_out = nullptr;
};

struct DemoResult {
  std::string trace_digest;
  std::uint64_t trace_records;
  std::uint64_t events_run;
  std::uint64_t heartbeats;
};

DemoResult run_demo(const DemoOptions& options);

}  // namespace baton::sim
