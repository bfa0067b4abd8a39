// Production binding: AsioProcessPort (see asio_process.hpp). The one Asio translation unit of
// child processes; keep Asio out of every other file here.
#include "engine/bindings/process/asio_process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/bindings/asio/asio_await.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/process/output_capture.hpp"

extern char** environ;

namespace baton {
namespace {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

// After SIGKILL has gone to the group and the child has exited, how long its output may stay
// open: only a process that left the group can still hold it, and nothing waits for that.
constexpr Duration kDrainAfterKill = std::chrono::seconds(1);

// Timers cannot take Duration::max(); a year is as good as never here.
Duration clamp_for_timer(Duration duration) {
  return std::clamp(duration, Duration::zero(), Duration(std::chrono::hours(24 * 365)));
}

// Go's words for an errno (syscall.Errno.Error()): strerror's, starting lower case.
std::string go_errno_text(int error) {
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = char(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(std::exchange(other.fd_, -1));
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// ---- Starting the child ----------------------------------------------------------------------

bool is_executable_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The program's path, or Go's error text: a name without '/' is looked up on PATH as
// exec.LookPath does. Relative entries (empty means ".") are skipped: Go 1.19+ refuses what they
// find, and the child, started in working_dir, would look for it elsewhere anyway.
std::variant<std::string, std::string> resolve_program(const std::string& program) {
  using Result = std::variant<std::string, std::string>;
  if (program.empty()) return Result(std::in_place_index<1>, "exec: no command");
  if (program.find('/') != std::string::npos) return Result(std::in_place_index<0>, program);
  const char* search_path = std::getenv("PATH");
  std::string_view rest = search_path ? search_path : "";
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string_view directory = rest.substr(0, colon);
    if (directory.starts_with('/')) {
      std::string candidate = std::string(directory) + "/" + program;
      if (is_executable_file(candidate)) return Result(std::in_place_index<0>, std::move(candidate));
    }
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return Result(std::in_place_index<1>, "exec: \"" + program + "\": executable file not found in $PATH");
}

// posix_spawn reports a failed chdir with the errno alone; this names the directory instead.
std::optional<std::string> working_dir_problem(const std::string& directory) {
  if (directory.empty()) return std::nullopt;
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0) return "chdir " + directory + ": " + go_errno_text(errno);
  if (!S_ISDIR(info.st_mode)) return "chdir " + directory + ": " + go_errno_text(ENOTDIR);
  return std::nullopt;
}

bool names(const std::string& entry, const std::string& name) {
  return entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 && entry[name.size()] == '=';
}

std::vector<std::string> child_environment(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) entries.emplace_back(*entry);
  for (const auto& [name, value] : extra) {
    std::erase_if(entries, [&name](const std::string& entry) { return names(entry, name); });
    entries.push_back(name + "=" + value);
  }
  return entries;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

struct Spawned {
  pid_t pid = -1;
  UniqueFd exit_watch;  // the pidfd: readable once the child has exited
  UniqueFd out;         // read ends of the child's stdout and stderr
  UniqueFd err;
};

struct SpawnSetup {
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
};

// The child gets a group of its own, default signal dispositions and an empty signal mask
// (whatever baton ignores or blocks is not the child's business), stdin at /dev/null, and the
// write ends of the pipes as stdout and stderr. Every descriptor of ours is close-on-exec.
void prepare(SpawnSetup& setup, const ProcessSpec& spec, int out_write, int err_write) {
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out_write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, err_write, STDERR_FILENO);
  if (!spec.working_dir.empty()) posix_spawn_file_actions_addchdir_np(&setup.actions, spec.working_dir.c_str());
  posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&setup.attributes, 0);
  sigset_t signals;
  sigemptyset(&signals);
  posix_spawnattr_setsigmask(&setup.attributes, &signals);
  sigfillset(&signals);
  posix_spawnattr_setsigdefault(&setup.attributes, &signals);
}

bool make_pipe(UniqueFd& read_end, UniqueFd& write_end) {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) return false;
  read_end.reset(ends[0]);
  write_end.reset(ends[1]);
  return true;
}

