// TerraformCli over AsioProcessPort with the real /usr/local/bin/terraform, in temporary
// directories with hand-written configurations. There is no network: only what is built in
// works (terraform_data, local-exec, the local backend).
#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>

#include "engine/async/wait.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/process/asio_process.hpp"
#include "engine/driver/terraform/terraform_cli.hpp"
#include "engine/log/logger.hpp"
#include "tests/integration/process_support.hpp"

namespace baton::driver::terraform {
namespace {

using namespace std::chrono_literals;

constexpr const char* kTerraformDirectory = "/usr/local/bin";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

template <class T>
Task<void> capture_into(Task<T> task, std::optional<T>& out) {
  out = co_await std::move(task);
}

// The pids of running processes whose command line contains `marker`.
std::vector<pid_t> processes_running(const std::string& marker) {
  std::vector<pid_t> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string command_line = read_text(entry.path() / "cmdline");
    std::replace(command_line.begin(), command_line.end(), '\0', ' ');
    if (command_line.find(marker) != std::string::npos && !test::is_dead(std::stoi(name))) found.push_back(std::stoi(name));
  }
  return found;
}

class TerraformCliRealTest : public ::testing::Test {
 protected:
  TerraformCliRealTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "baton-tf-XXXXXX").string();
    root_ = ::mkdtemp(pattern.data());
    std::ofstream(root_ + "/terraformrc") << "";
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(log_text_);
    auto output = std::make_shared<spdlog::logger>("baton", sink);
    output->set_level(spdlog::level::trace);
    logger_.emplace(output, runtime_);
  }
  ~TerraformCliRealTest() override { std::filesystem::remove_all(root_); }

  void SetUp() override {
    if (!std::filesystem::exists(std::string(kTerraformDirectory) + "/terraform")) GTEST_SKIP() << "no terraform";
  }

  TerraformCliOptions options() const {
    TerraformCliOptions options;
    options.path = kTerraformDirectory;
    options.cli_config_file = root_ + "/terraformrc";
    return options;
  }

  // A task directory holding `main_tf`, and the target for it.
  TerraformTarget task_dir(const std::string& name, const std::string& main_tf) {
    const std::string directory = root_ + "/" + name;
    std::filesystem::create_directories(directory);
    std::ofstream(directory + "/main.tf") << main_tf;
    return TerraformTarget{"web", directory, "web", {}};
  }

  template <class T>
  T run(Task<T> task) {
    std::optional<T> out;
    runtime_.scope().spawn(capture_into(std::move(task), out));
    runtime_.run();
    if (!out) throw std::runtime_error("the step did not return");
    return std::move(*out);
  }

  std::string root_;
  std::ostringstream log_text_;
  AsioRuntime runtime_;
  AsioProcessPort processes_{runtime_};
  std::optional<Logger> logger_;
};

constexpr const char* kSimpleConfig = R"(
resource "terraform_data" "x" {
  input = "a"
}
)";

TEST_F(TerraformCliRealTest, InitCreatesTheWorkspaceThenFindsItOnTheNextInit) {
  TerraformCliOptions logged = options();
  logged.log = true;
  TerraformCli cli(runtime_, processes_, *logger_, logged);
  const TerraformTarget target = task_dir("fresh", kSimpleConfig);
  const StepResult first = run(cli.init(target, {}));
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_TRUE(std::filesystem::is_directory(target.working_dir + "/terraform.tfstate.d/web"));
  EXPECT_EQ(read_text(target.working_dir + "/.terraform/environment"), "web");
  const StepResult again = run(cli.init(target, {}));
  ASSERT_TRUE(again.ok()) << again.error;
  const std::string log = log_text_.str();
  EXPECT_NE(log.find("Terraform has been successfully initialized!: task_name=web"), std::string::npos) << log;
  EXPECT_NE(log.find("running Terraform command: task_name=web command=\"/usr/local/bin/terraform workspace select "
                     "-no-color web\""),
            std::string::npos)
      << log;
}

