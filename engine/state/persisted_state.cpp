#include "engine/state/persisted_state.hpp"

#include <nlohmann/json.hpp>

#include <utility>

#include "engine/state/read_memo.hpp"
#include "engine/state/task_definition.hpp"
#include "engine/time/rfc3339.hpp"

namespace baton::state {

std::string events_json(const tasks::TaskEvents& events) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const tasks::TaskEvent& event : events.events()) {
    nlohmann::ordered_json item;
    item["id"] = event.id;
    item["success"] = event.success;
    item["start_time"] = format_rfc3339(event.start_time);
    item["end_time"] = format_rfc3339(event.end_time);
    item["task"] = {{"name", event.task_name}};
    if (!event.success) item["error"] = {{"message", event.error}};
    list.push_back(std::move(item));
  }
  return list.dump();
}

namespace {

std::variant<tasks::TaskEvent, std::string> parse_event(const nlohmann::json& item) {
  if (!item.is_object()) return std::string("an event is not an object");
  const auto text = [&item](const char* field) -> std::optional<std::string> {
    const auto found = item.find(field);
    if (found == item.end() || !found->is_string()) return std::nullopt;
    return found->get<std::string>();
  };
  tasks::TaskEvent event;
  const auto id = text("id");
  const auto start = text("start_time");
  const auto end = text("end_time");
  const auto success = item.find("success");
  if (!id || !start || !end || success == item.end() || !success->is_boolean()) {
    return std::string("an event lacks id, success, start_time or end_time");
  }
  const auto start_time = parse_rfc3339(*start);
  const auto end_time = parse_rfc3339(*end);
  if (!start_time || !end_time) return std::string("an event's time is not RFC 3339");
  event.id = *id;
  event.success = success->get<bool>();
  event.start_time = *start_time;
  event.end_time = *end_time;
  if (const auto task = item.find("task"); task != item.end() && task->is_object() && task->contains("name") &&
                                           (*task)["name"].is_string()) {
    event.task_name = (*task)["name"].get<std::string>();
  }
  if (const auto error = item.find("error"); error != item.end() && error->is_object() && error->contains("message") &&
                                             (*error)["message"].is_string()) {
    event.error = (*error)["message"].get<std::string>();
  }
  return event;
}

std::variant<tasks::TaskEvents, std::string> read_events_json(const std::string& task, const std::string& json) {
  const nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return "events/" + task + ": not a JSON array";
  std::vector<tasks::TaskEvent> newest_first;
  for (const nlohmann::json& item : parsed) {
    auto event = parse_event(item);
    if (auto* error = std::get_if<std::string>(&event)) return "events/" + task + ": " + *error;
    newest_first.push_back(std::get<tasks::TaskEvent>(std::move(event)));
  }
  tasks::TaskEvents events;
  for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) events.add(std::move(*it));
  return events;
}

}  // namespace

std::variant<tasks::TaskEvents, std::string> parse_events_json(const std::string& task, const std::string& json) {
  thread_local ReadMemo<std::variant<tasks::TaskEvents, std::string>> memo;
  return memo.get(memo_input({task, json}), [&] { return read_events_json(task, json); });
}

PersistedState::PersistedState(consul::ConsulClient& consul, Logger logger, std::string parent_path)
    : consul_(consul), logger_(logger.named("state")), parent_path_(std::move(parent_path)) {}

Task<consul::ConsulResult<StoredState>> PersistedState::load(std::stop_token stop) {
  const std::string prefix = parent_path_ + "/";
  auto listed = co_await consul_.kv_list(prefix, {}, std::move(stop));
  if (!listed.ok()) co_return listed.error();
  StoredState stored;
  const std::string events_prefix = prefix + "events/";
  const std::string tasks_prefix = prefix + "tasks/";
  for (const consul::KvPair& pair : listed.value().value) {
    if (pair.key == meta_key()) {
      stored.initialized = true;
    } else if (pair.key.rfind(events_prefix, 0) == 0) {
      const std::string task = pair.key.substr(events_prefix.size());
      auto events = parse_events_json(task, pair.value);
      if (auto* error = std::get_if<std::string>(&events)) {
        logger_.error("skipping stored events that cannot be read", "error", *error);
        continue;
      }
      stored.events[task] = std::get<tasks::TaskEvents>(std::move(events));
    } else if (pair.key.rfind(tasks_prefix, 0) == 0) {
      auto task = parse_task_definition(pair.key, pair.value);
      if (!task.ok()) {
        logger_.error("skipping a stored task definition that cannot be read", "error", config::hcl::to_string(task.error()));
        continue;
      }
      stored.tasks[pair.key.substr(tasks_prefix.size())] = std::move(task.value());
    }
  }
  co_return stored;
}

Task<consul::ConsulResult<bool>> PersistedState::fenced_txn(std::vector<consul::TxnOp> ops, std::string session,
                                                            std::stop_token stop) {
  ops.insert(ops.begin(), consul::TxnOp::check_session(lock_key(), std::move(session)));
  auto outcome = co_await consul_.txn(std::move(ops), std::move(stop));
  if (!outcome.ok()) co_return outcome.error();
  co_return std::holds_alternative<consul::TxnCommitted>(outcome.value());
}

Task<consul::ConsulResult<bool>> PersistedState::save_events(std::string task, const tasks::TaskEvents& events,
                                                             std::string session, std::stop_token stop) {
  std::vector<consul::TxnOp> ops{consul::TxnOp::set(events_key(task), events_json(events))};
  co_return co_await fenced_txn(std::move(ops), std::move(session), std::move(stop));
}

Task<consul::ConsulResult<bool>> PersistedState::replace_tasks(std::vector<config::cts::TaskConfig> tasks, std::string session,
                                                               std::stop_token stop) {
  // meta first out, last in: a cluster is never marked as holding a partial set.
  std::vector<consul::TxnOp> batch{consul::TxnOp::delete_key(meta_key()), consul::TxnOp::delete_tree(parent_path_ + "/tasks/"),
                                   consul::TxnOp::delete_tree(parent_path_ + "/events/")};
  for (const config::cts::TaskConfig& task : tasks) {
    if (batch.size() + 1 >= kTxnOpsMax) {  // +1: the check-session fenced_txn adds
      auto written = co_await fenced_txn(std::move(batch), session, stop);
      if (!written.ok() || !written.value()) co_return written;
      batch.clear();
    }
    batch.push_back(consul::TxnOp::set(task_key(task.name.value_or_zero()), task_definition_text(task)));
  }
  if (batch.size() + 1 >= kTxnOpsMax) {
    auto written = co_await fenced_txn(std::move(batch), session, stop);
    if (!written.ok() || !written.value()) co_return written;
    batch.clear();
  }
  batch.push_back(consul::TxnOp::set(meta_key(), "{\"schema_version\":1}"));
  co_return co_await fenced_txn(std::move(batch), std::move(session), std::move(stop));
}

Task<consul::ConsulResult<bool>> PersistedState::save_task(config::cts::TaskConfig task, std::string session, std::stop_token stop) {
  std::vector<consul::TxnOp> ops{consul::TxnOp::set(task_key(task.name.value_or_zero()), task_definition_text(task))};
  co_return co_await fenced_txn(std::move(ops), std::move(session), std::move(stop));
}

Task<consul::ConsulResult<bool>> PersistedState::delete_task(std::string task, std::string session, std::stop_token stop) {
  std::vector<consul::TxnOp> ops{consul::TxnOp::delete_key(task_key(task)), consul::TxnOp::delete_key(events_key(task))};
  co_return co_await fenced_txn(std::move(ops), std::move(session), std::move(stop));
}

}  // namespace baton::state
