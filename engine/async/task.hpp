#pragma once
// Task<T>: the engine's coroutine type.
//
// Lazy: a Task starts when it is awaited (or handed to a Scope). A task that ends without
// suspending lets its caller carry on without suspending either, so a loop of such awaits
// costs no stack; one that suspended resumes its caller when it ends, so the stack grows with
// the depth of nesting only. (Symmetric transfer would do the same only where the compiler
// makes it a tail call, which GCC does not promise at -O0 or under AddressSanitizer; a test
// runs a million synchronous awaits to hold this.) A Task owns its frame:
// destroying a Task that is suspended destroys its frame and, through the locals in it, every
// frame it awaits, without resuming any of them. That is how a simulated crash takes a
// process's work with it (see ports/runtime.hpp, Runtime::dying()).
//
// Exceptions are for bugs: an exception leaving a task is rethrown in the task awaiting it,
// and one leaving a spawned task goes to Runtime::fail(). Expected errors are return values.
#include <cassert>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "engine/async/frame_pool.hpp"

namespace baton {

template <class T = void>
class Task;

namespace detail {

// Called when a task with no awaiting coroutine (a spawned, "root" task) reaches its end.
struct RootCompletion {
  void (*on_done)(void* context) = nullptr;
  void* context = nullptr;
};

class PromiseBase {
 public:
  // Frames come from the per-thread pool (frame_pool.hpp).
  static void* operator new(std::size_t size) { return allocate_frame(size); }
  static void operator delete(void* frame, std::size_t size) noexcept { release_frame(frame, size); }

  std::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    // After the continuation resumes or on_done runs, the frame may already be destroyed by
    // its owner: nothing may be touched after those calls.
    template <class Promise>
    void await_suspend(std::coroutine_handle<Promise> self) noexcept {
      PromiseBase& promise = self.promise();
      if (promise.continuation_) {
        if (promise.starting_inline_) {
          promise.finished_inline_ = true;  // back to the awaiter's start(), which carries on
          return;
        }
        promise.continuation_.resume();
        return;
      }
      if (promise.root_.on_done) promise.root_.on_done(promise.root_.context);
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  void unhandled_exception() noexcept { exception_ = std::current_exception(); }

  // Runs the task from its caller's await_suspend until it first suspends or ends; true if
  // it ended, so the caller need not suspend.
  bool start_inline(std::coroutine_handle<> self, std::coroutine_handle<> caller) {
    continuation_ = caller;
    starting_inline_ = true;
    self.resume();
    starting_inline_ = false;
    return finished_inline_;
  }
  void set_root_completion(RootCompletion completion) { root_ = completion; }
  std::exception_ptr exception() const { return exception_; }

 protected:
  void rethrow_if_failed() const {
    if (exception_) std::rethrow_exception(exception_);
  }

 private:
  std::coroutine_handle<> continuation_;
  bool starting_inline_ = false;
  bool finished_inline_ = false;
  RootCompletion root_;
  std::exception_ptr exception_;
};

template <class T>
class Promise : public PromiseBase {
 public:
  Task<T> get_return_object() noexcept;
  template <class U>
  void return_value(U&& value) {
    value_.emplace(std::forward<U>(value));
  }
  T take_result() {
    rethrow_if_failed();
    assert(value_.has_value());
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class Promise<void> : public PromiseBase {
 public:
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take_result() { rethrow_if_failed(); }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle handle) : handle_(handle) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  bool valid() const { return bool(handle_); }
  bool done() const { return handle_ && handle_.done(); }
  Handle handle() const { return handle_; }

  auto operator co_await() && noexcept {
    struct Awaiter {
      Handle handle;
      bool await_ready() noexcept { return !handle || handle.done(); }
      bool await_suspend(std::coroutine_handle<> caller) noexcept {
        return !handle.promise().start_inline(handle, caller);
      }
      T await_resume() { return handle.promise().take_result(); }
    };
    assert(handle_ && "awaiting an empty Task");
    return Awaiter{handle_};
  }

 private:
  void reset() {
    if (handle_) std::exchange(handle_, {}).destroy();
  }

  Handle handle_;
};

namespace detail {
template <class T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}
}  // namespace detail

}  // namespace baton
