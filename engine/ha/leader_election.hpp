#pragma once
// LeaderElection: one instance's side of baton's high availability (DESIGN.md "High
// availability", steps 1 to 4, 6 and 7). It holds a Consul session, renews it, campaigns for the
// lock key `<parent_path>/leader`, and while it leads runs the caller's term body, stopping it
// the moment leadership may be gone:
//
//   fenced   the lease ran out: no renewal succeeded within session_ttl of its sending, on this
//            instance's clock. Consul cannot expire the session before 2 x TTL after the last
//            renewal it saw, so the instance has stopped acting at least TTL before another can
//            take the lock (lock_delay adds to that margin when the session is invalidated early).
//   deposed  the lock key names another session (or none), or Consul lost the session.
//   stopping the caller asked to stop: the term ends, then the lock is released and the session
//            destroyed, so a follower takes over within one round trip (step 6).
//
// After a fence the session is kept: when Consul comes back (a new Consul leader resets every
// session timer, consul-semantics.md), a renewal may succeed and the lock may still be ours; the
// instance then leads again, in a new term (step 7). A lost session is replaced by a new one.
//
// Consul errors never end run(): each loop backs off (with jitter from the runtime's Rng) and
// tries again. Log lines follow CTS's: `[INFO] ha: acquired leadership lock: id=cts-01`.
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

#include "engine/async/event.hpp"
#include "engine/async/task.hpp"
#include "engine/consul/blocking_query.hpp"
#include "engine/consul/client.hpp"
#include "engine/ha/leader_record.hpp"
#include "engine/log/logger.hpp"
#include "engine/testing/planted_bugs.hpp"

namespace baton::ha {

using namespace std::chrono_literals;

struct LeaderElectionOptions {
  std::string cluster_name;      // high_availability.cluster.name
  std::string instance_id;       // the instance's id (CTS's `id`)
  std::string instance_address;  // high_availability.instance.address; empty when not configured
  std::uint16_t instance_port = 0;  // the API's port (top-level `port`), recorded for redirects
  std::string parent_path;       // the KV prefix of the cluster's state; the lock is <parent_path>/leader

  Duration session_ttl = 15s;
  // How often the session is renewed while the last renewal succeeded; zero: session_ttl / 2.
  Duration renew_interval{};
  // The session's lock-delay. Zero keeps CTS's documented failover window: with the lease fence
  // at 1 x TTL and Consul's expiry at 2 x TTL, the old leader has stopped a whole TTL before the
  // lock frees; any lock-delay would push failover past 2 x TTL.
  Duration lock_delay{};
  // After a failed renewal, the next try comes this soon (the lease is running out).
  Duration renew_retry = 1s;
  // After `acquire` answered false with the key unheld (a lock-delay in force), try again after.
  Duration acquire_retry = 1s;
  // The wait of each blocking read of the lock key.
  Duration lock_wait = std::chrono::minutes(5);
  // Reads of the lock key start at least this far apart (consul::QueryPacer).
  Duration min_query_interval = 50ms;
  // Back-off after Consul errors.
  consul::BackoffPolicy error_backoff{500ms, 10s};
  // The simulator's planted bugs (engine/testing/planted_bugs.hpp): only skip_fencing is read here.
  PlantedBugs bugs;

  Duration effective_renew_interval() const { return renew_interval > Duration::zero() ? renew_interval : session_ttl / 2; }
  std::string lock_key() const { return parent_path + "/leader"; }
};

// Why a term ended.
enum class TermEnd { fenced, deposed, stopping };
const char* to_string(TermEnd end);

// One stretch of leadership, as the term body sees it.
struct LeaderTerm {
  std::uint64_t number = 0;  // 1 for the instance's first promotion, then 2, 3...
  std::string session_id;    // the session holding the lock: guard state writes with check-session on it
  std::string lock_key;
};

// What the instance leads with: started on each promotion, stopped (its token fires) when the
// term ends; it must then return promptly. Its errors are its own business: run() never ends
// because of them.
using TermBody = std::function<Task<void>(LeaderTerm term, std::stop_token stop)>;

class LeaderElection {
 public:
  LeaderElection(Runtime& runtime, consul::ConsulClient& consul, Logger logger, LeaderElectionOptions options);
  LeaderElection(const LeaderElection&) = delete;
  LeaderElection& operator=(const LeaderElection&) = delete;

  // Campaigns, leads and campaigns again until `stop`; then ends the term (if any), releases the
  // lock and destroys the session before returning. Bind `body` to a named local before the
  // co_await (engine/README.md, GCC 12 pitfalls).
  Task<void> run(TermBody body, std::stop_token stop);

  // True while a term is running and its lease is valid: the instance may act as leader.
  bool leading() const;
  // The lock holder as last read from Consul (this instance included), if any.
  const std::optional<LeaderRecord>& known_leader() const { return known_leader_; }
  // Promotions so far.
  std::uint64_t terms() const { return terms_; }
  // When the lease runs out, on this instance's clock (past: it has).
  MonoTime lease_expiry() const { return lease_expiry_; }
  const std::string& session_id() const { return session_id_; }
  const LeaderElectionOptions& options() const { return options_; }

 private:
  struct SessionLife;

  Task<std::string> create_session(std::stop_token stop);
  Task<void> renew_loop(SessionLife& life, std::stop_token stop);
  Task<void> campaign(SessionLife& life, const TermBody& body, std::stop_token stop);
  Task<void> lead(SessionLife& life, const TermBody& body, std::stop_token stop);
  Task<void> watch_lock(SessionLife& life, std::stop_token stop);
  Task<void> release_and_destroy(SessionLife& life, bool release_lock);
  Task<void> back_off(consul::Backoff& backoff, std::stop_token stop);
  void observe_holder(const std::optional<consul::KvPair>& lock);
  void extend_lease(SessionLife& life, MonoTime renewal_sent);

  Runtime& runtime_;
  consul::ConsulClient& consul_;
  Logger logger_;
  LeaderElectionOptions options_;

  std::optional<LeaderRecord> known_leader_;
  std::uint64_t terms_ = 0;
  bool in_term_ = false;
  MonoTime lease_expiry_{};
  std::string session_id_;
};

}  // namespace baton::ha
