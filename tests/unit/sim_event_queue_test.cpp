// EventQueue against a model: random schedules, reschedules and cancels, then pops, must come
// out in (time, sequence) order with exactly the slots still queued.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <utility>

#include "sim/runtime/event_queue.hpp"

namespace baton::sim {
namespace {

TEST(EventQueue, PopsInTimeThenSequenceOrder) {
  EventQueue queue;
  queue.schedule(0, 30, 1);
  queue.schedule(1, 10, 2);
  queue.schedule(2, 10, 0);
  queue.schedule(3, 20, 3);
  std::vector<std::uint32_t> order;
  while (!queue.empty()) {
    order.push_back(queue.top().slot);
    queue.pop();
  }
  EXPECT_EQ(order, (std::vector<std::uint32_t>{2, 1, 3, 0}));
}

TEST(EventQueue, ARescheduledSlotMovesAndACancelledOneLeaves) {
  EventQueue queue;
  queue.schedule(0, 10, 0);
  queue.schedule(1, 20, 1);
  queue.schedule(0, 30, 2);  // later now
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue.top().slot, 1u);
  queue.cancel(1);
  queue.cancel(7);  // never queued: nothing happens
  EXPECT_FALSE(queue.contains(1));
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.top().at_ns, 30);
}

RC_GTEST_PROP(EventQueueProperty, MatchesAnOrderedModel, ()) {
  EventQueue queue;
  std::map<std::uint32_t, std::pair<std::int64_t, std::uint64_t>> model;  // slot -> (at, sequence)
  std::uint64_t sequence = 0;
  const int operations = *rc::gen::inRange(0, 300);
  for (int i = 0; i < operations; ++i) {
    const auto slot = *rc::gen::inRange<std::uint32_t>(0, 40);
    if (*rc::gen::inRange(0, 4) == 0) {
      queue.cancel(slot);
      model.erase(slot);
    } else {
      const auto at_ns = *rc::gen::inRange<std::int64_t>(0, 50);
      queue.schedule(slot, at_ns, sequence);
      model[slot] = {at_ns, sequence++};
    }
    RC_ASSERT(queue.size() == model.size());
  }
  std::int64_t last_at = -1;
  std::uint64_t last_sequence = 0;
  while (!queue.empty()) {
    const EventQueue::Entry entry = queue.top();
    queue.pop();
    const auto found = model.find(entry.slot);
    RC_ASSERT(found != model.end());
    RC_ASSERT(found->second == std::make_pair(entry.at_ns, entry.sequence));
    RC_ASSERT(entry.at_ns > last_at || (entry.at_ns == last_at && entry.sequence > last_sequence));
    last_at = entry.at_ns;
    last_sequence = entry.sequence;
    model.erase(found);
  }
  RC_ASSERT(model.empty());
}

}  // namespace
}  // namespace baton::sim
