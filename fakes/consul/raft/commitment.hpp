#pragma once
// The leader's commit index (hashicorp/raft commitment.go): the highest index stored on a
// majority of the voters of the latest configuration, and never below the first index of the
// leader's own term, so that entries of earlier terms commit only through one of its own
// (Raft paper, section 5.4.2).
#include <cstdint>
#include <map>
#include <vector>

#include "fakes/consul/raft/types.hpp"

namespace baton::fakes::consul::raft {

class Commitment {
 public:
  Commitment(const Configuration& configuration, std::uint64_t start_index);

  // A new configuration decides commitment from now on; known match indexes carry over.
  // True if the commit index advanced.
  bool set_configuration(const Configuration& configuration);
  // `server` stores the log up to `match_index`. Non-voters are ignored. True if the commit
  // index advanced.
  bool match(const ServerId& server, std::uint64_t match_index);

  std::uint64_t commit_index() const { return commit_index_; }
  std::uint64_t start_index() const { return start_index_; }

 private:
  bool recalculate();

  std::map<ServerId, std::uint64_t> match_indexes_;  // voters only
  std::vector<std::uint64_t> matched_scratch_;        // recalculate()'s sort space, kept to spare an allocation a reply
  std::uint64_t commit_index_ = 0;
  std::uint64_t start_index_;
};

}  // namespace baton::fakes::consul::raft
