#pragma once
// The API's Task object (CTS v0.9.0 api/oapigen/types.go `Task`, api/openapi.yaml) and its
// conversions to and from config::cts::TaskConfig, as CTS's api/representation.go does them:
// oapigenTaskFromConfigTask (what GET /v1/tasks[/:name] and POST /v1/tasks answer, and what
// `task create` sends), TaskRequest.ToTaskConfig (what POST /v1/tasks makes of a request), and
// what `task create -task-file` does with its file (command/task_create.go).
//
// JSON values are nlohmann::json; write them with go_json.hpp to get Go's bytes.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/config/cts/load.hpp"
#include "engine/config/cts/task_config.hpp"

namespace baton::api::model {

using config::cts::TaskConfig;

// oapigenTaskFromConfigTask. Keys absent when CTS omits them (omitempty on nil pointers);
// `name`, `module` and `condition` always present; durations as Go prints them ("5s",
// "1m0s"); the deprecated `services` shown as condition.services (no condition) or
// module_input.services, as CTS shows it. Works on finalized tasks (GET) and on tasks read from
// a file and not finalized (`task create`).
//
// Deliberate differences, for tasks that are not finalized only (finalize fills these in):
// - module_input "services" without cts_user_defined_meta, and catalog_services without
//   node_meta: `{}` here, where CTS writes `null` (a pointer to a nil map), which its own
//   request validator then refuses ("Value is not nullable") -- `task create` of such a file
//   fails in CTS v0.9.0 and works here.
// - catalog-services without regexp, consul-kv (condition or module_input) without path:
//   `""` here, where CTS dereferences a nil pointer and panics.
nlohmann::json task_to_json(const TaskConfig& task);

// {"task": task_to_json(task)}: the body `task create` sends (TaskRequestFromTaskConfig).
nlohmann::json task_request_to_json(const TaskConfig& task);

// Why a request body was refused, as CTS's server words it in its 400 answer's
// error.message. Schema violations are found by CTS's OpenAPI request validator
// (kin-openapi v0.131.0, first error, first line) before CTS's handler runs:
//   request body has an error: doesn't match schema #/components/schemas/TaskRequest:
//   Error at "/task/condition/services/names/0": value must be a string
//   (... property "foo" is unsupported / property "name" is missing / Value is not nullable)
// An empty body: `request body has an error: value is required but missing`. Malformed JSON:
// `request body has an error: failed to decode request body: <why>`. A body the schema accepts
// but ToTaskConfig refuses (a bad duration): `error with task configuration: time: invalid
// duration "5"`. The whole message goes into the answer as is.
struct TaskDecodeError {
  std::string message;
  friend bool operator==(const TaskDecodeError&, const TaskDecodeError&) = default;
};

// A POST /v1/tasks body (`{"task": {...}}`) into a TaskConfig, not finalized nor validated:
// the caller does both with engine/config/cts. The validator's defaults are applied first, as
// CTS's are (they rewrite the request): enabled true; use_as_module_input true in the
// services, catalog_services and consul_kv conditions; recurse false in consul_kv condition
// and module input. Then TaskRequest.ToTaskConfig.
//
// Deliberate differences: malformed JSON is described by nlohmann's parser position rather
// than encoding/json's texts ("failed to decode request body: syntax error at byte 12");
// trailing text after the JSON object is refused here (Go's decoder stops after the first
// value and ignores the rest).
std::variant<TaskConfig, TaskDecodeError> decode_task_request(std::string_view body);

// The Task object alone (the value of "task"), validated against the Task schema with
// JSON pointers starting at /task, then converted: decode_task_request without the wrapper.
std::variant<TaskConfig, TaskDecodeError> decode_task_object(const nlohmann::json& task);

// --- `task create -task-file <path>` (command/task_create.go) -------------------------------

// What went wrong reading the task file, with CTS's lines: `headline` follows
// "==> Error: unable to create request" (e.g. "unable to read task file", then `detail`, the
// config error, word-wrapped by the caller), or is the whole message ("task file 'x' cannot
// contain more than 1 task, contains 2 tasks").
struct TaskFileError {
  std::string headline;
  std::string detail;  // may be empty
};

// config.BuildConfig on the file's contents (read by the caller: a file, or a directory's
// files, see load.hpp), then "exactly one task". `path` is the -task-file argument, for the
// messages. The task is not finalized (CTS keeps nil values: "they provide valuable
// information to the API").
std::variant<TaskConfig, TaskFileError> task_from_task_file(const std::string& path,
                                                            const config::cts::ConfigPath& contents);

// One variable_files file, read by the caller.
struct VariableFile {
  std::string name;  // the path as written in the task
  std::string text;
};
// TaskConfig.SetVariables: `variables` becomes an (empty) map, then each file's variables are
// added, each value as ctyjson writes it (`"\"text\""`, `3`, `["a","b"]`). The error is the
// parse error's text (`vars.tfvars:3:1: ...`), for "task '<file>' is invalid".
std::variant<std::monostate, std::string> set_task_variables(TaskConfig& task, const std::vector<VariableFile>& files);

// handleDeprecations: what `task create` prints for the deprecated source, source_input,
// source_includes_var and services, one group per "==> Error: unable to create request" line,
// each group's messages printed after it as UI output. Empty when the task uses none of them.
std::vector<std::vector<std::string>> task_deprecation_messages(const TaskConfig& task);

}  // namespace baton::api::model
