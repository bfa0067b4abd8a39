#include "engine/cli/start_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "engine/bindings/filesystem/local_filesystem.hpp"
#include "engine/cli/daemon.hpp"
#include "engine/cli/go_flags.hpp"
#include "engine/config/cts/environment.hpp"
#include "engine/config/cts/load.hpp"

namespace baton::cli {
namespace {

namespace fs = std::filesystem;
using config::cts::ConfigPath;

constexpr const char* kUsage = "Usage CLI: baton start [-help] [options]\n";

FlagSet start_flags() {
  FlagSet flags("start");
  flags.add_string_list("config-dir",
                        "A directory to load files for configuring Consul-Terraform-Sync. \n\t\tConfiguration files require an "
                        ".hcl or .json file extension in order \n\t\tto specify their format. This option can be specified "
                        "multiple times to \n\t\tload different directories.");
  flags.add_string_list("config-file",
                        "A file to load for configuring Consul-Terraform-Sync. Configuration \n\t\tfile requires an .hcl or "
                        ".json extension in order to specify their format. \n\t\tThis option can be specified multiple times "
                        "to load different \n\t\tconfiguration files.");
  flags.add_bool("inspect", false,
                 "Run Consul-Terraform-Sync in Inspect mode to print the proposed state \n\t\tchanges for all tasks, and then "
                 "exit. No changes are applied \n\t\tin this mode.");
  flags.add_string_list("inspect-task",
                        "Run Consul-Terraform-Sync in Inspect mode to print the proposed \n\t\tstate changes for the task, and "
                        "then exit. No changes are applied\n\t\tin this mode.");
  flags.add_bool("once", false,
                 "Render templates and run tasks once. Does not run the process \n\t\tas a daemon and disables buffer periods.");
  flags.add_bool("reset-storage", false,
                 "When this instance is elected leader, replace the cluster's stored \n\t\ttasks and events with its own "
                 "configuration (every time, while \n\t\tthe flag is given).");
  flags.add_string("client-type", "", "Use only when developing Consul-Terraform-Sync binary.");
  return flags;
}

// CTS's FlagAppendSliceValue holds -config-dir and -config-file in one list, in the order
// given: both kinds are read as BuildConfig reads them (a directory's .hcl/.json files).
std::vector<std::string> config_arguments(const std::vector<std::string>& args) {
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--") break;
    if (arg.starts_with("--")) arg = arg.substr(1);
    for (const char* name : {"-config-dir", "-config-file"}) {
      const std::string flag = name;
      if (arg == flag && i + 1 < args.size()) paths.push_back(args[++i]);
      if (arg.starts_with(flag + "=")) paths.push_back(arg.substr(flag.size() + 1));
    }
  }
  return paths;
}

// Reads one path as config.go's BuildConfig does; the error as CTS words it.
std::variant<ConfigPath, std::string> read_config_path(FileSystem& files, const std::string& path) {
  std::error_code error;
  const bool directory = fs::is_directory(path, error);
  ConfigPath read{.path = path, .is_directory = directory, .files = {}};
  const std::vector<std::string> names = directory ? files.list_directory(path) : std::vector<std::string>{""};
  for (const std::string& name : names) {
    const std::string file = directory ? (fs::path(path) / name).string() : path;
    if (directory && !fs::is_regular_file(file, error)) continue;
    const FileRead content = files.read_file(file);
    if (content.error) return content.error->message;
    if (!content.content) return fmt::format("stat {}: no such file or directory", file);
    read.files.push_back({file, *content.content});
  }
  return read;
}

config::cts::Environment process_environment(CliContext& context) {
  config::cts::Environment environment;
  for (const char* name : {"CONSUL_HTTP_ADDR", "CONSUL_TOKEN", "CONSUL_HTTP_TOKEN", "CONSUL_CLIENT_CERT", "CONSUL_CACERT",
                           "CONSUL_CAPATH", "CONSUL_CLIENT_KEY", "CONSUL_TLS_SERVER_NAME", "VAULT_ADDR", "VAULT_NAMESPACE",
                           "VAULT_TOKEN", "VAULT_CACERT", "VAULT_CAPATH", "VAULT_CLIENT_CERT", "VAULT_CLIENT_KEY",
                           "VAULT_TLS_SERVER_NAME", "VAULT_SKIP_VERIFY", "VAULT_RENEW_TOKEN", "VAULT_UNWRAP_TOKEN"}) {
    if (std::optional<std::string> value = context.getenv(name)) environment.variables[name] = *value;
  }
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) environment.hostname = host;
  std::error_code error;
  environment.working_directory = fs::current_path(error).string();
  return environment;
}

LogLevel log_level_of(const config::cts::Config& config) {
  const std::string level = config.log_level.value_or("INFO");
  if (level == "TRACE") return LogLevel::trace;
  if (level == "DEBUG") return LogLevel::debug;
  if (level == "WARN") return LogLevel::warn;
  if (level == "ERR" || level == "ERROR") return LogLevel::error;
  return LogLevel::info;
}

}  // namespace

int run_start_command(const std::vector<std::string>& args, CliContext& context) {
  FlagSet flags = start_flags();
  flags.set_output(&context.err);
  flags.set_usage([&] {
    context.out << kUsage << "\nOptions:\n\n";
    flags.set_output(&context.out);
    flags.print_defaults();
    flags.set_output(&context.err);
  });
  if (std::optional<FlagError> error = flags.parse(args)) return error->help ? kExitOk : kExitParseFlags;
  const std::vector<std::string> paths = config_arguments(args);
  if (paths.empty()) {
    context.err << "unable to start consul-terraform-sync\n";
    context.out << "no config file provided\nFor additional help try 'baton start --help'\n";
    return kExitRequiredFlags;
  }
  LocalFileSystem files;
  std::vector<ConfigPath> read;
  for (const std::string& path : paths) {
    std::variant<ConfigPath, std::string> one = read_config_path(files, path);
    if (auto* error = std::get_if<std::string>(&one)) {
      context.err << fmt::format("[ERROR] cli: error building configuration: error=\"{}\"\n", *error);
      return kExitConfig;
    }
    read.push_back(std::get<ConfigPath>(std::move(one)));
  }
  const config::cts::Environment environment = process_environment(context);
  config::hcl::Result<config::cts::Config> loaded = config::cts::load_config(read, environment);
  if (!loaded.ok()) {
    context.err << fmt::format("[ERROR] cli: error building configuration: error=\"{}\"\n", config::hcl::to_string(loaded.error()));
    return kExitConfig;
  }
  DaemonOptions options{.config = std::move(loaded.value()),
                        .working_directory = environment.working_directory,
                        .reset_storage = flags.get_bool("reset-storage"),
                        .log_level = LogLevel::info,
                        .mode = StartMode::daemon,
                        .inspect_tasks = flags.get_string_list("inspect-task")};
  options.log_level = log_level_of(options.config);
  // command/start.go: -inspect-task implies -inspect, and inspect wins over -once.
  if (flags.get_bool("inspect") || !options.inspect_tasks.empty()) {
    options.mode = StartMode::inspect;
  } else if (flags.get_bool("once")) {
    options.mode = StartMode::once;
  }
  return run_daemon(std::move(options), context.err);
}

}  // namespace baton::cli
