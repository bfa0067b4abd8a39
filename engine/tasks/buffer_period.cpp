#include "engine/tasks/buffer_period.hpp"

namespace baton::tasks {

void BufferTimer::on_change(MonoTime now) {
  if (!period_.enabled) {
    fire_at_ = now;
    return;
  }
  if (!fire_at_) {  // hcat's inactiveTick
    fire_at_ = now + period_.min;
    deadline_ = now + period_.max;
    return;
  }
  // activeTick: snooze for min, or only up to the deadline.
  if (now + period_.min < *deadline_) {
    fire_at_ = now + period_.min;
  } else if (*deadline_ - now > Duration::zero()) {
    fire_at_ = *deadline_;
  }
}

}  // namespace baton::tasks
