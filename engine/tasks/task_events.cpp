#include "engine/tasks/task_events.hpp"

#include <algorithm>

namespace baton::tasks {

const char* to_string(TaskStatus status) {
  switch (status) {
    case TaskStatus::successful: return "successful";
    case TaskStatus::errored: return "errored";
    case TaskStatus::critical: return "critical";
    case TaskStatus::unknown: return "unknown";
  }
  return "unknown";
}

void TaskEvents::add(TaskEvent event) {
  events_.push_front(std::move(event));
  while (events_.size() > kKept) events_.pop_back();
}

TaskStatus TaskEvents::status() const {
  if (events_.empty()) return TaskStatus::unknown;
  if (events_.front().success) return TaskStatus::successful;
  const auto failures = std::count_if(events_.begin(), events_.end(), [](const TaskEvent& e) { return !e.success; });
  return failures > 1 ? TaskStatus::critical : TaskStatus::errored;
}

}  // namespace baton::tasks
