#pragma once
// Cluster membership arithmetic (hashicorp/raft configuration.go): who votes, how many make a
// quorum, and the configuration a membership change produces.
#include <cstddef>
#include <string>

#include "fakes/consul/raft/result.hpp"
#include "fakes/consul/raft/types.hpp"

namespace baton::fakes::consul::raft {

bool has_vote(const Configuration& configuration, const ServerId& id);
const Server* find_server(const Configuration& configuration, const ServerId& id);
// A majority of the voters: voters / 2 + 1.
std::size_t quorum_size(const Configuration& configuration);

// checkConfiguration: ids and addresses non-empty and unique, at least one voter.
RaftStatus check_configuration(const Configuration& configuration);

// nextConfiguration for AddVoter (an existing id keeps its place and takes the new address)
// and RemoveServer (an unknown id leaves the configuration as it was). Both are checked, so
// removing the last voter is refused: hashicorp/raft never lets a configuration go empty.
RaftResult<Configuration> with_voter(const Configuration& configuration, const Server& server);
RaftResult<Configuration> without_server(const Configuration& configuration, const ServerId& id);

// "[s1@10.0.0.1:8300 s2@10.0.0.2:8300]", for log lines and traces.
std::string describe(const Configuration& configuration);

}  // namespace baton::fakes::consul::raft
