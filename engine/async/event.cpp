#include "engine/async/event.hpp"

namespace baton {

Event::~Event() {
  // Waiters still linked are alive (each unlinks itself when its frame goes first); they must
  // not unlink from this event later. In a crash, frames die in either order: this keeps both
  // orders safe.
  for (Awaiter* waiter = first_; waiter != nullptr; waiter = waiter->next_) waiter->linked_ = false;
}

void Event::set() {
  set_ = true;
  while (first_ != nullptr) {
    Awaiter* waiter = first_;
    unlink(waiter);
    waiter->wait_.wake(WaitResult::woken);
  }
}

void Event::link(Awaiter* waiter) {
  waiter->linked_ = true;
  waiter->previous_ = last_;
  waiter->next_ = nullptr;
  (last_ ? last_->next_ : first_) = waiter;
  last_ = waiter;
}

void Event::unlink(Awaiter* waiter) {
  (waiter->previous_ ? waiter->previous_->next_ : first_) = waiter->next_;
  (waiter->next_ ? waiter->next_->previous_ : last_) = waiter->previous_;
  waiter->linked_ = false;
  waiter->previous_ = waiter->next_ = nullptr;
}

}  // namespace baton
