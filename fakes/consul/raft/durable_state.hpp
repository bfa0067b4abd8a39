#pragma once
// What a Raft server keeps on disk (hashicorp/raft's StableStore, LogStore and SnapshotStore),
// and so what survives a crash. It is owned outside the server's process (the simulator
// destroys every frame of a crashed node): the server reads and writes it by reference, and a
// restart finds it as the crash left it. Everything else in RaftNode is volatile.
#include <cassert>
#include <cstdint>
#include <optional>
#include <vector>

#include "fakes/consul/raft/types.hpp"

namespace baton::fakes::consul::raft {

// A snapshot's metadata. This model takes snapshots only where hashicorp/raft must
// (RecoverCluster, and a follower installing one from its leader): the entries up to `index`
// stay in the log as the snapshot's content, but count as compacted (see README.md).
struct SnapshotMeta {
  std::uint64_t index = 0;  // last entry the snapshot covers; 0: no snapshot
  std::uint64_t term = 0;   // its term
  // The configuration in force at `index`, and the index it was written at.
  Configuration configuration;
  std::uint64_t configuration_index = 0;
};

struct RaftDurableState {
  // StableStore: CurrentTerm, LastVoteTerm, LastVoteCand.
  std::uint64_t current_term = 0;
  std::uint64_t last_vote_term = 0;
  ServerId last_vote_candidate;

  // LogStore. Invariant: log[i].index == i + 1 (indexes start at 1 and have no gaps).
  std::vector<LogEntry> log;

  SnapshotMeta snapshot;

  // raft/peers.json of Raft protocol < 3 (Consul <= 0.6), where the peer set lived beside the
  // log and was read at start. When set, it replaces the configuration the log gives, at the
  // next start. Consul <= 0.6 wrote `null` here after a graceful leave (hashicorp/consul issue
  // 993); see RaftOptions::clear_peers_on_leave. A configuration entry reaching the log clears it.
  std::optional<Configuration> legacy_peers;

  // HasExistingState: a term, a log or a snapshot.
  bool has_existing_state() const { return current_term != 0 || !log.empty() || snapshot.index != 0; }

  std::uint64_t last_index() const { return log.empty() ? 0 : log.back().index; }
  std::uint64_t last_term() const { return log.empty() ? 0 : log.back().term; }
  // The entry at `index`, or nullptr past the end (and for 0).
  const LogEntry* entry(std::uint64_t index) const {
    return index == 0 || index > log.size() ? nullptr : &log[index - 1];
  }
  // The term of the entry at `index`; 0 for index 0.
  std::uint64_t term_at(std::uint64_t index) const {
    if (index == 0) return 0;
    assert(index <= log.size());
    return log[index - 1].term;
  }
  void append(LogEntry entry) {
    assert(entry.index == last_index() + 1 && "the log has no gaps");
    log.push_back(std::move(entry));
  }
  // Deletes the entries from `index` to the end (DeleteRange of a conflicting suffix).
  void truncate_from(std::uint64_t index) {
    assert(index >= 1);
    if (index <= log.size()) log.resize(index - 1);
  }
};

}  // namespace baton::fakes::consul::raft
