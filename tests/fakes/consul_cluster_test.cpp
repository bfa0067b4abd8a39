// The fake Consul as a cluster of three servers over Raft, in virtual time: consul-semantics.md
// section 6 and consul-lock-failure-modes.md items 6 and 23.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::fakes::consul {
namespace {

using test::ms;
using test::seconds;

class ConsulCluster : public ::testing::Test {
 protected:
  ConsulCluster() {
    cluster_.bootstrap_and_start();
    client_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24 * 365)); });
  }

  // Runs until one server has established its leadership; its index.
  std::size_t await_leader(std::int64_t within_ns = seconds(60)) {
    const std::int64_t limit = world_.now_ns() + within_ns;
    while (world_.now_ns() < limit) {
      if (auto leader = cluster_.established_leader()) return *leader;
      world_.run_until(world_.now_ns() + ms(10));
    }
    ADD_FAILURE() << "no leader within " << within_ns / 1'000'000 << " ms";
    return 0;
  }

  // Sends a request through server `i` as its local agent would, and runs until answered.
  std::optional<http::Response> call(std::size_t i, std::string method, std::string target, std::string body = {}) {
    auto answer = std::make_shared<std::optional<std::optional<http::Response>>>();
    http::Request request{std::move(method), std::move(target), {}, std::move(body)};
    client_.scope().spawn([](SimConsulCluster& cluster, sim::Node& from, std::size_t server, http::Request r,
                             std::shared_ptr<std::optional<std::optional<http::Response>>> out) -> Task<void> {
      *out = co_await cluster.request(from, server, std::move(r), std::chrono::seconds(60));
    }(cluster_, client_, i, std::move(request), answer));
    while (!*answer && world_.step()) {
    }
    return answer->value_or(std::nullopt);
  }

  std::size_t follower_of(std::size_t leader, std::size_t nth = 0) const {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < cluster_.size(); ++i) {
      if (i != leader && seen++ == nth) return i;
    }
    return leader;
  }

  sim::World world_{sim::WorldOptions{.seed = 3}};
  sim::Network network_{world_};
  SimConsulCluster cluster_{world_, network_};
  sim::Node& client_ = world_.add_node({.name = "agent-client"});
};

// §6 "Afterwards Raft needs a majority of the configured voters"; 3 servers elect one leader,
// and a write sent to any server reaches it (ForwardRPC) and every server's store.
TEST_F(ConsulCluster, Semantics6_ThreeServersElectOneLeaderAndReplicateWrites) {
  const std::size_t leader = await_leader();
  const std::size_t follower = follower_of(leader);
  std::optional<http::Response> put = call(follower, "PUT", "/v1/kv/shared", "v1");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->body, "true");
  std::optional<http::Response> read = call(follower_of(leader, 1), "GET", "/v1/kv/shared");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  EXPECT_EQ(read->header("X-Consul-KnownLeader"), "true");
  world_.run_for(seconds(1));
  for (std::size_t i = 0; i < cluster_.size(); ++i) {
    ASSERT_NE(cluster_.server(i), nullptr);
    ASSERT_NE(cluster_.server(i)->store().kv_get("shared"), nullptr) << "server " << i;
    EXPECT_EQ(cluster_.server(i)->store().kv_get("shared")->value, "v1");
  }
  EXPECT_EQ(nlohmann::json::parse(call(follower, "GET", "/v1/status/peers")->body).size(), 3u);
}

