#pragma once
// Runs many independent jobs across worker processes and hands their one-line results back to
// the parent as they arrive. Processes, not threads: each simulated run is single-threaded and
// deterministic, a process per worker shares nothing with the others, and a run that crashes
// the simulator (an assertion, a sanitizer) takes down only its worker: the job it was on is
// reported as crashed and a new worker carries on with the rest.
//
// This file and worker_pool.cpp are harness code around runs, never inside one: they fork and
// read the wall clock (for the progress line), which tests/lint/forbidden_calls.py allows here
// only.
#include <cstddef>
#include <functional>
#include <string>

namespace baton::sim::swarm {

struct PoolCallbacks {
  // In a worker: job `index` -> its result, one line without a newline.
  std::function<std::string(std::size_t index)> work;
  // In the parent, in arrival order: the result of `index`, or an empty line with `crashed`
  // set when its worker died on it.
  std::function<void(std::size_t index, const std::string& line, bool crashed)> on_result;
};

// Jobs [0, count) across `jobs` processes (1: in this process, no fork).
void run_pool(std::size_t count, int jobs, const PoolCallbacks& callbacks);

// Wall-clock seconds since an arbitrary start, for rates shown to people (never inside a run).
double wall_seconds();

}  // namespace baton::sim::swarm
