#pragma once
// A Consul session (structs.Session).
#include <cstdint>
#include <string>
#include <vector>

#include "engine/ports/time.hpp"

namespace baton::fakes::consul {

enum class SessionBehavior { release, delete_keys };

struct Session {
  std::string id;
  std::string name;
  std::string node;
  // Checks on the node (serfHealth by default) and on its services whose going critical
  // invalidates the session.
  std::vector<std::string> node_checks;
  std::vector<std::string> service_checks;
  Duration lock_delay{};
  SessionBehavior behavior = SessionBehavior::release;
  Duration ttl{};        // zero: no TTL
  std::string ttl_text;  // the TTL as the client wrote it ("15s"), which Consul shows back
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;
};

const char* to_string(SessionBehavior behavior);

}  // namespace baton::fakes::consul
