// TerraformCli (engine/driver/terraform/terraform_cli.hpp) against a ProcessPort that answers
// from a script, in virtual time: the command lines and environment terraform-exec v0.17.0
// gives Terraform, CTS v0.9.0's init (workspace retry) and validate (rewording, from real
// `terraform validate -json` outputs of Terraform 1.11), error texts, cancellation, timeouts.
#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>

#include <csignal>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/async/wait.hpp"
#include "engine/driver/terraform/terraform_cli.hpp"
#include "engine/driver/terraform/terraform_commands.hpp"
#include "engine/driver/terraform/terraform_exit_error.hpp"
#include "sim/runtime/node.hpp"
#include "sim/runtime/world.hpp"

namespace baton::driver::terraform {
namespace {

using namespace std::chrono_literals;
using Args = std::vector<std::string>;

constexpr const char* kVersionJson = R"({
  "terraform_version": "1.11.4",
  "platform": "linux_amd64",
  "provider_selections": {},
  "terraform_outdated": false
}
)";

// One scripted answer: how long the command runs, and how it ends when nothing stops it.
struct Answer {
  Duration duration = 1s;
  ProcessResult result;
  // If interrupted: the exit code Terraform then exits with (-1: killed), and its stderr.
  int exit_code_when_interrupted = -1;
  std::string err_when_interrupted;
};

Answer exits(int exit_code, std::string out = {}, std::string err = {}) {
  Answer answer;
  answer.result.end = ProcessEnd::exited;
  answer.result.exit_code = exit_code;
  answer.result.out = std::move(out);
  answer.result.err = std::move(err);
  return answer;
}

Answer lasting(Duration duration, Answer answer) {
  answer.duration = duration;
  return answer;
}

// "version", "init", "workspace new"...: what a command line asks of Terraform.
std::string command_of(const ProcessSpec& spec) {
  if (spec.args.empty()) return "";
  if (spec.args[0] == "workspace" && spec.args.size() > 1) return "workspace " + spec.args[1];
  return spec.args[0];
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// Answers each command from `script` (by command_of), else `version` with kVersionJson and
// everything else with success, after the answer's duration of virtual time.
class ScriptedProcesses final : public ProcessPort {
 public:
  explicit ScriptedProcesses(Runtime& runtime) : runtime_(runtime) {}

  Task<ProcessResult> run(ProcessSpec spec, LineSink on_line, std::stop_token stop) override {
    specs.push_back(spec);
    const Answer answer = next_answer(command_of(spec));
    const Duration waited_for = std::min(answer.duration, spec.timeout);
    const WaitResult waited = co_await sleep_for(runtime_, waited_for, stop);
    if (waited == WaitResult::cancelled) co_return interrupted(answer, ProcessEnd::cancelled, spec);
    if (answer.duration > spec.timeout) co_return interrupted(answer, ProcessEnd::timed_out, spec);
    if (on_line) {
      for (const std::string& line : split_lines(answer.result.out)) on_line(OutputStream::out, line);
      for (const std::string& line : split_lines(answer.result.err)) on_line(OutputStream::err, line);
    }
    co_return answer.result;
  }

  std::vector<std::string> commands() const {
    std::vector<std::string> names;
    for (const ProcessSpec& spec : specs) names.push_back(command_of(spec));
    return names;
  }

  std::map<std::string, std::deque<Answer>> script;
  std::vector<ProcessSpec> specs;

 private:
  Answer next_answer(const std::string& command) {
    std::deque<Answer>& queue = script[command];
    if (queue.empty()) return command == "version" ? exits(0, kVersionJson) : exits(0);
    Answer answer = queue.front();
    queue.pop_front();
    return answer;
  }

  static ProcessResult interrupted(const Answer& answer, ProcessEnd end, const ProcessSpec& spec) {
    ProcessResult result;
    result.end = end;
    result.exit_code = answer.exit_code_when_interrupted;
    result.signal = spec.interrupt_signal;
    result.err = answer.err_when_interrupted;
    return result;
  }

  Runtime& runtime_;
};

template <class T>
Task<void> capture_into(Task<T> task, std::shared_ptr<std::optional<T>> out) {
  T value = co_await std::move(task);
  out->emplace(std::move(value));
}

Task<void> stop_after(Runtime& runtime, Duration delay, std::stop_source& stopper) {
  co_await sleep_for(runtime, delay);
  stopper.request_stop();
}

class TerraformCliTest : public ::testing::Test {
 protected:
  TerraformCliTest() {
    node_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24)); });
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(log_text_);
    sink->set_pattern("[%l] %v");
    log_output_ = std::make_shared<spdlog::logger>("baton-1", sink);
    log_output_->set_level(spdlog::level::trace);
  }
  ~TerraformCliTest() override { node_.crash(); }

  TerraformCliOptions options() const {
    TerraformCliOptions options;
    options.path = "/opt/tf/";
    options.cli_config_file = "/etc/baton/terraformrc";
    options.kill_grace = 7s;
    options.output_max_bytes = 4096;
    return options;
  }

  TerraformCli& cli(TerraformCliOptions options) {
    cli_.emplace(node_, processes_, Logger(log_output_, node_), std::move(options));
    return *cli_;
  }
  TerraformCli& cli() { return cli(options()); }

  template <class T>
  T run(Task<T> task) {
    auto out = std::make_shared<std::optional<T>>();
    node_.scope().spawn(capture_into(std::move(task), out));
    const std::int64_t give_up = world_.now_ns() + std::int64_t(3600) * 1'000'000'000;
    while (!out->has_value() && world_.step_until(give_up)) {
    }
    if (!out->has_value()) throw std::runtime_error("the step did not return");
    return std::move(**out);
  }

  sim::World world_{sim::WorldOptions{.seed = 11}};
  sim::Node& node_ = world_.add_node({.name = "baton-1"});
  ScriptedProcesses processes_{node_};
  std::ostringstream log_text_;
  std::shared_ptr<spdlog::logger> log_output_;
  std::optional<TerraformCli> cli_;
  TerraformTarget target_{"web", "sync-tasks/web", "web", {{"CONSUL_HTTP_TOKEN", "secret"}}};
};

