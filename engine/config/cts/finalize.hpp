#pragma once
// Config.Finalize (CTS v0.9.0 config/*.go Finalize methods): every unset field gets its
// default, some from the environment; deprecated fields are carried over to their
// replacements (source -> module, source_input -> module_input, source_includes_var ->
// use_as_module_input); a schedule condition turns the task's buffer period off. Also the
// defaults of baton's high_availability block.
//
// Not done here, unlike CTS: reading files. CTS fills a task's `variables` from its
// variable_files and the Vault token from ~/.vault-token or vault_agent_token_file; the caller
// that owns the file system does that.
#include "engine/config/cts/config.hpp"
#include "engine/config/cts/environment.hpp"

namespace baton::config::cts {

void finalize(Config& config, const Environment& environment);

// TaskConfig.InheritParentConfig: a finalized task's working_dir (<working_dir>/<name>) and
// buffer period (the global one) when it has none of its own. CTS applies it when it creates
// the task's driver.
TaskConfig inherit_parent_config(const TaskConfig& task, const std::string& parent_working_dir,
                                 const BufferPeriodConfig& parent_buffer_period);

}  // namespace baton::config::cts
