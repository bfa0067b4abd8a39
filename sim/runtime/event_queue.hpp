#pragma once
// EventQueue: the World's pending wake-ups, earliest first, as an indexed binary min-heap.
//
// Each entry is a World slot with its due time and a sequence number that breaks ties in the
// order things were scheduled. Indexed (every slot knows its place in the heap) so that a
// wake-up disarmed before it comes due leaves the heap at once, and a rescheduled one moves
// in place. A plain priority queue with lazy deletion kept every cancelled timeout (a
// blocking query's five minutes, an RPC's ten seconds) until its time: a heap 20 times the
// number of live wake-ups, and a fifth of a run's time spent in it.
//
// Half of all wake-ups are due at once (an event set, a task spawned, a resume): those go to a
// FIFO beside the heap instead. They are all due now, in the order they came, so the next one
// is the FIFO's front or the heap's top, whichever has the smaller (time, sequence); time
// never advances while the FIFO holds one.
#include <cassert>
#include <cstdint>
#include <deque>
#include <optional>
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

  bool empty() const { return size() == 0; }
  std::size_t size() const { return heap_.size() + ready_live_; }
  bool contains(std::uint32_t slot) const { return slot < place_.size() && place_[slot].where != Where::absent; }

  // Queues `slot` at (`at_ns`, `sequence`), or moves it there if it is queued already.
  // `now_ns` is the current time: no entry is ever due before it.
  void schedule(std::uint32_t slot, std::int64_t at_ns, std::uint64_t sequence, std::int64_t now_ns) {
    assert(at_ns >= now_ns && "nothing is due in the past");
    if (slot >= place_.size()) place_.resize(slot + 1);
    const Entry entry{at_ns, sequence, slot};
    if (at_ns == now_ns) {
      cancel(slot);
      assert((ready_live_ == 0 || ready_at_ns_ == now_ns) && "time advanced with wake-ups due");
      ready_at_ns_ = now_ns;
      ready_.push_back(entry);
      place_[slot] = Place{Where::ready, 0, sequence};
      ++ready_live_;
      return;
    }
    if (place_[slot].where != Where::heap) {
      cancel(slot);
      heap_.push_back(entry);
      set_heap_index(heap_.size() - 1);
      sift_up(heap_.size() - 1);
      return;
    }
    const std::size_t at = place_[slot].heap_index;
    const bool earlier = entry.before(heap_[at]);
    heap_[at] = entry;
    if (earlier) {
      sift_up(at);
    } else {
      sift_down(at);
    }
  }

  // Takes `slot` out, if it is queued. (A FIFO entry stays in the FIFO, no longer current.)
  void cancel(std::uint32_t slot) {
    if (!contains(slot)) return;
    if (place_[slot].where == Where::heap) {
      remove_at(place_[slot].heap_index);
      return;
    }
    place_[slot].where = Where::absent;
    --ready_live_;
  }

  // The next entry, removed, if it is due at or before `limit_ns`.
  std::optional<Entry> pop_due(std::int64_t limit_ns) {
    drop_stale_ready();
    const bool from_ready = !ready_.empty() && (heap_.empty() || ready_.front().before(heap_.front()));
    if (!from_ready && heap_.empty()) return std::nullopt;
    const Entry next = from_ready ? ready_.front() : heap_.front();
    if (next.at_ns > limit_ns) return std::nullopt;
    if (from_ready) {
      ready_.pop_front();
      place_[next.slot].where = Where::absent;
      --ready_live_;
    } else {
      remove_at(0);
    }
    return next;
  }

 private:
  enum class Where : std::uint8_t { absent, heap, ready };
  struct Place {
    Where where = Where::absent;
    std::uint32_t heap_index = 0;  // when in the heap
    std::uint64_t sequence = 0;    // when in the FIFO: which of its entries is current
  };

  void drop_stale_ready() {
    while (!ready_.empty()) {
      const Entry& front = ready_.front();
      const Place& place = place_[front.slot];
      if (place.where == Where::ready && place.sequence == front.sequence) return;
      ready_.pop_front();
    }
  }

  void set_heap_index(std::size_t at) { place_[heap_[at].slot] = Place{Where::heap, std::uint32_t(at), 0}; }

  void remove_at(std::size_t at) {
    place_[heap_[at].slot].where = Where::absent;
    const std::size_t last = heap_.size() - 1;
    if (at != last) {
      heap_[at] = heap_[last];
      set_heap_index(at);
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
      set_heap_index(at);
      at = parent;
    }
    heap_[at] = moving;
    set_heap_index(at);
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
      set_heap_index(at);
      at = child;
    }
    heap_[at] = moving;
    set_heap_index(at);
  }

  std::vector<Entry> heap_;        // due later than when they were scheduled
  std::deque<Entry> ready_;        // due at ready_at_ns_, in sequence order; may hold stale ones
  std::size_t ready_live_ = 0;     // the current entries in ready_
  std::int64_t ready_at_ns_ = 0;
  std::vector<Place> place_;       // by slot
};

}  // namespace baton::sim
