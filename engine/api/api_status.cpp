// ApiHandler, the status endpoints (api/overall_status.go, api/task_status.go).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "engine/api/api_call.hpp"
#include "engine/api/api_handler.hpp"
#include "engine/api/go_json.hpp"
#include "engine/time/rfc3339.hpp"

namespace baton::api {
namespace {

using config::cts::TaskConfig;
using tasks::TaskEvents;
using tasks::TaskStatus;

std::vector<std::string> providers_of(const TaskConfig& task) { return task.providers ? *task.providers : std::vector<std::string>{}; }
std::vector<std::string> services_of(const TaskConfig& task) { return task.services ? *task.services : std::vector<std::string>{}; }

// An event as CTS's state/event.Event marshals it. CTS records the task's providers, services
// and module at the run; baton's stored events do not keep them, so the task's current
// definition stands in (the same unless the task was replaced since).
nlohmann::ordered_json event_json(const tasks::TaskEvent& event, const TaskConfig& task) {
  nlohmann::ordered_json item;
  item["id"] = event.id;
  item["success"] = event.success;
  item["start_time"] = format_rfc3339(event.start_time);
  item["end_time"] = format_rfc3339(event.end_time);
  item["task_name"] = event.task_name;
  item["error"] = event.success ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json{{"message", event.error}};
  nlohmann::ordered_json config;
  config["providers"] = providers_of(task);
  config["services"] = services_of(task);
  config["source"] = task.module ? *task.module : std::string();
  item["config"] = std::move(config);
  return item;
}

// api/task_status.go TaskStatus; `events` null means "without ?include=events".
nlohmann::ordered_json task_status_json(const TaskConfig& task, const TaskEvents* events, bool include_events) {
  const std::string name = task.name ? *task.name : std::string();
  const bool has_events = events != nullptr && !events->events().empty();
  nlohmann::ordered_json item;
  item["task_name"] = name;
  item["status"] = has_events ? to_string(events->status()) : "unknown";
  item["enabled"] = !task.enabled || *task.enabled;
  item["events_url"] = has_events ? fmt::format("/v1/status/tasks/{}?include=events", name) : std::string();
  if (include_events && has_events) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const tasks::TaskEvent& event : events->events()) list.push_back(event_json(event, task));
    item["events"] = std::move(list);
  }
  item["providers"] = providers_of(task);
  item["services"] = services_of(task);
  return item;
}

// ?status=: one of the four, any case, or CTS's error text.
struct StatusFilter {
  std::string wanted;  // empty: no filter
  std::string error;
};

StatusFilter status_filter(const http::Target& target) {
  const auto values = query_values(target, "status");
  if (!values) return {};
  if (values->size() != 1) {
    return {"", fmt::format("cannot support more than one status query parameter, got status values: [{}]", fmt::join(*values, " "))};
  }
  std::string value = (*values)[0];
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (value == "successful" || value == "errored" || value == "critical" || value == "unknown") return {value, ""};
  return {"", fmt::format("unsupported status parameter value. only supporting status values successful, errored, critical, and "
                          "unknown but got {}",
                          value)};
}

}  // namespace

Task<http::Response> ApiHandler::overall_status(const Call& call) {
  (void)call;
  int successful = 0, errored = 0, critical = 0, unknown = 0, enabled = 0, disabled = 0;
  for (const auto& [name, task] : backend_.tasks()) {
    auto events = backend_.events().find(name);
    const TaskStatus status = events == backend_.events().end() ? TaskStatus::unknown : events->second.status();
    successful += status == TaskStatus::successful;
    errored += status == TaskStatus::errored;
    critical += status == TaskStatus::critical;
    unknown += status == TaskStatus::unknown;
    (!task.enabled || *task.enabled ? enabled : disabled) += 1;
  }
  nlohmann::ordered_json summary;
  summary["status"] = {{"successful", successful}, {"errored", errored}, {"critical", critical}, {"unknown", unknown}};
  summary["enabled"] = {{"true", enabled}, {"false", disabled}};
  nlohmann::ordered_json body;
  body["task_summary"] = std::move(summary);
  co_return json_response(200, body);
}

Task<http::Response> ApiHandler::task_status(const Call& call, std::string name) {
  const StatusFilter filter = status_filter(call.target);
  if (!filter.error.empty()) co_return legacy_error_response(400, filter.error);
  const std::string& wanted = filter.wanted;
  bool include = false;
  if (const auto values = query_values(call.target, "include")) {
    if (values->size() != 1) {
      co_return legacy_error_response(
          400, fmt::format("cannot support more than one include parameter, got include values: [{}]", fmt::join(*values, " ")));
    }
    if ((*values)[0] != "events") {
      co_return legacy_error_response(
          400, fmt::format("unsupported ?include parameter value. only supporting 'include=events' but got 'include={}'", (*values)[0]));
    }
    include = true;
  }
  const auto& definitions = backend_.tasks();
  if (!name.empty() && !definitions.contains(name)) {
    co_return legacy_error_response(404, fmt::format("a task with name '{}' does not exist or has not been initialized yet", name));
  }
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  for (const auto& [task_name, task] : definitions) {
    if (!name.empty() && task_name != name) continue;
    auto events = backend_.events().find(task_name);
    const TaskEvents* found = events == backend_.events().end() ? nullptr : &events->second;
    nlohmann::ordered_json status = task_status_json(task, found, include);
    // As CTS: ?status= filters every task with events; a named task without any is answered
    // (unknown) whatever the filter says.
    const bool has_events = found != nullptr && !found->events().empty();
    if (!wanted.empty() && status["status"] != wanted && (name.empty() || has_events)) continue;
    body[task_name] = std::move(status);
  }
  co_return json_response(200, body);
}

}  // namespace baton::api
