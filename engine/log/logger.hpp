#pragma once
// Logger: CTS-shaped log lines, stamped by the Runtime's wall clock.
//
//   2022-08-23T09:25:09.501-0700 [INFO] ha: acquired leadership lock: id=cts-01
//
// As in CTS (hclog), a logger has a module name ("ha", "ha.compat") and a message takes
// key=value pairs, quoted when they hold spaces. The timestamp is never read from the system:
// it is Runtime::wall_now(), so the simulator's lines carry virtual time. Where lines go
// (stderr, a file, the simulator's trace) is the spdlog logger's sinks, set up by the binding.
#include <fmt/format.h>
#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <string_view>

#include "engine/ports/runtime.hpp"

namespace baton {

enum class LogLevel { trace, debug, info, warn, error };

// A value that keeps its lines, as hclog writes a value holding a newline (go-hclog v1.6.3
// intlogger.go): on lines of its own after the message, each prefixed "  | ". CTS's inspect
// mode prints a plan so (controller/inspect.go "inspection results"):
//
//   2022-08-23T09:25:09.501-0700 [INFO] ctrl: inspection results: task_name=web
//     plan=
//     | Terraform will perform the following actions:
//
// Other values escape their newlines ("\n") and stay on one line.
struct LogLines {
  std::string text;
};

spdlog::level::level_enum to_spdlog_level(LogLevel level);

class Logger {
 public:
  Logger(std::shared_ptr<spdlog::logger> output, const Runtime& clock, std::string module = {})
      : output_(std::move(output)), clock_(&clock), module_(std::move(module)) {}

  // A logger for a sub-module: named("ha") then named("compat") gives "ha.compat".
  Logger named(std::string_view module) const;

  template <class... KeyValues>
  void trace(std::string_view message, const KeyValues&... pairs) const {
    log(LogLevel::trace, message, pairs...);
  }
  template <class... KeyValues>
  void debug(std::string_view message, const KeyValues&... pairs) const {
    log(LogLevel::debug, message, pairs...);
  }
  template <class... KeyValues>
  void info(std::string_view message, const KeyValues&... pairs) const {
    log(LogLevel::info, message, pairs...);
  }
  template <class... KeyValues>
  void warn(std::string_view message, const KeyValues&... pairs) const {
    log(LogLevel::warn, message, pairs...);
  }
  template <class... KeyValues>
  void error(std::string_view message, const KeyValues&... pairs) const {
    log(LogLevel::error, message, pairs...);
  }

  template <class... KeyValues>
  void log(LogLevel level, std::string_view message, const KeyValues&... pairs) const {
    static_assert(sizeof...(KeyValues) % 2 == 0, "log arguments come as key, value pairs");
    if (!enabled(level)) return;
    std::string line = head(message, sizeof...(KeyValues) > 0);
    append_pairs(line, pairs...);
    write(level, line);
  }

  bool enabled(LogLevel level) const;
  const std::string& module() const { return module_; }

 private:
  std::string head(std::string_view message, bool has_pairs) const;
  void write(LogLevel level, const std::string& line) const;
  static void append_value(std::string& line, std::string_view value);

  static void append_lines(std::string& line, const std::string& key, std::string_view text);

  static void append_pairs(std::string&) {}
  template <class Key, class... Rest>
  static void append_pairs(std::string& line, const Key& key, const LogLines& value, const Rest&... rest) {
    append_lines(line, fmt::format("{}", key), value.text);
    append_pairs(line, rest...);
  }
  template <class Key, class Value, class... Rest>
  static void append_pairs(std::string& line, const Key& key, const Value& value, const Rest&... rest) {
    if (line.back() != ' ') line += ' ';
    line += fmt::format("{}=", key);
    append_value(line, fmt::format("{}", value));
    append_pairs(line, rest...);
  }

  std::shared_ptr<spdlog::logger> output_;
  const Runtime* clock_;
  std::string module_;
};

}  // namespace baton
