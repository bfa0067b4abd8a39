#pragma once
// The constants of Terraform's consul backend and of the Consul API library's lock that it
// uses, as Terraform 1.11 ships them. Terraform hardcodes these, so they are not knobs here.
//
//   hashicorp/terraform internal/backend/remote-state/consul/client.go   lockSuffix,
//       lockInfoSuffix, lockSessionTTL, lockDelay, the LockOptions it passes
//   hashicorp/terraform internal/backend/remote-state/consul/backend_state.go   keyEnvPrefix
//   hashicorp/consul api/lock.go   DefaultLockSessionName, DefaultLockRetryTime, LockFlagValue
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/ports/time.hpp"

namespace baton::fakes::terraform {

using namespace std::chrono_literals;

// The state of a workspace other than "default" lives at "<path>-env:<workspace>".
inline constexpr std::string_view kWorkspaceKeyPrefix = "-env:";
inline constexpr std::string_view kDefaultWorkspace = "default";
// The lock key and the lock-info key hang below the state key.
inline constexpr std::string_view kLockSuffix = "/.lock";
inline constexpr std::string_view kLockInfoSuffix = "/.lockinfo";

// The session each lock creates: the API's default name, a 15 s TTL renewed every TTL/2 by
// RenewPeriodic, a 5 s lock-delay, and no Checks field (so Consul binds it to the agent node's
// serfHealth check).
inline constexpr std::string_view kLockSessionName = "Consul API Lock";
inline constexpr Duration kLockSessionTtl = 15s;
inline constexpr Duration kLockDelay = 5s;
// LockOptions{LockWaitTime: time.Second, LockTryOnce: true}: one blocking read of at most a
// second while the key is held, then give up.
inline constexpr Duration kLockWaitTime = 1s;
// api.DefaultLockRetryTime: the pause after an acquire refused with no holder (a lock-delay).
inline constexpr Duration kLockRetryTime = 5s;
// api.LockFlagValue: the Flags of a key used as a lock; any other value is a conflict.
inline constexpr std::uint64_t kLockFlagValue = 0x2ddccbc058a50c18ULL;
// RenewPeriodic's pause after a failed renewal.
inline constexpr Duration kRenewRetryTime = 1s;

// backend.path(name): the state key of `workspace` under the backend's `path`.
inline std::string state_path(std::string_view backend_path, std::string_view workspace) {
  std::string path(backend_path);
  if (!workspace.empty() && workspace != kDefaultWorkspace) {
    path += kWorkspaceKeyPrefix;
    path += workspace;
  }
  return path;
}

inline bool is_default_workspace(std::string_view workspace) {
  return workspace.empty() || workspace == kDefaultWorkspace;
}

// RemoteClient.lockPath(): the state path without trailing slashes ("Consul does not like
// having two consecutive slashes for the lock path").
inline std::string lock_path(std::string_view state_path) {
  std::size_t end = state_path.size();
  while (end > 0 && state_path[end - 1] == '/') --end;
  return std::string(state_path.substr(0, end));
}

}  // namespace baton::fakes::terraform
