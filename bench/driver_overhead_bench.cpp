// The driver's own cost per apply: TaskDriver::apply (TerraformCli over AsioProcessPort, output
// captured line by line) against running the same `terraform apply` by hand (posix_spawn and
// waitpid, output to /dev/null) on the same task directory. The module changes nothing, so both
// measure Terraform's fixed cost plus whatever the driver adds. Issue 5 reports the ratio.
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/filesystem/local_filesystem.hpp"
#include "engine/bindings/process/asio_process.hpp"
#include "engine/driver/terraform/task_driver.hpp"
#include "engine/driver/terraform/terraform_cli.hpp"

extern char** environ;

namespace {

using namespace baton;
namespace tf = baton::driver::terraform;
namespace fs = std::filesystem;

constexpr const char* kModule = R"(
variable "services" {
  type = map(any)
}
resource "terraform_data" "x" {
  input = length(var.services)
}
)";

struct Fixture {
  Fixture() {
    std::string pattern = (fs::temp_directory_path() / "baton-bench-XXXXXX").string();
    root = ::mkdtemp(pattern.data());
    std::ofstream(root + "/terraformrc") << "";
    fs::create_directories(root + "/module");
    std::ofstream(root + "/module/main.tf") << kModule;
    logger.emplace(std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_st>()), runtime);
    tf::TerraformCliOptions options;
    options.path = "/usr/local/bin";
    options.cli_config_file = root + "/terraformrc";
    cli.emplace(runtime, processes, *logger, options);
    tf::TaskInput task;
    task.name = "web";
    task.module_source = root + "/module";
    task.backend = tf::Backend{"local", {}};
    task.templates.push_back(tf::ServicesTemplate{{tf::ServiceQuery{"api", "", "", ""}}, true});
    driver.emplace(files, *cli, *logger, task, tf::TerraformTarget{"web", root + "/web", "web", {}});
    tf::StepResult initialized = run(driver->init_task({}));
    if (!initialized.ok()) throw std::runtime_error(initialized.error);
    (void)driver->render(tf::ConsulData{});
    tf::StepResult first = run(driver->apply({}));
    if (!first.ok()) throw std::runtime_error(first.error);
  }
  ~Fixture() { fs::remove_all(root); }

  template <class T>
  T run(Task<T> task) {
    std::optional<T> out;
    runtime.scope().spawn([](Task<T> inner, std::optional<T>& result) -> Task<void> { result = co_await std::move(inner); }(
        std::move(task), out));
    runtime.run();
    return std::move(*out);
  }

  std::string root;
  AsioRuntime runtime;
  AsioProcessPort processes{runtime};
  LocalFileSystem files;
  std::optional<Logger> logger;
  std::optional<tf::TerraformCli> cli;
  std::optional<tf::TaskDriver> driver;
};

Fixture& fixture() {
  static Fixture shared;
  return shared;
}

void BM_DriverApply(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    tf::StepResult applied = f.run(f.driver->apply({}));
    if (!applied.ok()) state.SkipWithError(applied.error.c_str());
  }
}
BENCHMARK(BM_DriverApply)->Iterations(10)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same command line and environment TerraformCli uses, run directly.
void BM_TerraformApplyByHand(benchmark::State& state) {
  Fixture& f = fixture();
  const std::string directory = f.root + "/web";
  std::vector<std::string> args{"/usr/local/bin/terraform", "apply", "-no-color", "-auto-approve", "-input=false",
                                "-lock=true", "-parallelism=10", "-refresh=true"};
  std::vector<std::string> env{"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
                               "TF_CLI_CONFIG_FILE=" + f.root + "/terraformrc", "PATH=/usr/bin:/bin", "HOME=/root"};
  std::vector<char*> argv, envp;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  for (auto _ : state) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, directory.c_str());
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) state.SkipWithError("spawn failed");
    int status = 0;
    waitpid(pid, &status, 0);
    posix_spawn_file_actions_destroy(&actions);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) state.SkipWithError("terraform apply failed");
  }
}
BENCHMARK(BM_TerraformApplyByHand)->Iterations(10)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
