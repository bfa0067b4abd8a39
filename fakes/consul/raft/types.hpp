#pragma once
// The values Raft stores and sends: servers, configurations and log entries.
#include <any>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace baton::fakes::consul::raft {

using ServerId = std::string;
using ServerAddress = std::string;

// A voting member of the cluster. hashicorp/raft also knows nonvoters (Suffrage); Consul uses
// them only for read replicas and autopilot's staging, which this fake leaves out.
struct Server {
  ServerId id;
  ServerAddress address;
  bool operator==(const Server&) const = default;
};

// The servers of the cluster, as one configuration entry of the log states them.
struct Configuration {
  std::vector<Server> servers;
  bool operator==(const Configuration&) const = default;
};

// A command for the state machine. Type-erased so that the Raft core compiles once and never
// sees the Consul FSM; typed_raft.hpp puts the types back at the edges (see README.md).
using Payload = std::any;

// hashicorp/raft's LogType, reduced to the three a Consul server writes.
enum class EntryKind : std::uint8_t {
  command,        // LogCommand: applied to the state machine
  configuration,  // LogConfiguration: takes effect on every server as soon as it is in its log
  noop,           // LogNoop: a new leader's first entry, so it can commit earlier terms' entries
};
const char* to_string(EntryKind kind);

struct LogEntry {
  std::uint64_t index = 0;
  std::uint64_t term = 0;
  EntryKind kind = EntryKind::noop;
  // Commands only. Immutable and shared: every replica's copy of an entry holds the same bytes.
  std::shared_ptr<const Payload> command;
  // Configuration entries only.
  Configuration configuration;
};

}  // namespace baton::fakes::consul::raft
