#pragma once
// ConsulStateLock: Terraform's state lock on one state path, taken through Consul the way the
// consul backend's RemoteClient does it (hashicorp/terraform internal/backend/remote-state/
// consul/client.go, Lock/lock/createSession/unlock), with the Consul API library's Lock in
// one-shot mode (hashicorp/consul api/lock.go) and Session.RenewPeriodic (api/session.go):
//
//   lock:   PUT  /v1/session/create {Name "Consul API Lock", TTL 15s, LockDelay 5s} (a new
//                session for every lock; no Checks, so Consul binds it to serfHealth), renewed
//                every TTL/2 from then on
//           GET  <path>/.lock                      held by another: block on it for at most
//                                                  1s (LockWaitTime), then give up
//           acquire <path>/.lock, Flags LockFlagValue    refused with no holder (lock-delay):
//                                                  wait 5s (DefaultLockRetryTime), give up
//           PUT  <path>/.lockinfo  LockInfo JSON   (ID = the session)
//   given up: the holder's LockInfo is read back for the error; the new session is left to
//           expire (Terraform exits without destroying it)
//   unlock: DELETE <path>/.lockinfo, release <path>/.lock, delete it if nobody took it
//           (Lock.Destroy), stop renewing and destroy the session
//
// A crash of the process destroys this object's coroutines without resuming them: renewals
// stop, nothing is released, and the lock stays held until Consul invalidates the session
// (2 x TTL after the last renewal, then the 5s lock-delay).
#include <optional>
#include <stop_token>
#include <string>

#include "engine/async/scope.hpp"
#include "engine/async/task.hpp"
#include "engine/consul/client.hpp"
#include "fakes/terraform/lock_info.hpp"

namespace baton::fakes::terraform {

struct LockResult {
  enum class Kind {
    acquired,
    refused,    // statemgr.LockError: the lock is held by another, or in its lock-delay
    failed,     // any other error (Consul unreachable, no leader, a conflicting key)
    cancelled,  // the stop token fired first
  };
  Kind kind = Kind::failed;
  std::string error;  // Go's err.Error() for refused and failed: what Terraform prints

  bool ok() const { return kind == Kind::acquired; }
};

class ConsulStateLock {
 public:
  // `identity` gives Who and Version to every LockInfo written.
  ConsulStateLock(Runtime& runtime, baton::consul::ConsulClient& consul, std::string state_path, LockInfo identity);
  ConsulStateLock(const ConsulStateLock&) = delete;
  ConsulStateLock& operator=(const ConsulStateLock&) = delete;

  // RemoteClient.Lock with LockInfo.Operation = `operation`.
  Task<LockResult> lock(std::string operation, std::stop_token stop);
  // RemoteClient.Unlock: "" on success, else the error Terraform reports. Never cancelled: it
  // is what a gracefully stopping Terraform does last.
  Task<std::string> unlock();

  bool held() const { return held_; }
  const std::string& session() const { return session_; }
  const std::string& state_path() const { return state_path_; }
  std::string lock_key() const;
  std::string lock_info_key() const;

 private:
  enum class TryOutcome { acquired, not_acquired, failed, cancelled };
  struct TryResult {
    TryOutcome outcome;
    std::string error;
  };

  Task<TryResult> acquire_try_once(std::stop_token stop);
  Task<TryResult> acquire(std::stop_token stop);
  // After a refused acquire: blocking on the holder (true) or a lock-delay (false).
  Task<std::optional<std::uint64_t>> holder_index(std::stop_token stop);
  Task<LockResult> refused_with_holder_info(std::stop_token stop);
  Task<std::optional<std::string>> put_lock_info(std::string operation);
  Task<std::vector<std::string>> release_and_remove();

  void start_renewing();
  // Ends the renewals; with `destroy`, the session too (RenewPeriodic's doneCh).
  Task<void> stop_renewing(bool destroy);
  static Task<void> renew_periodic(Runtime& runtime, baton::consul::ConsulClient& consul, std::string session,
                                   std::stop_token stop);

  Runtime& runtime_;
  baton::consul::ConsulClient& consul_;
  std::string state_path_;
  LockInfo identity_;
  std::string session_;
  bool held_ = false;
  std::optional<Scope> renewer_;
};

}  // namespace baton::fakes::terraform
