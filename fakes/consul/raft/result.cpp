#include "fakes/consul/raft/result.hpp"

namespace baton::fakes::consul::raft {

const char* to_string(RaftError error) {
  switch (error) {
    case RaftError::not_leader: return "node is not the leader";
    case RaftError::leadership_lost: return "leadership lost while committing log";
    case RaftError::stopped: return "raft is already shutdown";
    case RaftError::bad_configuration: return "invalid configuration";
    case RaftError::cant_bootstrap: return "bootstrap only works on new clusters";
    case RaftError::no_existing_state: return "refused to recover cluster with no initial state";
  }
  return "unknown";
}

}  // namespace baton::fakes::consul::raft