// §5 "No leader: `No cluster leader`, HTTP 500 ... Requests wait up to rpc_hold_timeout (7s) for
// a leader before failing." Losing 2 of 3 loses writes; restarting them restores a leader and
// the data (modern profile: servers do not leave on a crash).
TEST_F(ConsulCluster, Semantics5_LosingTwoOfThreeGivesNoClusterLeaderAfterTheHold) {
  const std::size_t leader = await_leader();
  ASSERT_EQ(call(leader, "PUT", "/v1/kv/before", "x")->body, "true");
  cluster_.node(follower_of(leader, 0)).crash();
  cluster_.node(follower_of(leader, 1)).crash();
  world_.run_for(seconds(10));  // past the leader lease: the survivor steps down
  EXPECT_FALSE(cluster_.established_leader().has_value());

  // §4 "GET /v1/status/leader: ... `""` (200) when there is no leader": Status.Leader answers
  // from the server's own Raft state, at once, without waiting for a leader.
  const std::int64_t leader_asked_at = world_.now_ns();
  std::optional<http::Response> no_leader = call(leader, "GET", "/v1/status/leader");
  ASSERT_TRUE(no_leader);
  EXPECT_EQ(no_leader->status, 200);
  EXPECT_EQ(no_leader->body, "\"\"") << "a JSON empty string";
  EXPECT_LT(world_.now_ns() - leader_asked_at, seconds(1)) << "not held for rpc_hold_timeout";

  const std::int64_t asked_at = world_.now_ns();
  std::optional<http::Response> refused = call(leader, "PUT", "/v1/kv/after", "y");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 500);
  EXPECT_EQ(refused->body, "No cluster leader");
  EXPECT_GE(world_.now_ns() - asked_at, seconds(7)) << "held for rpc_hold_timeout first";

  cluster_.node(follower_of(leader, 0)).restart();
  cluster_.node(follower_of(leader, 1)).restart();
  const std::size_t new_leader = await_leader();
  std::optional<http::Response> read = call(new_leader, "GET", "/v1/kv/before");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200) << "the committed write survived";
  EXPECT_EQ(nlohmann::json::parse(call(new_leader, "GET", "/v1/status/leader")->body), cluster_.server(new_leader)->leader_address());
  EXPECT_EQ(call(new_leader, "PUT", "/v1/kv/after", "y")->body, "true");
}

// §1 "Lock-delay enforcement (kvsPreApply): only for ?acquire=, checked on the Consul leader's
// clock, keyed by key only: every session is refused during the delay, a brand-new one too."
// The follower's clock runs 50% fast: by its own reading the delay is over well before the
// leader's, and the acquire it forwards is still refused until the leader's clock says so.
TEST_F(ConsulCluster, Semantics1_LockDelayIsJudgedOnTheLeadersClock) {
  const std::size_t leader = await_leader();
  const std::size_t follower = follower_of(leader);
  cluster_.node(follower).set_drift_ppm(sim::kDriftPpmMax);
  world_.run_for(seconds(1));  // the leader registers every server's node: sessions need one
  auto create = [&](std::size_t via) {
    return nlohmann::json::parse(call(via, "PUT", "/v1/session/create", R"({"LockDelay":"15s"})")->body).value("ID", "");
  };
  const std::string holder = create(leader);
  ASSERT_EQ(call(leader, "PUT", "/v1/kv/lock?acquire=" + holder, "a")->body, "true");
  ASSERT_EQ(call(follower, "PUT", "/v1/session/destroy/" + holder)->body, "true");
  const std::int64_t destroyed_at = world_.now_ns();  // after the leader applied it: its delay ends before +15s
  const std::string challenger = create(follower);

  world_.run_until(destroyed_at + seconds(11));  // 16.5 s on the follower's clock, 11 s on the leader's
  ASSERT_FALSE(cluster_.server(follower)->lock_delay_in_force("lock")) << "by the follower's own clock the delay is over";
  ASSERT_TRUE(cluster_.server(leader)->lock_delay_in_force("lock"));
  EXPECT_EQ(call(follower, "PUT", "/v1/kv/lock?acquire=" + challenger, "b")->body, "false") << "the leader's clock decides";

  world_.run_until(destroyed_at + seconds(15) + ms(100));
  EXPECT_EQ(call(follower, "PUT", "/v1/kv/lock?acquire=" + challenger, "b")->body, "true");
  EXPECT_EQ(cluster_.established_leader(), std::optional<std::size_t>(leader)) << "the same leader judged both";
}

