#include "sim/network/partitions.hpp"

#include <cassert>

namespace baton::sim {

void Partitions::cut_one_way(std::uint32_t from, std::uint32_t to) {
  assert(from != to && "a node always reaches itself");
  cuts_.insert({from, to});
  ++version_;
}

void Partitions::split(const std::vector<std::vector<std::uint32_t>>& groups) {
  for (std::size_t a = 0; a < groups.size(); ++a) {
    for (std::size_t b = 0; b < groups.size(); ++b) {
      if (a == b) continue;
      for (std::uint32_t from : groups[a]) {
        for (std::uint32_t to : groups[b]) cut_one_way(from, to);
      }
    }
  }
}

void Partitions::heal_all() {
  isolated_.clear();
  cuts_.clear();
  ++version_;
}

bool Partitions::passes(std::uint32_t from, std::uint32_t to) const {
  if (from == to) return true;  // loopback never crosses the network
  if (empty()) return true;      // the common case, without a lookup
  return !isolated_.contains(from) && !isolated_.contains(to) && !cuts_.contains({from, to});
}

}  // namespace baton::sim
