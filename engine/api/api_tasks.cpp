// ApiHandler, the task endpoints: list, get, create and delete as CTS's OpenAPI handlers
// (api/task_get.go, task_create.go, task_delete.go), enable/disable as its older PATCH handler
// (api/task.go).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "engine/api/api_call.hpp"
#include "engine/api/api_handler.hpp"
#include "engine/api/go_json.hpp"
#include "engine/api/go_json_decode.hpp"
#include "engine/api/model/task_json.hpp"

namespace baton::api {
namespace {

using config::cts::TaskConfig;
using controller::TaskOpError;
using controller::TaskOpResult;

std::string not_found_text(const std::string& name) {
  return fmt::format("a task with name '{}' does not exist or has not been initialized yet", name);
}

// ?run=: none, now or inspect (any case); the error texts are CTS's parseRunOption's.
std::variant<RunOption, std::string> run_option(const http::Target& target) {
  const auto values = query_values(target, "run");
  if (!values) return RunOption::none;
  if (values->size() != 1) {
    return fmt::format("cannot support more than one run query parameter, got run values: [{}]", fmt::join(*values, " "));
  }
  std::string value = (*values)[0];
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (value == "now") return RunOption::now;
  if (value == "inspect") return RunOption::inspect;
  return fmt::format("unsupported run parameter value. only supporting run values now and inspect but got {}", value);
}

// mapstructure's WeaklyTypedInput for a bool: bools, numbers (non-zero is true), and strings
// strconv.ParseBool reads ("" is false).
std::variant<bool, std::string> weak_bool(const nlohmann::json& value, std::string_view field) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number()) return value.get<double>() != 0;
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text.empty()) return false;
    for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"}) {
      if (text == yes) return true;
    }
    for (const char* no : {"0", "f", "F", "FALSE", "false", "False"}) {
      if (text == no) return false;
    }
    return fmt::format("1 error(s) decoding:\n\n* cannot parse '{}' as bool: strconv.ParseBool: parsing \"{}\": invalid syntax", field,
                       text);
  }
  return fmt::format("1 error(s) decoding:\n\n* '{}' expected type 'bool', got unconvertible type '{}'", field,
                     value.is_array() ? "[]interface {}" : "map[string]interface {}");
}

bool equal_fold(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The PATCH body: {"enabled": bool} and nothing else (api/task.go decodeBody). nullopt
// enabled: the key was absent or null.
std::variant<std::optional<bool>, std::string> decode_update(const std::string& body) {
  std::variant<nlohmann::json, std::string> parsed = go_json_unmarshal(body);
  if (auto* error = std::get_if<std::string>(&parsed)) return *error;
  const nlohmann::json& json = std::get<nlohmann::json>(parsed);
  if (json.is_null()) return std::optional<bool>();
  if (!json.is_object()) {
    return fmt::format("json: cannot unmarshal {} into Go value of type map[string]interface {{}}", go_json_kind(json));
  }
  // mapstructure matches a key to the field exactly, else case-insensitively (CTS's own
  // client sends "Enabled": its UpdateTaskConfig has no json tag); other keys are unused.
  std::string used;
  for (const auto& [key, value] : json.items()) {
    if (key == "enabled" || (used.empty() && equal_fold(key, "enabled"))) used = key;
  }
  std::vector<std::string> unused;
  for (const auto& [key, value] : json.items()) {
    if (key != used) unused.push_back(key);
  }
  std::optional<bool> enabled;
  if (auto found = json.find(used); !used.empty() && !found->is_null()) {
    std::variant<bool, std::string> value = weak_bool(*found, "enabled");
    if (auto* error = std::get_if<std::string>(&value)) return *error;
    enabled = std::get<bool>(value);
  }
  if (!unused.empty()) {
    std::sort(unused.begin(), unused.end());
    return fmt::format("request body's JSON contains unsupported keys: {}", fmt::join(unused, ", "));
  }
  return enabled;
}

int status_of(const TaskOpResult& result) {
  switch (result.error) {
    case TaskOpError::not_found: return 404;
    case TaskOpError::exists:
    case TaskOpError::invalid: return 400;
    default: return 500;  // CTS's sendError(500) for every other create error, ?run=now's failed run too
  }
}

// oapigen's TaskResponse: request_id, run (inspect only), task.
nlohmann::ordered_json task_response(const TaskConfig& task, const std::string& request_id,
                                     const InspectOutcome* run = nullptr) {
  nlohmann::ordered_json body;
  body["request_id"] = request_id;
  if (run != nullptr) body["run"] = {{"changes_present", run->changes_present}, {"plan", run->plan}};
  body["task"] = nlohmann::ordered_json(model::task_to_json(task));
  return body;
}

}  // namespace

