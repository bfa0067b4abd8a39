#include "fakes/terraform/consul_state_lock.hpp"

#include <cassert>
#include <utility>
#include <vector>

#include "engine/async/wait.hpp"
#include "fakes/terraform/backend_constants.hpp"
#include "fakes/terraform/go_errors.hpp"

namespace baton::fakes::terraform {

namespace {

// Consul binds a session created without a Checks field to the node's serfHealth check; the
// engine's client always sends the field, so it names that default.
constexpr const char* kSerfHealthCheck = "serfHealth";

using Kind = LockResult::Kind;

// api.Lock's lockEntry: the key, no value, the session, Flags LockFlagValue. Sent as a one-op
// transaction because the engine client's acquire and release take no flags.
baton::consul::TxnOp lock_entry_op(baton::consul::TxnVerb verb, std::string key, std::string session) {
  baton::consul::TxnOp op{.verb = verb, .key = std::move(key), .value = {}, .flags = kLockFlagValue, .index = 0, .session = std::move(session)};
  return op;
}

bool committed(const baton::consul::TxnOutcome& outcome) { return std::holds_alternative<baton::consul::TxnCommitted>(outcome); }

std::string rollback_reason(const baton::consul::TxnOutcome& outcome) {
  const auto* rolled_back = std::get_if<baton::consul::TxnRolledBack>(&outcome);
  if (rolled_back == nullptr || rolled_back->errors.empty()) return {};
  return rolled_back->errors.front().what;
}

}  // namespace

ConsulStateLock::ConsulStateLock(Runtime& runtime, baton::consul::ConsulClient& consul, std::string state_path, LockInfo identity)
    : runtime_(runtime), consul_(consul), state_path_(std::move(state_path)), identity_(std::move(identity)) {}

std::string ConsulStateLock::lock_key() const { return lock_path(state_path_) + std::string(kLockSuffix); }

std::string ConsulStateLock::lock_info_key() const { return lock_path(state_path_) + std::string(kLockInfoSuffix); }

Task<LockResult> ConsulStateLock::lock(std::string operation, std::stop_token stop) {
  assert(!held_ && "Terraform never locks a state it holds");
  baton::consul::SessionRequest request;
  request.name = std::string(kLockSessionName);
  request.ttl = kLockSessionTtl;
  request.lock_delay = kLockDelay;
  request.checks = {kSerfHealthCheck};
  baton::consul::ConsulResult<std::string> created = co_await consul_.session_create(std::move(request), stop);
  if (!created.ok()) {
    if (is_cancelled(created.error())) co_return LockResult{Kind::cancelled, {}};
    co_return LockResult{Kind::failed, consul_api_error_text(created.error())};
  }
  session_ = created.value();
  start_renewing();

  TryResult tried = co_await acquire_try_once(stop);
  if (tried.outcome == TryOutcome::not_acquired) {
    LockResult refused = co_await refused_with_holder_info(stop);
    co_await stop_renewing(/*destroy=*/false);
    co_return refused;
  }
  if (tried.outcome != TryOutcome::acquired) {
    co_await stop_renewing(/*destroy=*/false);
    if (tried.outcome == TryOutcome::cancelled) co_return LockResult{Kind::cancelled, {}};
    co_return LockResult{Kind::failed, std::move(tried.error)};
  }
  held_ = true;
  std::optional<std::string> info_error = co_await put_lock_info(std::move(operation));
  if (info_error) co_return LockResult{Kind::failed, std::move(*info_error)};
  co_return LockResult{Kind::acquired, {}};
}

// api.Lock.Lock with LockTryOnce and LockWaitTime 1s.
Task<ConsulStateLock::TryResult> ConsulStateLock::acquire_try_once(std::stop_token stop) {
  const std::string key = lock_key();
  const MonoTime start = runtime_.now();
  std::uint64_t index = 0;
  for (int attempts = 0;; ++attempts) {
    if (stop.stop_requested()) co_return TryResult{TryOutcome::cancelled, {}};
    Duration wait = kLockWaitTime;
    if (attempts > 0) {
      const Duration elapsed = runtime_.now() - start;
      if (elapsed > kLockWaitTime) co_return TryResult{TryOutcome::not_acquired, {}};
      wait = kLockWaitTime - elapsed;
    }
    baton::consul::QueryOptions query;
    query.index = index;
    query.wait = wait;
    auto read = co_await consul_.kv_get(key, query, stop);
    if (!read.ok()) {
      if (is_cancelled(read.error())) co_return TryResult{TryOutcome::cancelled, {}};
      co_return TryResult{TryOutcome::failed, "failed to read lock: " + consul_api_error_text(read.error())};
    }
    const std::optional<baton::consul::KvPair>& pair = read.value().value;
    if (pair && pair->flags != kLockFlagValue) co_return TryResult{TryOutcome::failed, "Existing key does not match lock use"};
    if (pair && pair->session == session_) co_return TryResult{TryOutcome::acquired, {}};
    if (pair && !pair->session.empty()) {
      index = read.value().meta.index;  // held: block until it changes
      continue;
    }
    TryResult acquired = co_await acquire(stop);
    if (acquired.outcome != TryOutcome::not_acquired) co_return acquired;
    // Refused: held by someone faster (block on it), or a lock-delay (wait, then look again).
    std::optional<std::uint64_t> held_at = co_await holder_index(stop);
    if (held_at) {
      index = *held_at;
      continue;
    }
    const WaitResult waited = co_await sleep_for(runtime_, kLockRetryTime, stop);
    if (waited == WaitResult::cancelled) co_return TryResult{TryOutcome::cancelled, {}};
    index = 0;
  }
}

Task<ConsulStateLock::TryResult> ConsulStateLock::acquire(std::stop_token stop) {
  std::vector<baton::consul::TxnOp> ops;
  ops.push_back(lock_entry_op(baton::consul::TxnVerb::lock, lock_key(), session_));
  baton::consul::ConsulResult<baton::consul::TxnOutcome> outcome = co_await consul_.txn(std::move(ops), stop);
  if (!outcome.ok()) {
    if (is_cancelled(outcome.error())) co_return TryResult{TryOutcome::cancelled, {}};
    co_return TryResult{TryOutcome::failed, "failed to acquire lock: " + consul_api_error_text(outcome.error())};
  }
  if (committed(outcome.value())) co_return TryResult{TryOutcome::acquired, {}};
  const std::string reason = rollback_reason(outcome.value());
  // `PUT ?acquire` answers false when held or in a lock-delay, and an error otherwise (an
  // invalid session): the transaction says which in its rollback text.
  const bool refused = reason.find("already held") != std::string::npos || reason.find("lock delay") != std::string::npos;
  if (refused) co_return TryResult{TryOutcome::not_acquired, {}};
  co_return TryResult{TryOutcome::failed, "failed to acquire lock: Unexpected response code: 500 (" + reason + ")"};
}

Task<std::optional<std::uint64_t>> ConsulStateLock::holder_index(std::stop_token stop) {
  // The API ignores this read's error: no holder seen means a timed wait.
  std::string key = lock_key();
  const baton::consul::QueryOptions now;
  auto read = co_await consul_.kv_get(std::move(key), now, stop);
  if (read.ok() && read.value().value && !read.value().value->session.empty()) co_return read.value().meta.index;
  co_return std::nullopt;
}

// RemoteClient.lock after Lock gave up: a LockError carrying the holder's LockInfo (none when
// it left no .lockinfo, as after a force-unlock or before its first write).
Task<LockResult> ConsulStateLock::refused_with_holder_info(std::stop_token stop) {
  std::string key = lock_info_key();
  const baton::consul::QueryOptions now;
  auto read = co_await consul_.kv_get(std::move(key), now, stop);
  if (!read.ok()) {
    if (is_cancelled(read.error())) co_return LockResult{Kind::cancelled, {}};
    co_return LockResult{Kind::refused, consul_api_error_text(read.error())};
  }
  if (!read.value().value) co_return LockResult{Kind::refused, {}};
  std::optional<LockInfo> holder = parse_lock_info(read.value().value->value);
  if (!holder) co_return LockResult{Kind::refused, "error unmarshaling lock info: invalid character in lock info"};
  co_return LockResult{Kind::refused, holder->to_text()};
}

// putLockInfo, and on failure the unlock Terraform does before giving up.
Task<std::optional<std::string>> ConsulStateLock::put_lock_info(std::string operation) {
  LockInfo info = identity_;
  info.id = session_;
  info.operation = std::move(operation);
  info.info = "consul session: " + session_;
  info.path = state_path_;
  info.created = go_rfc3339_nano(runtime_.wall_now());
  std::string key = lock_info_key();
  std::string value = info.to_json();
  const std::stop_token never;
  auto put = co_await consul_.kv_put(std::move(key), std::move(value), 0, never);
  if (put.ok()) co_return std::nullopt;
  std::string error = consul_api_error_text(put.error());
  std::string unlock_error = co_await unlock();
  if (unlock_error.empty()) co_return error;
  const std::vector<std::string> errors = {error, unlock_error};
  co_return multierror_text(errors);
}

Task<std::string> ConsulStateLock::unlock() {
  assert(held_ && "unlocking a lock not held");
  held_ = false;
  std::vector<std::string> errors = co_await release_and_remove();
  co_await stop_renewing(/*destroy=*/true);
  if (errors.empty()) co_return std::string();
  co_return multierror_text(errors);
}

Task<std::vector<std::string>> ConsulStateLock::release_and_remove() {
  // Graceful to the end: these calls are not abandoned for a stop request.
  const std::stop_token never;
  std::vector<std::string> errors;
  std::string info_key = lock_info_key();
  auto deleted = co_await consul_.kv_delete(std::move(info_key), never);
  if (!deleted.ok()) errors.push_back(consul_api_error_text(deleted.error()));

  std::vector<baton::consul::TxnOp> release;
  release.push_back(lock_entry_op(baton::consul::TxnVerb::unlock, lock_key(), session_));
  auto released = co_await consul_.txn(std::move(release), never);
  if (!released.ok()) errors.push_back("failed to release lock: " + consul_api_error_text(released.error()));

  // Lock.Destroy: remove the key unless someone took it meanwhile; its errors are ignored.
  std::string key = lock_key();
  const baton::consul::QueryOptions now;
  auto read = co_await consul_.kv_get(key, now, never);
  if (read.ok() && read.value().value && read.value().value->flags == kLockFlagValue && read.value().value->session.empty()) {
    std::vector<baton::consul::TxnOp> remove;
    remove.push_back(baton::consul::TxnOp::delete_cas(key, read.value().value->modify_index));
    auto removed = co_await consul_.txn(std::move(remove), never);
    (void)removed;
  }
  co_return errors;
}

void ConsulStateLock::start_renewing() {
  assert(!renewer_);
  renewer_.emplace(runtime_);
  renewer_->spawn(renew_periodic(runtime_, consul_, session_, renewer_->token()));
}

Task<void> ConsulStateLock::stop_renewing(bool destroy) {
  if (renewer_) {
    renewer_->request_stop();
    const std::stop_token never;
    co_await renewer_->join(never);
    renewer_.reset();
  }
  if (destroy) {
    const std::stop_token never;
    auto destroyed = co_await consul_.session_destroy(session_, never);
    (void)destroyed;  // RenewPeriodic ignores it too
  }
}

// Session.RenewPeriodic: renew every TTL/2; after a failed renewal retry every second, and
// give up once a whole TTL has passed since the last success, or when Consul no longer has
// the session.
Task<void> ConsulStateLock::renew_periodic(Runtime& runtime, baton::consul::ConsulClient& consul, std::string session,
                                           std::stop_token stop) {
  Duration ttl = kLockSessionTtl;
  Duration wait = ttl / 2;
  MonoTime last_renew = runtime.now();
  for (;;) {
    if (runtime.now() - last_renew > ttl) co_return;
    const WaitResult waited = co_await sleep_for(runtime, wait, stop);
    if (waited == WaitResult::cancelled) co_return;
    baton::consul::ConsulResult<baton::consul::Session> renewed = co_await consul.session_renew(session, stop);
    if (!renewed.ok()) {
      if (renewed.error().kind == baton::consul::ConsulErrorKind::session_not_found || is_cancelled(renewed.error())) co_return;
      wait = kRenewRetryTime;
      continue;
    }
    if (renewed.value().ttl > Duration::zero()) ttl = renewed.value().ttl;
    wait = ttl / 2;
    last_renew = runtime.now();
  }
}

}  // namespace baton::fakes::terraform