// What every child gets: the target's variables, then terraform-exec's, then baton's.
Environment expected_environment() {
  return {{"CONSUL_HTTP_TOKEN", "secret"},
          {"CHECKPOINT_DISABLE", "1"},
          {"TF_APPEND_USER_AGENT", "HashiCorp-terraform-exec/0.17.0"},
          {"TF_LOG", ""},
          {"TF_LOG_PATH", ""},
          {"TF_IN_AUTOMATION", "1"},
          {"TF_WORKSPACE", ""},
          {"TF_INPUT", "0"},
          {"TF_CLI_CONFIG_FILE", "/etc/baton/terraformrc"}};
}

const Args kInit{"init", "-no-color", "-force-copy", "-input=false", "-backend=true", "-get=true", "-upgrade=false"};

// ---- init ------------------------------------------------------------------------------------

TEST_F(TerraformCliTest, InitOnAFreshDirectoryAsksTheVersionThenInitsAndMakesTheWorkspace) {
  const StepResult result = run(cli().init(target_, {}));
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(processes_.specs.size(), 4u);
  EXPECT_EQ(processes_.specs[0].args, (Args{"version", "-json"}));
  EXPECT_EQ(processes_.specs[1].args, kInit);
  EXPECT_EQ(processes_.specs[2].args, (Args{"workspace", "new", "-no-color", "web"}));
  EXPECT_EQ(processes_.specs[3].args, (Args{"workspace", "select", "-no-color", "web"}));
  for (const ProcessSpec& spec : processes_.specs) {
    EXPECT_EQ(spec.program, "/opt/tf/terraform");
    EXPECT_EQ(spec.working_dir, "sync-tasks/web");
    EXPECT_EQ(spec.environment, expected_environment());
    EXPECT_EQ(spec.interrupt_signal, SIGINT) << "Ctrl-C's signal: provider plugins survive it";
    EXPECT_EQ(spec.kill_grace, 7s);
    EXPECT_EQ(spec.output_max_bytes, 4096u);
    EXPECT_EQ(spec.timeout, Duration::max());
  }
}

TEST_F(TerraformCliTest, InitAgainRemembersTheVersionAndToleratesAnExistingWorkspace) {
  TerraformCli& client = cli();
  ASSERT_TRUE(run(client.init(target_, {})).ok());
  processes_.specs.clear();
  processes_.script["workspace new"].push_back(exits(1, "", "Workspace \"web\" already exists\n"));
  const StepResult again = run(client.init(target_, {}));
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_EQ(processes_.commands(), (Args{"init", "workspace new", "workspace select"}));
  EXPECT_NE(log_text_.str().find("[debug] client.terraformcli: workspace already exists: workspace=web "
                                 "error=\"workspace \\\"web\\\" already exists\""),
            std::string::npos)
      << log_text_.str();
}

TEST_F(TerraformCliTest, InitOnTerraformBefore0_15PassesTheFlagsItThenTook) {
  processes_.script["version"].push_back(exits(0, R"({"terraform_version":"0.14.11","provider_selections":{}})"));
  ASSERT_TRUE(run(cli().init(target_, {})).ok());
  EXPECT_EQ(processes_.specs[1].args,
            (Args{"init", "-no-color", "-force-copy", "-input=false", "-lock-timeout=0s", "-backend=true", "-get=true",
                  "-upgrade=false", "-lock=true", "-get-plugins=true", "-verify-plugins=true"}));
}

