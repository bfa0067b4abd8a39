#pragma once
// One key of Consul's KV store, as state/kvs.go keeps it (structs.DirEntry).
#include <cstdint>
#include <string>

namespace baton::fakes::consul {

struct KvEntry {
  std::string key;
  std::string value;  // raw bytes; the HTTP API shows them base64-encoded
  std::uint64_t flags = 0;
  std::uint64_t lock_index = 0;
  std::string session;  // the holder's session id, empty when unlocked
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  // structs.DirEntry.Equal: what a write compares to decide it changes nothing. Indexes are
  // not part of it.
  bool same_content(const KvEntry& other) const {
    return lock_index == other.lock_index && key == other.key && flags == other.flags && value == other.value &&
           session == other.session;
  }
};

}  // namespace baton::fakes::consul
