// AsioProcessPort (engine/bindings/process) with real /bin/sh children: how they end, their
// output, their environment, and that ending them early leaves no process behind.
#include <gtest/gtest.h>

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/async/scope.hpp"
#include "engine/async/wait.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/process/asio_process.hpp"
#include "tests/integration/process_support.hpp"

namespace baton {
namespace {

using namespace std::chrono_literals;
using test::eventually;
using test::has_unreaped_children;
using test::is_dead;
using test::live_members_of_group;

// "Promptly", generously: these children would otherwise run for a minute.
constexpr Duration kPromptly = 15s;

ProcessSpec shell(std::string script) {
  ProcessSpec spec;
  spec.program = "/bin/sh";
  spec.args = {"-c", std::move(script)};
  return spec;
}

struct Lines {
  std::vector<std::string> out;
  std::vector<std::string> err;
  // Called after each line, on the runtime's thread.
  std::function<void(const std::string&)> on_out;
};

LineSink sink_into(Lines& lines) {
  return [&lines](OutputStream stream, std::string_view line) {
    std::vector<std::string>& into = stream == OutputStream::out ? lines.out : lines.err;
    into.emplace_back(line);
    if (stream == OutputStream::out && lines.on_out) lines.on_out(into.back());
  };
}

Task<void> run_into(ProcessPort& port, ProcessSpec spec, LineSink sink, std::stop_token stop,
                    std::optional<ProcessResult>& result) {
  result = co_await port.run(std::move(spec), std::move(sink), std::move(stop));
}

// Runs one child to its end on a fresh runtime. `lines.on_out` may stop it through `stopper`.
ProcessResult run_child(ProcessSpec spec, Lines& lines, std::stop_source stopper = {}) {
  AsioRuntime runtime;
  AsioProcessPort port(runtime);
  std::optional<ProcessResult> result;
  runtime.scope().spawn(run_into(port, std::move(spec), sink_into(lines), stopper.get_token(), result));
  runtime.run();
  if (!result) throw std::runtime_error("run() did not return");
  return *result;
}

ProcessResult run_child(ProcessSpec spec) {
  Lines ignored;
  return run_child(std::move(spec), ignored);
}

// "<child pid> <grandchild pid>", the first line the scripts below print.
struct Pids {
  pid_t child = 0;
  pid_t grandchild = 0;
};

Pids pids_in(const std::string& line) {
  std::istringstream fields(line);
  Pids pids;
  fields >> pids.child >> pids.grandchild;
  return pids;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "baton-process-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(AsioProcess, ReportsExitCodes) {
  const ProcessResult zero = run_child(shell("exit 0"));
  EXPECT_TRUE(zero.succeeded());
  const ProcessResult three = run_child(shell("exit 3"));
  EXPECT_EQ(three.end, ProcessEnd::exited);
  EXPECT_EQ(three.exit_code, 3);
  EXPECT_FALSE(three.succeeded());
  EXPECT_FALSE(has_unreaped_children());
}

TEST(AsioProcess, ReportsASignalItDidNotAskFor) {
  const ProcessResult killed = run_child(shell("kill -KILL $$"));
  EXPECT_EQ(killed.end, ProcessEnd::signalled);
  EXPECT_EQ(killed.signal, SIGKILL);
  EXPECT_EQ(killed.exit_code, -1);
}

TEST(AsioProcess, DeliversLinesOfBothStreamsInOrderAndKeepsTheOutput) {
  Lines lines;
  const ProcessResult result =
      run_child(shell("printf 'a\\nb\\n'; printf 'oops\\n' >&2; printf 'c\\n\\nlast'; printf 'tail' >&2"), lines);
  ASSERT_TRUE(result.succeeded()) << result.err;
  EXPECT_EQ(lines.out, (std::vector<std::string>{"a", "b", "c", "", "last"}));
  EXPECT_EQ(lines.err, (std::vector<std::string>{"oops", "tail"}));
  EXPECT_EQ(result.out, "a\nb\nc\n\nlast");
  EXPECT_EQ(result.err, "oops\ntail");
  EXPECT_FALSE(result.truncated);
}

TEST(AsioProcess, GivesTheEnvironmentWorkingDirectoryAndAGroupOfItsOwn) {
  TempDir directory;
  ProcessSpec spec = shell("pwd; echo \"$BATON_PROCESS_TEST\"; echo \"$HOME\"; cat; echo $$; cut -d' ' -f5 /proc/$$/stat");
  spec.working_dir = directory.path();
  spec.environment = {{"BATON_PROCESS_TEST", "first"}, {"HOME", "/nowhere"}, {"BATON_PROCESS_TEST", "42"}};
  Lines lines;
  const ProcessResult result = run_child(spec, lines);
  ASSERT_TRUE(result.succeeded()) << result.err;
  ASSERT_EQ(lines.out.size(), 5u) << result.out;
  EXPECT_EQ(std::filesystem::canonical(lines.out[0]), std::filesystem::canonical(directory.path()));
  EXPECT_EQ(lines.out[1], "42") << "the later entry of a name wins";
  EXPECT_EQ(lines.out[2], "/nowhere") << "an entry replaces the parent's variable";
  EXPECT_EQ(lines.out[3], lines.out[4]) << "its own process group: pgid == pid (stdin /dev/null: cat read nothing)";
  EXPECT_NE(lines.out[4], std::to_string(::getpgrp()));
}

TEST(AsioProcess, InheritsTheParentsEnvironment) {
  ::setenv("BATON_INHERITED", "yes", 1);
  Lines lines;
  const ProcessResult result = run_child(shell("echo \"$BATON_INHERITED\""), lines);
  ::unsetenv("BATON_INHERITED");
  ASSERT_TRUE(result.succeeded());
  EXPECT_EQ(lines.out, (std::vector<std::string>{"yes"}));
}

TEST(AsioProcess, LooksUpABareNameOnPath) {
  ProcessSpec spec;
  spec.program = "sh";
  spec.args = {"-c", "exit 4"};
  const ProcessResult result = run_child(spec);
  EXPECT_EQ(result.end, ProcessEnd::exited);
  EXPECT_EQ(result.exit_code, 4);
}

TEST(AsioProcess, SaysWhyAChildCouldNotStartInGosWords) {
  ProcessSpec missing;
  missing.program = "/nonexistent/baton-test-program";
  const ProcessResult not_there = run_child(missing);
  EXPECT_EQ(not_there.end, ProcessEnd::start_failed);
  EXPECT_EQ(not_there.start_error, "fork/exec /nonexistent/baton-test-program: no such file or directory");

  ProcessSpec bare;
  bare.program = "baton-no-such-program";
  EXPECT_EQ(run_child(bare).start_error, "exec: \"baton-no-such-program\": executable file not found in $PATH");

  TempDir directory;
  const std::string plain_file = directory.path() + "/not-executable";
  std::ofstream(plain_file) << "echo hi\n";
  ProcessSpec not_executable;
  not_executable.program = plain_file;
  EXPECT_EQ(run_child(not_executable).start_error, "fork/exec " + plain_file + ": permission denied");

  ProcessSpec nowhere = shell("exit 0");
  nowhere.working_dir = "/nonexistent/dir";
  const ProcessResult no_dir = run_child(nowhere);
  EXPECT_EQ(no_dir.end, ProcessEnd::start_failed);
  EXPECT_EQ(no_dir.start_error, "chdir /nonexistent/dir: no such file or directory");
  EXPECT_FALSE(has_unreaped_children());
}

TEST(AsioProcess, KeepsOnlyTheLastBytesButDeliversEveryLine) {
  ProcessSpec spec = shell("seq 1 20000");
  spec.output_max_bytes = 1000;
  Lines lines;
  const ProcessResult result = run_child(spec, lines);
  ASSERT_TRUE(result.succeeded());
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(result.out.size(), 1000u);
  EXPECT_TRUE(result.out.ends_with("\n19999\n20000\n")) << result.out.substr(result.out.size() - 20);
  ASSERT_EQ(lines.out.size(), 20000u);
  EXPECT_EQ(lines.out.front(), "1");
  EXPECT_EQ(lines.out.back(), "20000");
}

TEST(AsioProcess, DeliversAnOverlongLineInPieces) {
  Lines lines;
  const ProcessResult result = run_child(shell("head -c 70000 /dev/zero | tr '\\0' a; echo; echo next"), lines);
  ASSERT_TRUE(result.succeeded());
  ASSERT_EQ(lines.out.size(), 3u);
  EXPECT_EQ(lines.out[0], std::string(kLongestLineBytes, 'a'));
  EXPECT_EQ(lines.out[1], std::string(70000 - kLongestLineBytes, 'a'));
  EXPECT_EQ(lines.out[2], "next");
}

TEST(AsioProcess, TimesOutWithTheInterrupt) {
  ProcessSpec spec = shell("sleep 60");
  spec.timeout = 200ms;
  const ProcessResult result = run_child(spec);
  EXPECT_EQ(result.end, ProcessEnd::timed_out);
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_LT(result.elapsed, kPromptly);
  EXPECT_FALSE(has_unreaped_children());
}

TEST(AsioProcess, CancelledChildMayExitGracefullyOnTheInterruptItIsGiven) {
  ProcessSpec spec = shell("trap 'echo bye; exit 7' INT; echo ready; while :; do sleep 1; done");
  spec.interrupt_signal = SIGINT;
  Lines lines;
  std::stop_source stopper;
  lines.on_out = [&stopper](const std::string& line) {
    if (line == "ready") stopper.request_stop();
  };
  const ProcessResult result = run_child(spec, lines, stopper);
  EXPECT_EQ(result.end, ProcessEnd::cancelled);
  EXPECT_EQ(result.signal, SIGINT);
  EXPECT_EQ(result.exit_code, 7);
  EXPECT_EQ(lines.out, (std::vector<std::string>{"ready", "bye"}));
  EXPECT_LT(result.elapsed, kPromptly);
}

TEST(AsioProcess, CancelKillsTheWholeGroupIncludingAGrandchild) {
  ProcessSpec spec = shell("sleep 60 & echo $$ $!; wait");
  Lines lines;
  std::stop_source stopper;
  lines.on_out = [&stopper](const std::string&) { stopper.request_stop(); };
  const ProcessResult result = run_child(spec, lines, stopper);
  EXPECT_EQ(result.end, ProcessEnd::cancelled);
  EXPECT_EQ(result.signal, SIGTERM);
  ASSERT_FALSE(lines.out.empty());
  const Pids pids = pids_in(lines.out.front());
  EXPECT_TRUE(eventually([&] { return is_dead(pids.grandchild); }));
  EXPECT_TRUE(eventually([&] { return live_members_of_group(pids.child) == 0; }));
  EXPECT_FALSE(has_unreaped_children());
  EXPECT_LT(result.elapsed, kPromptly);
}

TEST(AsioProcess, SigkillFollowsTheGraceWhenTheGroupIgnoresTheInterrupt) {
  ProcessSpec spec = shell("trap '' TERM; sleep 60 & echo $$ $!; wait");
  spec.kill_grace = 300ms;
  Lines lines;
  std::stop_source stopper;
  lines.on_out = [&stopper](const std::string&) { stopper.request_stop(); };
  const ProcessResult result = run_child(spec, lines, stopper);
  EXPECT_EQ(result.end, ProcessEnd::cancelled);
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_GE(result.elapsed, 300ms);
  EXPECT_LT(result.elapsed, kPromptly);
  ASSERT_FALSE(lines.out.empty());
  const Pids pids = pids_in(lines.out.front());
  EXPECT_TRUE(eventually([&] { return is_dead(pids.grandchild); }));
  EXPECT_TRUE(eventually([&] { return live_members_of_group(pids.child) == 0; }));
  EXPECT_FALSE(has_unreaped_children());
}

TEST(AsioProcess, AChildThatExitedIsNotSweptButLeftoversHoldingItsOutputEndAtTheTimeout) {
  ProcessSpec spec = shell("sleep 60 & echo $$ $!");
  spec.timeout = 500ms;
  Lines lines;
  const ProcessResult result = run_child(spec, lines);
  EXPECT_EQ(result.end, ProcessEnd::exited) << "the child itself ended on its own";
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_LT(result.elapsed, kPromptly);
  ASSERT_FALSE(lines.out.empty());
  const Pids pids = pids_in(lines.out.front());
  EXPECT_TRUE(eventually([&] { return is_dead(pids.grandchild); }));
  EXPECT_FALSE(has_unreaped_children());
}

TEST(AsioProcess, AStopRequestedBeforehandStartsNothing) {
  std::stop_source stopper;
  stopper.request_stop();
  Lines lines;
  const ProcessResult result = run_child(shell("echo ran"), lines, stopper);
  EXPECT_EQ(result.end, ProcessEnd::cancelled);
  EXPECT_EQ(result.signal, 0);
  EXPECT_TRUE(lines.out.empty());
}

Task<void> wait_for_line(Runtime& runtime, const Lines& lines, std::size_t count) {
  for (int polls = 0; lines.out.size() < count && polls < 500; ++polls) co_await sleep_for(runtime, 20ms);
}

TEST(AsioProcess, AFrameDestroyedMidRunStillEndsAndReapsTheChildAndStopsItsLines) {
  AsioRuntime runtime;
  AsioProcessPort port(runtime);
  Lines lines;
  bool frame_gone = false;
  lines.on_out = [&frame_gone](const std::string& line) { EXPECT_FALSE(frame_gone) << "line after teardown: " << line; };
  std::optional<ProcessResult> result;
  {
    Scope doomed(runtime);
    // After the interrupt it keeps writing for a while: none of it may reach the dead frame.
    ProcessSpec spec = shell("trap 'echo term; sleep 0.3; echo after; exit 1' TERM; sleep 60 & echo $$ $!; wait");
    doomed.spawn(run_into(port, std::move(spec), sink_into(lines), {}, result));
    runtime.scope().spawn(wait_for_line(runtime, lines, 1));
    runtime.run();
    ASSERT_EQ(lines.out.size(), 1u);
    frame_gone = true;
  }  // the Scope dies with the run suspended in it
  EXPECT_FALSE(result.has_value());
  const Pids pids = pids_in(lines.out.front());
  // The runtime must run on for the background reaping: until the child is gone from /proc.
  runtime.scope().spawn([](Runtime& self, pid_t child) -> Task<void> {
    for (int polls = 0; !test::is_gone(child) && polls < 500; ++polls) co_await sleep_for(self, 20ms);
  }(runtime, pids.child));
  runtime.run();
  EXPECT_TRUE(test::is_gone(pids.child));
  EXPECT_TRUE(eventually([&] { return is_dead(pids.grandchild); }));
  EXPECT_FALSE(has_unreaped_children()) << "reaped in the background, no zombie";
}

TEST(AsioProcess, ARuntimeDestroyedMidRunKillsAndReapsTheChildBeforeItReturns) {
  Lines lines;
  std::optional<ProcessResult> result;
  {
    AsioRuntime runtime;
    AsioProcessPort port(runtime);
    Scope doomed(runtime);
    ProcessSpec spec = shell("trap '' TERM; sleep 60 & echo $$ $!; wait");
    doomed.spawn(run_into(port, std::move(spec), sink_into(lines), {}, result));
    runtime.scope().spawn(wait_for_line(runtime, lines, 1));
    runtime.run();
    ASSERT_EQ(lines.out.size(), 1u);
  }  // Scope, then runtime, die with the child running and deaf to SIGTERM
  EXPECT_FALSE(has_unreaped_children()) << "reaped synchronously";
  const Pids pids = pids_in(lines.out.front());
  EXPECT_TRUE(eventually([&] { return is_dead(pids.grandchild); }));
}

}  // namespace
}  // namespace baton
