#pragma once
// ProcessPort: how the engine runs a child program (in practice, `terraform`). One call runs one
// process to its end and returns how it ended, as a value.
//
// Bindings: production starts a real child on Boost.Asio (engine/bindings/process); tests may
// script one. The simulator does not run processes at all: its Terraform is fakes/terraform,
// which implements the Terraform port (engine/driver/terraform/terraform_client.hpp) above this.
//
// Guarantees every binding gives:
// - The child starts in `working_dir` with the parent's environment plus `environment` (an entry
//   there replaces the parent's variable of the same name; of two entries with one name, the
//   later wins), and stdin at /dev/null. A relative `program` is found from `working_dir`.
// - It runs in a process group of its own. Ending it early (stop requested, or `timeout` passed)
//   sends `interrupt_signal` to the whole group, waits `kill_grace`, then sends SIGKILL to the
//   group; run() returns only once the child has been reaped and its stdout and stderr have
//   reached their end. Once the child has exited after an early end, whatever is left of its
//   group is sent SIGKILL at once, so no orphan of it outlives the call (a grandchild that made
//   its own process group is beyond reach, as with any supervisor: if it holds the output open,
//   it is given a moment, then the output is closed).
// - A child that ends on its own is not swept: descendants it left running in its group go on
//   (as under Go's os/exec). If they hold its stdout or stderr open, run() waits for them to
//   close it, or for `timeout` or the stop request, which then send SIGKILL to the group.
// - Each complete line the child writes (stdout and stderr apart, without the line break; a
//   last line without one counts as a line) goes to `on_line` as soon as it is read, in the
//   order read within each stream. A line longer than kLongestLineBytes arrives in pieces.
// - stdout and stderr are also kept whole in the result, up to `output_max_bytes` each: beyond
//   that the oldest bytes are dropped (Terraform's error is at the end) and `truncated` is set.
// - It never throws for an expected failure (program missing, killed, timed out): those are
//   values.
// - If the awaiting frame is destroyed mid-run (a Scope torn down), the child is ended early as
//   above and reaped in the background; `on_line` is not called again. If the runtime itself
//   is destroyed before that ends, the group is sent SIGKILL and the child reaped before the
//   runtime's destructor returns.
#include <csignal>
#include <cstddef>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/async/task.hpp"
#include "engine/ports/time.hpp"

namespace baton {

struct ProcessSpec {
  std::string program;             // a path; a bare name is looked up on the parent's PATH
  std::vector<std::string> args;   // argv[1...]
  std::string working_dir;         // empty: the parent's
  std::vector<std::pair<std::string, std::string>> environment;  // added to the parent's
  Duration timeout = Duration::max();                 // from start to the interrupt; max: none
  Duration kill_grace = std::chrono::seconds(10);     // from the interrupt to SIGKILL
  std::size_t output_max_bytes = std::size_t(1) << 20;  // kept per stream in the result
  // The first signal of an early end. SIGTERM for most programs; Terraform wants SIGINT (what
  // Ctrl-C sends the group): it shuts down gracefully on either, but its provider plugins
  // (go-plugin) ignore only SIGINT and die at once on SIGTERM, mid-operation.
  int interrupt_signal = SIGTERM;
};

// Lines longer than this reach the LineSink in pieces of this size.
inline constexpr std::size_t kLongestLineBytes = std::size_t(64) << 10;

enum class OutputStream { out, err };

// Receives each line as it arrives. Called on the runtime's thread, between resumptions.
using LineSink = std::function<void(OutputStream stream, std::string_view line)>;

enum class ProcessEnd {
  exited,        // it ended on its own with exit_code
  signalled,     // a signal it did not ask for ended it (signal), not one we sent
  timed_out,     // we ended it: `timeout` passed
  cancelled,     // we ended it: the stop token fired
  start_failed,  // it never ran: program missing or not executable, working_dir missing...
};

inline const char* to_string(ProcessEnd end) {
  switch (end) {
    case ProcessEnd::exited: return "exited";
    case ProcessEnd::signalled: return "signalled";
    case ProcessEnd::timed_out: return "timed_out";
    case ProcessEnd::cancelled: return "cancelled";
    case ProcessEnd::start_failed: return "start_failed";
  }
  return "unknown";
}

struct ProcessResult {
  ProcessEnd end = ProcessEnd::start_failed;
  // When exited; also when timed_out/cancelled if the child then exited with a code (Terraform
  // exits 1 after a graceful interrupt). -1 otherwise.
  int exit_code = -1;
  // When signalled: the signal. When timed_out/cancelled: the last signal we sent before the
  // child exited (0 if the stop came before it started).
  int signal = 0;
  std::string out;      // stdout, as kept (see output_max_bytes)
  std::string err;      // stderr, as kept
  bool truncated = false;
  // When start_failed, in Go's os/exec words: "fork/exec /usr/bin/terraform: no such file or
  // directory", `exec: "terraform": executable file not found in $PATH`; for a missing
  // working_dir "chdir sync-tasks/web: no such file or directory".
  std::string start_error;
  Duration elapsed{};   // from start to reaping, on the runtime's monotonic clock

  bool succeeded() const { return end == ProcessEnd::exited && exit_code == 0; }
};

class ProcessPort {
 public:
  virtual ~ProcessPort() = default;

  // Runs `spec` to its end. See the guarantees above. `on_line` may be empty. A stop requested
  // before the call starts nothing: the result is `cancelled`.
  virtual Task<ProcessResult> run(ProcessSpec spec, LineSink on_line, std::stop_token stop) = 0;
};

}  // namespace baton
