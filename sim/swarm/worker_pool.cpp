#include "sim/swarm/worker_pool.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <vector>

namespace baton::sim::swarm {

namespace {

// A worker: its pipe, the jobs it has left (in order), and what it has written but not yet
// finished as a line.
struct Worker {
  pid_t pid = -1;
  int read_fd = -1;
  std::vector<std::size_t> jobs;
  std::size_t next = 0;  // jobs[next] is the one it is on
  std::string partial;
};

void write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) return;
    written += static_cast<std::size_t>(n);
  }
}

// Forks a worker for `jobs`; the child writes "<result>\n" per job, in order, and exits.
Worker spawn(std::vector<std::size_t> jobs, const PoolCallbacks& callbacks) {
  int fds[2];
  if (::pipe(fds) != 0) std::perror("sim swarm: pipe");
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    for (std::size_t index : jobs) write_all(fds[1], callbacks.work(index) + "\n");
    ::close(fds[1]);
    std::fflush(nullptr);
    ::_exit(0);
  }
  ::close(fds[1]);
  Worker worker;
  worker.pid = pid;
  worker.read_fd = fds[0];
  worker.jobs = std::move(jobs);
  return worker;
}

// Reads what the worker wrote; false at end of file.
bool drain(Worker& worker, const PoolCallbacks& callbacks) {
  char buffer[65536];
  const ssize_t n = ::read(worker.read_fd, buffer, sizeof buffer);
  if (n <= 0) return false;
  worker.partial.append(buffer, static_cast<std::size_t>(n));
  std::size_t newline;
  while ((newline = worker.partial.find('\n')) != std::string::npos) {
    callbacks.on_result(worker.jobs[worker.next++], worker.partial.substr(0, newline), false);
    worker.partial.erase(0, newline + 1);
  }
  return true;
}

}  // namespace

void run_pool(std::size_t count, int jobs, const PoolCallbacks& callbacks) {
  if (jobs <= 1) {
    for (std::size_t index = 0; index < count; ++index) callbacks.on_result(index, callbacks.work(index), false);
    return;
  }
  std::vector<Worker> workers;
  for (int j = 0; j < jobs; ++j) {
    std::vector<std::size_t> stripe;
    for (std::size_t index = static_cast<std::size_t>(j); index < count; index += static_cast<std::size_t>(jobs)) stripe.push_back(index);
    if (!stripe.empty()) workers.push_back(spawn(std::move(stripe), callbacks));
  }
  while (!workers.empty()) {
    std::vector<pollfd> fds;
    for (const Worker& worker : workers) fds.push_back(pollfd{worker.read_fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    std::vector<Worker> next;
    for (std::size_t i = 0; i < workers.size(); ++i) {
      Worker& worker = workers[i];
      if (fds[i].revents == 0 || drain(worker, callbacks)) {
        next.push_back(std::move(worker));
        continue;
      }
      ::close(worker.read_fd);
      int status = 0;
      ::waitpid(worker.pid, &status, 0);
      if (worker.next < worker.jobs.size()) {
        // It died on jobs[next]: report that one, and let a new worker take the rest.
        callbacks.on_result(worker.jobs[worker.next], "", true);
        std::vector<std::size_t> rest(worker.jobs.begin() + static_cast<std::ptrdiff_t>(worker.next + 1), worker.jobs.end());
        if (!rest.empty()) next.push_back(spawn(std::move(rest), callbacks));
      }
    }
    workers = std::move(next);
  }
}

double wall_seconds() {
  static const auto start = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace baton::sim::swarm
