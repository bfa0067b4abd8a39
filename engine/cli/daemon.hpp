#pragma once
// What `baton start` runs, wired from a finalized configuration to the production bindings, in
// one of CTS v0.9.0's modes (command/start.go):
//
// - daemon, with a high_availability block: one instance of a cluster.
//
//   AsioRuntime ── HttpConsulTransport ── ConsulClient ─┬─ HaController (election, tasks, state)
//                                                       ├─ self-registration (registration/)
//   LocalFileSystem, AsioProcessPort ── TerraformCli ───┘
//   HttpServer (port, tls) ── ApiHandler ── ControllerBackend ── HaController
//
// - daemon without it: the same, with a StandaloneController in the HaController's place (every
//   task once, then monitoring; API task changes in memory; /v1/status/cluster answers 405). The
//   first error of once-mode ends the process: "error running controller", exit 11.
// - once (-once, which also disables high availability): every task once, one after the other,
//   then exit 0, or 11 at the first error. No API, no registration.
// - inspect (-inspect, -inspect-task NAME...): a plan of every task (or of the named ones, in the
//   order named), logged as "inspection results", nothing applied, then exit 0 or 11. An
//   unknown name: "error inspecting tasks: error=\"task not found: NAME\"", exit 15.
//
// On SIGINT, SIGTERM or SIGQUIT it stops as CTS does: the controller ends its term and releases
// the lock (so a follower takes over within a round trip), the instance deregisters itself
// and the API closes; all of it within 10 seconds, or the exit code says it timed out.
#include <ostream>
#include <string>
#include <vector>

#include "engine/cli/task_commands.hpp"  // the exit codes
#include "engine/config/cts/config.hpp"
#include "engine/log/logger.hpp"

namespace baton::cli {

enum class StartMode { daemon, once, inspect };

struct DaemonOptions {
  config::cts::Config config;  // finalized and validated
  std::string working_directory;
  bool reset_storage = false;
  LogLevel log_level = LogLevel::info;
  StartMode mode = StartMode::daemon;
  // -inspect-task: the tasks to inspect, in this order (CTS's config.FilterTasks); empty: all.
  std::vector<std::string> inspect_tasks;
};

// A daemon runs until a signal (or a fatal error), the other modes until their pass ends; the
// exit code.
int run_daemon(DaemonOptions options, std::ostream& err);

}  // namespace baton::cli
