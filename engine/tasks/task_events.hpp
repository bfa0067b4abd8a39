#pragma once
// A task's run history as CTS keeps it (state/event): one event per run that reached Terraform
// (or failed before it), the last five kept, newest first; the task's status derives from them.
#include <cstdint>
#include <deque>
#include <string>

#include "engine/ports/time.hpp"

namespace baton::tasks {

struct TaskEvent {
  std::string id;  // a UUID
  std::string task_name;
  bool success = false;
  WallTime start_time{};
  WallTime end_time{};
  std::string error;  // empty on success
};

// CTS's task status from the stored events (api/task_status.go successToStatus): successful
// when the newest succeeded; critical when it failed and so did at least one other stored
// event; errored when it is the only stored failure; unknown with no event.
enum class TaskStatus { successful, errored, critical, unknown };
const char* to_string(TaskStatus status);

class TaskEvents {
 public:
  static constexpr std::size_t kKept = 5;

  void add(TaskEvent event);
  // Newest first.
  const std::deque<TaskEvent>& events() const { return events_; }
  TaskStatus status() const;

 private:
  std::deque<TaskEvent> events_;
};

}  // namespace baton::tasks
