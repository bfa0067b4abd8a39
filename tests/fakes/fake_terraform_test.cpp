// The simulator's Terraform (fakes/terraform) and disk (sim/filesystem), in virtual time: two
// engine instances on their own machines, each with a Consul client agent, over a one-server
// fake Consul, each with its own FakeTerraform and MemoryFileSystem, sharing one TerraformWorld.
//
// The texts expected here are Terraform 1.11.4's, as seen running the real binary against
// fake-consul (a second apply on a locked workspace, on the default workspace, after a
// SIGKILLed holder, and in the holder's lock-delay); see fakes/terraform/README.md.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "engine/async/wait.hpp"
#include "engine/consul/client.hpp"
#include "fakes/consul/cluster/sim_consul_cluster.hpp"
#include "fakes/terraform/backend_constants.hpp"
#include "fakes/terraform/diagnostics.hpp"
#include "fakes/terraform/fake_terraform.hpp"
#include "fakes/terraform/lock_info.hpp"
#include "fakes/terraform/working_dir_inputs.hpp"
#include "sim/consul/sim_agent_transport.hpp"
#include "sim/filesystem/memory_filesystem.hpp"
#include "tests/support/consul_client_support.hpp"
#include "tests/support/sim_time.hpp"

namespace baton::fakes::terraform {
namespace {

using namespace std::chrono_literals;
using baton::test::ms;
using baton::test::seconds;
using baton::consul::test::capture_into;
using driver::terraform::PlanResult;
using sim::MemoryFileSystem;

constexpr const char* kWorkingDir = "sync-tasks/web";
constexpr const char* kWebStatePath = "consul-terraform-sync/terraform-env:web";

// ---- MemoryFileSystem ------------------------------------------------------------------------

TEST(MemoryFileSystem, WriteNeedsItsDirectory) {
  MemoryFileSystem disk;
  const FileStatus written = disk.write_file("sync-tasks/web/main.tf", "x");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error->message, "write sync-tasks/web/main.tf: no such file or directory");
  ASSERT_TRUE(disk.make_directories("sync-tasks/web").ok());
  ASSERT_TRUE(disk.write_file("sync-tasks/web/main.tf", "x").ok());
  EXPECT_EQ(disk.read_file("sync-tasks/web/main.tf").content, "x");
  EXPECT_TRUE(disk.exists("sync-tasks"));
  EXPECT_TRUE(disk.exists("sync-tasks/web/main.tf"));
}

TEST(MemoryFileSystem, ReadsOfMissingFilesAreNotErrors) {
  MemoryFileSystem disk;
  const FileRead missing = disk.read_file("nowhere/file");
  EXPECT_FALSE(missing.content.has_value());
  EXPECT_FALSE(missing.error.has_value());
  ASSERT_TRUE(disk.make_directories("dir").ok());
  const FileRead directory = disk.read_file("dir");
  ASSERT_TRUE(directory.error.has_value());
  EXPECT_EQ(directory.error->message, "read dir: is a directory");
}

TEST(MemoryFileSystem, AFileIsNotADirectory) {
  MemoryFileSystem disk;
  ASSERT_TRUE(disk.write_file("file", "x").ok());
  EXPECT_EQ(disk.write_file("file/child", "y").error->message, "write file/child: not a directory");
  EXPECT_EQ(disk.write_file("file/deeper/child", "y").error->message, "write file/deeper/child: not a directory");
  EXPECT_EQ(disk.make_directories("file/sub").error->message, "mkdir file/sub: not a directory");
  EXPECT_EQ(disk.read_file("file/child").error->message, "read file/child: not a directory");
  ASSERT_TRUE(disk.make_directories("dir").ok());
  EXPECT_EQ(disk.write_file("dir", "x").error->message, "write dir: is a directory");
  EXPECT_TRUE(disk.make_directories("dir").ok()) << "an existing directory is success";
}

TEST(MemoryFileSystem, ListingsAreSortedAndDirect) {
  MemoryFileSystem disk;
  ASSERT_TRUE(disk.make_directories("a/sub").ok());
  for (const char* path : {"a/zeta", "a/Alpha", "a/beta.tf", "a/sub/deep", "a-sibling", "a.sibling", "b"}) {
    ASSERT_TRUE(disk.write_file(path, path).ok()) << path;
  }
  EXPECT_EQ(disk.list_directory("a"), (std::vector<std::string>{"Alpha", "beta.tf", "sub", "zeta"}));
  EXPECT_EQ(disk.list_directory("/a/"), disk.list_directory("a"));
  EXPECT_EQ(disk.list_directory(""), (std::vector<std::string>{"a", "a-sibling", "a.sibling", "b"}));
  EXPECT_TRUE(disk.list_directory("missing").empty());
  EXPECT_TRUE(disk.list_directory("b").empty()) << "a file lists nothing";
}

TEST(MemoryFileSystem, PathsAreNormalized) {
  MemoryFileSystem disk;
  ASSERT_TRUE(disk.make_directories("/x//y/./z").ok());
  ASSERT_TRUE(disk.write_file("x/y/z/../f", "content").ok());
  EXPECT_EQ(disk.read_file("/x/y/f").content, "content");
  EXPECT_EQ(disk.read_file("./x/y/f").content, "content");
  EXPECT_TRUE(disk.exists("x/y/z"));
}

TEST(MemoryFileSystem, RemoveAllTakesTheTreeAndSparesSiblings) {
  MemoryFileSystem disk;
  ASSERT_TRUE(disk.make_directories("t/web/.terraform").ok());
  ASSERT_TRUE(disk.write_file("t/web/main.tf", "m").ok());
  ASSERT_TRUE(disk.write_file("t/web/.terraform/environment", "web").ok());
  ASSERT_TRUE(disk.write_file("t/web-2", "sibling").ok());
  ASSERT_TRUE(disk.remove_all("t/web").ok());
  EXPECT_FALSE(disk.exists("t/web"));
  EXPECT_FALSE(disk.exists("t/web/main.tf"));
  EXPECT_TRUE(disk.exists("t/web-2"));
  EXPECT_TRUE(disk.remove_all("t/web").ok()) << "a missing tree is success";
  EXPECT_EQ(disk.file_count(), 1u);
  ASSERT_TRUE(disk.remove_all("/").ok());
  EXPECT_EQ(disk.file_count(), 0u);
  EXPECT_TRUE(disk.exists("/")) << "the root stays";
}

TEST(MemoryFileSystem, WriteFaultsUntilHealed) {
  MemoryFileSystem disk;
  ASSERT_TRUE(disk.make_directories("d").ok());
  ASSERT_TRUE(disk.write_file("d/f", "old").ok());
  disk.fail_writes("no space left on device");
  EXPECT_EQ(disk.write_file("d/f", "new").error->message, "write d/f: no space left on device");
  EXPECT_EQ(disk.make_directories("e").error->message, "mkdir e: no space left on device");
  EXPECT_EQ(disk.read_file("d/f").content, "old") << "a failed write leaves the old bytes";
  disk.heal();
  EXPECT_TRUE(disk.write_file("d/f", "new").ok());
}

// The disk belongs to the machine, not the process: a crash loses nothing written.
TEST(MemoryFileSystem, SurvivesItsNodesCrash) {
  sim::World world(sim::WorldOptions{.seed = 3});
  sim::Node& node = world.add_node({.name = "baton-1"});
  MemoryFileSystem disk;
  node.start([&disk](sim::Node& self) -> Task<void> {
    EXPECT_TRUE(disk.make_directories("state").ok());
    EXPECT_TRUE(disk.write_file("state/before", std::to_string(self.incarnation())).ok());
    co_await sleep_for(self, std::chrono::hours(1));
    ADD_FAILURE() << "a crashed process runs on";
  });
  world.run_for(seconds(1));
  node.crash();
  node.restart();
  world.run_for(seconds(1));
  EXPECT_EQ(disk.read_file("state/before").content, "2") << "the restarted process wrote over the first one's file";
  node.crash();
}

// ---- Pieces of Terraform's texts ---------------------------------------------------------------

TEST(TerraformTexts, LockInfoAsTerraformPrintsAndStoresIt) {
  const LockInfo info{.id = "2b51edb6-5ec9-7cc6-3817-e864885a3940",
                      .operation = "OperationTypeApply",
                      .info = "consul session: 2b51edb6-5ec9-7cc6-3817-e864885a3940",
                      .who = "root@vm",
                      .version = "1.11.4",
                      .created = "2026-11-23T16:41:27.083567364Z",
                      .path = kWebStatePath};
  // Byte for byte what terraform 1.11.4 wrote to fake-consul's KV.
  EXPECT_EQ(info.to_json(),
            R"({"ID":"2b51edb6-5ec9-7cc6-3817-e864885a3940","Operation":"OperationTypeApply","Info":"consul session: )"
            R"(2b51edb6-5ec9-7cc6-3817-e864885a3940","Who":"root@vm","Version":"1.11.4","Created":"2026-11-23T16:41:27.)"
            R"(083567364Z","Path":"consul-terraform-sync/terraform-env:web"})");
  EXPECT_EQ(info.to_text(),
            "Lock Info:\n"
            "  ID:        2b51edb6-5ec9-7cc6-3817-e864885a3940\n"
            "  Path:      consul-terraform-sync/terraform-env:web\n"
            "  Operation: OperationTypeApply\n"
            "  Who:       root@vm\n"
            "  Version:   1.11.4\n"
            "  Created:   2026-11-23 16:41:27.083567364 +0000 UTC\n"
            "  Info:      consul session: 2b51edb6-5ec9-7cc6-3817-e864885a3940\n");
  EXPECT_EQ(parse_lock_info(info.to_json())->to_text(), info.to_text());
  EXPECT_FALSE(parse_lock_info("not json").has_value());
}

