// Rendering a task's working directory (engine/driver/terraform) for large catalogs: the files
// CTS would write for N service instances, and the "which files changed" check that runs on
// every Consul change. Issue 5's target: 10,000 instances rendered in under 50 ms.
#include <benchmark/benchmark.h>

#include <map>
#include <string>

#include "engine/driver/terraform/files.hpp"
#include "engine/driver/terraform/working_dir.hpp"

namespace {

using namespace baton::driver::terraform;

TaskInput task_watching(int service_names) {
  TaskInput task;
  task.name = "web";
  task.module_source = "/modules/web";
  ServicesTemplate services;
  for (int i = 0; i < service_names; ++i) services.services.push_back(ServiceQuery{"svc-" + std::to_string(i), "", "", ""});
  task.templates.push_back(services);
  return task;
}

// `instances` instances spread over `service_names` services and 100 nodes, with the tags and
// metadata a real catalog carries.
ConsulData catalog(int instances, int service_names) {
  ConsulData data;
  for (int i = 0; i < instances; ++i) {
    ServiceInstance instance;
    instance.name = "svc-" + std::to_string(i % service_names);
    instance.id = instance.name + "-" + std::to_string(i);
    instance.address = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    instance.port = 8000 + i % 1000;
    instance.status = "passing";
    instance.tags = {"v1", "zone-" + std::to_string(i % 3)};
    instance.meta = {{"version", "1.2.3"}, {"team", "payments"}};
    instance.node = "node-" + std::to_string(i % 100);
    instance.node_id = "00000000-0000-0000-0000-0000000" + std::to_string(10000 + i % 100);
    instance.node_address = "10.1.0." + std::to_string(i % 100);
    instance.node_datacenter = "dc1";
    instance.node_tagged_addresses = {{"lan", instance.node_address}};
    data.services.push_back(std::move(instance));
  }
  return data;
}

// terraform.tfvars alone: what is rendered on every change.
void BM_RenderTfvars(benchmark::State& state) {
  const int instances = static_cast<int>(state.range(0));
  const TaskInput task = task_watching(10);
  const ConsulData data = catalog(instances, 10);
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string tfvars = render_tfvars(task, data);
    bytes = tfvars.size();
    benchmark::DoNotOptimize(tfvars);
  }
  state.counters["instances"] = instances;
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["instances/s"] = benchmark::Counter(static_cast<double>(instances), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_RenderTfvars)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// The whole directory plus the comparison against what is on disk (unchanged: nothing to write).
void BM_PlanWorkingDirAndCompare(benchmark::State& state) {
  const int instances = static_cast<int>(state.range(0));
  const TaskInput task = task_watching(10);
  const ConsulData data = catalog(instances, 10);
  std::map<std::string, std::string> on_disk;
  for (const PlannedFile& file : plan_working_dir(task, data)) on_disk[file.name] = file.content;
  for (auto _ : state) {
    const std::vector<PlannedFile> plan = plan_working_dir(task, data);
    const std::vector<PlannedFile> changed = files_to_write(plan, on_disk);
    if (!changed.empty()) state.SkipWithError("an unchanged catalog planned a write");
    benchmark::DoNotOptimize(changed);
  }
  state.counters["instances"] = instances;
}
BENCHMARK(BM_PlanWorkingDirAndCompare)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
