#pragma once
// A task's buffer period, to the nanosecond as hcat's timers do it (hcat buffer_period.go):
// the first change arms the trigger `min` later and sets a deadline `max` after it; each later
// change moves the trigger to `min` after itself, but never past the deadline. CTS's defaults:
// enabled, min 5s, max 20s (config: buffer_period).
#include <optional>

#include "engine/ports/time.hpp"

namespace baton::tasks {

struct BufferPeriod {
  bool enabled = true;
  Duration min = std::chrono::seconds(5);
  Duration max = std::chrono::seconds(20);
};

class BufferTimer {
 public:
  explicit BufferTimer(BufferPeriod period) : period_(period) {}

  // A change seen at `now`.
  void on_change(MonoTime now);
  // When the task should run; nullopt while no change waits.
  std::optional<MonoTime> fire_at() const { return fire_at_; }
  // The task ran (or is about to): the next change starts a new period.
  void fired() {
    fire_at_.reset();
    deadline_.reset();
  }

 private:
  BufferPeriod period_;
  std::optional<MonoTime> fire_at_;
  std::optional<MonoTime> deadline_;
};

}  // namespace baton::tasks
