#pragma once
// Terraform's statemgr.LockInfo: what a lock holder writes under "<state path>/.lockinfo", and
// how Terraform prints it in a lock error (hashicorp/terraform internal/states/statemgr/locker.go).
#include <optional>
#include <string>
#include <string_view>

#include "engine/ports/time.hpp"

namespace baton::fakes::terraform {

struct LockInfo {
  std::string id;         // the consul backend overrides the random ID with the session's id
  std::string operation;  // "init" (StateMgr), "OperationTypeApply", "OperationTypePlan"
  std::string info;       // "consul session: <id>"
  std::string who;        // user@hostname
  std::string version;    // Terraform's version
  std::string created;    // RFC 3339 with nanoseconds, UTC, as Go's JSON writes a time.Time
  std::string path;       // the state path

  // LockInfo.Marshal: Go's json.Marshal, fields in the struct's order.
  std::string to_json() const;
  // LockInfo.String: the "Lock Info:" block Terraform puts in its lock errors, ending in "\n".
  std::string to_text() const;
};

// The lock info read back from Consul; nullopt when it is not a LockInfo document.
std::optional<LockInfo> parse_lock_info(std::string_view json);

// Go's time.Time.UTC() as json.Marshal writes it: "2026-01-01T00:00:03.5Z" (RFC 3339, trailing
// zeros of the fraction dropped, no fraction when whole).
std::string go_rfc3339_nano(WallTime time);

// The same instant as Go's time.Time.String() prints a UTC time:
// "2026-01-01 00:00:03.5 +0000 UTC". Takes go_rfc3339_nano's text.
std::string go_time_string_from_rfc3339(std::string_view rfc3339);

}  // namespace baton::fakes::terraform
