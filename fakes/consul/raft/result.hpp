#pragma once
// Expected failures of Raft operations, as values (hashicorp/raft's Err* variables).
#include <cassert>
#include <utility>
#include <variant>

namespace baton::fakes::consul::raft {

enum class RaftError {
  not_leader,         // ErrNotLeader: "node is not the leader"
  leadership_lost,    // ErrLeadershipLost: lost leadership before the entry committed
  stopped,            // ErrRaftShutdown, or the caller's own stop request
  bad_configuration,  // checkConfiguration: empty or duplicate ids/addresses, no voter left
  cant_bootstrap,     // ErrCantBootstrap: there is already state
  no_existing_state,  // RecoverCluster refuses to recover a server with no state
};

const char* to_string(RaftError error);

// A value or a RaftError. (std::expected is C++23.)
template <class T>
class RaftResult {
 public:
  RaftResult(T value) : outcome_(std::move(value)) {}
  RaftResult(RaftError error) : outcome_(error) {}

  bool ok() const { return outcome_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() {
    assert(ok());
    return std::get<0>(outcome_);
  }
  const T& value() const {
    assert(ok());
    return std::get<0>(outcome_);
  }
  RaftError error() const {
    assert(!ok());
    return std::get<1>(outcome_);
  }

 private:
  std::variant<T, RaftError> outcome_;
};

// For operations with nothing to return.
using RaftStatus = RaftResult<std::monostate>;
inline RaftStatus raft_ok() { return RaftStatus(std::monostate{}); }

}  // namespace baton::fakes::consul::raft
