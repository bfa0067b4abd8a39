#pragma once
// `baton start`, as CTS's command/start.go: flags -config-file and -config-dir (repeatable,
// into one list), -inspect, -inspect-task, -once, -reset-storage; the configuration built,
// finalized and validated (engine/config/cts/load.hpp), then the daemon (daemon.hpp).
//
// Not yet: -once, -inspect and -inspect-task answer that the mode is not implemented (exit
// 11); the daemon needs a high_availability block.
#include <string>
#include <vector>

#include "engine/cli/cli_context.hpp"

namespace baton::cli {

// `args` are those after "start". The exit code, CTS's (daemon.hpp ExitCode).
int run_start_command(const std::vector<std::string>& args, CliContext& context);

}  // namespace baton::cli
