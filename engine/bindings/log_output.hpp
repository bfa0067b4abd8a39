#pragma once
// Production log output: CTS-shaped lines on stderr, in the machine's local time zone.
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "engine/log/logger.hpp"

namespace baton {

std::shared_ptr<spdlog::logger> make_stderr_log_output(const std::string& process_name, LogLevel level);

}  // namespace baton