// §1 "Timers run only on the Consul leader: a new Consul leader resets every session timer to a
// full 2xTTL" (consul-lock-failure-modes.md item 6: a dead holder's session outlives 2 x TTL).
TEST_F(ConsulCluster, FailureMode6_ANewConsulLeaderResetsSessionTimers) {
  const std::size_t leader = await_leader();
  std::optional<http::Response> created = call(leader, "PUT", "/v1/session/create", R"({"TTL":"10s","LockDelay":"0s"})");
  ASSERT_TRUE(created);
  const std::string id = nlohmann::json::parse(created->body).value("ID", "");
  const std::int64_t last_renew = world_.now_ns();  // the holder dies now: no renew ever again
  world_.run_until(last_renew + seconds(15));
  cluster_.node(leader).crash();
  const std::size_t new_leader = await_leader();
  const std::int64_t established = world_.now_ns();
  ASSERT_GT(established, last_renew + seconds(20)) << "the election outlasted the old 2 x TTL deadline";
  std::optional<http::Response> alive = call(new_leader, "GET", "/v1/session/info/" + id);
  ASSERT_TRUE(alive);
  EXPECT_EQ(nlohmann::json::parse(alive->body).size(), 1u) << "past 2 x TTL after the last renew, yet alive";
  world_.run_until(established + seconds(20) + seconds(1));
  std::optional<http::Response> gone = call(new_leader, "GET", "/v1/session/info/" + id);
  ASSERT_TRUE(gone);
  EXPECT_EQ(nlohmann::json::parse(gone->body).size(), 0u) << "expired a full 2 x TTL after the new leader took over";
}

// §3 "In the default mode an old leader may briefly serve stale reads after a leader change;
// `consistent` has no such window" (consul-lock-failure-modes.md item 12). A leader paused past
// an election, then cut off, still believes it leads when it wakes: ?consistent makes it prove
// that first (VerifyLeader), so it never answers with the overwritten value.
TEST_F(ConsulCluster, Semantics3_ConsistentReadsNeverComeFromADeposedLeader) {
  const std::size_t old_leader = await_leader();
  ASSERT_EQ(call(old_leader, "PUT", "/v1/kv/k", "old")->body, "true");
  world_.run_for(seconds(1));
  cluster_.node(old_leader).pause();
  const std::size_t new_leader = await_leader();
  ASSERT_NE(new_leader, old_leader);
  ASSERT_EQ(call(new_leader, "PUT", "/v1/kv/k", "new")->body, "true");
  network_.cut(cluster_.node(old_leader), cluster_.node(follower_of(old_leader, 0)));
  network_.cut(cluster_.node(old_leader), cluster_.node(follower_of(old_leader, 1)));
  cluster_.node(old_leader).resume();

  std::optional<http::Response> consistent = call(old_leader, "GET", "/v1/kv/k?consistent");
  ASSERT_TRUE(consistent);
  EXPECT_NE(consistent->status, 200) << "a deposed leader cannot verify its leadership: " << consistent->body;
  network_.heal();
  const std::size_t leader = await_leader();
  std::optional<http::Response> healed = call(old_leader, "GET", "/v1/kv/k?consistent");
  ASSERT_TRUE(healed);
  ASSERT_EQ(healed->status, 200) << healed->body;
  EXPECT_EQ(nlohmann::json::parse(healed->body)[0]["Value"], "bmV3") << "base64 of new, read via leader " << leader;
}

// Failure mode 7: "Snapshot restore rolls back lock state: indexes go backwards, sessions
// created after the snapshot vanish, an old holder can reappear; lock-delay table not carried
// over". And the leader restarts every restored session's timer (reassertLeaderCh).
TEST_F(ConsulCluster, FailureMode7_SnapshotRestoreRollsBackLockState) {
  const std::size_t leader = await_leader();
  auto create = [&](const char* body) { return nlohmann::json::parse(call(leader, "PUT", "/v1/session/create", body)->body).value("ID", ""); };
  const std::string old_holder = create(R"({"TTL":"30s","LockDelay":"0s"})");
  ASSERT_EQ(call(leader, "PUT", "/v1/kv/lock?acquire=" + old_holder, "a")->body, "true");
  const std::shared_ptr<const StateStore> snapshot = cluster_.save_snapshot();
  ASSERT_NE(snapshot, nullptr);
  auto index_of = [](const std::optional<http::Response>& response) {
    return std::stoull(std::string(response->header("X-Consul-Index").value_or("0")));
  };
  const std::uint64_t index_at_snapshot = index_of(call(leader, "GET", "/v1/kv/lock"));

  ASSERT_EQ(call(leader, "PUT", "/v1/session/destroy/" + old_holder)->body, "true");
  const std::string new_holder = create(R"({"TTL":"30s","LockDelay":"60s"})");
  ASSERT_EQ(call(leader, "PUT", "/v1/kv/lock?acquire=" + new_holder, "b")->body, "true");
  ASSERT_EQ(call(leader, "PUT", "/v1/session/destroy/" + new_holder)->body, "true");  // 60s lock-delay on lock
  const std::uint64_t index_before_restore = index_of(call(leader, "GET", "/v1/kv/lock"));

  const std::int64_t restored_at = world_.now_ns();
  ASSERT_TRUE(cluster_.restore_snapshot(snapshot, world_.now_ns() + seconds(10)));
  std::optional<http::Response> lock = call(leader, "GET", "/v1/kv/lock");
  ASSERT_TRUE(lock);
  EXPECT_EQ(nlohmann::json::parse(lock->body)[0].value("Session", ""), old_holder) << "the old holder reappears";
  EXPECT_EQ(index_of(lock), index_at_snapshot);
  EXPECT_LT(index_of(lock), index_before_restore) << "the index went backwards";
  EXPECT_EQ(nlohmann::json::parse(call(leader, "GET", "/v1/session/info/" + new_holder)->body).size(), 0u);
  EXPECT_FALSE(cluster_.server(leader)->lock_delay_in_force("lock")) << "lock-delays are not in a snapshot";

  world_.run_until(restored_at + seconds(59));
  EXPECT_EQ(nlohmann::json::parse(call(leader, "GET", "/v1/session/info/" + old_holder)->body).size(), 1u)
      << "its timer restarted at the restore: 2 x TTL from then";
  world_.run_until(restored_at + seconds(61));
  EXPECT_EQ(nlohmann::json::parse(call(leader, "GET", "/v1/session/info/" + old_holder)->body).size(), 0u);
}

