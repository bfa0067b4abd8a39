// The driver check of `baton start` (engine/controller/install_driver.hpp), as CTS v0.9.0's
// driver.InstallTerraform makes it (driver/terraform_download.go): the `terraform` at the
// driver's path asked its version through TerraformCli over a scripted ProcessPort, on a
// simulated disk, and refused as CTS refuses it, with CTS's texts and log lines.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/config/cts/load.hpp"
#include "engine/controller/install_driver.hpp"
#include "sim/filesystem/memory_filesystem.hpp"
#include "sim/runtime/sim_log.hpp"
#include "sim/runtime/world.hpp"
#include "tests/support/consul_client_support.hpp"

namespace baton::controller {
namespace {

using consul::test::run_on;
namespace tf = driver::terraform;

ProcessResult exited(int code, std::string out, std::string err = {}) {
  ProcessResult result;
  result.end = ProcessEnd::exited;
  result.exit_code = code;
  result.out = std::move(out);
  result.err = std::move(err);
  return result;
}

ProcessResult not_started(std::string start_error) {
  ProcessResult result;
  result.end = ProcessEnd::start_failed;
  result.start_error = std::move(start_error);
  return result;
}

std::string version_json(const std::string& version) {
  return R"({"terraform_version":")" + version + R"(","platform":"linux_amd64","provider_selections":{}})" + "\n";
}

// Answers each command line (its arguments joined by spaces) from `answers`, at once.
class ScriptedProcesses final : public ProcessPort {
 public:
  Task<ProcessResult> run(ProcessSpec spec, LineSink, std::stop_token) override {
    std::string command = spec.program;
    for (const std::string& arg : spec.args) command += " " + arg;
    commands.push_back(command);
    working_dirs.push_back(spec.working_dir);
    const auto answer = answers.find(command);
    if (answer == answers.end()) co_return exited(127, "", "unexpected command: " + command);
    co_return answer->second;
  }

  std::map<std::string, ProcessResult> answers;
  std::vector<std::string> commands;
  std::vector<std::string> working_dirs;
};

config::cts::TerraformConfig driver_config(const std::string& driver_block) {
  config::cts::Environment environment;
  environment.hostname = "host";
  environment.working_directory = "/srv/cts";
  auto loaded = config::cts::load_config(
      {config::cts::ConfigPath{"config.hcl", false, {config::cts::ConfigFile{"config.hcl", driver_block}}}}, environment);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : config::hcl::to_string(loaded.error()));
  if (!loaded.ok() || !loaded.value().driver || !loaded.value().driver->terraform) return {};
  return *loaded.value().driver->terraform;
}

const char* const kDriver = R"(driver "terraform" { path = "/opt/tf" })";
const char* const kVersionJson = "/opt/tf/terraform version -json";

class InstallDriverTest : public ::testing::Test {
 protected:
  InstallDriverTest() {
    process_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24)); });
    EXPECT_TRUE(disk_.make_directories("/opt/tf").ok());
    EXPECT_TRUE(disk_.write_file("/opt/tf/terraform", "#!/bin/sh\n").ok());
  }
  ~InstallDriverTest() override { process_.crash(); }

  std::optional<std::string> check(const std::string& driver_block = kDriver) {
    const config::cts::TerraformConfig terraform = driver_config(driver_block);
    return run_on(world_, process_, install_driver(terraform, disk_, cli_, "", log_.logger_for(process_), {}));
  }
  bool logged(const std::string& line) const { return log_text_.str().find(line) != std::string::npos; }

  sim::World world_{sim::WorldOptions{.seed = 8}};
  sim::Node& process_ = world_.add_node({.name = "cts-01"});
  std::ostringstream log_text_;
  sim::SimLog log_{world_, sim::SimLogOptions{.out = &log_text_, .level = LogLevel::info}};
  sim::MemoryFileSystem disk_;
  ScriptedProcesses processes_;
  tf::TerraformCli cli_{process_, processes_, log_.logger_for(process_), tf::TerraformCliOptions{.path = "/opt/tf"}};
};

TEST_F(InstallDriverTest, ASupportedTerraformPassesAndIsLoggedAsCtsLogsIt) {
  processes_.answers[kVersionJson] = exited(0, version_json("1.11.4"));
  EXPECT_EQ(check(), std::nullopt);
  EXPECT_EQ(processes_.commands, (std::vector<std::string>{kVersionJson}));
  EXPECT_EQ(processes_.working_dirs, (std::vector<std::string>{""})) << "asked in the process's own directory";
  EXPECT_TRUE(logged("[INFO] driver.terraform: skipping install, terraform already exists: tf_version=1.11.4 "
                     "install_path=/opt/tf"))
      << log_text_.str();
}