TEST_F(TerraformCliRealTest, ValidateWordsAModuleWithoutTheServicesVariableAsCtsDoes) {
  TerraformCli cli(runtime_, processes_, *logger_, options());
  const TerraformTarget target = task_dir("module", R"(
module "web" {
  source   = "./mod"
  services = {}
}
)");
  std::filesystem::create_directories(target.working_dir + "/mod");
  std::ofstream(target.working_dir + "/mod/main.tf") << kSimpleConfig;
  ASSERT_TRUE(run(cli.init(target, {})).ok());
  const StepResult validated = run(cli.validate(target, {}));
  EXPECT_EQ(validated.end, StepEnd::failed);
  EXPECT_EQ(validated.error, "\nmodule for task \"web\" is missing the \"services\" variable\n");
}

TEST_F(TerraformCliRealTest, ValidatePassesWithWarnings) {
  TerraformCli cli(runtime_, processes_, *logger_, options());
  const TerraformTarget target = task_dir("warned", R"(resource "terraform_data" "x" {
  input = "a"
  lifecycle {
    ignore_changes = [id]
  }
}
)");
  ASSERT_TRUE(run(cli.init(target, {})).ok());
  const StepResult validated = run(cli.validate(target, {}));
  ASSERT_TRUE(validated.ok()) << validated.error;
  EXPECT_TRUE(validated.warnings.starts_with("\nwarning: Redundant ignore_changes element\n\non main.tf line 1, in "
                                             "resource \"terraform_data\" \"x\"\n1:resource \"terraform_data\" \"x\" {\n\n"))
      << validated.warnings;
}

TEST_F(TerraformCliRealTest, PlanSeesChangesUntilApplyMadeThem) {
  TerraformCli cli(runtime_, processes_, *logger_, options());
  const TerraformTarget target = task_dir("plan", kSimpleConfig);
  ASSERT_TRUE(run(cli.init(target, {})).ok());
  const PlanResult before = run(cli.plan(target, {}));
  ASSERT_TRUE(before.step.ok()) << before.step.error;
  EXPECT_TRUE(before.changes_present);
  EXPECT_NE(before.plan.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos) << before.plan;
  const StepResult applied = run(cli.apply(target, {}));
  ASSERT_TRUE(applied.ok()) << applied.error;
  EXPECT_TRUE(std::filesystem::exists(target.working_dir + "/terraform.tfstate.d/web/terraform.tfstate"));
  const PlanResult after = run(cli.plan(target, {}));
  ASSERT_TRUE(after.step.ok()) << after.step.error;
  EXPECT_FALSE(after.changes_present);
  EXPECT_NE(after.plan.find("No changes."), std::string::npos) << after.plan;
}

TEST_F(TerraformCliRealTest, AFailedApplyGivesExitStatusThenTerraformsError) {
  TerraformCli cli(runtime_, processes_, *logger_, options());
  const TerraformTarget target = task_dir("failing", R"(
resource "terraform_data" "x" {
  provisioner "local-exec" {
    command = "echo failing; exit 1"
  }
}
)");
  ASSERT_TRUE(run(cli.init(target, {})).ok());
  const StepResult applied = run(cli.apply(target, {}));
  EXPECT_EQ(applied.end, StepEnd::failed);
  EXPECT_TRUE(applied.error.starts_with("exit status 1\n")) << applied.error;
  EXPECT_NE(applied.error.find("Error: local-exec provisioner error"), std::string::npos) << applied.error;
}

TEST_F(TerraformCliRealTest, InitRejectedByRequiredVersionUsesTerraformExecsWording) {
  TerraformCli cli(runtime_, processes_, *logger_, options());
  const TerraformTarget target = task_dir("version", R"(
terraform {
  required_version = ">= 99.0"
}
)");
  const StepResult initialized = run(cli.init(target, {}));
  EXPECT_EQ(initialized.end, StepEnd::failed);
  EXPECT_TRUE(std::regex_match(initialized.error,
                               std::regex(R"(terraform 1\.\d+\.\d+ not supported by configuration \(>= 99\.0 required\))")))
      << initialized.error;
}

