// baton: the production daemon and its command line, as CTS's (command/cli.go):
//   baton start [options]                         the daemon (engine/cli/start_command.hpp)
//   baton task enable|disable|create|delete ...   against a running daemon's API (task_commands.hpp)
//   baton version, baton --version
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "engine/cli/cli_context.hpp"
#include "engine/cli/daemon.hpp"
#include "engine/cli/start_command.hpp"
#include "engine/cli/task_commands.hpp"

namespace {

constexpr const char* kHelp = R"(Usage: baton [--version] [--help] <command> [<args>]

Available commands are:
    start    Starts the Consul-Terraform-Sync daemon
    task     Interacts with tasks
    version  Shows the version of the binary
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  baton::cli::CliContext context{
      .in = std::cin,
      .out = std::cout,
      .err = std::cerr,
      .getenv = [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
      }};
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
    std::cout << kHelp;
    return args.empty() ? baton::cli::kExitRequiredFlags : baton::cli::kExitOk;
  }
  const std::string command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "version" || command == "-version" || command == "--version" || command == "-v") {
    std::cout << "baton " << BATON_VERSION << " (compatible with consul-terraform-sync v0.9.0)\n";
    return baton::cli::kExitOk;
  }
  if (command == "start") return baton::cli::run_start_command(rest, context);
  if (command == "task") return baton::cli::run_task_command(rest, context);
  std::cerr << "unknown command: " << command << "\n\n" << kHelp;
  return baton::cli::kExitParseFlags;
}
