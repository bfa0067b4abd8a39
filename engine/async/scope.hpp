#pragma once
// Scope: structured spawning. Every task a process runs concurrently belongs to a Scope, and
// every Scope belongs to something that outlives its tasks (a node, a leader term, a watcher).
//
//   spawn(task)     starts `task` on the runtime's next turn (never inline).
//   start_now(task) starts `task` at once, on the caller's stack, until it first suspends.
//   request_stop()  asks every task to finish: the stop token handed to them fires.
//   join()          waits until no task is left.
//   ~Scope()        destroys the tasks still running without resuming them: a process death
//                   or a forced teardown. Graceful owners stop and join first.
//
// A child Scope made with a parent's token stops when the parent does.
#include <cstddef>
#include <list>
#include <optional>
#include <stop_token>

#include "engine/async/event.hpp"
#include "engine/async/task.hpp"

namespace baton {

class Scope {
 public:
  explicit Scope(Runtime& runtime, std::stop_token parent_stop = {});
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  ~Scope();

  void spawn(Task<void> task);
  // For code already running as this scope's process that hands it work which must not wait a
  // turn: the simulator's delivery of a request (sim/network/rpc.hpp), where the turn would be
  // a wake-up of its own for every message. The task may end before this returns.
  void start_now(Task<void> task);
  void request_stop() { stop_.request_stop(); }
  bool stop_requested() const { return stop_.stop_requested(); }
  std::stop_token token() const { return stop_.get_token(); }

  // Waits until every spawned task has ended. ::cancelled if `stop` fires first.
  Event::Awaiter join(std::stop_token stop = {}) { return idle_.wait(std::move(stop)); }

  std::size_t size() const { return children_.size(); }
  Runtime& runtime() const { return runtime_; }

 private:
  struct Child {
    Scope* owner;
    Task<void> task;
    WakeupId start;
    std::list<Child>::iterator self;
  };
  // Takes `task` in as a child not yet started; nullptr (the task dropped) when dying.
  Child* adopt(Task<void> task);
  static void on_child_done(void* child);

  struct ForwardStop {
    std::stop_source* target;
    void operator()() const noexcept { target->request_stop(); }
  };

  Runtime& runtime_;
  std::stop_source stop_;
  std::optional<std::stop_callback<ForwardStop>> parent_link_;
  std::list<Child> children_;
  Event idle_;
};

}  // namespace baton