TEST(TerraformTexts, GoTimeFormats) {
  const WallTime whole{std::chrono::seconds(1'767'225'603)};
  EXPECT_EQ(go_rfc3339_nano(whole), "2026-01-01T00:00:03Z");
  EXPECT_EQ(go_rfc3339_nano(whole + std::chrono::milliseconds(500)), "2026-01-01T00:00:03.5Z");
  EXPECT_EQ(go_rfc3339_nano(whole + std::chrono::nanoseconds(83'567'364)), "2026-01-01T00:00:03.083567364Z");
  EXPECT_EQ(go_time_string_from_rfc3339("2026-01-01T00:00:03.5Z"), "2026-01-01 00:00:03.5 +0000 UTC");
}

TEST(TerraformTexts, PlainDiagnosticWrapsTheDetailOnly) {
  const Diagnostic diagnostic{
      .summary = "No value for required variable",
      .detail = "The root module input variable \"services\" is not set, and has no default value. Use a -var or "
                "-var-file command line argument to provide a value for this variable.",
      .snippet = "  on variables.tf line 1:\n   1: variable \"services\" {\n\n"};
  // As terraform 1.11.4 -no-color printed it, stderr not a terminal.
  EXPECT_EQ(exit_error(diagnostic),
            "exit status 1\n"
            "\nError: No value for required variable\n\n"
            "  on variables.tf line 1:\n"
            "   1: variable \"services\" {\n\n"
            "The root module input variable \"services\" is not set, and has no default\n"
            "value. Use a -var or -var-file command line argument to provide a value for\n"
            "this variable.\n");
  EXPECT_EQ(word_wrap("a bb ccc", 4), "a bb\nccc");
  EXPECT_EQ(word_wrap("averyveryverylongword x", 5), "averyveryverylongword\nx");
}

TEST(TerraformTexts, WorkingDirectoryParsing) {
  const std::string tfvars =
      "# Task: web\n\nservices = {\n  \"api.node1.dc1\" = {\n    id = \"api\"\n    meta = {\n      \"nested\" = {\n"
      "      }\n    }\n  },\n  \"web.node-2.ns.dc1\" = {\n    id = \"web\"\n  },\n}\n\nother = {\n  \"x\" = {\n  }\n}\n";
  EXPECT_EQ(service_keys_in_tfvars(tfvars), (std::set<std::string>{"api.node1.dc1", "web.node-2.ns.dc1"}));
  EXPECT_TRUE(service_keys_in_tfvars("services = {\n}\n").empty());
  EXPECT_TRUE(service_keys_in_tfvars("").empty());

  const std::string main_tf =
      "terraform {\n  required_version = \">= 0.13.0\"\n  backend \"consul\" {\n    address = \"x:8500\"\n"
      "    path    = \"custom/terraform\"\n  }\n}\nmodule \"web\" {\n  path = \"not this\"\n}\n";
  EXPECT_EQ(consul_backend_path(main_tf), "custom/terraform");
  EXPECT_FALSE(consul_backend_path("terraform {\n  backend \"local\" {\n    path = \"x\"\n  }\n}\n").has_value());

  EXPECT_EQ(state_path("consul-terraform-sync/terraform", "web"), kWebStatePath);
  EXPECT_EQ(state_path("consul-terraform-sync/terraform", "default"), "consul-terraform-sync/terraform");
  EXPECT_EQ(lock_path("a/b//"), "a/b");

  EXPECT_TRUE(is_terraform_input("main.tf"));
  EXPECT_TRUE(is_terraform_input("providers.auto.tfvars"));
  EXPECT_TRUE(is_terraform_input("terraform.tfvars"));
  EXPECT_FALSE(is_terraform_input("terraform.tfvars.tmpl"));
  EXPECT_FALSE(is_terraform_input(".terraform"));
  EXPECT_NE(inputs_digest({{"a", "bc"}}), inputs_digest({{"ab", "c"}}));
}

// ---- FailureScript and ApplyLedger --------------------------------------------------------------

TEST(FailureScript, RulesMatchByStepTaskInstanceTimeAndCount) {
  FailureScript script;
  script.add({.mode = FailureMode::hang, .step = TerraformStep::apply, .task = "web", .instance = "baton-2"});
  script.add({.mode = FailureMode::fail_before_change, .from_true_ns = seconds(10), .times = 2});
  script.add({.mode = FailureMode::fail_after_partial_change, .step = TerraformStep::plan});
  EXPECT_FALSE(script.take(TerraformStep::apply, "web", "baton-1", seconds(9)).has_value()) << "not yet";
  EXPECT_EQ(script.take(TerraformStep::apply, "web", "baton-2", seconds(1))->mode, FailureMode::hang);
  EXPECT_EQ(script.take(TerraformStep::apply, "db", "baton-1", seconds(10))->mode, FailureMode::fail_before_change);
  EXPECT_EQ(script.take(TerraformStep::apply, "db", "baton-1", seconds(11))->mode, FailureMode::fail_before_change);
  EXPECT_FALSE(script.take(TerraformStep::apply, "db", "baton-1", seconds(12)).has_value()) << "spent after 2";
  const auto plan = script.take(TerraformStep::plan, "web", "baton-1", 0);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->mode, FailureMode::fail_before_change) << "only an apply changes anything";
  EXPECT_EQ(script.size(), 2u);
}

TEST(ApplyLedger, OverlapsAreByTaskAndStrict) {
  ApplyLedger ledger;
  auto add = [&](std::string task, std::int64_t start, std::optional<std::int64_t> locked, std::int64_t end) {
    const ApplyId id = ledger.begin(ApplyRecord{.task = std::move(task), .start_true_ns = start, .locked_true_ns = locked});
    if (end >= 0) ledger.finish(id, ApplyOutcome::succeeded, end);
    return id;
  };
  const ApplyId a = add("web", 0, 1, 10);
  const ApplyId b = add("web", 5, std::nullopt, 6);   // refused: overlaps a's call, not its lock
  const ApplyId c = add("web", 10, 11, 20);           // touches a's end: no overlap
  add("db", 0, 0, 100);                               // another task
  const ApplyId e = add("web", 15, 16, -1);           // still running
  const auto calls = ledger.overlaps(ApplySpan::call, 30);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].first, a);
  EXPECT_EQ(calls[0].second, b);
  EXPECT_EQ(calls[1].first, c);
  EXPECT_EQ(calls[1].second, e);
  const auto locked = ledger.overlaps(ApplySpan::locked, 30);
  ASSERT_EQ(locked.size(), 1u);
  EXPECT_EQ(locked[0].first, c);
  EXPECT_EQ(locked[0].second, e);
}