TEST_F(TerraformCliTest, InitCreatesTheWorkspaceAndRetriesWhenItsStateIsGone) {
  processes_.script["init"].push_back(exits(1, "", "\nError: Currently selected workspace \"web\" does not exist\n\n"));
  const StepResult result = run(cli().init(target_, {}));
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(processes_.commands(), (Args{"version", "init", "workspace new", "init", "workspace select"}))
      << "the retry made the workspace: no second workspace new";
  EXPECT_NE(log_text_.str().find("[info] client.terraformcli: workspace was detected without state, creating new "
                                 "workspace and attempting Terraform init again"),
            std::string::npos);
}

TEST_F(TerraformCliTest, InitRetriesOnTheOlderFailedToSelectWording) {
  processes_.script["init"].push_back(exits(1, "", "\nError: Failed to select workspace: input not enabled\n\n"));
  ASSERT_TRUE(run(cli().init(target_, {})).ok());
  EXPECT_EQ(processes_.commands(), (Args{"version", "init", "workspace new", "init", "workspace select"}));
}

TEST_F(TerraformCliTest, InitRetriesOnlyOnceAndThenReturnsInitsError) {
  const std::string missing = "\nError: Currently selected workspace \"web\" does not exist\n\n";
  processes_.script["init"] = {exits(1, "", missing), exits(1, "", missing)};
  const StepResult result = run(cli().init(target_, {}));
  EXPECT_EQ(result.end, StepEnd::failed);
  EXPECT_EQ(result.error, "exit status 1\n" + missing);
  EXPECT_EQ(processes_.commands(), (Args{"version", "init", "workspace new", "init", "workspace new"}))
      << "CTS creates the workspace a second time before giving up";
}

TEST_F(TerraformCliTest, InitRetryStopsWhenTheWorkspaceCannotBeCreated) {
  processes_.script["init"].push_back(exits(1, "", "\nError: Currently selected workspace \"web\" does not exist\n"));
  processes_.script["workspace new"].push_back(exits(1, "", "\nError: Error locking state: timeout\n"));
  const StepResult result = run(cli().init(target_, {}));
  EXPECT_EQ(result.error, "exit status 1\n\nError: Error locking state: timeout\n");
  EXPECT_EQ(processes_.commands(), (Args{"version", "init", "workspace new"}));
}

TEST_F(TerraformCliTest, InitFailsWhenTheWorkspaceCannotBeMadeOrSelected) {
  TerraformCli& client = cli();
  processes_.script["workspace new"].push_back(exits(1, "", "\nError: Failed to persist state\n"));
  const StepResult unmade = run(client.init(target_, {}));
  EXPECT_EQ(unmade.end, StepEnd::failed);
  EXPECT_EQ(unmade.error, "exit status 1\n\nError: Failed to persist state\n");
  EXPECT_NE(log_text_.str().find("[error] client.terraformcli: unable to create workspace: workspace=web"),
            std::string::npos);

  processes_.script["workspace select"].push_back(exits(
      1, "", "\nWorkspace \"web\" doesn't exist.\n\nYou can create this workspace with the \"new\" subcommand \n"));
  const StepResult unselected = run(client.init(target_, {}));
  EXPECT_EQ(unselected.error, "workspace \"web\" does not exist");
  EXPECT_NE(log_text_.str().find("[error] client.terraformcli: unable to change workspace: workspace=web"),
            std::string::npos);
}

TEST_F(TerraformCliTest, InitFailsWithTheVersionCommandsError) {
  processes_.script["version"].push_back(exits(1, "", "boom\n"));
  const StepResult result = run(cli().init(target_, {}));
  EXPECT_EQ(result.error, "exit status 1\nboom\n");
  EXPECT_EQ(processes_.commands(), (Args{"version"}));
}

