#pragma once
// Where Task frames come from: a per-thread pool of freed frames by size class, so that the
// simulator's millions of short coroutines (every RPC, message and wake-up is a few) reuse
// memory instead of going through malloc's slow path: frames are often larger than glibc's
// per-thread cache holds, and malloc and free took a fifth of a simulated run. Frames larger
// than the biggest class are plain operator new. A thread keeps what it freed for its life and
// leaves it at its end (baton and sim run their coroutines on one thread, for the process's life).
//
// Under AddressSanitizer allocate_frame and release_frame skip the pool, so that a use of a
// freed frame is still caught; FramePool itself is tested there all the same.
#include <array>
#include <cstddef>

namespace baton::detail {

class FramePool {
 public:
  static constexpr std::size_t kGranuleBytes = 64;
  static constexpr std::size_t kClasses = 64;  // frames up to 63 x 64 bytes (about 4 KiB) are pooled

  void* allocate(std::size_t size);
  void release(void* frame, std::size_t size) noexcept;
  // Gives every pooled frame back to operator delete.
  void clear() noexcept;

 private:
  struct FreeFrame {
    FreeFrame* next;
  };
  static std::size_t class_of(std::size_t size) { return (size + kGranuleBytes - 1) / kGranuleBytes; }

  // Trivially destructible on purpose (no destructor): the per-thread pool may still be handed
  // frames while the thread's other thread_locals are destroyed.
  std::array<FreeFrame*, kClasses> free_{};
};

void* allocate_frame(std::size_t size);
void release_frame(void* frame, std::size_t size) noexcept;

}  // namespace baton::detail
