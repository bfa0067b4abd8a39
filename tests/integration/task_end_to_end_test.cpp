// A task from Consul to Terraform with every production binding real: fake-consul as a process
// over HTTP (HttpConsulTransport), the engine's watcher and task runner on AsioRuntime, the
// task's directory on the local disk, and /usr/local/bin/terraform run by TerraformCli through
// AsioProcessPort, with CTS's default consul backend pointed at fake-consul. The module declares
// `services` with CTS's documented type and writes one file per instance with local-exec, so the
// test reads the infrastructure Terraform produced.
#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "engine/async/wait.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/consul/http_consul_transport.hpp"
#include "engine/bindings/filesystem/local_filesystem.hpp"
#include "engine/bindings/process/asio_process.hpp"
#include "engine/consul/client.hpp"
#include "engine/driver/terraform/consul_backend.hpp"
#include "engine/driver/terraform/task_driver.hpp"
#include "engine/driver/terraform/terraform_cli.hpp"
#include "engine/tasks/task_runner.hpp"
#include "engine/watch/watcher.hpp"
#include "tests/integration/fake_consul_process.hpp"

namespace baton::tasks {
namespace {

using namespace std::chrono_literals;
namespace tf = driver::terraform;
namespace fs = std::filesystem;

// The `services` variable exactly as CTS documents it, and one file per instance:
// out/<key> holding "address:port", removed when the instance goes.
constexpr const char* kModule = R"(
variable "services" {
  description = "Consul services monitored by Consul-Terraform-Sync"
  type = map(
    object({
      id        = string
      name      = string
      kind      = string
      address   = string
      port      = number
      meta      = map(string)
      tags      = list(string)
      namespace = string
      status    = string

      node                  = string
      node_id               = string
      node_address          = string
      node_datacenter       = string
      node_tagged_addresses = map(string)
      node_meta             = map(string)

      cts_user_defined_meta = map(string)
    })
  )
}

resource "terraform_data" "instance" {
  for_each         = var.services
  input            = "${each.value.address}:${each.value.port}"
  triggers_replace = "${each.value.address}:${each.value.port}"

  provisioner "local-exec" {
    command = "mkdir -p out && printf '%s' '${self.input}' > 'out/${each.key}'"
  }
  provisioner "local-exec" {
    when    = destroy
    command = "rm -f 'out/${each.key}'"
  }
}
)";

constexpr const char* kFailingModule = R"(
variable "services" {
  type = map(any)
}

resource "terraform_data" "broken" {
  provisioner "local-exec" {
    command = "echo the module refuses >&2; exit 1"
  }
}
)";

// The transport for a fake-consul that is known to be there: failing to make one is a test bug.
std::unique_ptr<HttpConsulTransport> transport_to(AsioRuntime& runtime, const std::string& address) {
  HttpConsulTransportOrError made = HttpConsulTransport::create(runtime, address);
  if (made.index() == 1) throw std::runtime_error(std::get<1>(made));
  return std::move(std::get<0>(made));
}

class TaskEndToEnd : public ::testing::Test {
 protected:
  TaskEndToEnd() {
    std::string pattern = (fs::temp_directory_path() / "baton-e2e-XXXXXX").string();
    root_ = ::mkdtemp(pattern.data());
    std::ofstream(root_ + "/terraformrc") << "";
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(log_text_);
    auto output = std::make_shared<spdlog::logger>("baton", sink);
    output->set_level(spdlog::level::info);
    logger_.emplace(output, runtime_);
  }
  ~TaskEndToEnd() override { fs::remove_all(root_); }

  void SetUp() override {
    if (!fs::exists("/usr/local/bin/terraform")) GTEST_SKIP() << "no terraform";
  }

  tf::TaskInput task(const std::string& module_text) {
    fs::create_directories(root_ + "/module");
    std::ofstream(root_ + "/module/main.tf") << module_text;
    tf::TaskInput input;
    input.name = "web";
    input.description = "end to end";
    input.module_source = root_ + "/module";
    input.backend = tf::default_consul_backend({.address = "127.0.0.1:" + std::to_string(consul_.port())});
    input.templates.push_back(tf::ServicesTemplate{{tf::ServiceQuery{"api", "", "", ""}}, true});
    return input;
  }

  tf::TerraformCliOptions cli_options() const {
    tf::TerraformCliOptions options;
    options.path = "/usr/local/bin";
    options.cli_config_file = root_ + "/terraformrc";
    return options;
  }

  // The out/ files the module wrote: key -> content.
  std::map<std::string, std::string> infrastructure() const {
    std::map<std::string, std::string> files;
    const fs::path out = fs::path(root_) / "sync-tasks/web/out";
    if (!fs::exists(out)) return files;
    for (const auto& entry : fs::directory_iterator(out)) {
      std::ifstream file(entry.path());
      std::stringstream content;
      content << file.rdbuf();
      files[entry.path().filename().string()] = content.str();
    }
    return files;
  }