TEST_F(TerraformCliTest, InitRejectedByRequiredVersionNamesTheCachedVersion) {
  processes_.script["init"].push_back(exits(1, "", R"(
Error: Unsupported Terraform Core version

  on main.tf line 3, in terraform:
   3:   required_version = ">= 99.0"

This configuration does not support Terraform version 1.11.4. To proceed,
either choose another supported Terraform version or update this version
constraint. Version constraints are normally set for good reason, so
updating the constraint may lead to other errors or unexpected behavior.
)"));
  const StepResult result = run(cli().init(target_, {}));
  EXPECT_EQ(result.error, "terraform 1.11.4 not supported by configuration (>= 99.0 required)");
}

// ---- validate --------------------------------------------------------------------------------

// Terraform 1.11's output for a module without `services` and `catalog_services` variables.
constexpr const char* kMissingModuleVariables = R"({
  "format_version": "1.0",
  "valid": false,
  "error_count": 2,
  "warning_count": 0,
  "diagnostics": [
    {
      "severity": "error",
      "summary": "Unsupported argument",
      "detail": "An argument named \"catalog_services\" is not expected here.",
      "range": {"filename": "main.tf", "start": {"line": 10, "column": 3, "byte": 148}, "end": {"line": 10, "column": 19, "byte": 164}},
      "snippet": {"context": "module \"web\"", "code": "  catalog_services = {}", "start_line": 10, "highlight_start_offset": 2, "highlight_end_offset": 18, "values": []}
    },
    {
      "severity": "error",
      "summary": "Unsupported argument",
      "detail": "An argument named \"services\" is not expected here.",
      "range": {"filename": "main.tf", "start": {"line": 9, "column": 3, "byte": 122}, "end": {"line": 9, "column": 11, "byte": 130}},
      "snippet": {"context": "module \"web\"", "code": "  services = var.services", "start_line": 9, "highlight_start_offset": 2, "highlight_end_offset": 10, "values": []}
    }
  ]
}
)";

constexpr const char* kUnsuitableValue = R"({
  "format_version": "1.0",
  "valid": false,
  "error_count": 1,
  "warning_count": 0,
  "diagnostics": [
    {
      "severity": "error",
      "summary": "Unsuitable value type",
      "detail": "Unsuitable value: a bool is required",
      "range": {"filename": "main.tf", "start": {"line": 6, "column": 16, "byte": 98}, "end": {"line": 6, "column": 20, "byte": 102}},
      "snippet": {"context": "output \"o\"", "code": "  sensitive = \"nope\"", "start_line": 6, "highlight_start_offset": 15, "highlight_end_offset": 19, "values": []}
    }
  ]
}
)";

constexpr const char* kMissingProvider = R"({
  "format_version": "1.0",
  "valid": false,
  "error_count": 1,
  "warning_count": 0,
  "diagnostics": [
    {
      "severity": "error",
      "summary": "Missing required provider",
      "detail": "This configuration requires provider registry.terraform.io/hashicorp/null, but that provider isn't available. You may be able to install it automatically by running:\n  terraform init"
    }
  ]
}
)";

constexpr const char* kRedundantIgnoreChanges = R"({
  "format_version": "1.0",
  "valid": true,
  "error_count": 0,
  "warning_count": 1,
  "diagnostics": [
    {
      "severity": "warning",
      "summary": "Redundant ignore_changes element",
      "detail": "Adding an attribute name to ignore_changes tells Terraform to ignore future changes to the argument in configuration after the object has been created, retaining the value originally configured.\n\nThe attribute id is decided by the provider alone and therefore there can be no configured value to compare with. Including this attribute in ignore_changes has no effect. Remove the attribute from ignore_changes to quiet this warning.",
      "range": {"filename": "main.tf", "start": {"line": 1, "column": 10, "byte": 9}, "end": {"line": 1, "column": 26, "byte": 25}},
      "snippet": {"context": "resource \"terraform_data\" \"x\"", "code": "resource \"terraform_data\" \"x\" {", "start_line": 1, "highlight_start_offset": 9, "highlight_end_offset": 25, "values": []}
    }
  ]
}
)";

constexpr const char* kValid = R"({
  "format_version": "1.0",
  "valid": true,
  "error_count": 0,
  "warning_count": 0,
  "diagnostics": []
}
)";

TEST_F(TerraformCliTest, ValidateNamesTheMissingModuleVariablesAsCtsDoes) {
  processes_.script["validate"].push_back(exits(1, kMissingModuleVariables));
  const StepResult result = run(cli().validate(target_, {}));
  EXPECT_EQ(processes_.specs.back().args, (Args{"validate", "-no-color", "-json"}));
  EXPECT_EQ(result.end, StepEnd::failed);
  EXPECT_EQ(result.error,
            "\nmodule for task \"web\" is missing the \"catalog_services\" variable, add to module or set "
            "\"use_as_module_input\" to false\n"
            "\nmodule for task \"web\" is missing the \"services\" variable\n");
}

