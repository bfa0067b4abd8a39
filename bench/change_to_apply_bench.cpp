// The production engine against fake-consul over loopback HTTP (issue 8):
//   BM_ChangeToApplyStart/G   from a catalog change (an instance re-registered with a new port,
//                             sent through the agent's HTTP API) to the start of the task's
//                             apply, buffer period off: p50, p99, max over 300 changes, G ms
//                             apart. With G = 0 each change follows the last apply at once and
//                             meets the Watcher's pacing (a dependency's queries start at least
//                             min_query_interval, 50 ms, apart); with G = 100 the blocking query
//                             is parked when the change comes, as with real catalog changes.
//   BM_WatchTenThousandInstances  one instance with 100 tasks, each watching a service of 100
//                             instances (10,000 in all): the CPU time to load and render them
//                             all, the CPU used per minute while watching, and resident memory.
// The whole engine path runs: HttpConsulTransport, blocking queries in the Watcher, the
// TaskRunner, rendering terraform.tfvars to the local disk, and TaskDriver::apply. The
// measurement ends where Terraform would start: a TerraformClient that records the instant of
// each apply stands in for the terraform binary (whose own ~140 ms would swamp the figure; see
// BM_DriverApply for it).
#include <benchmark/benchmark.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "engine/async/event.hpp"
#include "engine/async/wait.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/consul/http_consul_transport.hpp"
#include "engine/bindings/filesystem/local_filesystem.hpp"
#include "engine/consul/client.hpp"
#include "engine/driver/terraform/task_driver.hpp"
#include "engine/tasks/task_runner.hpp"
#include "engine/watch/watcher.hpp"
#include "tests/integration/fake_consul_process.hpp"

namespace {

using namespace baton;
using namespace std::chrono_literals;
namespace tf = driver::terraform;
namespace fs = std::filesystem;

// Terraform's place: every step succeeds at once; applies are counted and time-stamped.
class RecordingTerraform final : public tf::TerraformClient {
 public:
  explicit RecordingTerraform(Runtime& runtime) : runtime_(runtime), applied_(runtime) {}
  Task<tf::StepResult> init(const tf::TerraformTarget&, std::stop_token) override { co_return ok(); }
  Task<tf::StepResult> validate(const tf::TerraformTarget&, std::stop_token) override { co_return ok(); }
  Task<tf::StepResult> apply(const tf::TerraformTarget&, std::stop_token) override {
    apply_times.push_back(runtime_.now());
    applied_.set();
    applied_.reset();
    co_return ok();
  }
  Task<tf::PlanResult> plan(const tf::TerraformTarget&, std::stop_token) override { co_return tf::PlanResult{ok(), false, ""}; }
  Event& applied() { return applied_; }
  std::vector<MonoTime> apply_times;

 private:
  static tf::StepResult ok() { return tf::StepResult{tf::StepEnd::succeeded, "", ""}; }
  Runtime& runtime_;
  Event applied_;
};

std::unique_ptr<HttpConsulTransport> transport_to(AsioRuntime& runtime, int port) {
  HttpConsulTransportOrError made = HttpConsulTransport::create(runtime, "127.0.0.1:" + std::to_string(port));
  if (made.index() == 1) throw std::runtime_error(std::get<1>(made));
  return std::move(std::get<0>(made));
}

consul::ServiceRegistration instance_of(const std::string& service, int index, int port) {
  consul::ServiceRegistration registration;
  registration.id = service + "-" + std::to_string(index);
  registration.name = service;
  registration.address = "10.1." + std::to_string(index / 250) + "." + std::to_string(index % 250 + 1);
  registration.port = port;
  return registration;
}

tf::TaskInput task_watching(const std::string& name, const std::string& service) {
  tf::TaskInput input;
  input.name = name;
  input.module_source = "./module";
  input.templates.push_back(tf::ServicesTemplate{{tf::ServiceQuery{service, "", "", ""}}, true});
  return input;
}

struct Engine {
  Engine() : root(make_root()), transport(transport_to(runtime, consul.port())), client(*transport), terraform(runtime) {
    logger.emplace(std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_st>()), runtime);
  }
  ~Engine() { fs::remove_all(root); }
  // The tasks' working directories: under $BATON_BENCH_DIR when set (say /dev/shm, to take the
  // disk's fsync out of the figure), else the system's temporary directory.
  static std::string make_root() {
    const char* chosen = std::getenv("BATON_BENCH_DIR");
    const fs::path base = chosen != nullptr ? fs::path(chosen) : fs::temp_directory_path();
    std::string pattern = (base / "baton-bench-XXXXXX").string();
    return ::mkdtemp(pattern.data());
  }

  std::string root;
  test::FakeConsulProcess consul{FAKE_CONSUL_BINARY};
  AsioRuntime runtime;
  std::unique_ptr<HttpConsulTransport> transport;
  consul::ConsulClient client;
  std::optional<Logger> logger;
  LocalFileSystem files;
  RecordingTerraform terraform;
};

double percentile_us(std::vector<double> samples, double fraction) {
  std::sort(samples.begin(), samples.end());
  return samples[std::min(samples.size() - 1, static_cast<std::size_t>(fraction * double(samples.size())))];
}

