#pragma once
// `baton start`, as CTS's command/start.go: flags -config-file and -config-dir (repeatable,
// into one list), -inspect, -inspect-task (repeatable; implies -inspect), -once,
// -reset-storage; the configuration built, finalized and validated
// (engine/config/cts/load.hpp), then the mode it asks for (daemon.hpp): the daemon, with or
// without a high_availability block; -once (every task once, then exit; high availability
// off); -inspect (a plan per task, nothing applied, then exit).
#include <string>
#include <vector>

#include "engine/cli/cli_context.hpp"

namespace baton::cli {

// `args` are those after "start". The exit code, CTS's (daemon.hpp ExitCode).
int run_start_command(const std::vector<std::string>& args, CliContext& context);

}  // namespace baton::cli