TEST_F(TerraformCliTest, ValidateWritesOtherDiagnosticsWithTheirPlace) {
  TerraformCli& client = cli();
  processes_.script["validate"].push_back(exits(1, kUnsuitableValue));
  EXPECT_EQ(run(client.validate(target_, {})).error,
            "\nerror: Unsuitable value type\n\non main.tf line 6, in output \"o\"\n6:  sensitive = \"nope\"\n\n"
            "Unsuitable value: a bool is required\n");
  processes_.script["validate"].push_back(exits(1, kMissingProvider));
  EXPECT_EQ(run(client.validate(target_, {})).error,
            "\nerror: Missing required provider\nThis configuration requires provider "
            "registry.terraform.io/hashicorp/null, but that provider isn't available. You may be able to install it "
            "automatically by running:\n  terraform init\n");
  processes_.script["validate"].push_back(exits(1, R"({"valid": false, "diagnostics": [{"severity": "error",
      "summary": "Oops", "detail": "At the top.", "range": {"filename": "main.tf", "start": {"line": 3}},
      "snippet": {"context": null, "code": "oops", "start_line": 3}}]})"));
  EXPECT_EQ(run(client.validate(target_, {})).error, "\nerror: Oops\n\non main.tf line 3\n3:oops\n\nAt the top.\n");
}

TEST_F(TerraformCliTest, ValidatePassesWithWarningsOrNothing) {
  TerraformCli& client = cli();
  processes_.script["validate"].push_back(exits(0, kRedundantIgnoreChanges));
  const StepResult warned = run(client.validate(target_, {}));
  ASSERT_TRUE(warned.ok()) << warned.error;
  EXPECT_TRUE(warned.warnings.starts_with(
      "\nwarning: Redundant ignore_changes element\n\non main.tf line 1, in resource \"terraform_data\" \"x\"\n"
      "1:resource \"terraform_data\" \"x\" {\n\nAdding an attribute name"))
      << warned.warnings;
  EXPECT_TRUE(warned.warnings.ends_with("to quiet this warning.\n"));
  processes_.script["validate"].push_back(exits(0, kValid));
  const StepResult clean = run(client.validate(target_, {}));
  EXPECT_TRUE(clean.ok());
  EXPECT_EQ(clean.warnings, "");
}

TEST_F(TerraformCliTest, ValidateFallsBackToTheCommandsErrorWithoutDiagnostics) {
  TerraformCli& client = cli();
  processes_.script["validate"].push_back(exits(1, "not json", "\nError: Invalid -json\n"));
  EXPECT_EQ(run(client.validate(target_, {})).error, "exit status 1\n\nError: Invalid -json\n");
  processes_.script["validate"].push_back(exits(2, kMissingModuleVariables, "crashed\n"));
  EXPECT_EQ(run(client.validate(target_, {})).error, "exit status 2\ncrashed\n") << "only exit status 1 is read";
  processes_.script["validate"].push_back(exits(1, R"({"valid": false, "diagnostics": []})", "\nError: odd\n"));
  EXPECT_EQ(run(client.validate(target_, {})).error, "exit status 1\n\nError: odd\n");
  processes_.script["validate"].push_back(exits(0, ""));
  EXPECT_EQ(run(client.validate(target_, {})).error, "unexpected end of JSON input");
}

TEST_F(TerraformCliTest, ValidateNeedsTerraform0_12) {
  processes_.script["version"].push_back(exits(0, R"({"terraform_version":"0.11.14"})"));
  const StepResult result = run(cli().validate(target_, {}));
  EXPECT_EQ(result.error, "terraform validate -json was added in 0.12.0: unexpected version 0.11.14 (min: 0.12.0, max: -)");
  EXPECT_EQ(processes_.commands(), (Args{"version"}));
}

// ---- apply and plan --------------------------------------------------------------------------

TEST_F(TerraformCliTest, ApplyRunsOnceWithTerraformExecsFlags) {
  const StepResult result = run(cli().apply(target_, {}));
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(processes_.specs.size(), 1u) << "apply needs no version";
  EXPECT_EQ(processes_.specs[0].args,
            (Args{"apply", "-no-color", "-auto-approve", "-input=false", "-lock=true", "-parallelism=10", "-refresh=true"}));
  EXPECT_EQ(processes_.specs[0].environment, expected_environment());
}

TEST_F(TerraformCliTest, ApplyErrorsAreTerraformExecsTexts) {
  TerraformCli& client = cli();
  const std::string provisioner_error =
      "\nError: local-exec provisioner error\n\n  with terraform_data.x,\n  on main.tf line 3, in resource "
      "\"terraform_data\" \"x\":\n   3:   provisioner \"local-exec\" {\n\nError running command 'exit 1': exit status "
      "1. Output: \n\n";
  processes_.script["apply"].push_back(exits(1, "terraform_data.x: Creating...\n", provisioner_error));
  EXPECT_EQ(run(client.apply(target_, {})).error, "exit status 1\n" + provisioner_error);

  processes_.script["apply"].push_back(exits(1, "", "  \n"));
  EXPECT_EQ(run(client.apply(target_, {})).error, "exit status 1") << "nothing to add from a blank stderr";

  Answer crashed;
  crashed.result.end = ProcessEnd::signalled;
  crashed.result.signal = SIGSEGV;
  crashed.result.err = "panic\n";
  processes_.script["apply"].push_back(crashed);
  EXPECT_EQ(run(client.apply(target_, {})).error, "signal: segmentation fault\npanic\n");

  Answer missing;
  missing.result.end = ProcessEnd::start_failed;
  missing.result.start_error = "fork/exec /opt/tf/terraform: no such file or directory";
  processes_.script["apply"].push_back(missing);
  const StepResult not_started = run(client.apply(target_, {}));
  EXPECT_EQ(not_started.end, StepEnd::failed);
  EXPECT_EQ(not_started.error, "fork/exec /opt/tf/terraform: no such file or directory");
}

