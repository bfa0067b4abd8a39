#include "fakes/consul/raft/types.hpp"

namespace baton::fakes::consul::raft {

const char* to_string(EntryKind kind) {
  switch (kind) {
    case EntryKind::command: return "command";
    case EntryKind::configuration: return "configuration";
    case EntryKind::noop: return "noop";
  }
  return "unknown";
}

}  // namespace baton::fakes::consul::raft