void BM_ChangeToApplyStart(benchmark::State& state) {
  constexpr int kChanges = 300;
  const Duration gap = std::chrono::milliseconds(state.range(0));
  for (auto _ : state) {
    Engine engine;
    watch::Watcher watcher(engine.runtime, engine.client, *engine.logger);
    tf::TaskDriver driver(engine.files, engine.terraform, *engine.logger, task_watching("web", "web"),
                          tf::TerraformTarget{"web", engine.root + "/web", "web", {}});
    tasks::TaskEvents events;
    tasks::TaskRunner runner(engine.runtime, watcher, driver, *engine.logger,
                             tasks::TaskRunnerOptions{.buffer = {false, {}, {}}}, [] { return true; }, events);
    std::vector<double> latencies_us;
    std::vector<double> registered_us;  // of which the registration's own round trip
    std::stop_source stop;
    auto measure = [&]() -> Task<void> {
      const auto first = co_await engine.client.agent_service_register(instance_of("web", 0, 1000));
      if (!first.ok()) throw std::runtime_error(first.error().message);
      engine.runtime.scope().spawn(runner.run(stop.get_token()));
      while (engine.terraform.apply_times.empty()) co_await engine.terraform.applied().wait();
      for (int change = 1; change <= kChanges; ++change) {
        if (gap > Duration::zero()) co_await sleep_for(engine.runtime, gap);
        const std::size_t before = engine.terraform.apply_times.size();
        const MonoTime sent = engine.runtime.now();
        const auto registered = co_await engine.client.agent_service_register(instance_of("web", 0, 1000 + change));
        if (!registered.ok()) throw std::runtime_error(registered.error().message);
        registered_us.push_back(std::chrono::duration<double, std::micro>(engine.runtime.now() - sent).count());
        while (engine.terraform.apply_times.size() == before) co_await engine.terraform.applied().wait();
        latencies_us.push_back(std::chrono::duration<double, std::micro>(engine.terraform.apply_times[before] - sent).count());
      }
      stop.request_stop();
      watcher.stop();
    };
    engine.runtime.scope().spawn(measure());
    engine.runtime.run();
    state.counters["p50_us"] = percentile_us(latencies_us, 0.50);
    state.counters["p99_us"] = percentile_us(latencies_us, 0.99);
    state.counters["max_us"] = percentile_us(latencies_us, 1.0);
    state.counters["changes"] = double(latencies_us.size());
    state.counters["register_p50_us"] = percentile_us(registered_us, 0.50);
  }
}
BENCHMARK(BM_ChangeToApplyStart)->Arg(0)->Arg(100)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double resident_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

void BM_WatchTenThousandInstances(benchmark::State& state) {
  constexpr int kTasks = 100;
  constexpr int kInstancesPerTask = 100;
  for (auto _ : state) {
    Engine engine;
    const double rss_before_mb = resident_mb();
    watch::Watcher watcher(engine.runtime, engine.client, *engine.logger);
    std::vector<std::unique_ptr<tf::TaskDriver>> drivers;
    std::vector<std::unique_ptr<tasks::TaskEvents>> events;
    std::vector<std::unique_ptr<tasks::TaskRunner>> runners;
    double load_cpu_s = 0;
    double idle_cpu_s = 0;
    double rss_mb = 0;
    std::stop_source stop;
    auto measure = [&]() -> Task<void> {
      for (int t = 0; t < kTasks; ++t) {
        for (int i = 0; i < kInstancesPerTask; ++i) {
          const auto registered = co_await engine.client.agent_service_register(instance_of("svc-" + std::to_string(t), i, 8080));
          if (!registered.ok()) throw std::runtime_error(registered.error().message);
        }
      }
      const double load_start = cpu_seconds();
      for (int t = 0; t < kTasks; ++t) {
        const std::string name = "task-" + std::to_string(t);
        drivers.push_back(std::make_unique<tf::TaskDriver>(engine.files, engine.terraform, *engine.logger,
                                                           task_watching(name, "svc-" + std::to_string(t)),
                                                           tf::TerraformTarget{name, engine.root + "/" + name, name, {}}));
        events.push_back(std::make_unique<tasks::TaskEvents>());
        runners.push_back(std::make_unique<tasks::TaskRunner>(engine.runtime, watcher, *drivers.back(), *engine.logger,
                                                              tasks::TaskRunnerOptions{.buffer = {false, {}, {}}},
                                                              [] { return true; }, *events.back()));
        engine.runtime.scope().spawn(runners.back()->run(stop.get_token()));
      }
      while (engine.terraform.apply_times.size() < std::size_t(kTasks)) co_await engine.terraform.applied().wait();
      load_cpu_s = cpu_seconds() - load_start;
      const double idle_start = cpu_seconds();
      co_await sleep_for(engine.runtime, 60s);
      idle_cpu_s = cpu_seconds() - idle_start;
      rss_mb = resident_mb();
      stop.request_stop();
      watcher.stop();
    };
    engine.runtime.scope().spawn(measure());
    engine.runtime.run();
    state.counters["load_cpu_s"] = load_cpu_s;
    state.counters["idle_cpu_s_per_min"] = idle_cpu_s;
    state.counters["rss_mb"] = rss_mb;
    state.counters["rss_growth_mb"] = rss_mb - rss_before_mb;
  }
}
BENCHMARK(BM_WatchTenThousandInstances)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
