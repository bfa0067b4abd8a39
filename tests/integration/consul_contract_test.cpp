// The Consul port's contract, run against both of its bindings with the same calls and the same
// expectations: the simulator's (SimAgentTransport into the in-process fake cluster, virtual
// time) and production's (HttpConsulTransport, Boost.Beast over loopback, to fake-consul running
// as a real process). If the two ever disagree, either the fake's HTTP layer or one binding is
// wrong.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/consul/http_consul_transport.hpp"
#include "engine/consul/client.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "sim/consul/sim_agent_transport.hpp"
#include "sim/network/network.hpp"
#include "tests/integration/fake_consul_process.hpp"
#include "tests/support/consul_client_support.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::consul {
namespace {

using namespace std::chrono_literals;

// One binding of the port, with a way to run a coroutine on its runtime to its end.
class Binding {
 public:
  virtual ~Binding() = default;
  virtual ConsulClient& client() = 0;
  virtual Runtime& runtime() = 0;
  virtual void run(std::function<Task<void>()> body) = 0;
};

class SimBinding final : public Binding {
 public:
  SimBinding() : cluster_(world_, network_, fakes::consul::SimConsulClusterOptions{}) {
    cluster_.bootstrap_and_start();
    cluster_.start_agent(agent_);
    engine_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24)); });
    while (!cluster_.established_leader()) world_.run_for(baton::test::ms(10));
    world_.run_for(baton::test::seconds(2));
  }
  ~SimBinding() override { engine_.crash(); }

  ConsulClient& client() override { return client_; }
  Runtime& runtime() override { return engine_; }
  void run(std::function<Task<void>()> body) override { test::run_on(world_, engine_, wrap(std::move(body))); }

 private:
  static Task<bool> wrap(std::function<Task<void>()> body) {
    co_await body();
    co_return true;
  }

  sim::World world_{sim::WorldOptions{.seed = 7}};
  sim::Network network_{world_};
  fakes::consul::SimConsulCluster cluster_;
  std::size_t agent_ = cluster_.add_agent("engine-host-1", "10.2.0.1");
  sim::Node& engine_ = world_.add_node({.name = "baton-1"});
  sim::SimAgentTransport transport_{cluster_, engine_, agent_};
  ConsulClient client_{transport_};
};

// The transport for a fake-consul that is known to be there: failing to make one is a test bug.
std::unique_ptr<HttpConsulTransport> transport_to(AsioRuntime& runtime, const std::string& address) {
  HttpConsulTransportOrError made = HttpConsulTransport::create(runtime, address);
  if (made.index() == 1) throw std::runtime_error(std::get<1>(made));
  return std::move(std::get<0>(made));
}

class HttpBinding final : public Binding {
 public:
  HttpBinding()
      : transport_(transport_to(runtime_, "127.0.0.1:" + std::to_string(process_.port()))), client_(*transport_) {}

  ConsulClient& client() override { return client_; }
  Runtime& runtime() override { return runtime_; }
  void run(std::function<Task<void>()> body) override {
    runtime_.scope().spawn(body());
    runtime_.run();
  }

 private:
  baton::test::FakeConsulProcess process_{FAKE_CONSUL_BINARY};
  AsioRuntime runtime_;
  std::unique_ptr<HttpConsulTransport> transport_;
  ConsulClient client_;
};

class ConsulContract : public ::testing::TestWithParam<std::string> {
 protected:
  ConsulContract() {
    if (GetParam() == "sim") binding_ = std::make_unique<SimBinding>();
    else binding_ = std::make_unique<HttpBinding>();
  }
  std::unique_ptr<Binding> binding_;
};

SessionRequest ttl_session(std::string name) {
  return SessionRequest{.name = std::move(name), .ttl = 10s, .lock_delay = 0s, .checks = {}};
}

Task<void> kv_round_trip(ConsulClient& consul) {
  auto put = co_await consul.kv_put("contract/a", "one", 42);
  EXPECT_TRUE(put.ok() && put.value());
  auto got = co_await consul.kv_get("contract/a");
  EXPECT_TRUE(got.ok() && got.value().value.has_value());
  if (!got.ok() || !got.value().value) co_return;
  const KvPair pair = *got.value().value;
  EXPECT_EQ(pair.value, "one");
  EXPECT_EQ(pair.flags, 42u);
  EXPECT_EQ(got.value().meta.index, pair.modify_index) << "a single key reports its own ModifyIndex";
  auto stale_cas = co_await consul.kv_cas("contract/a", "two", pair.modify_index + 100);
  EXPECT_TRUE(stale_cas.ok() && !stale_cas.value());
  auto cas = co_await consul.kv_cas("contract/a", "two", pair.modify_index);
  EXPECT_TRUE(cas.ok() && cas.value());
  auto listed = co_await consul.kv_list("contract/");
  EXPECT_TRUE(listed.ok() && listed.value().value.size() == 1u);
  auto deleted = co_await consul.kv_delete("contract/a");
  EXPECT_TRUE(deleted.ok());
  auto missing = co_await consul.kv_get("contract/a");
  EXPECT_TRUE(missing.ok() && !missing.value().value.has_value());
}

