#pragma once
// fake-consul as a child process of a test, on a free loopback port, for tests that reach it
// over real HTTP. SIGINT stops it when the object goes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace baton::test {

// fake-consul as a child process on a free loopback port; SIGINT stops it.
class FakeConsulProcess {
 public:
  explicit FakeConsulProcess(const char* binary, std::vector<std::string> extra_flags = {}) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(pipe_fds[1], 2);
      close(pipe_fds[0]);
      std::vector<std::string> args{binary, "agent", "-dev", "-client", "127.0.0.1", "-http-port", "0"};
      args.insert(args.end(), extra_flags.begin(), extra_flags.end());
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(binary, argv.data());
      _exit(127);
    }
    close(pipe_fds[1]);
    stderr_ = fdopen(pipe_fds[0], "r");
    const std::regex started(R"(Started HTTP server: address=127\.0\.0\.1:(\d+))");
    char line[4096];
    while (port_ == 0 && std::fgets(line, sizeof line, stderr_) != nullptr) {
      std::cmatch match;
      if (std::regex_search(line, match, started)) port_ = std::stoi(match[1]);
    }
    if (port_ == 0) throw std::runtime_error("fake-consul did not report its port");
    drain_ = std::thread([this] {
      char rest[4096];
      while (std::fgets(rest, sizeof rest, stderr_) != nullptr) {
      }
    });
  }
  ~FakeConsulProcess() {
    kill(pid_, SIGINT);
    int status = 0;
    waitpid(pid_, &status, 0);
    drain_.join();
    std::fclose(stderr_);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  std::FILE* stderr_ = nullptr;
  int port_ = 0;
  std::thread drain_;
};

}  // namespace baton::test