// Failure mode 23: "Quorum loss freezes sessions: nothing can be created, renewed or
// invalidated ... the session lives until the next leader election resets it."
TEST_F(ConsulCluster, FailureMode23_QuorumLossFreezesSessions) {
  const std::size_t leader = await_leader();
  const std::string id = nlohmann::json::parse(call(leader, "PUT", "/v1/session/create", R"({"TTL":"10s"})")->body).value("ID", "");
  world_.run_for(seconds(1));
  cluster_.node(follower_of(leader, 0)).crash();
  cluster_.node(follower_of(leader, 1)).crash();
  world_.run_for(seconds(5));  // past the leader lease (a renew needs a leader, not a quorum)
  std::optional<http::Response> renew = call(leader, "PUT", "/v1/session/renew/" + id);
  ASSERT_TRUE(renew);
  EXPECT_EQ(renew->body, "No cluster leader") << "no renewals without a quorum";
  world_.run_for(seconds(60));  // three times 2 x TTL without a leader
  std::optional<http::Response> frozen = call(leader, "GET", "/v1/session/info/" + id + "?stale");
  ASSERT_TRUE(frozen);
  EXPECT_EQ(nlohmann::json::parse(frozen->body).size(), 1u) << "nobody could invalidate it";

  cluster_.node(follower_of(leader, 0)).restart();
  cluster_.node(follower_of(leader, 1)).restart();
  const std::size_t new_leader = await_leader();
  const std::int64_t elected_at = world_.now_ns();
  EXPECT_EQ(nlohmann::json::parse(call(new_leader, "GET", "/v1/session/info/" + id)->body).size(), 1u);
  world_.run_until(elected_at + seconds(21));
  EXPECT_EQ(nlohmann::json::parse(call(new_leader, "GET", "/v1/session/info/" + id)->body).size(), 0u)
      << "expired 2 x TTL after the new leader reset its timer";
}

// ?stale reads are answered by any server, even with no leader (failure mode 23: "?stale reads
// keep working").
TEST_F(ConsulCluster, StaleReadsWorkWithoutALeader) {
  const std::size_t leader = await_leader();
  ASSERT_EQ(call(leader, "PUT", "/v1/kv/k", "v")->body, "true");
  world_.run_for(seconds(1));
  const std::size_t survivor = follower_of(leader);
  cluster_.node(leader).crash();
  cluster_.node(follower_of(leader, 1)).crash();
  world_.run_for(seconds(30));
  std::optional<http::Response> stale = call(survivor, "GET", "/v1/kv/k?stale");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 200);
  EXPECT_EQ(stale->header("X-Consul-KnownLeader"), "false");
  EXPECT_NE(stale->header("X-Consul-LastContact"), "0");
}