// Where CTS would download Terraform, baton stops and says why; nothing is run.
TEST_F(InstallDriverTest, NoTerraformAtThePathIsAnErrorNotADownload) {
  EXPECT_EQ(check(R"(driver "terraform" { path = "/nowhere" })"),
            "terraform not found at /nowhere/terraform (baton does not download Terraform): install a version within "
            "\">= 0.13.0, <= 1.14.3\" there, or set driver \"terraform\" { path } to the directory that holds it");
  EXPECT_TRUE(processes_.commands.empty());
}

TEST_F(InstallDriverTest, VersionsOutsideCtsConstraintAreUnsupported) {
  for (const std::string version : {"0.12.31", "1.14.4", "1.12.0-beta1"}) {
    processes_.answers[kVersionJson] = exited(0, version_json(version));
    EXPECT_EQ(check(), kUnsupportedTerraformVersion) << version;
    EXPECT_TRUE(logged("[ERROR] driver.terraform: found Terraform version does not satisfy the version constraint: "
                       "terraform_path=/opt/tf version=" + version + " compatible_version_constraint=\">= 0.13.0, <= 1.14.3\""))
        << log_text_.str();
  }
  for (const std::string version : {"0.13.0", "1.14.3"}) {
    processes_.answers[kVersionJson] = exited(0, version_json(version));
    EXPECT_EQ(check(), std::nullopt) << version << " is within the constraint";
  }
}

// tfexec's versionFromPlaintext: a Terraform without `version -json` prints plain text.
TEST_F(InstallDriverTest, ATerraformWithoutVersionJsonIsReadFromItsPlainText) {
  processes_.answers[kVersionJson] = exited(0, "Terraform v0.12.31\n\nYour version of Terraform is out of date!\n");
  processes_.answers["/opt/tf/terraform version"] = exited(0, "Terraform v0.12.31\n\nYour version of Terraform is out of date!\n");
  EXPECT_EQ(check(), kUnsupportedTerraformVersion);
  EXPECT_EQ(processes_.commands, (std::vector<std::string>{kVersionJson, "/opt/tf/terraform version"}));
  processes_.answers["/opt/tf/terraform version"] = exited(0, "no version here\n");
  EXPECT_EQ(check(), "unable to parse version: unexpected number of version matches 0 for no version here");
}

TEST_F(InstallDriverTest, ATerraformThatCannotRunIsRefusedWithItsError) {
  processes_.answers[kVersionJson] = not_started("fork/exec /opt/tf/terraform: exec format error");
  EXPECT_EQ(check(), kIncompatibleTerraformBinary);
  EXPECT_TRUE(logged("[ERROR] driver.terraform: unable to verify Terraform version: terraform_path=/opt/tf "
                     "error=\"fork/exec /opt/tf/terraform: exec format error\""))
      << log_text_.str();
  processes_.answers[kVersionJson] = not_started("fork/exec /opt/tf/terraform: permission denied");
  EXPECT_EQ(check(), "fork/exec /opt/tf/terraform: permission denied");
  processes_.answers[kVersionJson] = exited(1, "", "segmentation fault\n");
  const std::optional<std::string> failed = check();
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->rfind("exit status 1", 0), 0u) << *failed;
}

// isTFCompatible: hashicorp/terraform#23121.
TEST_F(InstallDriverTest, APgBackendNeedsTerraform014) {
  const std::string pg = R"(driver "terraform" {
  path = "/opt/tf"
  backend "pg" { conn_str = "postgres://db/terraform" }
})";
  processes_.answers[kVersionJson] = exited(0, version_json("0.13.7"));
  EXPECT_EQ(check(pg), "Consul-Terraform-Sync does not support pg backend in automation with Terraform <= 0.13: 0.13.7");
  EXPECT_EQ(check(), std::nullopt) << "the default Consul backend has no such limit";
  processes_.answers[kVersionJson] = exited(0, version_json("0.14.0"));
  EXPECT_EQ(check(pg), std::nullopt);
}

TEST_F(InstallDriverTest, AnotherVersionThanTheConfiguredOneIsOnlyAWarning) {
  processes_.answers[kVersionJson] = exited(0, version_json("1.11.4"));
  EXPECT_EQ(check(R"(driver "terraform" {
  path = "/opt/tf"
  version = "1.10.0"
})"),
            std::nullopt);
  EXPECT_TRUE(logged("[WARN] driver.terraform: another terraform version was found that does not match the configured "
                     "version: terraform_path=/opt/tf terraform_version=1.11.4 configured_version=1.10.0"))
      << log_text_.str();
}

}  // namespace
}  // namespace baton::controller