  std::string root_;
  std::ostringstream log_text_;
  baton::test::FakeConsulProcess consul_{FAKE_CONSUL_BINARY};
  AsioRuntime runtime_;
  std::unique_ptr<HttpConsulTransport> transport_ = transport_to(runtime_, "127.0.0.1:" + std::to_string(consul_.port()));
  consul::ConsulClient client_{*transport_};
  std::optional<Logger> logger_;
  LocalFileSystem files_;
  AsioProcessPort processes_{runtime_};
  TaskEvents events_;
};

consul::ServiceRegistration instance(std::string id, std::string address) {
  consul::ServiceRegistration registration;
  registration.id = std::move(id);
  registration.name = "api";
  registration.address = std::move(address);
  registration.port = 8080;
  return registration;
}

// Waits (real time, up to a minute) until `done()` holds.
Task<bool> eventually(Runtime& runtime, std::function<bool()> done) {
  for (int i = 0; i < 600; ++i) {
    if (done()) co_return true;
    co_await sleep_for(runtime, 100ms);
  }
  co_return done();
}

bool has_key_starting(const std::map<std::string, std::string>& files, const std::string& prefix) {
  for (const auto& [key, content] : files) {
    if (key.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST_F(TaskEndToEnd, RegisteredAndDeregisteredServicesBecomeTheModulesFiles) {
  watch::Watcher watcher(runtime_, client_, *logger_);
  tf::TerraformCli terraform(runtime_, processes_, *logger_, cli_options());
  tf::TaskDriver driver(files_, terraform, *logger_, task(kModule), tf::TerraformTarget{"web", root_ + "/sync-tasks/web", "web", {}});
  TaskRunner runner(runtime_, watcher, driver, *logger_, TaskRunnerOptions{.buffer = {false, {}, {}}}, [] { return true; },
                    events_);
  std::stop_source stop;
  bool checked = false;
  auto scenario = [&]() -> Task<void> {
    auto first = co_await client_.agent_service_register(instance("api-1", "10.0.0.1"));
    EXPECT_TRUE(first.ok());
    runtime_.scope().spawn(runner.run(stop.get_token()));
    const bool one = co_await eventually(runtime_, [&] { return has_key_starting(infrastructure(), "api-1."); });
    EXPECT_TRUE(one) << log_text_.str();
    auto second = co_await client_.agent_service_register(instance("api-2", "10.0.0.2"));
    EXPECT_TRUE(second.ok());
    const bool two = co_await eventually(runtime_, [&] { return has_key_starting(infrastructure(), "api-2."); });
    EXPECT_TRUE(two) << log_text_.str();
    auto gone = co_await client_.agent_service_deregister("api-1");
    EXPECT_TRUE(gone.ok());
    const bool removed = co_await eventually(runtime_, [&] { return !has_key_starting(infrastructure(), "api-1."); });
    EXPECT_TRUE(removed) << log_text_.str();
    // The file goes while that apply still runs (a destroy provisioner): wait for its event, so
    // that stopping does not cancel it.
    const bool recorded = co_await eventually(runtime_, [&] { return events_.events().size() >= 3; });
    EXPECT_TRUE(recorded) << log_text_.str();
    // The state lives in fake-consul, where CTS's default backend puts it.
    auto state = co_await client_.kv_get("consul-terraform-sync/terraform-env:web");
    EXPECT_TRUE(state.ok() && state.value().value.has_value()) << "Terraform's state in Consul KV";
    checked = true;
    stop.request_stop();
  };
  runtime_.scope().spawn(scenario());
  runtime_.run();
  ASSERT_TRUE(checked);
  const auto files = infrastructure();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files.begin()->second, "10.0.0.2:8080");
  ASSERT_GE(events_.events().size(), 3u);
  for (const TaskEvent& event : events_.events()) EXPECT_TRUE(event.success) << event.error;
}

TEST_F(TaskEndToEnd, AFailingModuleGivesAnErroredEventWithTerraformsMessage) {
  watch::Watcher watcher(runtime_, client_, *logger_);
  tf::TerraformCli terraform(runtime_, processes_, *logger_, cli_options());
  tf::TaskDriver driver(files_, terraform, *logger_, task(kFailingModule), tf::TerraformTarget{"web", root_ + "/sync-tasks/web", "web", {}});
  TaskRunner runner(runtime_, watcher, driver, *logger_, TaskRunnerOptions{.buffer = {false, {}, {}}}, [] { return true; },
                    events_);
  std::stop_source stop;
  auto scenario = [&]() -> Task<void> {
    runtime_.scope().spawn(runner.run(stop.get_token()));
    const bool ran = co_await eventually(runtime_, [&] { return !events_.events().empty(); });
    EXPECT_TRUE(ran);
    stop.request_stop();
  };
  runtime_.scope().spawn(scenario());
  runtime_.run();
  ASSERT_EQ(events_.events().size(), 1u);
  const TaskEvent& event = events_.events().front();
  EXPECT_FALSE(event.success);
  EXPECT_EQ(events_.status(), TaskStatus::errored);
  EXPECT_NE(event.error.find("could not apply changes for task web: retry attempt #2 failed 'error tf-apply for 'web': exit status 1"),
            std::string::npos)
      << event.error;
  EXPECT_NE(event.error.find("Error: local-exec provisioner error"), std::string::npos) << event.error;
}

}  // namespace
}  // namespace baton::tasks
