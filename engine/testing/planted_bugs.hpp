#pragma once
// Bugs the engine can be told to have, so that the simulator's checkers can be shown catching
// each kind of failure with evidence (tests/sim/planted_bugs_test.cpp, `planted_bugs:` in a
// scenario). Every field is false in production: baton's main never sets one, and a scenario
// that sets one says so in its report.
namespace baton {

struct PlantedBugs {
  // ha: a leader whose lease ran out (no renewal for a session TTL) keeps leading and acting,
  // instead of fencing itself before Consul can give the lock away.
  bool skip_fencing = false;
  // tasks: a promotion does not run every task once; tasks wait for the next change.
  bool skip_once_mode = false;
  // tasks: a change that arrives while the task runs is dropped instead of queueing a rerun.
  bool drop_changes_during_run = false;
  // tasks: each change's run starts when its buffer period ends, beside a run still applying,
  // instead of after it (CTS PR 741's queue missing).
  bool concurrent_runs = false;
  // controller: task changes made through the API take effect but are never stored, so the
  // next leader does not see them.
  bool skip_storing_task_changes = false;

  bool any() const { return skip_fencing || skip_once_mode || drop_changes_during_run || concurrent_runs || skip_storing_task_changes; }
};

}  // namespace baton
