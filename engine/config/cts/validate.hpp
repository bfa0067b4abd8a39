#pragma once
// Config.Validate (CTS v0.9.0 config/*.go Validate methods), with CTS's messages word for
// word, each placed at the file:line:column of the value it is about (or of its block).
// Meant for a finalized configuration, as CTS runs it; it also runs, after CTS's own checks,
// the checks of baton's high_availability block and, for each task, what CTS checks when it
// creates the task's driver (InheritParentConfig, ValidateForDriver), so that every error a
// configuration can cause at start is reported here.
//
// Not checked here: that TLS certificate and key files load (CTS's tls.LoadX509KeyPair):
// that reads files, which the caller does.
#include <optional>

#include "engine/config/cts/config.hpp"
#include "engine/config/hcl/error.hpp"

namespace baton::config::cts {

std::optional<hcl::Error> validate(const Config& config);

// TaskConfig.Validate, for one task (also what the API checks of a created task).
std::optional<hcl::Error> validate_task(const TaskConfig& task);

// BufferPeriodConfig.Validate.
std::optional<hcl::Error> validate_buffer_period(const Opt<BufferPeriodConfig>& buffer_period);

}  // namespace baton::config::cts