// §6 "Autopilot: cleanup_dead_servers true": a deliberate difference (fakes/consul/README.md),
// no autopilot. A crashed server stays a voter however long it is gone: the leader marks its
// node's serfHealth critical, and only an operator (peers.json) takes it out of Raft.
TEST_F(ConsulCluster, DeliberateDifference_NoAutopilotADeadServerStaysAVoter) {
  const std::size_t leader = await_leader();
  const std::size_t dead = follower_of(leader);
  cluster_.node(dead).crash();
  world_.run_for(seconds(120));  // autopilot would have pruned it seconds after Serf saw it fail
  ASSERT_EQ(cluster_.established_leader(), std::optional<std::size_t>(leader));
  EXPECT_EQ(nlohmann::json::parse(call(leader, "GET", "/v1/status/peers")->body).size(), 3u);
  EXPECT_EQ(cluster_.server(leader)->raft()->latest_configuration().servers.size(), 3u);
  const std::vector<HealthCheck> checks = cluster_.server(leader)->store().node_checks(std::string(cluster_.node(dead).name()));
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].status, CheckStatus::critical) << "failed in Serf, yet a voter";
}

// leader.go: the leader reconciles a member on its Serf events and every member every
// ReconcileInterval (60s). A live server's node deregistered by hand has no event: it stays
// out of the catalog until the next full round puts it back, serfHealth passing.
TEST_F(ConsulCluster, ALiveMemberDeregisteredByHandReturnsAtTheNextFullReconcile) {
  const std::size_t leader = await_leader();
  world_.run_for(seconds(1));
  const std::string victim(cluster_.node(follower_of(leader)).name());
  ASSERT_NE(cluster_.server(leader)->store().node(victim), nullptr);
  const std::optional<http::Response> deregistered =
      call(leader, "PUT", "/v1/catalog/deregister", nlohmann::json{{"Node", victim}}.dump());
  ASSERT_TRUE(deregistered && deregistered->status == 200);
  const std::int64_t gone_at = world_.now_ns();
  std::int64_t back_at = 0;
  while (world_.now_ns() < gone_at + seconds(70)) {
    world_.run_until(world_.now_ns() + ms(100));
    if (cluster_.server(leader)->store().node(victim) != nullptr) {
      back_at = world_.now_ns();
      break;
    }
  }
  ASSERT_NE(back_at, 0) << victim << " never came back";
  EXPECT_GT(back_at - gone_at, seconds(1)) << "no member event brings it back at once";
  EXPECT_LE(back_at - gone_at, seconds(61)) << "within one ReconcileInterval";
  const HealthCheck* serf_health = cluster_.server(leader)->store().node_check(victim, "serfHealth");
  ASSERT_NE(serf_health, nullptr);
  EXPECT_EQ(serf_health->status, CheckStatus::passing);
}

}  // namespace
}  // namespace baton::fakes::consul

namespace baton::fakes::consul {
namespace {

// §6 "dev mode 52ms/35ms/20ms": a deliberate reading (fakes/consul/README.md). The reference
// lists them after "HeartbeatTimeout 1s, ElectionTimeout 1s, LeaderLeaseTimeout 500ms", which
// would make the heartbeat 52ms; Consul's DevConsulSource says election 52ms, heartbeat 35ms,
// lease 20ms, and DevSource raft_multiplier 1. hashicorp/raft's ValidateConfig refuses the
// other reading ("ElectionTimeout must be equal or greater than Heartbeat Timeout").
TEST(ConsulDevTiming, DeliberateDifference_DevModeRaftTimingFollowsDevConsulSource) {
  const raft::RaftTiming dev = raft::RaftTiming::consul_dev();
  EXPECT_EQ(dev.scaled_election_timeout(), std::chrono::milliseconds(52));
  EXPECT_EQ(dev.scaled_heartbeat_timeout(), std::chrono::milliseconds(35));
  EXPECT_EQ(dev.scaled_leader_lease_timeout(), std::chrono::milliseconds(20));
  EXPECT_GE(dev.election_timeout, dev.heartbeat_timeout) << "raft ValidateConfig";
  EXPECT_LE(dev.leader_lease_timeout, dev.heartbeat_timeout) << "raft ValidateConfig";

  // In force, it replaces a lost leader in well under a second (Consul's default timing needs
  // more than its 5 s heartbeat timeout).
  sim::World world{sim::WorldOptions{.seed = 3}};
  sim::Network network{world};
  SimConsulCluster cluster{world, network, SimConsulClusterOptions{.timing = dev}};
  cluster.bootstrap_and_start();
  world.run_for(seconds(2));
  const std::optional<std::size_t> first = cluster.established_leader();
  ASSERT_TRUE(first);
  cluster.node(*first).crash();
  const std::int64_t crashed_at = world.now_ns();
  while (!cluster.established_leader() && world.now_ns() < crashed_at + seconds(1)) world.run_for(ms(5));
  EXPECT_TRUE(cluster.established_leader().has_value()) << "no new leader within 1 s of dev-mode timing";
}

class ConsulProfiles : public ::testing::TestWithParam<ConsulProfile> {
 protected:
  ConsulProfiles() : cluster_(world_, network_, SimConsulClusterOptions{.profile = GetParam()}) { cluster_.bootstrap_and_start(); }