// Starts the child, or says why it could not be started (Go's words, see process.hpp).
std::variant<Spawned, std::string> spawn_child(const ProcessSpec& spec) {
  using Result = std::variant<Spawned, std::string>;
  std::variant<std::string, std::string> resolved = resolve_program(spec.program);
  if (resolved.index() == 1) return Result(std::in_place_index<1>, std::get<1>(std::move(resolved)));
  const std::string path = std::get<0>(std::move(resolved));
  if (std::optional<std::string> problem = working_dir_problem(spec.working_dir)) {
    return Result(std::in_place_index<1>, std::move(*problem));
  }

  Spawned child;
  UniqueFd out_write;
  UniqueFd err_write;
  if (!make_pipe(child.out, out_write) || !make_pipe(child.err, err_write)) {
    return Result(std::in_place_index<1>, "pipe: " + go_errno_text(errno));
  }
  SpawnSetup setup;
  prepare(setup, spec, out_write.get(), err_write.get());
  std::vector<std::string> argv_strings{spec.program};  // argv[0] as given, as Go sets it
  argv_strings.insert(argv_strings.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_strings = child_environment(spec.environment);
  std::vector<char*> argv = pointers_to(argv_strings);
  std::vector<char*> envp = pointers_to(env_strings);

  const int spawn_error = ::posix_spawn(&child.pid, path.c_str(), &setup.actions, &setup.attributes, argv.data(),
                                        envp.data());
  if (spawn_error != 0) return Result(std::in_place_index<1>, "fork/exec " + path + ": " + go_errno_text(spawn_error));
  // Through syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C", so its pidfd_open does not link from C++.
  child.exit_watch.reset(int(::syscall(SYS_pidfd_open, child.pid, 0)));
  if (child.exit_watch.get() < 0) {
    const int watch_error = errno;
    ::kill(-child.pid, SIGKILL);
    ::waitpid(child.pid, nullptr, 0);
    return Result(std::in_place_index<1>, "pidfd_open: " + go_errno_text(watch_error));
  }
  return Result(std::in_place_index<0>, std::move(child));
}

ProcessResult not_started(ProcessEnd end, std::string start_error) {
  ProcessResult result;
  result.end = end;
  result.start_error = std::move(start_error);
  return result;
}

// ---- Watching it -----------------------------------------------------------------------------

// One child from spawn to reaping. Shared by its pending Asio operations, which keep it alive
// after the awaiting frame is gone (see asio_process.hpp).
class ChildRun : public std::enable_shared_from_this<ChildRun> {
 public:
  ChildRun(AsioRuntime& runtime, Spawned spawned, const ProcessSpec& spec, LineSink on_line, MonoTime started)
      : runtime_(runtime),
        pid_(spawned.pid),
        exit_watch_(runtime.io_context(), spawned.exit_watch.release()),
        out_(runtime.io_context(), spawned.out.release(), OutputStream::out, spec.output_max_bytes),
        err_(runtime.io_context(), spawned.err.release(), OutputStream::err, spec.output_max_bytes),
        grace_timer_(runtime.io_context()),
        drain_timer_(runtime.io_context()),
        kill_grace_(clamp_for_timer(spec.kill_grace)),
        interrupt_signal_(spec.interrupt_signal),
        sink_(on_line ? std::make_shared<LineSink>(std::move(on_line)) : nullptr),
        started_(started) {}

  ChildRun(const ChildRun&) = delete;
  ChildRun& operator=(const ChildRun&) = delete;

  ~ChildRun() {
    if (reaped_) return;
    // The io_context died with this run's operations pending: nothing will watch the child
    // any more, so end it for good now.
    kill_group(SIGKILL);
    reap();
  }

  // Starts reading both outputs and waiting for the exit; `done` runs once all three are over.
  void watch(AsioHandler done) {
    done_.emplace(std::move(done));
    read_more(out_);
    read_more(err_);
    exit_watch_.async_wait(asio::posix::descriptor_base::wait_read,
                           [self = shared_from_this()](const error_code& error) { self->on_exited(error); });
  }

  // Stop requested, deadline passed, or frame gone: the interrupt to the group now, SIGKILL
  // after the grace. Never completes the run from here: the caller may be a stop callback.
  void end_early() {
    if (reaped_ || ending_) return;
    ending_ = true;
    if (exited_) {  // only leftovers holding the output: no grace for them
      sweep();
      return;
    }
    ended_before_exit_ = true;
    kill_group(interrupt_signal_);
    last_signal_sent_ = interrupt_signal_;
    grace_timer_.expires_after(kill_grace_);
    grace_timer_.async_wait([self = shared_from_this()](const error_code& error) { self->on_grace_passed(error); });
  }

  // The LineSink may point into the awaiting frame: once that frame is gone, it is not called.
  void forget_sink() { sink_.reset(); }
  bool reaped() const { return reaped_; }

  ProcessResult result(AsioAbort aborted) const {
    ProcessResult outcome;
    if (status_known_ && WIFEXITED(wait_status_)) outcome.exit_code = WEXITSTATUS(wait_status_);
    if (ended_before_exit_) {
      outcome.end = aborted == AsioAbort::deadline ? ProcessEnd::timed_out : ProcessEnd::cancelled;
      outcome.signal = last_signal_sent_;
    } else if (outcome.exit_code >= 0) {
      outcome.end = ProcessEnd::exited;
    } else {
      outcome.end = ProcessEnd::signalled;
      outcome.signal = status_known_ && WIFSIGNALED(wait_status_) ? WTERMSIG(wait_status_) : 0;
    }
    outcome.out = out_.capture.kept();
    outcome.err = err_.capture.kept();
    outcome.truncated = out_.capture.truncated() || err_.capture.truncated();
    outcome.elapsed = elapsed_;
    return outcome;
  }

 private:
  struct Output {
    Output(asio::io_context& io, int fd, OutputStream stream, std::size_t max_bytes)
        : descriptor(io, fd), capture(stream, max_bytes) {}

    asio::posix::stream_descriptor descriptor;
    OutputCapture capture;
    std::array<char, 16 * 1024> buffer{};
    bool ended = false;
  };

  void read_more(Output& output) {
    output.descriptor.async_read_some(
        asio::buffer(output.buffer),
        [self = shared_from_this(), &output](const error_code& error, std::size_t bytes) {
          self->on_read(output, error, bytes);
        });
  }

  void on_read(Output& output, const error_code& error, std::size_t bytes) {
    if (reaped_ || output.ended) return;
    const LineSink forward = line_forwarder();
    if (bytes > 0) output.capture.append(std::string_view(output.buffer.data(), bytes), forward);
    if (!error) {
      read_more(output);
      return;
    }
    end_output(output, forward);  // end of file, or the pipe failed: nothing more comes either way
    maybe_finish();
  }

  void on_exited(const error_code& error) {
    if (reaped_ || error == asio::error::operation_aborted) return;
    exited_ = true;
    // After an early end, whatever is left of the group goes with the child. If the exit
    // cannot be watched (no such error is known), SIGKILL makes it happen: reaping waits for it.
    if (ending_ || error) sweep();
    maybe_finish();
  }

  void on_grace_passed(const error_code& error) {
    if (error || reaped_ || swept_) return;
    if (!exited_) last_signal_sent_ = SIGKILL;
    sweep();
  }

  void on_drain_passed(const error_code& error) {
    if (error || reaped_) return;
    const LineSink forward = line_forwarder();
    for (Output* output : {&out_, &err_}) {
      if (output->ended) continue;
      error_code ignored;
      output->descriptor.close(ignored);
      end_output(*output, forward);
    }
    maybe_finish();
  }

  // SIGKILL to the group, once; after the child's exit, gives its output a moment to end.
  void sweep() {
    if (!swept_) {
      swept_ = true;
      grace_timer_.cancel();
      kill_group(SIGKILL);
    }
    if (exited_ && !(out_.ended && err_.ended) && !drain_armed_) {
      drain_armed_ = true;
      drain_timer_.expires_after(kDrainAfterKill);
      drain_timer_.async_wait([self = shared_from_this()](const error_code& error) { self->on_drain_passed(error); });
    }
  }

  // Safe from pid reuse: called only before reaping, while the child's zombie holds its pid.
  void kill_group(int signal_number) {
    assert(!reaped_);
    if (::kill(-pid_, signal_number) == 0 || errno != ESRCH) return;
    ::kill(pid_, signal_number);  // the child left its group (setpgid): reach it alone
  }

  void end_output(Output& output, const LineSink& forward) {
    output.capture.finish(forward);
    output.ended = true;
  }

  void maybe_finish() {
    if (reaped_ || !exited_ || !out_.ended || !err_.ended) return;
    reap();  // the child is a zombie by now: this returns at once
    elapsed_ = runtime_.now() - started_;
    grace_timer_.cancel();
    drain_timer_.cancel();
    error_code ignored;
    exit_watch_.close(ignored);
    out_.descriptor.close(ignored);
    err_.descriptor.close(ignored);
    if (!done_) return;
    AsioHandler done = std::move(*done_);
    done_.reset();
    done(ended_before_exit_ ? error_code(asio::error::operation_aborted) : error_code());
  }

  void reap() {
    int status = 0;
    pid_t reaped = -1;
    do {
      reaped = ::waitpid(pid_, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    reaped_ = true;
    status_known_ = reaped == pid_;
    wait_status_ = status;
  }

  // Forwards lines to the sink while there is one. The sink is held for the length of each
  // call: it may tear down its own frame (and so forget itself) from inside.
  LineSink line_forwarder() {
    if (!sink_) return nullptr;
    return [this](OutputStream stream, std::string_view line) {
      if (!sink_) return;
      const std::shared_ptr<LineSink> sink = sink_;
      (*sink)(stream, line);
    };
  }

  AsioRuntime& runtime_;
  pid_t pid_;
  asio::posix::stream_descriptor exit_watch_;
  Output out_;
  Output err_;
  asio::steady_timer grace_timer_;
  asio::steady_timer drain_timer_;
  Duration kill_grace_;
  int interrupt_signal_;
  std::shared_ptr<LineSink> sink_;
  std::optional<AsioHandler> done_;
  MonoTime started_;
  Duration elapsed_{};
  int wait_status_ = 0;
  bool status_known_ = false;
  bool exited_ = false;             // the pidfd said so: the child is a zombie until reaped
  bool ending_ = false;             // end_early() has run
  bool ended_before_exit_ = false;  // ...and the child had not exited yet: we ended it
  bool swept_ = false;              // SIGKILL has gone to the group
  bool drain_armed_ = false;
  bool reaped_ = false;
  int last_signal_sent_ = 0;  // before the child exited
};

// Made by a named function, not written inside the co_await: GCC 12 destroys such a lambda
// twice when it captures anything with a destructor (asio_await.hpp). Weak: the abort function
// lives in state the child itself holds.
std::function<void()> ender(const std::shared_ptr<ChildRun>& child) {
  return [weak = std::weak_ptr<ChildRun>(child)] {
    if (std::shared_ptr<ChildRun> alive = weak.lock()) alive->end_early();
  };
}

// Ends the child early when the frame awaiting it is destroyed before it is done.
class AbandonGuard {
 public:
  explicit AbandonGuard(std::shared_ptr<ChildRun> child) : child_(std::move(child)) {}
  AbandonGuard(const AbandonGuard&) = delete;
  AbandonGuard& operator=(const AbandonGuard&) = delete;
  ~AbandonGuard() {
    if (child_->reaped()) return;
    child_->forget_sink();
    child_->end_early();
  }

 private:
  std::shared_ptr<ChildRun> child_;
};

}  // namespace

Task<ProcessResult> AsioProcessPort::run(ProcessSpec spec, LineSink on_line, std::stop_token stop) {
  // Checked before starting anything: asio_await's own early check would leave a started
  // child unwatched.
  if (stop.stop_requested()) co_return not_started(ProcessEnd::cancelled, {});
  AsioRuntime& runtime = runtime_;
  const MonoTime started = runtime.now();
  std::variant<Spawned, std::string> spawned = spawn_child(spec);
  if (spawned.index() == 1) co_return not_started(ProcessEnd::start_failed, std::get<1>(std::move(spawned)));

  auto child = std::make_shared<ChildRun>(runtime, std::get<0>(std::move(spawned)), spec, std::move(on_line), started);
  const AbandonGuard guard(child);
  ChildRun* raw = child.get();
  std::shared_ptr<void> nothing_to_keep_alive;  // the child's own operations keep it alive
  std::function<void()> abort = ender(child);
  const MonoTime deadline = deadline_after(runtime, spec.timeout);
  const AsioResult ended = co_await asio_await(
      runtime.io_context(), stop, deadline, std::move(nothing_to_keep_alive),
      [raw](AsioHandler done) { raw->watch(std::move(done)); }, std::move(abort));
  co_return raw->result(ended.aborted);
}

}  // namespace baton
