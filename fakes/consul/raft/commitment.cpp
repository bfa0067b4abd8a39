#include "fakes/consul/raft/commitment.hpp"

#include <algorithm>
#include <vector>

namespace baton::fakes::consul::raft {

Commitment::Commitment(const Configuration& configuration, std::uint64_t start_index) : start_index_(start_index) {
  for (const Server& server : configuration.servers) match_indexes_[server.id] = 0;
}

bool Commitment::set_configuration(const Configuration& configuration) {
  std::map<ServerId, std::uint64_t> next;
  for (const Server& server : configuration.servers) {
    const auto known = match_indexes_.find(server.id);
    next[server.id] = known == match_indexes_.end() ? 0 : known->second;
  }
  match_indexes_ = std::move(next);
  return recalculate();
}

bool Commitment::match(const ServerId& server, std::uint64_t match_index) {
  const auto found = match_indexes_.find(server);
  if (found == match_indexes_.end() || match_index <= found->second) return false;
  found->second = match_index;
  return recalculate();
}

bool Commitment::recalculate() {
  if (match_indexes_.empty()) return false;
  std::vector<std::uint64_t>& matched = matched_scratch_;
  matched.clear();
  for (const auto& [server, index] : match_indexes_) matched.push_back(index);
  std::sort(matched.begin(), matched.end());
  // The median, rounding down: with 2f+1 voters, f+1 of them store at least this much.
  const std::uint64_t quorum_match = matched[(matched.size() - 1) / 2];
  if (quorum_match > commit_index_ && quorum_match >= start_index_) {
    commit_index_ = quorum_match;
    return true;
  }
  return false;
}

}  // namespace baton::fakes::consul::raft