  std::optional<std::size_t> leader_within(std::int64_t within_ns) {
    const std::int64_t limit = world_.now_ns() + within_ns;
    while (world_.now_ns() < limit) {
      if (auto leader = cluster_.established_leader()) return leader;
      world_.run_until(world_.now_ns() + test::ms(10));
    }
    return std::nullopt;
  }

  // Interrupts the servers one at a time, each once the others have a leader again (as an
  // operator stopping them one by one would); returns how many were seen to leave gracefully.
  int interrupt_all_then_restart() {
    int left = 0;
    for (std::size_t i = 0; i < cluster_.size(); ++i) {
      leader_within(test::seconds(30));
      left += cluster_.interrupt(i, world_.now_ns() + test::seconds(30)) ? 1 : 0;
      world_.run_for(test::seconds(1));
    }
    for (std::size_t i = 0; i < cluster_.size(); ++i) cluster_.node(i).restart();
    return left;
  }

  sim::World world_{sim::WorldOptions{.seed = 5}};
  sim::Network network_{world_};
  SimConsulCluster cluster_;
};

// §6: "hashicorp/consul issue 993: SIGINT made each server leave gracefully and remove itself
// from the peer set; raft/peers.json ended up `null` on all three" under legacy Consul; "Since
// PR 2320 (2016) ... servers no longer leave on signals by default".
TEST_P(ConsulProfiles, Semantics6_Issue993_InterruptingEveryServerThenRestarting) {
  ASSERT_TRUE(leader_within(test::seconds(60)));
  const int left = interrupt_all_then_restart();
  EXPECT_EQ(left >= 2, GetParam() == ConsulProfile::legacy) << left << " servers left gracefully";
  const std::optional<std::size_t> leader = leader_within(test::seconds(300));
  if (GetParam() == ConsulProfile::legacy) {
    EXPECT_FALSE(leader.has_value()) << "legacy: every server left and emptied its peers: no leader, ever";
  } else {
    EXPECT_TRUE(leader.has_value()) << "modern: nobody left; the restarted servers elect again";
  }
}

// §6 "Outage recovery: raft/peers.json ... listing only the surviving servers, ingested at start
// then deleted." After issue 993 (legacy), writing peers.json on all three restores a leader.
TEST_P(ConsulProfiles, Semantics6_PeersJsonRecoversAWedgedCluster) {
  ASSERT_TRUE(leader_within(test::seconds(60)));
  interrupt_all_then_restart();
  leader_within(test::seconds(60));
  for (std::size_t i = 0; i < cluster_.size(); ++i) {
    if (cluster_.node(i).state() != sim::NodeState::crashed) cluster_.node(i).crash();
    ASSERT_TRUE(cluster_.write_peers_json(i, {0, 1, 2}));
  }
  for (std::size_t i = 0; i < cluster_.size(); ++i) cluster_.node(i).restart();
  EXPECT_TRUE(leader_within(test::seconds(120)).has_value()) << "peers.json recovery restores a leader";
}

INSTANTIATE_TEST_SUITE_P(Profiles, ConsulProfiles, ::testing::Values(ConsulProfile::modern, ConsulProfile::legacy),
                         [](const auto& param_info) { return param_info.param == ConsulProfile::modern ? "modern" : "legacy"; });

}  // namespace
}  // namespace baton::fakes::consul