TEST_F(TerraformCliRealTest, PersistLogWritesTerraformsTraceLogInTheTaskDirectory) {
  TerraformCliOptions persisted = options();
  persisted.persist_log = true;
  TerraformCli cli(runtime_, processes_, *logger_, persisted);
  const TerraformTarget target = task_dir("persisted", kSimpleConfig);
  ASSERT_TRUE(run(cli.init(target, {})).ok());
  EXPECT_NE(read_text(target.working_dir + "/terraform.log").find("[TRACE]"), std::string::npos);
}

// What happens while the slow apply runs: a second apply meets its lock, then the stop.
struct WhileApplying {
  pid_t terraform_group = 0;
  std::optional<StepResult> second_apply;
};

Task<void> meet_the_lock_then_stop(Runtime& runtime, TerraformCli& cli, const TerraformTarget& target,
                                   WhileApplying& seen, std::stop_source& stopper) {
  for (int polls = 0; polls < 300 && seen.terraform_group == 0; ++polls) {
    co_await sleep_for(runtime, 100ms);
    const std::vector<pid_t> sleeping = processes_running("sleep 59.321");
    if (!sleeping.empty()) seen.terraform_group = test::read_proc_stat(std::to_string(sleeping.front())).group;
  }
  const std::stop_token never;  // named: no braced temporary inside a co_await (GCC 12)
  seen.second_apply = co_await cli.apply(target, never);
  stopper.request_stop();
}

TEST_F(TerraformCliRealTest, CancellingASlowApplyEndsItsGroupAndReleasesTheLock) {
  TerraformCliOptions quick = options();
  quick.kill_grace = 5s;
  TerraformCli cli(runtime_, processes_, *logger_, quick);
  const TerraformTarget target = task_dir("slow", R"(
resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "sleep 59.321"
  }
}
)");
  ASSERT_TRUE(run(cli.init(target, {})).ok());

  std::stop_source stopper;
  WhileApplying seen;
  std::optional<StepResult> cancelled;
  const auto started = std::chrono::steady_clock::now();
  runtime_.scope().spawn(capture_into(cli.apply(target, stopper.get_token()), cancelled));
  runtime_.scope().spawn(meet_the_lock_then_stop(runtime_, cli, target, seen, stopper));
  runtime_.run();
  const auto took = std::chrono::steady_clock::now() - started;

  ASSERT_NE(seen.terraform_group, 0) << "the provisioner never started";
  ASSERT_TRUE(seen.second_apply.has_value());
  EXPECT_EQ(seen.second_apply->end, StepEnd::failed);
  EXPECT_TRUE(seen.second_apply->error.starts_with("error acquiring the state lock: Lock Info:\n  ID:        "))
      << seen.second_apply->error;
  EXPECT_NE(seen.second_apply->error.find("  Path:      terraform.tfstate.d/web/terraform.tfstate\n"), std::string::npos);
  EXPECT_NE(seen.second_apply->error.find("  Operation: OperationTypeApply\n"), std::string::npos);

  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(cancelled->end, StepEnd::cancelled) << cancelled->error;
  EXPECT_LT(took, 40s) << "the sleep alone would take a minute";
  EXPECT_EQ(test::live_members_of_group(seen.terraform_group), 0);
  EXPECT_TRUE(processes_running("sleep 59.321").empty());
  EXPECT_FALSE(test::has_unreaped_children());

  std::ofstream(target.working_dir + "/main.tf") << R"(
resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "true"
  }
}
)";
  const StepResult next = run(cli.apply(target, {}));
  EXPECT_TRUE(next.ok()) << "the state lock must be free again: " << next.error;
}

}  // namespace
}  // namespace baton::driver::terraform