// ---- FakeTerraform against a fake Consul --------------------------------------------------------

// Fixed times, so that tests can say when things happen: each apply takes exactly 4 s, the first
// second refreshing.
FakeTerraformOptions fixed_options() {
  FakeTerraformOptions options;
  options.init_time_ms_min = options.init_time_ms_max = 100;
  options.validate_time_ms_min = options.validate_time_ms_max = 100;
  options.apply_time_ms_min = options.apply_time_ms_max = 4'000;
  options.plan_time_ms_min = options.plan_time_ms_max = 500;
  options.apply_refresh_percent = 25;
  return options;
}

// One engine instance: its process, its Consul client through its machine's agent, its disk and
// its Terraform.
struct Instance {
  Instance(fakes::consul::SimConsulCluster& cluster, sim::Node& process, std::size_t agent, TerraformWorld& world,
           const FakeTerraformOptions& options)
      : node(process), transport(cluster, process, agent), client(transport), terraform(process, disk, client, world, options) {}

  sim::Node& node;
  sim::SimAgentTransport transport;
  baton::consul::ConsulClient client;
  MemoryFileSystem disk;
  FakeTerraform terraform;
};

class Harness {
 public:
  explicit Harness(std::uint64_t seed = 11, FakeTerraformOptions options = fixed_options(), std::size_t instances = 2)
      : world_(sim::WorldOptions{.seed = seed}), network_(world_), cluster_(world_, network_, cluster_options()),
        terraform_world_(world_) {
    cluster_.bootstrap_and_start();
    for (std::size_t i = 1; i <= instances; ++i) add_instance(i, options);
    await_leader();
    world_.run_for(seconds(2));  // the leader registers the agents' nodes (serfHealth)
  }
  ~Harness() {
    // The instances' frames point into their clients and Terraforms: they go first, as in a crash.
    for (auto& instance : instances_) {
      if (instance->node.state() == sim::NodeState::running || instance->node.state() == sim::NodeState::paused) {
        instance->node.crash();
      }
    }
  }

  Instance& at(std::size_t i) { return *instances_.at(i); }
  sim::World& world() { return world_; }
  sim::Network& network() { return network_; }
  TerraformWorld& terraform_world() { return terraform_world_; }
  const ApplyLedger& ledger() { return terraform_world_.ledger(); }

  template <class T>
  std::shared_ptr<std::optional<T>> start(Instance& instance, Task<T> task) {
    auto out = std::make_shared<std::optional<T>>();
    instance.node.scope().spawn(capture_into(std::move(task), out));
    return out;
  }
  template <class T>
  T wait(const std::shared_ptr<std::optional<T>>& out, std::int64_t limit_ns = seconds(600)) {
    const std::int64_t give_up = world_.now_ns() + limit_ns;
    while (!out->has_value() && world_.step_until(give_up)) {
    }
    if (!out->has_value()) throw std::runtime_error("the step did not end");
    return std::move(**out);
  }
  template <class T>
  T run(Instance& instance, Task<T> task) {
    return wait(start(instance, std::move(task)));
  }
  bool run_until(const std::function<bool()>& done, std::int64_t limit_ns = seconds(600)) {
    const std::int64_t give_up = world_.now_ns() + limit_ns;
    while (!done()) {
      if (!world_.step_until(give_up)) return false;
    }
    return true;
  }