Task<http::Response> ApiHandler::list_tasks(const Call& call) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& [name, task] : backend_.tasks()) list.push_back(nlohmann::ordered_json(model::task_to_json(task)));
  nlohmann::ordered_json body;
  body["request_id"] = call.request_id;
  body["tasks"] = std::move(list);
  co_return json_response(200, body);
}

Task<http::Response> ApiHandler::get_task(const Call& call, std::string name) {
  auto found = backend_.tasks().find(name);
  if (found == backend_.tasks().end()) co_return error_response(404, not_found_text(name), call.request_id);
  co_return json_response(200, task_response(found->second, call.request_id));
}

Task<http::Response> ApiHandler::create_task(const Call& call) {
  const std::variant<RunOption, std::string> run = run_option(call.target);
  if (auto* error = std::get_if<std::string>(&run)) co_return error_response(400, *error, call.request_id);
  std::variant<TaskConfig, model::TaskDecodeError> decoded = model::decode_task_request(call.request.body);
  if (auto* error = std::get_if<model::TaskDecodeError>(&decoded)) co_return error_response(400, error->message, call.request_id);
  TaskConfig task = std::get<TaskConfig>(std::move(decoded));
  const std::string name = task.name ? *task.name : std::string();
  if (backend_.tasks().contains(name)) {
    co_return error_response(400, fmt::format("task with name {} already exists", name), call.request_id);
  }
  if (std::get<RunOption>(run) == RunOption::inspect) {
    const InspectOutcome outcome = co_await backend_.inspect_task(task);
    if (!outcome.error.empty()) co_return error_response(400, outcome.error, call.request_id);
    co_return json_response(200, task_response(task, call.request_id, &outcome));
  }
  const TaskOpResult created = co_await backend_.create_task(task, std::get<RunOption>(run) == RunOption::now);
  if (!created.ok()) {
    const bool invalid = created.error == TaskOpError::invalid;
    const std::string message = invalid ? fmt::format("error with task configuration: {}", created.message) : created.message;
    co_return error_response(status_of(created), message, call.request_id);
  }
  auto stored = backend_.tasks().find(name);
  co_return json_response(201, task_response(stored != backend_.tasks().end() ? stored->second : task, call.request_id));
}

Task<http::Response> ApiHandler::update_task(const Call& call, std::string name) {
  const std::variant<RunOption, std::string> run = run_option(call.target);
  if (auto* error = std::get_if<std::string>(&run)) co_return legacy_error_response(400, *error);
  const std::variant<std::optional<bool>, std::string> decoded = decode_update(call.request.body);
  if (auto* error = std::get_if<std::string>(&decoded)) co_return legacy_error_response(400, *error);
  const std::optional<bool> enabled = std::get<std::optional<bool>>(decoded);
  if (!enabled) {
    co_return legacy_error_response(
        400, "/v1/tasks/:task_name currently only supports the 'enabled' field. Missing 'enabled' from the request body");
  }
  auto found = backend_.tasks().find(name);
  if (found == backend_.tasks().end()) co_return error_response(404, not_found_text(name), call.request_id);
  if (std::get<RunOption>(run) == RunOption::inspect) {
    TaskConfig planned = found->second;
    planned.enabled = *enabled;
    const InspectOutcome outcome = co_await backend_.inspect_task(planned);
    if (!outcome.error.empty()) co_return error_response(500, outcome.error, call.request_id);
    nlohmann::ordered_json body;
    body["inspect"] = {{"changes_present", outcome.changes_present}, {"plan", outcome.plan}};
    co_return json_response(200, body);
  }
  logger_.info(*enabled ? "enabling task" : "disabling task", "task_name", name);
  const TaskOpResult updated = co_await backend_.set_task_enabled(name, *enabled);
  if (!updated.ok()) co_return error_response(500, updated.message, call.request_id);
  co_return json_response(200, nlohmann::ordered_json::object());
}

Task<http::Response> ApiHandler::delete_task(const Call& call, std::string name) {
  if (!backend_.tasks().contains(name)) co_return error_response(404, not_found_text(name), call.request_id);
  const TaskOpResult deleted = co_await backend_.delete_task(name);
  if (!deleted.ok()) co_return error_response(status_of(deleted), deleted.message, call.request_id);
  nlohmann::ordered_json body;
  body["request_id"] = call.request_id;
  co_return json_response(202, body);
}

}  // namespace baton::api
