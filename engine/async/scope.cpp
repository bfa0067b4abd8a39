#include "engine/async/scope.hpp"

#include <cassert>

namespace baton {

Scope::Scope(Runtime& runtime, std::stop_token parent_stop)
    : runtime_(runtime), idle_(runtime, /*initially_set=*/true) {
  if (parent_stop.stop_possible()) parent_link_.emplace(std::move(parent_stop), ForwardStop{&stop_});
}

Scope::~Scope() {
  parent_link_.reset();
  // Youngest first, as a stack unwinds: a task started later more often depends on one
  // started earlier than the other way round.
  while (!children_.empty()) {
    Child& child = children_.back();
    runtime_.disarm(child.start);
    children_.pop_back();
  }
}

void Scope::spawn(Task<void> task) {
  Child* child = adopt(std::move(task));
  if (child != nullptr) child->start = runtime_.arm(child->task.handle(), runtime_.now());
}

void Scope::start_now(Task<void> task) {
  Child* child = adopt(std::move(task));
  // Nothing may touch `child` after this: a task that ends has already been erased.
  if (child != nullptr) child->task.handle().resume();
}

Scope::Child* Scope::adopt(Task<void> task) {
  assert(task.valid());
  if (runtime_.dying()) return nullptr;  // a process being torn down starts nothing
  children_.push_back(Child{this, std::move(task), 0, {}});
  Child& child = children_.back();
  child.self = std::prev(children_.end());
  child.task.handle().promise().set_root_completion({&Scope::on_child_done, &child});
  idle_.reset();
  return &child;
}

void Scope::on_child_done(void* context) {
  auto* child = static_cast<Child*>(context);
  Scope& scope = *child->owner;
  std::exception_ptr bug = child->task.handle().promise().exception();
  scope.children_.erase(child->self);  // destroys the finished frame
  if (scope.children_.empty()) scope.idle_.set();
  if (bug) scope.runtime_.fail(bug);
}

}  // namespace baton
