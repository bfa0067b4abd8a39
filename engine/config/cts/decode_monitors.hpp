#pragma once
// The condition and module_input blocks of a task. CTS decodes them apart from the rest
// (config/condition.go conditionToTypeFunc, module_input.go moduleInputToTypeFunc): a decode
// hook picks the type by the block's label and runs a second mapstructure decoder, with
// HookWeakDecodeFromSlice even for JSON files and its own "invalid keys" error.
#include <string>
#include <vector>

#include "engine/config/cts/mapstructure.hpp"
#include "engine/config/cts/task_config.hpp"

namespace baton::config::cts {

// `condition` of task `name` ("task[0].condition").
void decode_condition(Decoding& d, const std::string& name, const GoValue& in, Opt<Condition>& out);

// `module_input` / `source_input` (a *ModuleInputConfigs).
void decode_module_inputs(Decoding& d, const std::string& name, const GoValue& in,
                          Opt<std::vector<ModuleInputConfig>>& out);

// The fields shared by conditions and module inputs.
void read_services_monitor(StructReader& reader, ServicesMonitorConfig& monitor);
void read_consul_kv_monitor(StructReader& reader, ConsulKvMonitorConfig& monitor);

}  // namespace baton::config::cts
