#include "engine/async/frame_pool.hpp"

#include <new>
#include <utility>

namespace baton::detail {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPooled = false;
#else
constexpr bool kPooled = true;
#endif

thread_local FramePool thread_frames;

// A pooled frame holds the free list's link when freed: even an empty request gets a granule.
std::size_t at_least_one(std::size_t size) { return size == 0 ? 1 : size; }

}  // namespace

void* FramePool::allocate(std::size_t size) {
  const std::size_t size_class = class_of(at_least_one(size));
  if (size_class >= kClasses) return ::operator new(size);
  if (FreeFrame* frame = free_[size_class]) {
    free_[size_class] = frame->next;
    return frame;
  }
  return ::operator new(size_class * kGranuleBytes);
}

void FramePool::release(void* frame, std::size_t size) noexcept {
  const std::size_t size_class = class_of(at_least_one(size));
  if (size_class >= kClasses) {
    ::operator delete(frame);
    return;
  }
  auto* freed = static_cast<FreeFrame*>(frame);
  freed->next = free_[size_class];
  free_[size_class] = freed;
}

void FramePool::clear() noexcept {
  for (FreeFrame*& list : free_) {
    while (list != nullptr) ::operator delete(std::exchange(list, list->next));
  }
}

void* allocate_frame(std::size_t size) { return kPooled ? thread_frames.allocate(size) : ::operator new(size); }

void release_frame(void* frame, std::size_t size) noexcept {
  if (kPooled) {
    thread_frames.release(frame, size);
  } else {
    ::operator delete(frame);
  }
}

}  // namespace baton::detail
