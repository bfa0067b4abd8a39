// FramePool: a freed frame is handed out again for a request of its size class, never for
// another class; frames beyond the biggest class bypass it. (The pool itself runs in every
// build; only Task's use of it steps aside under AddressSanitizer.)
#include <gtest/gtest.h>

#include <cstring>

#include "engine/async/frame_pool.hpp"

namespace baton::detail {
namespace {

TEST(FramePool, ReusesAFreedFrameOfTheSameSizeClass) {
  FramePool pool;
  void* first = pool.allocate(100);
  std::memset(first, 0xab, 100);
  pool.release(first, 100);
  void* same_class = pool.allocate(128);  // 100 and 128 bytes are both two 64-byte granules
  EXPECT_EQ(same_class, first);
  void* other_class = pool.allocate(129);
  EXPECT_NE(other_class, first);
  std::memset(other_class, 0xcd, 129);
  pool.release(same_class, 128);
  pool.release(other_class, 129);
  pool.clear();
}

TEST(FramePool, KeepsEveryFreedFrameOfAClass) {
  FramePool pool;
  void* a = pool.allocate(64);
  void* b = pool.allocate(64);
  pool.release(a, 64);
  pool.release(b, 64);
  void* again_b = pool.allocate(64);
  void* again_a = pool.allocate(64);
  EXPECT_EQ(again_b, b) << "last freed, first reused";
  EXPECT_EQ(again_a, a);
  pool.release(again_a, 64);
  pool.release(again_b, 64);
  pool.clear();
}

TEST(FramePool, AnEmptyRequestStillGetsRoomForTheFreeListLink) {
  FramePool pool;
  void* empty = pool.allocate(0);
  pool.release(empty, 0);  // writes the link into it: needs a granule, not zero bytes
  EXPECT_EQ(pool.allocate(0), empty);
  pool.release(empty, 0);
  pool.clear();
}

TEST(FramePool, FramesBeyondTheBiggestClassAreNotPooled) {
  FramePool pool;
  const std::size_t big = FramePool::kClasses * FramePool::kGranuleBytes;
  void* frame = pool.allocate(big);
  std::memset(frame, 0, big);
  pool.release(frame, big);  // straight back to operator delete: nothing to clear
  void* small = pool.allocate(1);
  std::memset(small, 0, 1);
  pool.release(small, 1);
  pool.clear();
}

}  // namespace
}  // namespace baton::detail
