#pragma once
// Partitions: which directed links are cut. A message from A to B passes only if neither node
// is isolated and the link A->B is not cut. Symmetric cuts are two directed cuts; a split of
// the nodes into groups cuts every link between two groups; an isolated node is cut from all.
//
// Nodes are named by their index in the World (Node::index()).
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

namespace baton::sim {

class Partitions {
 public:
  void isolate(std::uint32_t node) {
    isolated_.insert(node);
    ++version_;
  }
  void rejoin(std::uint32_t node) {
    isolated_.erase(node);
    ++version_;
  }
  void cut_one_way(std::uint32_t from, std::uint32_t to);
  void heal_one_way(std::uint32_t from, std::uint32_t to) {
    cuts_.erase({from, to});
    ++version_;
  }
  // Cuts every link between nodes of different groups, both ways. Nodes in no group keep
  // their links.
  void split(const std::vector<std::vector<std::uint32_t>>& groups);
  // Removes every cut and isolation.
  void heal_all();

  bool passes(std::uint32_t from, std::uint32_t to) const;
  bool isolated(std::uint32_t node) const { return isolated_.contains(node); }
  bool empty() const { return isolated_.empty() && cuts_.empty(); }
  // Bumped by every change: whoever caches what passes knows when to look again.
  std::uint64_t version() const { return version_; }

 private:
  std::set<std::uint32_t> isolated_;
  std::set<std::pair<std::uint32_t, std::uint32_t>> cuts_;  // (from, to)
  std::uint64_t version_ = 0;
};

}  // namespace baton::sim