TEST_F(TerraformCliTest, PlanReadsChangesFromTheDetailedExitCode) {
  TerraformCli& client = cli();
  processes_.script["plan"].push_back(exits(2, "Plan: 1 to add, 0 to change, 0 to destroy.\n"));
  const PlanResult changes = run(client.plan(target_, {}));
  ASSERT_TRUE(changes.step.ok()) << changes.step.error;
  EXPECT_TRUE(changes.changes_present);
  EXPECT_EQ(changes.plan, "Plan: 1 to add, 0 to change, 0 to destroy.\n");
  EXPECT_EQ(processes_.specs[0].args, (Args{"plan", "-no-color", "-input=false", "-detailed-exitcode",
                                            "-lock-timeout=0s", "-lock=true", "-parallelism=10", "-refresh=true"}));

  processes_.script["plan"].push_back(exits(0, "No changes.\n"));
  const PlanResult none = run(client.plan(target_, {}));
  EXPECT_TRUE(none.step.ok());
  EXPECT_FALSE(none.changes_present);

  processes_.script["plan"].push_back(exits(1, "", "\nError: Reference to undeclared input variable\n"));
  const PlanResult failed = run(client.plan(target_, {}));
  EXPECT_EQ(failed.step.end, StepEnd::failed);
  EXPECT_FALSE(failed.changes_present);
  EXPECT_EQ(failed.step.error, "exit status 1\n\nError: Reference to undeclared input variable\n");
}

// ---- cancellation and time limits ------------------------------------------------------------

TEST_F(TerraformCliTest, AStopInterruptsTheRunningCommandAndStartsNoOther) {
  processes_.script["init"].push_back(lasting(60s, exits(0)));
  processes_.script["init"].front().exit_code_when_interrupted = 1;
  processes_.script["init"].front().err_when_interrupted = "\nInterrupt received.\n";
  std::stop_source stopper;
  node_.scope().spawn(stop_after(node_, 5s, stopper));
  const StepResult result = run(cli().init(target_, stopper.get_token()));
  EXPECT_EQ(result.end, StepEnd::cancelled);
  EXPECT_EQ(result.error, "exit status 1\n\nInterrupt received.\n");
  EXPECT_EQ(processes_.commands(), (Args{"version", "init"}));
}

TEST_F(TerraformCliTest, AStopBeforehandRunsNothing) {
  std::stop_source stopper;
  stopper.request_stop();
  const StepResult result = run(cli().apply(target_, stopper.get_token()));
  EXPECT_EQ(result.end, StepEnd::cancelled);
  EXPECT_EQ(result.error, "context canceled");
  EXPECT_TRUE(processes_.specs.empty());
}

TEST_F(TerraformCliTest, AKilledCommandReadsAsGoSaysIt) {
  processes_.script["apply"].push_back(lasting(60s, exits(0)));
  std::stop_source stopper;
  node_.scope().spawn(stop_after(node_, 5s, stopper));
  const StepResult result = run(cli().apply(target_, stopper.get_token()));
  EXPECT_EQ(result.end, StepEnd::cancelled);
  EXPECT_EQ(result.error, "signal: interrupt") << "no exit code, no stderr: the signal we sent";
}

TEST_F(TerraformCliTest, TheStepTimeoutSpansEveryCommandOfTheStep) {
  TerraformCliOptions limited = options();
  limited.step_timeout = 8s;
  processes_.script["version"].push_back(lasting(1s, exits(0, kVersionJson)));
  processes_.script["init"].push_back(lasting(10s, exits(0)));
  const StepResult result = run(cli(limited).init(target_, {}));
  EXPECT_EQ(result.end, StepEnd::timed_out);
  EXPECT_EQ(result.error, "signal: interrupt");
  ASSERT_EQ(processes_.specs.size(), 2u);
  EXPECT_EQ(processes_.specs[0].timeout, 8s);
  EXPECT_EQ(processes_.specs[1].timeout, 7s) << "what is left of the step's 8 s";
}

