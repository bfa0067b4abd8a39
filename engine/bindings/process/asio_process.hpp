#pragma once
// AsioProcessPort: the production binding of the ProcessPort (engine/ports/process.hpp) on
// AsioRuntime's io_context.
//
// How a run goes. posix_spawn starts the child in a process group of its own (its pid is the
// group's id), with stdin at /dev/null and a pipe for each of stdout and stderr, which Asio
// reads as they fill. Its exit is observed through a pidfd (pidfd_open), which becomes readable
// when the child exits; only then is it reaped with waitpid. Until then the child's zombie
// keeps its pid, so signalling the group (kill(-pid)) can never reach a stranger that reused
// the number.
//
// Frames that die first. The child's state is shared by the pending Asio operations, not owned
// by the awaiting frame: when a torn-down Scope destroys the frame, the child is ended early and
// reaped in the background, and its LineSink (which may point into the dead frame) is dropped.
// When the io_context dies with the operations still pending, the state's destructor sends
// SIGKILL to the group and reaps the child synchronously. No zombie, no orphan in the group.
//
// Deliberate difference from Go's os/exec as terraform-exec sets it up: no Pdeathsig (posix_spawn
// cannot set it), so if baton itself is killed, a running child runs to its own end.
#include "engine/ports/process.hpp"

namespace baton {

class AsioRuntime;

class AsioProcessPort final : public ProcessPort {
 public:
  // `runtime` must outlive the port; the port must outlive its runs' frames.
  explicit AsioProcessPort(AsioRuntime& runtime) : runtime_(runtime) {}

  Task<ProcessResult> run(ProcessSpec spec, LineSink on_line, std::stop_token stop) override;

 private:
  AsioRuntime& runtime_;
};

}  // namespace baton
