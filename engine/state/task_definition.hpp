#pragma once
// How a task definition is kept in Consul KV (<parent_path>/tasks/<name>): the task block in
// HCL, exactly as a configuration file would hold it, printed from the finalized TaskConfig
// (config/cts/printer.hpp) and read back with the configuration's own decoder and validation.
// An operator reading the key with `consul kv get` sees a task block they could paste into a
// configuration file; no second schema exists to drift from the first.
//
// What is stored is the definition, not what it was built against: providers, the backend and
// the services blocks come from the configuration of whichever instance leads, and
// variable_files are read from its disk, as the module directory is (the compatibility check).
#include <string>

#include "engine/config/cts/task_config.hpp"
#include "engine/config/hcl/error.hpp"

namespace baton::state {

// The stored text of a finalized task.
std::string task_definition_text(const config::cts::TaskConfig& task);

// A stored text back into the task; errors name `key` (the KV key it was read from) with the
// line and column, and say what is wrong: a definition written by something else, or corrupted.
// Pure, so remembered per thread by its input (read_memo.hpp).
config::hcl::Result<config::cts::TaskConfig> parse_task_definition(const std::string& key, const std::string& text);

}  // namespace baton::state