TEST_F(TerraformCliTest, ACommandDueAfterTheDeadlineIsNotStarted) {
  TerraformCliOptions limited = options();
  limited.step_timeout = 5s;
  processes_.script["version"].push_back(lasting(5s, exits(0, kVersionJson)));
  const StepResult result = run(cli(limited).init(target_, {}));
  EXPECT_EQ(result.end, StepEnd::timed_out);
  EXPECT_EQ(result.error, "context deadline exceeded");
  EXPECT_EQ(processes_.commands(), (Args{"version"}));
}

// ---- options ---------------------------------------------------------------------------------

TEST_F(TerraformCliTest, LogSendsEveryLineAndCommandToTheLogWithTheTaskName) {
  TerraformCliOptions logged = options();
  logged.log = true;
  processes_.script["apply"].push_back(exits(0, "Apply complete! Resources: 1 added.\n", "a warning\n"));
  ASSERT_TRUE(run(cli(logged).apply(target_, {})).ok());
  const std::string log = log_text_.str();
  EXPECT_NE(log.find("[info] client.terraformcli: Terraform logging is set"), std::string::npos) << log;
  EXPECT_NE(log.find("[info] client.terraformcli: running Terraform command: task_name=web command=\"/opt/tf/terraform "
                     "apply -no-color -auto-approve -input=false -lock=true -parallelism=10 -refresh=true\""),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("[info] client.terraformcli: Apply complete! Resources: 1 added.: task_name=web"), std::string::npos);
  EXPECT_NE(log.find("[info] client.terraformcli: a warning: task_name=web"), std::string::npos);
}

TEST_F(TerraformCliTest, WithoutLogTerraformsOutputIsMuted) {
  processes_.script["apply"].push_back(exits(0, "Apply complete! Resources: 1 added.\n"));
  ASSERT_TRUE(run(cli().apply(target_, {})).ok());
  const std::string log = log_text_.str();
  EXPECT_NE(log.find("Terraform output is muted"), std::string::npos);
  EXPECT_EQ(log.find("Apply complete"), std::string::npos) << log;
  EXPECT_EQ(log.find("running Terraform command"), std::string::npos) << log;
}

TEST_F(TerraformCliTest, PersistLogPointsTerraformsTraceLogIntoTheTaskDirectory) {
  TerraformCliOptions persisted = options();
  persisted.persist_log = true;
  TerraformCli& client = cli(persisted);
  ASSERT_TRUE(run(client.apply(target_, {})).ok());
  const Environment& relative = processes_.specs.back().environment;
  EXPECT_EQ(relative[3], (std::pair<std::string, std::string>{"TF_LOG_PATH", "terraform.log"}))
      << "relative to the child, which runs in the task directory";
  EXPECT_EQ(relative[4], (std::pair<std::string, std::string>{"TF_LOG", "TRACE"}));
  const TerraformTarget absolute{"web", "/srv/baton/sync-tasks/web/", "web", {}};
  ASSERT_TRUE(run(client.apply(absolute, {})).ok());
  EXPECT_EQ(processes_.specs.back().environment[2],
            (std::pair<std::string, std::string>{"TF_LOG_PATH", "/srv/baton/sync-tasks/web/terraform.log"}));
}

TEST_F(TerraformCliTest, ABarePathFindsTerraformOnPathAndTheTargetMayOverrideDefaults) {
  TerraformCliOptions bare = options();
  bare.path = "";
  const TerraformTarget own{"web", "sync-tasks/web", "web",
                            {{"CHECKPOINT_DISABLE", ""}, {"TF_CLI_CONFIG_FILE", "/home/me/.terraformrc"}}};
  ASSERT_TRUE(run(cli(bare).apply(own, {})).ok());
  EXPECT_EQ(processes_.specs[0].program, "terraform");
  EXPECT_EQ(processes_.specs[0].environment,
            (Environment{{"CHECKPOINT_DISABLE", ""},
                         {"TF_CLI_CONFIG_FILE", "/home/me/.terraformrc"},
                         {"TF_APPEND_USER_AGENT", "HashiCorp-terraform-exec/0.17.0"},
                         {"TF_LOG", ""},
                         {"TF_LOG_PATH", ""},
                         {"TF_IN_AUTOMATION", "1"},
                         {"TF_WORKSPACE", ""},
                         {"TF_INPUT", "0"}}));
}

TEST_F(TerraformCliTest, VariablesTerraformExecManagesAreRefusedFromTheTarget) {
  const TerraformTarget meddling{"web", "sync-tasks/web", "web", {{"TF_VAR_region", "eu"}}};
  const StepResult result = run(cli().init(meddling, {}));
  EXPECT_EQ(result.error, "manual setting of env var \"TF_VAR_region\" detected");
  EXPECT_TRUE(processes_.specs.empty());
}