  // A KV entry as Consul has it now, read through the first running instance.
  std::optional<baton::consul::KvPair> kv(const std::string& key) {
    Instance& reader = running_instance();
    auto read = run(reader, reader.client.kv_get(key));
    if (!read.ok()) throw std::runtime_error("kv read failed: " + read.error().message);
    return read.value().value;
  }
  std::string lock_holder(const std::string& state_path = kWebStatePath) {
    const auto lock = kv(state_path + std::string(kLockSuffix));
    return lock ? lock->session : std::string();
  }

  StepResult apply(std::size_t i, const std::string& workspace = "web") { return wait(start_apply(i, {}, workspace)); }
  // The step holds the target by reference until it starts (a Task is lazy): the harness keeps it.
  std::shared_ptr<std::optional<StepResult>> start_apply(std::size_t i, std::stop_token stop = {}, const std::string& workspace = "web") {
    auto [it, added] = targets_.try_emplace(workspace, target(workspace));
    return start(at(i), at(i).terraform.apply(it->second, std::move(stop)));
  }

  static TerraformTarget target(std::string workspace = "web") {
    return TerraformTarget{.task = "web", .working_dir = kWorkingDir, .workspace = std::move(workspace), .environment = {}};
  }

 private:
  static fakes::consul::SimConsulClusterOptions cluster_options() {
    fakes::consul::SimConsulClusterOptions options;
    options.servers = 1;
    return options;
  }
  void add_instance(std::size_t i, const FakeTerraformOptions& options) {
    const std::size_t agent = cluster_.add_agent("engine-host-" + std::to_string(i), "10.2.0." + std::to_string(i));
    cluster_.start_agent(agent);
    sim::Node& node = world_.add_node({.name = "baton-" + std::to_string(i)});
    node.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24 * 365)); });
    instances_.push_back(std::make_unique<Instance>(cluster_, node, agent, terraform_world_, options));
  }
  void await_leader() {
    const std::int64_t limit = world_.now_ns() + seconds(60);
    while (world_.now_ns() < limit && !cluster_.established_leader()) world_.run_for(ms(10));
    if (!cluster_.established_leader()) throw std::runtime_error("no Consul leader within 60 s");
  }
  Instance& running_instance() {
    for (auto& instance : instances_) {
      if (instance->node.state() == sim::NodeState::running) return *instance;
    }
    throw std::runtime_error("no running instance to read Consul through");
  }

  sim::World world_;
  sim::Network network_;
  fakes::consul::SimConsulCluster cluster_;
  TerraformWorld terraform_world_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::map<std::string, TerraformTarget> targets_;  // by workspace
};

// A task's working directory as CTS writes it, reduced to what the fake reads.
std::string main_tf(const std::string& backend_path = "consul-terraform-sync/terraform") {
  return "terraform {\n"
         "  required_version = \">= 0.13.0, <= 1.14.3\"\n"
         "  backend \"consul\" {\n"
         "    address = \"127.0.0.1:8500\"\n"
         "    gzip    = true\n"
         "    path    = \"" + backend_path + "\"\n"
         "  }\n"
         "}\n\n"
         "# the web task\n"
         "module \"web\" {\n"
         "  source   = \"./modules/echo\"\n"
         "  services = var.services\n"
         "}\n";
}

constexpr const char* kVariablesTf =
    "variable \"services\" {\n"
    "  description = \"Consul services monitored by Consul-Terraform-Sync\"\n"
    "  type = map(object({ id = string }))\n"
    "}\n";

std::string tfvars(const std::vector<std::string>& keys) {
  std::string text = "# Task: web\n\nservices = {\n";
  for (const std::string& key : keys) {
    text += "  \"" + key + "\" = {\n    id = \"" + key.substr(0, key.find('.')) + "\"\n  },\n";
  }
  return text + "}\n";
}

void write_task(FileSystem& disk, const std::vector<std::string>& services, bool with_tfvars = true) {
  ASSERT_TRUE(disk.make_directories(kWorkingDir).ok());
  ASSERT_TRUE(disk.write_file(std::string(kWorkingDir) + "/main.tf", main_tf()).ok());
  ASSERT_TRUE(disk.write_file(std::string(kWorkingDir) + "/variables.tf", kVariablesTf).ok());
  ASSERT_TRUE(disk.write_file(std::string(kWorkingDir) + "/terraform.tfvars.tmpl", "not an input").ok());
  if (with_tfvars) {
    ASSERT_TRUE(disk.write_file(std::string(kWorkingDir) + "/terraform.tfvars", tfvars(services)).ok());
  }
}

std::set<std::string> set_of(std::vector<std::string> keys) { return {keys.begin(), keys.end()}; }

const std::vector<std::string> kThreeServices = {"api.node1.dc1", "db.node2.dc1", "web.node1.dc1"};

