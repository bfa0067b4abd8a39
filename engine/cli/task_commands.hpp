#pragma once
// `baton task enable|disable|create|delete`, as CTS v0.9.0's command/task_*.go: the same
// flags (command/meta.go: -http-addr, -port, -ca-cert, -ca-path, -client-cert, -client-key,
// -ssl-verify; -auto-approve; -task-file for create), environment variables (CTS_ADDRESS,
// CTS_CACERT, CTS_CAPATH, CTS_CLIENT_CERT, CTS_CLIENT_KEY, CTS_SSL_VERIFY), requests, output
// (mitchellh/cli's PrefixedUi: "==> " for info and errors, "    " for output; errors on
// stderr), the approval prompt (only "yes" proceeds) and exit codes (0 ok, 11 error,
// 13 required arguments, 14 flag parsing; `baton task` alone or with an unknown subcommand
// prints the subcommands on stderr and exits 1, as mitchellh/cli does; `-h`/`-help`/`--help`
// anywhere prints the command's help on stdout and exits 0).
//
// The requests go through the production HttpClient on an AsioRuntime made for the command.
// Deliberate differences from CTS are listed in engine/cli/README.md.
#include <string>
#include <vector>

#include "engine/cli/cli_context.hpp"

namespace baton::cli {

// Exit codes (command/cli.go).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 11;
inline constexpr int kExitInterrupt = 12;
inline constexpr int kExitRequiredFlags = 13;
inline constexpr int kExitParseFlags = 14;
inline constexpr int kExitConfig = 15;
inline constexpr int kExitDriver = 16;

// `args` are the arguments after "task": {"enable", "-auto-approve", "web"}.
int run_task_command(const std::vector<std::string>& args, CliContext& context);

// go-wordwrap v1.0.1 WrapString, which CTS runs its error texts through (width 78).
std::string wrap_string(const std::string& text, std::size_t limit);

}  // namespace baton::cli