Task<void> sessions_and_locks(ConsulClient& consul) {
  auto first = co_await consul.session_create(ttl_session("first"));
  auto second = co_await consul.session_create(ttl_session("second"));
  EXPECT_TRUE(first.ok() && second.ok());
  if (!first.ok() || !second.ok()) co_return;
  const std::string s1 = first.value();
  const std::string s2 = second.value();
  auto taken = co_await consul.kv_acquire("contract/lock", "{\"id\":\"one\"}", s1);
  EXPECT_TRUE(taken.ok() && taken.value());
  auto refused = co_await consul.kv_acquire("contract/lock", "{\"id\":\"two\"}", s2);
  EXPECT_TRUE(refused.ok() && !refused.value()) << "held by another session: a plain false";
  auto held = co_await consul.kv_get("contract/lock");
  EXPECT_TRUE(held.ok() && held.value().value && held.value().value->session == s1 && held.value().value->lock_index == 1u);
  auto released = co_await consul.kv_release("contract/lock", "{\"id\":\"one\"}", s1);
  EXPECT_TRUE(released.ok() && released.value());
  auto retaken = co_await consul.kv_acquire("contract/lock", "{\"id\":\"two\"}", s2);
  EXPECT_TRUE(retaken.ok() && retaken.value());
  auto renewed = co_await consul.session_renew(s1);
  EXPECT_TRUE(renewed.ok());
  auto destroyed = co_await consul.session_destroy(s2);
  EXPECT_TRUE(destroyed.ok());
  auto freed = co_await consul.kv_get("contract/lock");
  EXPECT_TRUE(freed.ok() && freed.value().value && freed.value().value->session.empty()) << "behavior release";
  auto gone = co_await consul.session_renew(s2);
  EXPECT_TRUE(!gone.ok() && gone.error().kind == ConsulErrorKind::session_not_found);
  auto unknown = co_await consul.kv_acquire("contract/lock", "x", "00000000-0000-0000-0000-000000000000");
  EXPECT_TRUE(!unknown.ok() && unknown.error().kind == ConsulErrorKind::invalid_session);
  auto info = co_await consul.session_info(s1);
  EXPECT_TRUE(info.ok() && info.value().value.has_value() && info.value().value->name == "first");
}

Task<void> txn_guarded_by_the_lock(ConsulClient& consul) {
  auto holder = co_await consul.session_create(ttl_session("holder"));
  auto other = co_await consul.session_create(ttl_session("other"));
  EXPECT_TRUE(holder.ok() && other.ok());
  if (!holder.ok() || !other.ok()) co_return;
  auto taken = co_await consul.kv_acquire("contract/leader", "me", holder.value());
  EXPECT_TRUE(taken.ok() && taken.value());
  std::vector<TxnOp> guarded{TxnOp::check_session("contract/leader", holder.value()), TxnOp::set("contract/state", "v1")};
  auto committed = co_await consul.txn(std::move(guarded));
  EXPECT_TRUE(committed.ok() && std::holds_alternative<TxnCommitted>(committed.value()));
  std::vector<TxnOp> fenced{TxnOp::check_session("contract/leader", other.value()), TxnOp::set("contract/state", "v2")};
  auto rolled_back = co_await consul.txn(std::move(fenced));
  EXPECT_TRUE(rolled_back.ok() && std::holds_alternative<TxnRolledBack>(rolled_back.value()));
  auto state = co_await consul.kv_get("contract/state");
  EXPECT_TRUE(state.ok() && state.value().value && state.value().value->value == "v1") << "a deposed leader's write is refused";
}

Task<void> write_later(Runtime& runtime, ConsulClient& consul) {
  co_await sleep_for(runtime, 300ms);
  auto put = co_await consul.kv_put("contract/watched", "new");
  EXPECT_TRUE(put.ok());
}

Task<void> blocking_get_wakes_on_write(Runtime& runtime, ConsulClient& consul, Scope& scope) {
  auto first = co_await consul.kv_put("contract/watched", "old");
  EXPECT_TRUE(first.ok());
  auto read = co_await consul.kv_get("contract/watched");
  EXPECT_TRUE(read.ok());
  if (!read.ok()) co_return;
  scope.spawn(write_later(runtime, consul));
  const MonoTime start = runtime.now();
  QueryOptions blocking{read.value().meta.index, 30s, Consistency::default_mode};
  auto woken = co_await consul.kv_get("contract/watched", blocking);
  EXPECT_TRUE(woken.ok() && woken.value().value && woken.value().value->value == "new");
  EXPECT_LT(runtime.now() - start, 10s) << "woken by the write, not by the wait running out";
  co_await scope.join();
}

TEST_P(ConsulContract, KvRoundTrip) {
  binding_->run([this] { return kv_round_trip(binding_->client()); });
}

TEST_P(ConsulContract, SessionsAndLocks) {
  binding_->run([this] { return sessions_and_locks(binding_->client()); });
}

TEST_P(ConsulContract, TxnGuardedByTheLock) {
  binding_->run([this] { return txn_guarded_by_the_lock(binding_->client()); });
}

TEST_P(ConsulContract, BlockingGetWakesOnWrite) {
  Scope writers(binding_->runtime());
  binding_->run([this, &writers] { return blocking_get_wakes_on_write(binding_->runtime(), binding_->client(), writers); });
}

TEST_P(ConsulContract, StatusLeaderNamesAServer) {
  binding_->run([this]() -> Task<void> {
    auto leader = co_await binding_->client().status_leader();
    EXPECT_TRUE(leader.ok() && !leader.value().empty());
  });
}

INSTANTIATE_TEST_SUITE_P(Bindings, ConsulContract, ::testing::Values("sim", "http"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) { return param_info.param; });

}  // namespace
}  // namespace baton::consul