TEST(FakeTerraform, ApplySucceedsAndIsRecorded) {
  Harness h;
  write_task(h.at(0).disk, kThreeServices);
  h.terraform_world().set_lease_source("baton-1", [] { return std::string("lease-7"); });
  ASSERT_TRUE(h.run(h.at(0), h.at(0).terraform.init(Harness::target(), {})).ok());
  ASSERT_TRUE(h.run(h.at(0), h.at(0).terraform.validate(Harness::target(), {})).ok());

  const std::int64_t started = h.world().now_ns();
  const StepResult applied = h.apply(0);
  ASSERT_TRUE(applied.ok()) << applied.error;
  EXPECT_GE(h.world().now_ns() - started, ms(4'000));

  ASSERT_EQ(h.ledger().records().size(), 1u);
  const ApplyRecord& record = h.ledger().records().front();
  EXPECT_EQ(record.instance, "baton-1");
  EXPECT_EQ(record.task, "web");
  EXPECT_EQ(record.workspace, "web");
  EXPECT_EQ(record.state_path, kWebStatePath);
  EXPECT_EQ(record.start_true_ns, started);
  ASSERT_TRUE(record.locked_true_ns && record.end_true_ns);
  EXPECT_LT(*record.locked_true_ns - started, ms(200)) << "two lock rounds through Consul, no waiting";
  EXPECT_EQ(*record.end_true_ns, h.world().now_ns());
  EXPECT_EQ(record.outcome, ApplyOutcome::succeeded);
  EXPECT_EQ(record.change, ChangeExtent::complete);
  EXPECT_EQ(record.services, kThreeServices);
  EXPECT_EQ(record.lease_token, "lease-7");
  EXPECT_EQ(record.inputs_digest.size(), 16u);
  EXPECT_TRUE(record.error.empty());

  const TaskInfrastructure* infrastructure = h.terraform_world().find_infrastructure("web");
  ASSERT_NE(infrastructure, nullptr);
  EXPECT_EQ(infrastructure->services, set_of(kThreeServices));
  EXPECT_EQ(infrastructure->inputs_digest, record.inputs_digest);
  EXPECT_FALSE(infrastructure->partial);
  EXPECT_EQ(infrastructure->last_apply_id, record.id);

  // Terraform's keys in Consul: the state written, the lock released and its key removed.
  const auto state = h.kv(kWebStatePath);
  ASSERT_TRUE(state.has_value());
  const nlohmann::json document = nlohmann::json::parse(state->value);
  EXPECT_EQ(document["version"], 4);
  EXPECT_EQ(document["terraform_version"], "1.11.4");
  EXPECT_EQ(document["serial"], 2) << "1: the empty state `workspace new` wrote; 2: the apply's";
  EXPECT_EQ(document["lineage"].get<std::string>().size(), 36u);
  EXPECT_FALSE(h.kv(std::string(kWebStatePath) + "/.lock").has_value());
  EXPECT_FALSE(h.kv(std::string(kWebStatePath) + "/.lockinfo").has_value());

  // The same inputs again: Terraform plans no change, and the apply changes nothing.
  ASSERT_TRUE(h.apply(0).ok());
  EXPECT_EQ(h.ledger().records().back().outcome, ApplyOutcome::succeeded);
  EXPECT_EQ(h.ledger().records().back().change, ChangeExtent::none);
  EXPECT_EQ(nlohmann::json::parse(h.kv(kWebStatePath)->value)["serial"], 2) << "no change, no new state";
}

TEST(FakeTerraform, InitCreatesTheWorkspaceStateOnce) {
  Harness h;
  write_task(h.at(0).disk, {});
  EXPECT_FALSE(h.kv(kWebStatePath).has_value());
  ASSERT_TRUE(h.run(h.at(0), h.at(0).terraform.init(Harness::target(), {})).ok());
  const auto created = h.kv(kWebStatePath);
  ASSERT_TRUE(created.has_value()) << "`workspace new` writes an empty state as its sentinel";
  EXPECT_EQ(nlohmann::json::parse(created->value)["serial"], 1);
  ASSERT_TRUE(h.run(h.at(0), h.at(0).terraform.init(Harness::target(), {})).ok());
  EXPECT_EQ(h.kv(kWebStatePath)->modify_index, created->modify_index) << "an existing workspace is only selected";
  // The default workspace keeps its state at the backend path itself, and init writes nothing.
  ASSERT_TRUE(h.run(h.at(0), h.at(0).terraform.init(Harness::target("default"), {})).ok());
  EXPECT_FALSE(h.kv("consul-terraform-sync/terraform").has_value());
}

TEST(FakeTerraform, StepsTakeTimesWithinTheirRanges) {
  FakeTerraformOptions options;
  options.validate_time_ms_min = 200;
  options.validate_time_ms_max = 700;
  options.apply_time_ms_min = 1'000;
  options.apply_time_ms_max = 3'000;
  options.init_time_ms_min = 50;
  options.init_time_ms_max = 60;
  Harness h(5, options, 1);
  write_task(h.at(0).disk, {"api.node1.dc1"});
  std::set<std::int64_t> validate_times;
  for (int i = 0; i < 30; ++i) {
    const std::int64_t start = h.world().now_ns();
    ASSERT_TRUE(h.run(h.at(0), h.at(0).terraform.validate(Harness::target(), {})).ok());
    const std::int64_t took = h.world().now_ns() - start;
    EXPECT_GE(took, ms(200));
    EXPECT_LE(took, ms(700));
    validate_times.insert(took);
  }
  EXPECT_GT(validate_times.size(), 20u) << "drawn, not fixed";
  for (int i = 0; i < 10; ++i) {
    write_task(h.at(0).disk, {"api.node" + std::to_string(i) + ".dc1"});  // a change each time
    const std::int64_t start = h.world().now_ns();
    ASSERT_TRUE(h.apply(0).ok());
    const std::int64_t took = h.world().now_ns() - start;
    EXPECT_GE(took, ms(1'000));
    EXPECT_LE(took, ms(3'000) + ms(300)) << "the drawn time, plus Consul round trips";
  }
}

// Terraform 1.11.4, second apply while the first holds the workspace's lock: StateMgr's own lock
// fails first, after LockWaitTime (1 s).
TEST(FakeTerraform, ASecondApplyOnALockedWorkspaceGetsTerraformsLockError) {
  Harness h;
  write_task(h.at(0).disk, kThreeServices);
  write_task(h.at(1).disk, kThreeServices);
  auto first = h.start_apply(0);
  ASSERT_TRUE(h.run_until([&] { return !h.ledger().records().empty() && h.ledger().records()[0].locked_true_ns; }));
  const std::string holder = h.lock_holder();
  ASSERT_FALSE(holder.empty());
  const auto info = parse_lock_info(h.kv(std::string(kWebStatePath) + "/.lockinfo")->value);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->id, holder);
  EXPECT_EQ(info->who, "root@baton-1");

  const std::int64_t start = h.world().now_ns();
  const StepResult second = h.apply(1);
  const std::int64_t took = h.world().now_ns() - start;
  EXPECT_EQ(second.end, StepEnd::failed);
  EXPECT_EQ(second.error, "exit status 1\n"
                          "\nError: error loading state: failed to lock state in Consul: Lock Info:\n"
                          "  ID:        " + holder + "\n"
                          "  Path:      consul-terraform-sync/terraform-env:web\n"
                          "  Operation: OperationTypeApply\n"
                          "  Who:       root@baton-1\n"
                          "  Version:   1.11.4\n"
                          "  Created:   " + go_time_string_from_rfc3339(info->created) + "\n"
                          "  Info:      consul session: " + holder + "\n"
                          "\n\n");
  EXPECT_GE(took, ms(1'000)) << "one blocking read of LockWaitTime";
  EXPECT_LT(took, ms(1'300));

  const StepResult first_result = h.wait(first);
  ASSERT_TRUE(first_result.ok()) << first_result.error;
  const ApplyRecord& refused = h.ledger().records()[1];
  EXPECT_EQ(refused.instance, "baton-2");
  EXPECT_EQ(refused.outcome, ApplyOutcome::lock_refused);
  EXPECT_EQ(refused.change, ChangeExtent::none);
  EXPECT_FALSE(refused.locked_true_ns.has_value());
  // The engine asked for two applies of one task at once; Terraform's lock kept them apart.
  EXPECT_EQ(h.ledger().overlaps(ApplySpan::call, h.world().now_ns()).size(), 1u);
  EXPECT_TRUE(h.ledger().overlaps(ApplySpan::locked, h.world().now_ns()).empty());
}

// On the default workspace there is no StateMgr lock: the operation's lock fails, with
// clistate's "Error acquiring the state lock".
TEST(FakeTerraform, TheDefaultWorkspacesLockErrorIsErrorAcquiringTheStateLock) {
  Harness h;
  write_task(h.at(0).disk, kThreeServices);
  write_task(h.at(1).disk, kThreeServices);
  auto first = h.start_apply(0, {}, "default");
  ASSERT_TRUE(h.run_until([&] { return !h.ledger().records().empty() && h.ledger().records()[0].locked_true_ns; }));
  const std::string holder = h.lock_holder("consul-terraform-sync/terraform");
  ASSERT_FALSE(holder.empty());
  const auto info = parse_lock_info(h.kv("consul-terraform-sync/terraform/.lockinfo")->value);
  const StepResult second = h.apply(1, "default");
  EXPECT_EQ(second.error, "exit status 1\n"
                          "\nError: Error acquiring the state lock\n\n"
                          "Error message: Lock Info:\n"
                          "  ID:        " + holder + "\n"
                          "  Path:      consul-terraform-sync/terraform\n"
                          "  Operation: OperationTypeApply\n"
                          "  Who:       root@baton-1\n"
                          "  Version:   1.11.4\n"
                          "  Created:   " + go_time_string_from_rfc3339(info->created) + "\n"
                          "  Info:      consul session: " + holder + "\n"
                          "\n\n"
                          "Terraform acquires a state lock to protect the state from being written\n"
                          "by multiple users at the same time. Please resolve the issue above and try\n"
                          "again. For most commands, you can disable locking with the \"-lock=false\"\n"
                          "flag, but this is not recommended.\n");
  EXPECT_TRUE(h.wait(first).ok());
}

// A crash mid-apply: no unlock is sent and renewals stop, so the lock stays held until Consul
// invalidates the session (2 x 15 s after the last renewal), then its 5 s lock-delay runs.
TEST(FakeTerraform, ACrashMidApplyKeepsTheLockUntilTheSessionIsInvalidated) {
  Harness h;
  write_task(h.at(0).disk, kThreeServices);
  write_task(h.at(1).disk, kThreeServices);
  auto first = h.start_apply(0);
  // Refresh 1 s, then one service a second: crash after the first change.
  ASSERT_TRUE(h.run_until([&] { return !h.ledger().records().empty() && h.ledger().records()[0].change == ChangeExtent::partial; }));
  const std::string holder = h.lock_holder();
  h.at(0).node.crash();
  const std::int64_t crashed_at = h.world().now_ns();

  const ApplyRecord& crashed = h.ledger().records()[0];
  EXPECT_EQ(crashed.outcome, ApplyOutcome::crashed);
  EXPECT_EQ(crashed.end_true_ns, crashed_at);
  EXPECT_EQ(crashed.change, ChangeExtent::partial);
  EXPECT_FALSE(first->has_value()) << "a dead process answers nothing";
  const TaskInfrastructure* infrastructure = h.terraform_world().find_infrastructure("web");
  ASSERT_NE(infrastructure, nullptr);
  EXPECT_TRUE(infrastructure->partial);
  EXPECT_EQ(infrastructure->services, std::set<std::string>{"api.node1.dc1"});
  EXPECT_EQ(h.lock_holder(), holder) << "nothing released the lock";

  const StepResult while_held = h.apply(1);
  EXPECT_NE(while_held.error.find("Error: error loading state: failed to lock state in Consul: Lock Info:\n  ID:        " + holder),
            std::string::npos)
      << while_held.error;
  EXPECT_EQ(h.ledger().records().back().outcome, ApplyOutcome::lock_refused);

  // Renewed every 7.5 s until the crash: invalidated 22.5 s to 30 s after it, not before.
  h.world().run_until(crashed_at + seconds(22));
  EXPECT_EQ(h.lock_holder(), holder);
  ASSERT_TRUE(h.run_until([&] { return h.lock_holder().empty(); }, seconds(10)));
  const std::int64_t invalidated_at = h.world().now_ns();
  EXPECT_LE(invalidated_at - crashed_at, seconds(30) + ms(300));

  // In the lock-delay: the acquire is refused with no holder, Terraform waits 5 s and gives up,
  // showing the dead holder's lock info (its .lockinfo was never deleted).
  const std::int64_t refused_at = h.world().now_ns();
  const StepResult in_lock_delay = h.apply(1);
  EXPECT_GE(h.world().now_ns() - refused_at, seconds(5));
  EXPECT_NE(in_lock_delay.error.find("  ID:        " + holder), std::string::npos) << in_lock_delay.error;
  EXPECT_EQ(h.ledger().records().back().outcome, ApplyOutcome::lock_refused);

  if (h.world().now_ns() < invalidated_at + seconds(5) + ms(100)) h.world().run_until(invalidated_at + seconds(5) + ms(100));
  const StepResult after = h.apply(1);
  ASSERT_TRUE(after.ok()) << after.error;
  EXPECT_EQ(h.ledger().records().back().outcome, ApplyOutcome::succeeded);
  EXPECT_FALSE(h.terraform_world().find_infrastructure("web")->partial);
  EXPECT_EQ(h.terraform_world().find_infrastructure("web")->services, set_of(kThreeServices));
  EXPECT_TRUE(h.ledger().overlaps(ApplySpan::locked, h.world().now_ns()).empty());
}

TEST(FakeTerraform, CancellingAHungApplyReleasesTheLock) {
  Harness h;
  write_task(h.at(0).disk, kThreeServices);
  write_task(h.at(1).disk, kThreeServices);
  h.terraform_world().failures().add({.mode = FailureMode::hang, .instance = "baton-1"});
  std::stop_source stop;
  auto hung = h.start_apply(0, stop.get_token());
  h.world().run_for(seconds(60));
  EXPECT_FALSE(hung->has_value()) << "a hang never ends by itself";
  EXPECT_FALSE(h.lock_holder().empty()) << "hung while holding the lock";

  stop.request_stop();
  const StepResult cancelled = h.wait(hung, seconds(1));
  EXPECT_EQ(cancelled.end, StepEnd::cancelled);
  EXPECT_EQ(cancelled.error, "context canceled");
  EXPECT_TRUE(h.lock_holder().empty()) << "a SIGTERMed Terraform releases its lock";
  EXPECT_EQ(h.ledger().records()[0].outcome, ApplyOutcome::cancelled);
  EXPECT_EQ(h.ledger().records()[0].change, ChangeExtent::none);

  // Released, not expired: no lock-delay, the other instance applies at once.
  const StepResult next = h.apply(1);
  ASSERT_TRUE(next.ok()) << next.error;
}

TEST(FakeTerraform, CancellingMidChangeSavesWhatWasDoneAndReleasesTheLock) {
  Harness h;
  write_task(h.at(0).disk, kThreeServices);
  std::stop_source stop;
  auto running = h.start_apply(0, stop.get_token());
  ASSERT_TRUE(h.run_until([&] { return !h.ledger().records().empty() && h.ledger().records()[0].change == ChangeExtent::partial; }));
  stop.request_stop();
  const std::int64_t interrupted_at = h.world().now_ns();
  const StepResult cancelled = h.wait(running);
  EXPECT_EQ(cancelled.end, StepEnd::cancelled);
  EXPECT_EQ(cancelled.error, "context canceled") << "it stopped within kill_grace: not killed";
  EXPECT_LT(h.world().now_ns() - interrupted_at, seconds(1));
  EXPECT_EQ(h.ledger().records()[0].outcome, ApplyOutcome::cancelled);
  EXPECT_EQ(h.ledger().records()[0].change, ChangeExtent::partial);
  EXPECT_TRUE(h.terraform_world().find_infrastructure("web")->partial);
  EXPECT_TRUE(h.lock_holder().empty());
  EXPECT_EQ(nlohmann::json::parse(h.kv(kWebStatePath)->value)["serial"], 2) << "what was done is saved";
}

// Production's TerraformCli sends SIGKILL kill_grace (10 s) after the interrupt; the fake
// does too. Here the interrupted apply cannot save its state or unlock (Consul is unreachable),
// so it is still running at the deadline: killed where it is, the lock left held.
TEST(FakeTerraform, AnApplyStillRunningKillGraceAfterItsInterruptIsKilled) {
  Harness h;
  write_task(h.at(0).disk, kThreeServices);
  std::stop_source stop;
  auto running = h.start_apply(0, stop.get_token());
  ASSERT_TRUE(h.run_until([&] { return !h.ledger().records().empty() && h.ledger().records()[0].change == ChangeExtent::partial; }));
  const std::string holder = h.lock_holder();
  h.network().isolate(h.at(0).node);
  stop.request_stop();
  const std::int64_t interrupted_at = h.world().now_ns();
  const StepResult killed = h.wait(running, seconds(11));
  EXPECT_EQ(h.world().now_ns() - interrupted_at, seconds(10)) << "killed at the grace's end, not before";
  EXPECT_EQ(killed.end, StepEnd::cancelled);
  EXPECT_EQ(killed.error, "signal: killed");
  EXPECT_EQ(h.ledger().records()[0].outcome, ApplyOutcome::killed);
  EXPECT_EQ(*h.ledger().records()[0].end_true_ns, interrupted_at + seconds(10));
  EXPECT_EQ(h.ledger().records()[0].change, ChangeExtent::partial);
  h.network().rejoin(h.at(0).node);
  EXPECT_EQ(h.lock_holder(), holder) << "a killed Terraform releases nothing";
}

TEST(FakeTerraform, AFailureBeforeAnyChangeLeavesTheInfrastructure) {
  Harness h;
  write_task(h.at(0).disk, {"api.node1.dc1"});
  ASSERT_TRUE(h.apply(0).ok());
  write_task(h.at(0).disk, kThreeServices);
  h.terraform_world().failures().add({.mode = FailureMode::fail_before_change,
                                      .task = "web",
                                      .times = 1,
                                      .summary = "Failed to query available provider packages",
                                      .detail = "Could not retrieve the list of available versions."});
  const StepResult failed = h.apply(0);
  EXPECT_EQ(failed.end, StepEnd::failed);
  EXPECT_EQ(failed.error,
            "exit status 1\n\nError: Failed to query available provider packages\n\n"
            "Could not retrieve the list of available versions.\n");
  const ApplyRecord& record = h.ledger().records().back();
  EXPECT_EQ(record.outcome, ApplyOutcome::failed_before_change);
  EXPECT_EQ(record.change, ChangeExtent::none);
  EXPECT_EQ(record.error, failed.error);
  EXPECT_EQ(h.terraform_world().find_infrastructure("web")->services, std::set<std::string>{"api.node1.dc1"});
  EXPECT_FALSE(h.terraform_world().find_infrastructure("web")->partial);
  EXPECT_TRUE(h.lock_holder().empty());
  ASSERT_TRUE(h.apply(0).ok()) << "the rule was for one apply";
}

TEST(FakeTerraform, AFailureAfterAPartialChangeLeavesItPartial) {
  Harness h;
  const std::vector<std::string> five = {"a.n.dc1", "b.n.dc1", "c.n.dc1", "d.n.dc1", "e.n.dc1"};
  write_task(h.at(0).disk, five);
  h.terraform_world().failures().add({.mode = FailureMode::fail_after_partial_change, .times = 1});
  const StepResult failed = h.apply(0);
  EXPECT_EQ(failed.error, "exit status 1\n\nError: simulated provider error after a partial change\n\n");
  const ApplyRecord& record = h.ledger().records().back();
  EXPECT_EQ(record.outcome, ApplyOutcome::failed_after_partial_change);
  EXPECT_EQ(record.change, ChangeExtent::partial);
  const TaskInfrastructure* infrastructure = h.terraform_world().find_infrastructure("web");
  EXPECT_TRUE(infrastructure->partial);
  EXPECT_GE(infrastructure->services.size(), 1u);
  EXPECT_LE(infrastructure->services.size(), 4u) << "some changes, never all";
  for (const std::string& key : infrastructure->services) EXPECT_TRUE(set_of(five).contains(key)) << key;
  EXPECT_TRUE(h.lock_holder().empty());

  // Same inputs: Terraform still has work to do on a partial infrastructure.
  const PlanResult planned = h.run(h.at(0), h.at(0).terraform.plan(Harness::target(), {}));
  EXPECT_TRUE(planned.changes_present);
  ASSERT_TRUE(h.apply(0).ok());
  EXPECT_EQ(h.terraform_world().find_infrastructure("web")->services, set_of(five));
  EXPECT_FALSE(h.terraform_world().find_infrastructure("web")->partial);
}

TEST(FakeTerraform, FailuresFromAPointOnForOneInstance) {
  Harness h;
  write_task(h.at(0).disk, {"a.n.dc1"});
  write_task(h.at(1).disk, {"a.n.dc1"});
  h.terraform_world().failures().add({.instance = "baton-2", .from_true_ns = h.world().now_ns() + seconds(30)});
  ASSERT_TRUE(h.apply(1).ok()) << "before the rule's time";
  h.world().run_for(seconds(30));
  for (int i = 0; i < 3; ++i) {
    write_task(h.at(1).disk, {"a.n.dc1", "b" + std::to_string(i) + ".n.dc1"});
    EXPECT_EQ(h.apply(1).end, StepEnd::failed) << "every apply from then on";
  }
  write_task(h.at(0).disk, {"c.n.dc1"});
  EXPECT_TRUE(h.apply(0).ok()) << "the other instance is not affected";
}

TEST(FakeTerraform, ValidateFlagsAnUndeclaredServicesVariable) {
  Harness h(11, fixed_options(), 1);
  write_task(h.at(0).disk, {});
  ASSERT_TRUE(h.at(0).disk.remove_all(std::string(kWorkingDir) + "/variables.tf").ok());
  const StepResult invalid = h.run(h.at(0), h.at(0).terraform.validate(Harness::target(), {}));
  EXPECT_EQ(invalid.end, StepEnd::failed);
  EXPECT_EQ(invalid.error,
            "\nerror: Reference to undeclared input variable\n"
            "\non main.tf line 13, in module \"web\"\n13:  services = var.services\n\n"
            "An input variable with the name \"services\" has not been declared. This variable can be declared with a "
            "variable \"services\" {} block.\n");
  h.terraform_world().failures().add({.step = TerraformStep::validate, .times = 1});
  write_task(h.at(0).disk, {});
  EXPECT_EQ(h.run(h.at(0), h.at(0).terraform.validate(Harness::target(), {})).error,
            "exit status 1\n\nError: simulated provider error during validate\n\n");
  EXPECT_TRUE(h.run(h.at(0), h.at(0).terraform.validate(Harness::target(), {})).ok());
}

TEST(FakeTerraform, AnApplyWithoutTerraformTfvarsMissesTheServicesValue) {
  Harness h(11, fixed_options(), 1);
  write_task(h.at(0).disk, {}, /*with_tfvars=*/false);
  const StepResult failed = h.apply(0);
  EXPECT_EQ(failed.error,
            "exit status 1\n\nError: No value for required variable\n\n"
            "  on variables.tf line 1:\n   1: variable \"services\" {\n\n"
            "The root module input variable \"services\" is not set, and has no default\n"
            "value. Use a -var or -var-file command line argument to provide a value for\n"
            "this variable.\n");
  EXPECT_EQ(h.ledger().records().back().outcome, ApplyOutcome::failed_before_change);
  EXPECT_TRUE(h.lock_holder().empty());
}

TEST(FakeTerraform, PlanShowsChangesAgainstTheLastSuccessfulApply) {
  Harness h(11, fixed_options(), 1);
  write_task(h.at(0).disk, {"api.node1.dc1"});
  PlanResult planned = h.run(h.at(0), h.at(0).terraform.plan(Harness::target(), {}));
  ASSERT_TRUE(planned.step.ok()) << planned.step.error;
  EXPECT_TRUE(planned.changes_present);
  EXPECT_EQ(planned.plan,
            "\nTerraform will perform the following actions:\n\n"
            "  # module.web.service[\"api.node1.dc1\"] will be created\n"
            "\nPlan: 1 to add, 0 to change, 0 to destroy.\n");
  ASSERT_TRUE(h.apply(0).ok());
  planned = h.run(h.at(0), h.at(0).terraform.plan(Harness::target(), {}));
  EXPECT_FALSE(planned.changes_present);
  EXPECT_NE(planned.plan.find("No changes. Your infrastructure matches the configuration."), std::string::npos);
  write_task(h.at(0).disk, {"web.node1.dc1"});
  planned = h.run(h.at(0), h.at(0).terraform.plan(Harness::target(), {}));
  EXPECT_TRUE(planned.changes_present);
  EXPECT_NE(planned.plan.find("Plan: 1 to add, 0 to change, 1 to destroy."), std::string::npos) << planned.plan;
  EXPECT_EQ(h.ledger().records().size(), 1u) << "plans are not applies";
  EXPECT_TRUE(h.lock_holder().empty()) << "plan locks and unlocks";
}

// The same seed gives the same ledger and the same trace, byte for byte.
std::string scripted_run(std::uint64_t seed) {
  FakeTerraformOptions options;  // drawn times
  Harness h(seed, options);
  write_task(h.at(0).disk, kThreeServices);
  write_task(h.at(1).disk, {"api.node1.dc1"});
  h.terraform_world().failures().add({.mode = FailureMode::fail_after_partial_change, .instance = "baton-2", .times = 1});
  auto a = h.start_apply(0);
  h.world().run_for(ms(1500));
  auto b = h.start_apply(1);
  h.wait(a);
  h.wait(b);
  h.apply(1);
  write_task(h.at(0).disk, {"api.node1.dc1", "web.node9.dc1"});
  auto c = h.start_apply(0);
  h.world().run_for(ms(1500));  // applies take 2 s to 6 s
  h.at(0).node.crash();
  h.world().run_for(seconds(40));
  h.apply(1);
  std::ostringstream out;
  for (const ApplyRecord& record : h.ledger().records()) {
    out << record.id << ' ' << record.instance << ' ' << record.start_true_ns << ' ' << record.locked_true_ns.value_or(-1) << ' '
        << record.end_true_ns.value_or(-1) << ' ' << to_string(record.outcome) << ' ' << to_string(record.change) << ' '
        << record.inputs_digest << ' ' << record.error << '\n';
  }
  for (const auto& [task, infrastructure] : h.terraform_world().infrastructure()) {
    out << task << ' ' << infrastructure.partial << ' ' << infrastructure.services.size() << '\n';
  }
  out << h.world().trace().digest_hex();
  return out.str();
}

TEST(FakeTerraform, SameSeedSameRecord) {
  const std::string first = scripted_run(21);
  EXPECT_EQ(first, scripted_run(21));
  EXPECT_NE(first, scripted_run(22)) << "the seed matters";
  EXPECT_NE(first.find("crashed"), std::string::npos) << first;
  EXPECT_NE(first.find("failed_after_partial_change"), std::string::npos) << first;
}

}  // namespace
}  // namespace baton::fakes::terraform
