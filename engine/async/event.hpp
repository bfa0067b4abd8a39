#pragma once
// Event: a manual-reset flag that coroutines of one Runtime wait on.
//
// set() wakes every waiter (each resumes later, from the runtime's loop, in the order they
// began to wait) and lets new waits pass until reset(). Waiters resume on the Event's Runtime:
// an Event belongs to one process. (Simulated processes talk through messages, never events;
// the simulator's own components may set a node's events from outside it.)
//
// Lifetimes: an Event may die before or after its waiters' frames, in any order, as a crash
// destroys frames; neither side touches the other once it is gone.
#include <stop_token>

#include "engine/async/wait.hpp"

namespace baton {

class Event {
 public:
  explicit Event(Runtime& runtime, bool initially_set = false)
      : runtime_(runtime), set_(initially_set) {}
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event();

  bool is_set() const { return set_; }
  void set();
  void reset() { set_ = false; }

  class Awaiter;
  // WaitResult::woken once the event is set (at once if it already is), ::deadline or
  // ::cancelled otherwise.
  Awaiter wait(std::stop_token stop = {}, MonoTime deadline = kNoDeadline);

 private:
  friend class Awaiter;
  void link(Awaiter* waiter);
  void unlink(Awaiter* waiter);

  Runtime& runtime_;
  bool set_;
  Awaiter* first_ = nullptr;
  Awaiter* last_ = nullptr;
};

class Event::Awaiter {
 public:
  Awaiter(Event& event, std::stop_token stop, MonoTime deadline)
      : event_(event), wait_(event.runtime_, deadline, std::move(stop)) {}
  Awaiter(const Awaiter&) = delete;
  Awaiter& operator=(const Awaiter&) = delete;
  ~Awaiter() {
    // Destroyed while waiting (its frame torn down): the event must forget it. If the event
    // died first, it already unlinked every waiter.
    if (linked_) event_.unlink(this);
  }

  bool await_ready() noexcept { return event_.set_ || wait_.await_ready(); }
  void await_suspend(std::coroutine_handle<> waiter) {
    wait_.await_suspend(waiter);
    event_.link(this);
  }
  WaitResult await_resume() noexcept {
    if (event_.set_ && !wait_.suspended() && !linked_) return WaitResult::woken;  // ready at once
    if (linked_) event_.unlink(this);  // timed out or cancelled while still waiting
    return wait_.await_resume();
  }

 private:
  friend class Event;
  Event& event_;
  WaitAwaiter wait_;
  bool linked_ = false;
  Awaiter* previous_ = nullptr;
  Awaiter* next_ = nullptr;
};

inline Event::Awaiter Event::wait(std::stop_token stop, MonoTime deadline) {
  return Awaiter(*this, std::move(stop), deadline);
}

}  // namespace baton
