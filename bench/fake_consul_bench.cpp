// Throughput of the in-process fake Consul, in the simulator's virtual time (real CPU time
// measured): KV writes and reads and session renewals at three depths (the state store alone;
// the server, with its coroutine and leader duties; the full HTTP API in process), and
// blocking-query wake-ups with 10,000 watchers. Targets (issue 4): >= 1 million KV and renew
// operations a second in process.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "fakes/consul/api/http_api.hpp"
#include "sim/runtime/node.hpp"

namespace baton::fakes::consul {
namespace {

constexpr int kKeys = 1024;

std::vector<std::string> key_names() {
  std::vector<std::string> keys;
  for (int i = 0; i < kKeys; ++i) keys.push_back("service/web/instance-" + std::to_string(i));
  return keys;
}

void BM_StoreKvSet(benchmark::State& state) {
  StateStore store;
  const std::vector<std::string> keys = key_names();
  std::uint64_t index = 0;
  for (auto _ : state) {
    ++index;
    store.kv_set(index, KvEntry{.key = keys[index % kKeys], .value = std::to_string(index)});
  }
  state.counters["ops/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StoreKvSet);

void BM_StoreKvGet(benchmark::State& state) {
  StateStore store;
  const std::vector<std::string> keys = key_names();
  for (int i = 0; i < kKeys; ++i) store.kv_set(std::uint64_t(i + 1), KvEntry{.key = keys[std::size_t(i)], .value = "v"});
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(store.kv_get(keys[++i % kKeys]));
  state.counters["ops/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StoreKvGet);

// A dev-mode server on a simulated node; `operations` runs as one coroutine on it.
struct ServerBench {
  sim::World world{sim::WorldOptions{.trace = {.keep_records = false}}};
  sim::Node& node = world.add_node({.name = "consul-server-1"});
  ConsulServer server{node, ConsulServerOptions{}};
  HttpApi api{server, AgentIdentity{.node_name = "consul-server-1"}};
  std::stop_source stop;

  ServerBench() {
    node.start([this](sim::Node&) { return server.run(stop.get_token()); });
    world.run_for(1'000'000);
  }
  ~ServerBench() { node.crash(); }

  template <class Body>
  void run(Body body) {
    bool done = false;
    node.scope().spawn([](Body b, bool& finished) -> Task<void> {
      co_await b();
      finished = true;
    }(std::move(body), done));
    while (!done && world.step()) {
    }
  }
};

void BM_ServerKvSet(benchmark::State& state) {
  ServerBench bench;
  const std::vector<std::string> keys = key_names();
  const auto batch = std::int64_t(state.range(0));
  for (auto _ : state) {
    bench.run([&]() -> Task<void> {
      for (std::int64_t i = 0; i < batch; ++i) {
        Command command = KvCommand{.op = KvOp::set, .entry = {.key = keys[std::size_t(i) % kKeys], .value = std::to_string(i)}};
        co_await bench.server.propose(std::move(command));
      }
    });
  }
  state.counters["ops/s"] = benchmark::Counter(double(state.iterations() * batch), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ServerKvSet)->Arg(10'000);

void BM_ServerSessionRenew(benchmark::State& state) {
  ServerBench bench;
  std::vector<std::string> ids;
  bench.run([&]() -> Task<void> {
    for (int i = 0; i < 100; ++i) {
      Session session{.id = bench.server.new_session_id(), .node = "consul-server-1", .ttl = std::chrono::seconds(15), .ttl_text = "15s"};
      ids.push_back(session.id);
      Command command = SessionCreateCommand{std::move(session)};
      co_await bench.server.propose(std::move(command));
    }
  });
  const auto batch = std::int64_t(state.range(0));
  for (auto _ : state) {
    bench.run([&]() -> Task<void> {
      for (std::int64_t i = 0; i < batch; ++i) co_await bench.server.renew_session(ids[std::size_t(i) % ids.size()]);
    });
  }
  state.counters["ops/s"] = benchmark::Counter(double(state.iterations() * batch), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ServerSessionRenew)->Arg(10'000);

void BM_HttpApiKvPutGet(benchmark::State& state) {
  ServerBench bench;
  const std::vector<std::string> keys = key_names();
  const auto batch = std::int64_t(state.range(0));
  for (auto _ : state) {
    bench.run([&]() -> Task<void> {
      for (std::int64_t i = 0; i < batch; ++i) {
        const std::string& key = keys[std::size_t(i) % kKeys];
        http::Request put{"PUT", "/v1/kv/" + key, {}, "value"};
        co_await bench.api.handle(std::move(put));
        http::Request get{"GET", "/v1/kv/" + key, {}, {}};
        co_await bench.api.handle(std::move(get));
      }
    });
  }
  state.counters["ops/s"] = benchmark::Counter(double(state.iterations() * batch * 2), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_HttpApiKvPutGet)->Arg(5'000);

// 10,000 blocking GETs, each on its own key (or all on one key), woken by writes: wake-ups
// per second of CPU time, counting the whole round trip of each woken query.
void BM_BlockingQueryWakeups(benchmark::State& state) {
  constexpr int kWatchers = 10'000;
  const bool one_key = state.range(0) == 1;
  std::uint64_t wakeups = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ServerBench bench;
    std::vector<std::string> keys;
    for (int i = 0; i < kWatchers; ++i) keys.push_back(one_key ? "shared" : "watch/" + std::to_string(i));
    bench.run([&]() -> Task<void> {
      for (int i = 0; i < kWatchers; i += one_key ? kWatchers : 1) {
        Command command = KvCommand{.op = KvOp::set, .entry = {.key = keys[std::size_t(i)], .value = "0"}};
        co_await bench.server.propose(std::move(command));
      }
    });
    const std::uint64_t index = bench.server.last_index();
    int answered = 0;
    for (int i = 0; i < kWatchers; ++i) {
      http::Request get{"GET", "/v1/kv/" + keys[std::size_t(i)] + "?index=" + std::to_string(index) + "&wait=10m", {}, {}};
      bench.node.scope().spawn([](HttpApi& api, http::Request request, int& count) -> Task<void> {
        co_await api.handle(std::move(request));
        ++count;
      }(bench.api, std::move(get), answered));
    }
    bench.world.run_for(1'000'000);  // every watcher is now blocked
    state.ResumeTiming();
    bench.run([&]() -> Task<void> {
      for (int i = 0; i < kWatchers; i += one_key ? kWatchers : 1) {
        Command command = KvCommand{.op = KvOp::set, .entry = {.key = keys[std::size_t(i)], .value = "1"}};
        co_await bench.server.propose(std::move(command));
      }
    });
    while (answered < kWatchers && bench.world.step()) {
    }
    state.PauseTiming();
    wakeups += std::uint64_t(answered);
    state.ResumeTiming();
  }
  state.counters["wakeups/s"] = benchmark::Counter(double(wakeups), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BlockingQueryWakeups)->Arg(0)->Arg(1)->ArgNames({"one_key"})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace baton::fakes::consul

BENCHMARK_MAIN();
