#pragma once
// ApplyLedger: every `terraform apply` any instance ran, on the world's true virtual time, for
// the simulator's checkers (exclusive apply, convergence) and reports. Written by FakeTerraform,
// read by checkers; it lives outside every simulated process, so a crash cannot lose an entry.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace baton::fakes::terraform {

enum class ApplyOutcome {
  running,                      // not ended yet
  succeeded,                    // every change made, state saved, lock released
  failed_before_change,         // an error before any change (injected, missing inputs, Consul)
  failed_after_partial_change,  // an error after some changes (injected); infrastructure partial
  failed_after_change,          // every change made, then an error (state not saved, unlock failed)
  cancelled,                    // stopped through its stop token; lock released
  lock_refused,                 // the state lock was held by another (or in its lock-delay)
  crashed,                      // the instance died mid-apply; its lock stays held in Consul
  abandoned,                    // its coroutine was destroyed without a crash (a torn-down scope)
  killed,                       // still running kill_grace after its interrupt: SIGKILL; lock stays held
};
const char* to_string(ApplyOutcome outcome);

// How much of its change an apply made to the infrastructure.
enum class ChangeExtent { none, partial, complete };
const char* to_string(ChangeExtent extent);

using ApplyId = std::uint64_t;

struct ApplyRecord {
  ApplyId id = 0;
  std::string instance;   // the node that ran it
  std::string task;
  std::string workspace;
  std::string state_path;  // the workspace's state key in Consul
  std::int64_t start_true_ns = 0;
  // When it took the workspace's state lock for the apply itself; nullopt: it never did.
  std::optional<std::int64_t> locked_true_ns;
  std::optional<std::int64_t> end_true_ns;  // nullopt while running
  std::string inputs_digest;                // of the working directory files it read
  std::vector<std::string> services;        // the `services` keys it applied, sorted
  std::string lease_token;                  // from the instance's lease source; empty: none
  ApplyOutcome outcome = ApplyOutcome::running;
  ChangeExtent change = ChangeExtent::none;
  std::string error;  // the StepResult's error text

  bool ended() const { return end_true_ns.has_value(); }
};

// Which part of an apply counts when asking whether two overlapped.
enum class ApplySpan {
  call,    // from the call to its end: the engine asked for two applies at once
  locked,  // from taking the state lock to the end: two applies could change things at once
};

struct ApplyOverlap {
  ApplyId first = 0;
  ApplyId second = 0;
};

class ApplyLedger {
 public:
  // Opens a record (its id and outcome are set here); the id names it from now on.
  ApplyId begin(ApplyRecord record);
  ApplyRecord& at(ApplyId id);
  const ApplyRecord& at(ApplyId id) const;
  // Closes a running record.
  void finish(ApplyId id, ApplyOutcome outcome, std::int64_t end_true_ns);

  const std::vector<ApplyRecord>& records() const { return records_; }
  std::vector<const ApplyRecord*> of_task(const std::string& task) const;

  // Pairs of applies of one task whose spans intersect in true time (a running apply extends
  // to `now_true_ns`; spans that only touch do not intersect). Empty: no apply twice at once.
  std::vector<ApplyOverlap> overlaps(ApplySpan span, std::int64_t now_true_ns) const;

 private:
  std::vector<ApplyRecord> records_;  // index = id - 1
};

}  // namespace baton::fakes::terraform
