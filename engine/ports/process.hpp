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
//   there replaces the parent's variable of the same name), and stdin at /dev/null.
// - It runs in a process group of its own. Ending it early (stop requested, or `timeout` passed)
//   sends SIGTERM to the whole group, waits `kill_grace`, then sends SIGKILL to the group; run()
//   returns only once the child has been reaped, so no orphan of it outlives the call (a
//   grandchild that made its own process group is beyond reach, as with any supervisor).
// - Each complete line the child writes (stdout and stderr apart, without the line break; a
//   last line without one counts as a line) goes to `on_line` as soon as it is read, in the
//   order read within each stream.
// - stdout and stderr are also kept whole in the result, up to `output_max_bytes` each: beyond
//   that the oldest bytes are dropped (Terraform's error is at the end) and `truncated` is set.
// - It never throws for an expected failure (program missing, killed, timed out): those are
//   values.
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
  Duration timeout = Duration::max();                 // from start to SIGTERM; max: none
  Duration kill_grace = std::chrono::seconds(10);     // from SIGTERM to SIGKILL
  std::size_t output_max_bytes = std::size_t(1) << 20;  // kept per stream in the result
};

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
  int exit_code = -1;   // when exited
  int signal = 0;       // when signalled, and the last signal we sent when timed_out/cancelled
  std::string out;      // stdout, as kept (see output_max_bytes)
  std::string err;      // stderr, as kept
  bool truncated = false;
  std::string start_error;  // when start_failed: "exec /usr/bin/terraform: no such file or directory"
  Duration elapsed{};   // from start to reaping, on the runtime's monotonic clock

  bool succeeded() const { return end == ProcessEnd::exited && exit_code == 0; }
};

class ProcessPort {
 public:
  virtual ~ProcessPort() = default;

  // Runs `spec` to its end. See the guarantees above. `on_line` may be empty.
  virtual Task<ProcessResult> run(ProcessSpec spec, LineSink on_line, std::stop_token stop) = 0;
};

}  // namespace baton
