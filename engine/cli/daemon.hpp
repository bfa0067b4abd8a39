#pragma once
// The daemon `baton start` runs: one instance of a high-availability cluster, wired from a
// finalized configuration to the production bindings.
//
//   AsioRuntime ── HttpConsulTransport ── ConsulClient ─┬─ HaController (election, tasks, state)
//                                                       ├─ self-registration (registration/)
//   LocalFileSystem, AsioProcessPort ── TerraformCli ───┘
//   HttpServer (port, tls) ── ApiHandler ── ControllerBackend ── HaController
//
// On SIGINT, SIGTERM or SIGQUIT it stops as CTS does: the controller ends its term and releases
// the lock (so a follower takes over within a round trip), the instance deregisters itself
// and the API closes; all of it within 10 seconds, or the exit code says it timed out.
#include <ostream>
#include <string>

#include "engine/cli/task_commands.hpp"  // the exit codes
#include "engine/config/cts/config.hpp"
#include "engine/log/logger.hpp"

namespace baton::cli {

struct DaemonOptions {
  config::cts::Config config;  // finalized and validated
  std::string working_directory;
  bool reset_storage = false;
  LogLevel log_level = LogLevel::info;
};

// Runs until a signal (or a fatal setup error); the exit code.
int run_daemon(DaemonOptions options, std::ostream& err);

}  // namespace baton::cli
