// EventQueue against a model: random schedules (now or later), reschedules and cancels, then
// pops, must come out in (time, sequence) order with exactly the slots still queued.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <utility>

#include "sim/runtime/event_queue.hpp"

namespace baton::sim {
namespace {

std::vector<std::uint32_t> drain(EventQueue& queue, std::int64_t limit_ns = INT64_MAX) {
  std::vector<std::uint32_t> order;
  while (const auto entry = queue.pop_due(limit_ns)) order.push_back(entry->slot);
  return order;
}

TEST(EventQueue, PopsInTimeThenSequenceOrderMergingTheDueNowFifo) {
  EventQueue queue;
  queue.schedule(0, 30, 1, 10);
  queue.schedule(1, 10, 2, 10);  // due now: the FIFO
  queue.schedule(2, 10, 0, 0);   // scheduled earlier for 10: the heap, an older sequence
  queue.schedule(3, 20, 3, 10);
  queue.schedule(4, 10, 4, 10);
  EXPECT_EQ(drain(queue), (std::vector<std::uint32_t>{2, 1, 4, 3, 0}));
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, ARescheduledSlotMovesAndACancelledOneLeaves) {
  EventQueue queue;
  queue.schedule(0, 10, 0, 0);
  queue.schedule(1, 20, 1, 0);
  queue.schedule(0, 30, 2, 0);  // later now
  queue.schedule(5, 0, 3, 0);   // due now, then moved later, then cancelled
  queue.schedule(5, 25, 4, 0);
  EXPECT_EQ(queue.size(), 3u);
  queue.cancel(5);
  queue.cancel(7);  // never queued: nothing happens
  EXPECT_FALSE(queue.contains(5));
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(drain(queue, 20), (std::vector<std::uint32_t>{1})) << "only what is due by the limit";
  EXPECT_EQ(drain(queue), (std::vector<std::uint32_t>{0}));
}

RC_GTEST_PROP(EventQueueProperty, MatchesAnOrderedModel, ()) {
  EventQueue queue;
  std::map<std::uint32_t, std::pair<std::int64_t, std::uint64_t>> model;  // slot -> (at, sequence)
  std::uint64_t sequence = 0;
  std::int64_t now_ns = 0;
  const int operations = *rc::gen::inRange(0, 300);
  for (int i = 0; i < operations; ++i) {
    const auto slot = *rc::gen::inRange<std::uint32_t>(0, 40);
    const int choice = *rc::gen::inRange(0, 8);
    if (choice == 0) {
      queue.cancel(slot);
      model.erase(slot);
    } else if (choice == 1) {
      // Run what is due next, as the World does; time moves to it.
      const auto entry = queue.pop_due(INT64_MAX);
      RC_ASSERT(entry.has_value() == !model.empty());
      if (!entry) continue;
      const auto earliest = std::min_element(model.begin(), model.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
      RC_ASSERT(earliest->first == entry->slot);
      RC_ASSERT(earliest->second == std::make_pair(entry->at_ns, entry->sequence));
      model.erase(earliest);
      now_ns = entry->at_ns;
    } else {
      const std::int64_t at_ns = choice <= 4 ? now_ns : now_ns + *rc::gen::inRange<std::int64_t>(1, 50);
      queue.schedule(slot, at_ns, sequence, now_ns);
      model[slot] = {at_ns, sequence++};
    }
    RC_ASSERT(queue.size() == model.size());
  }
  while (const auto entry = queue.pop_due(INT64_MAX)) {
    const auto earliest = std::min_element(model.begin(), model.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    RC_ASSERT(earliest != model.end());
    RC_ASSERT(earliest->first == entry->slot);
    model.erase(earliest);
  }
  RC_ASSERT(model.empty());
}

}  // namespace
}  // namespace baton::sim
