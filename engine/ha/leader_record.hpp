#pragma once
// The value of the lock key `<parent_path>/leader`: who leads, for followers (the API's
// "redirect requests to leader 'cts-01' at cts-01.example.com:8558") and for people reading KV.
//   {"id":"cts-01","address":"cts-01.example.com","port":8558}
#include <cstdint>
#include <optional>
#include <string>

namespace baton::ha {

struct LeaderRecord {
  std::string id;
  std::string address;  // empty when the instance has none configured
  std::string session;  // the lock's session (from the key's metadata, not its value)
  std::uint16_t port = 0;  // the leader's API port, for the redirect; 0 when not recorded

  bool operator==(const LeaderRecord&) const = default;
};

std::string encode_leader_value(const LeaderRecord& record);
// nullopt when the value is not such a JSON object (written by something else): the holder is
// then known by its session only.
std::optional<LeaderRecord> decode_leader_value(const std::string& value);

}  // namespace baton::ha
