#pragma once
// EventQueue: the World's pending wake-ups, earliest first, as an indexed binary min-heap.
//
// Each entry is a World slot with its due time and a sequence number that breaks ties in the
// order things were scheduled. Indexed (every slot knows its place in the heap) so that a
// wake-up disarmed before it comes due leaves the heap at once, and a rescheduled one moves
// in place. A plain priority queue with lazy deletion kept every cancelled timeout (a
// blocking query's five minutes, an RPC's ten seconds) until its time: a heap 20 times the
// number of live wake-ups, and a fifth of a run's time spent in it.
#include <cassert>
#include <cstdint>
#include <vector>

namespace baton::sim {

class EventQueue {
 public:
  struct Entry {
    std::int64_t at_ns;
    std::uint64_t sequence;
    std::uint32_t slot;
    bool before(const Entry& other) const {
      return at_ns != other.at_ns ? at_ns < other.at_ns : sequence < other.sequence;
    }
  };

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Entry& top() const {
    assert(!heap_.empty());
    return heap_.front();
  }
  bool contains(std::uint32_t slot) const { return slot < position_.size() && position_[slot] != kAbsent; }

  // Queues `slot` at (`at_ns`, `sequence`), or moves it there if it is queued already.
  void schedule(std::uint32_t slot, std::int64_t at_ns, std::uint64_t sequence) {
    if (slot >= position_.size()) position_.resize(slot + 1, kAbsent);
    const Entry entry{at_ns, sequence, slot};
    if (position_[slot] == kAbsent) {
      heap_.push_back(entry);
      place(heap_.size() - 1);
      sift_up(heap_.size() - 1);
      return;
    }
    const std::size_t at = position_[slot];
    const bool earlier = entry.before(heap_[at]);
    heap_[at] = entry;
    if (earlier) {
      sift_up(at);
    } else {
      sift_down(at);
    }
  }

  // Takes `slot` out, if it is queued.
  void cancel(std::uint32_t slot) {
    if (!contains(slot)) return;
    remove_at(position_[slot]);
  }

  void pop() { remove_at(0); }

 private:
  static constexpr std::uint32_t kAbsent = UINT32_MAX;

  void place(std::size_t at) { position_[heap_[at].slot] = std::uint32_t(at); }

  void remove_at(std::size_t at) {
    position_[heap_[at].slot] = kAbsent;
    const std::size_t last = heap_.size() - 1;
    if (at != last) {
      heap_[at] = heap_[last];
      place(at);
    }
    heap_.pop_back();
    if (at == last) return;
    if (at > 0 && heap_[at].before(heap_[(at - 1) / 2])) {
      sift_up(at);
    } else {
      sift_down(at);
    }
  }

  void sift_up(std::size_t at) {
    const Entry moving = heap_[at];
    while (at > 0) {
      const std::size_t parent = (at - 1) / 2;
      if (!moving.before(heap_[parent])) break;
      heap_[at] = heap_[parent];
      place(at);
      at = parent;
    }
    heap_[at] = moving;
    place(at);
  }

  void sift_down(std::size_t at) {
    const Entry moving = heap_[at];
    const std::size_t count = heap_.size();
    while (true) {
      std::size_t child = 2 * at + 1;
      if (child >= count) break;
      if (child + 1 < count && heap_[child + 1].before(heap_[child])) ++child;
      if (!heap_[child].before(moving)) break;
      heap_[at] = heap_[child];
      place(at);
      at = child;
    }
    heap_[at] = moving;
    place(at);
  }

  std::vector<Entry> heap_;
  std::vector<std::uint32_t> position_;  // by slot: its index in heap_, or kAbsent
};

}  // namespace baton::sim