// ---- terraform-exec's typed errors (wrap_exit_error) -----------------------------------------

TEST(TfexecExitError, RecognisesTheStateLockWithItsInfo) {
  const std::string stderr_text = R"(
Error: Error acquiring the state lock

Error message: resource temporarily unavailable
Lock Info:
  ID:        6133b552-f2b3-ee7f-741a-b2ac68bcdff9
  Path:      terraform.tfstate.d/web/terraform.tfstate
  Operation: OperationTypeApply
  Who:       root@vm
  Version:   1.11.4
  Created:   2026-11-23 16:58:32.032085105 +0000 UTC
  Info:      


Terraform acquires a state lock to protect the state from being written
by multiple users at the same time.
)";
  const ExitError error = wrap_exit_error("exit status 1", stderr_text, "1.11.4");
  EXPECT_EQ(error.type, TfexecError::state_locked);
  EXPECT_EQ(error.text,
            "error acquiring the state lock: Lock Info:\n"
            "  ID:        6133b552-f2b3-ee7f-741a-b2ac68bcdff9\n"
            "  Path:      terraform.tfstate.d/web/terraform.tfstate\n"
            "  Operation: OperationTypeApply\n"
            "  Who:       root@vm\n"
            "  Version:   1.11.4\n"
            "  Created:   2026-11-23 16:58:32.032085105 +0000 UTC\n");
  const ExitError without_info = wrap_exit_error("exit status 1", "\nError: Error acquiring the state lock\n", "");
  EXPECT_EQ(without_info.type, TfexecError::exit);
  EXPECT_EQ(without_info.text, "exit status 1\n\nError: Error acquiring the state lock\n");
}

TEST(TfexecExitError, RecognisesTheOtherErrorsItHasTypesFor) {
  const ExitError missing_variable = wrap_exit_error("exit status 1", R"(
Error: No value for required variable

  on variables.tf line 1:
   1: variable "region" {

The root module input variable "region" is not set, and has no default value.
Use a -var or -var-file command line argument to provide a value for this
variable.
)",
                                                     "");
  EXPECT_EQ(missing_variable.type, TfexecError::missing_variable);
  EXPECT_EQ(missing_variable.text, "variable \"region\" was required but not supplied");

  const std::string no_init =
      "\nError: Inconsistent dependency lock file\n\nTo make the initial dependency selections that will "
      "initialize the dependency lock file, run:\n  terraform init\n";
  EXPECT_EQ(wrap_exit_error("exit status 1", no_init, "").type, TfexecError::no_init);
  EXPECT_EQ(wrap_exit_error("exit status 1", no_init, "").text, no_init) << "the stderr alone, as ErrNoInit says it";

  const ExitError invalid = wrap_exit_error(
      "exit status 1", "There are some problems with the configuration, described below.\n\nError: x\n", "");
  EXPECT_EQ(invalid.text, "configuration is invalid");

  const std::string usage = "Usage: terraform [global options] apply [options] [PLAN]\n\nOptions:\n";
  EXPECT_EQ(wrap_exit_error("exit status 1", "Too many command line arguments\n", "").type, TfexecError::cli_usage);
  EXPECT_EQ(wrap_exit_error("exit status 1", "\nError: Invalid -42 option\n", "").type, TfexecError::cli_usage);
  EXPECT_EQ(wrap_exit_error("exit status 1", "Usage: terraform apply Options: -x\n", "").type, TfexecError::cli_usage);
  EXPECT_EQ(wrap_exit_error("exit status 1", usage, "").type, TfexecError::exit) << "Options: on another line";

  EXPECT_EQ(wrap_exit_error("exit status 1", "\nError: No configuration files\n", "").type, TfexecError::no_config);
  EXPECT_EQ(wrap_exit_error("exit status 1", "Workspace \"a \"b\" already exists\n", "").text,
            "workspace \"a \\\"b\" already exists");
  EXPECT_EQ(wrap_exit_error("exit status 1", "The currently running version of Terraform doesn't meet the", "").type,
            TfexecError::exit)
      << "without the Error: prefix it is not tfexec's pattern";
}

TEST(TfexecExitError, NamesSignalsAsGoDoes) {
  EXPECT_EQ(go_exit_text(0, 0), "exit status 0");
  EXPECT_EQ(go_exit_text(-1, SIGKILL), "signal: killed");
  EXPECT_EQ(go_exit_text(-1, SIGTERM), "signal: terminated");
  EXPECT_EQ(go_exit_text(-1, SIGINT), "signal: interrupt");
  EXPECT_EQ(go_exit_text(-1, 40), "signal: signal 40");
}

}  // namespace
}  // namespace baton::driver::terraform
