#include "fakes/consul/raft/cluster_setup.hpp"

#include "fakes/consul/raft/configuration.hpp"

namespace baton::fakes::consul::raft {

RaftStatus bootstrap_cluster(RaftDurableState& durable, const Configuration& configuration) {
  if (RaftStatus checked = check_configuration(configuration); !checked) return checked;
  if (durable.has_existing_state()) return RaftError::cant_bootstrap;
  durable.current_term = 1;
  durable.append(LogEntry{.index = 1, .term = 1, .kind = EntryKind::configuration, .configuration = configuration});
  return raft_ok();
}

RaftStatus recover_cluster(RaftDurableState& durable, const Configuration& configuration) {
  if (RaftStatus checked = check_configuration(configuration); !checked) return checked;
  if (!durable.has_existing_state()) return RaftError::no_existing_state;
  // The snapshot covers the whole log: every entry in it counts as committed from now on.
  durable.snapshot = SnapshotMeta{
      .index = durable.last_index(),
      .term = durable.last_term(),
      .configuration = configuration,
      .configuration_index = 1,
  };
  if (durable.snapshot.index == 0) {
    // A term but no log: hashicorp/raft's snapshot would sit at index 0, which means "none".
    // Keep the configuration reachable by writing it as the first entry instead.
    durable.append(LogEntry{.index = 1, .term = durable.current_term, .kind = EntryKind::configuration,
                            .configuration = configuration});
    durable.snapshot = SnapshotMeta{.index = 1, .term = durable.current_term, .configuration = configuration,
                                    .configuration_index = 1};
  }
  durable.legacy_peers.reset();
  return raft_ok();
}

Configuration stored_configuration(const RaftDurableState& durable) {
  if (durable.legacy_peers) return *durable.legacy_peers;
  for (std::uint64_t index = durable.last_index(); index > durable.snapshot.index; --index) {
    const LogEntry& entry = *durable.entry(index);
    if (entry.kind == EntryKind::configuration) return entry.configuration;
  }
  return durable.snapshot.configuration;
}

}  // namespace baton::fakes::consul::raft
