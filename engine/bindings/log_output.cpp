// Production binding: reads the system's time zone (allowed here, see tests/lint).
#include "engine/bindings/log_output.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <ctime>

#include "engine/log/cts_formatter.hpp"

namespace baton {
namespace {

int local_utc_offset_minutes() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return int(local.tm_gmtoff / 60);
}

}  // namespace

std::shared_ptr<spdlog::logger> make_stderr_log_output(const std::string& process_name, LogLevel level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(std::make_unique<CtsFormatter>(CtsFormatOptions{.utc_offset_minutes = local_utc_offset_minutes()}));
  auto output = std::make_shared<spdlog::logger>(process_name, std::move(sink));
  output->set_level(to_spdlog_level(level));
  return output;
}

}  // namespace baton
