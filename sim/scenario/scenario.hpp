#pragma once
// A scenario: what `sim run FILE` reads (scenarios/README.md documents the language). It sets up
// a Consul cluster, several baton instances with the very HCL configuration the production
// binary reads, and the Terraform fake; scripts a timeline of workload and faults; and states
// what must hold. This is the parsed form; scenario_parser.hpp reads it from YAML, and every
// element keeps where it was written so that errors and the timeline can point at it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/testing/planted_bugs.hpp"

namespace baton::sim::scenario {

// Where something was written: "scenarios/leader-crash.yaml:12:5".
struct SourceRef {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

// A length of virtual time: fixed ("30s", "250ms", "2m", "1h") or a multiple of the cluster's
// session TTL ("1.5x session_ttl"), resolved once the configuration is known.
struct DurationSpec {
  std::int64_t ns = 0;
  double ttl_multiple = 0;  // used when relative_to_ttl
  bool relative_to_ttl = false;
  std::int64_t resolve_ns(std::int64_t session_ttl_ns) const {
    return relative_to_ttl ? static_cast<std::int64_t>(ttl_multiple * static_cast<double>(session_ttl_ns)) : ns;
  }
};

// "1ms..5ms": uniformly drawn in [min, max]; a single value is min == max.
struct DurationRange {
  DurationSpec min;
  DurationSpec max;
};

struct ConsulSpec {
  int servers = 3;
  int bootstrap_expect = 3;           // 0: -bootstrap on the first server
  std::string profile = "modern";     // "modern" or "legacy" (fakes/consul: ConsulProfile)
  int raft_multiplier = 5;            // Consul's raft_multiplier (its default, 5; 1 for fast LANs)
  // Consul expires a session this many TTLs after its last renewal (structs.SessionTTLMultiplier,
  // 2). Anything else is a fake Consul that is wrong on purpose, to show the checkers catching it.
  int session_ttl_multiplier = 2;
};

struct NetworkSpec {
  DurationRange latency{{1'000'000}, {5'000'000}};  // one way, per message
  double loss = 0;                                  // probability a message is dropped, [0, 1)
};

struct EngineSpec {
  int instances = 3;                  // named cts-01, cts-02, ...
  std::string config_hcl;             // `config: |` inline HCL, or the text read from `config_file`
  std::string config_name;            // for errors in it: "<scenario>.yaml:<line>" (of the `config` key) or the path
  SourceRef config_at;
  // Where the HCL text's first line starts: for `config: |`, the line after the `|` and the
  // block's indentation, so that HCL line L, column C is scenario line config_text_at.line + L - 1,
  // column config_text_at.column + C - 1 (exact for literal blocks); for `config_file`, {path, 1, 1}.
  SourceRef config_text_at;
  // Per-instance start flags, by instance name: reset_storage. Others start plainly.
  std::map<std::string, bool> reset_storage;
};

// Terraform failure injection, as the fake models it (fakes/terraform/failure_script.hpp).
struct TerraformFailure {
  std::string task;                   // empty: every task
  std::string command = "apply";      // "apply", "init", "validate", "plan"
  int times = 0;                      // 0: every call from then on
  std::string message = "injected failure";  // Terraform's summary; the fake prints "Error: " before it
  std::string instance;               // an instance's name ("cts-02"); empty: every instance
  // How it fails (fakes/terraform FailureMode): "error" (before changing anything), "partial"
  // (after part of the change: the infrastructure is partly updated; apply only), "hang" (never
  // returns until cancelled).
  std::string mode = "error";
};

struct TerraformSpec {
  DurationRange apply_time{{2'000'000'000}, {6'000'000'000}};
  DurationRange init_time{{100'000'000}, {500'000'000}};
  std::vector<TerraformFailure> failures;  // from the start
};

// Which process a step acts on.
struct Target {
  enum class Kind { instance, consul_server };
  enum class Select { leader, follower, name, all };
  Kind kind = Kind::instance;
  Select select = Select::name;
  std::string name;  // when select == name: "cts-02", "consul-1"
};

// The steps of the timeline. Each names what it does; SourceRef and timing are in Step.
struct Register {
  std::string service;
  std::string id;        // default: the service name
  std::string address;
  int port = 0;
  std::vector<std::string> tags;
  std::map<std::string, std::string> meta;
  std::string node = "node-1";  // the Consul agent (host) it is registered on
  std::string status = "passing";  // its check's initial status
};
struct Deregister {
  std::string id;
};
struct SetCheck {
  std::string id;        // the service instance id
  std::string status;    // passing, warning, critical
};
struct KvPut {
  std::string key;
  std::string value;
};
struct KvDelete {
  std::string key;
  bool recurse = false;
};
struct Crash {
  Target target;
};
struct Restart {
  Target target;
  std::optional<bool> reset_storage;      // instance: start with -reset-storage (or not)
  std::optional<int> bootstrap_expect;    // consul server: restart with this flag
  // instance: its configuration from this restart on (an operator edited its file), HCL; where
  // the text starts in the scenario file, for errors in it.
  std::optional<std::string> config_hcl;
  SourceRef config_text_at;
};
struct Stop {  // graceful: an instance releases leadership (SIGTERM); a server leaves
  Target target;
};
struct Pause {
  Target target;
};
struct Resume {
  Target target;
};
struct Partition {
  Target target;                          // isolate it from everything...
  std::optional<Target> from;             // ...or only from this one (a link)
  bool from_consul = false;               // instance: cut from every Consul server and agent, not from other instances
  bool from_instances = false;            // instance: cut from the other instances only
};
struct Heal {
  std::optional<Target> target;           // none: every partition heals
};
struct ClockSkew {
  Target target;
  std::int64_t offset_ns = 0;             // the wall clock steps by this (may be negative)
};
struct ClockDrift {
  Target target;
  std::int64_t drift_ppm = 0;
};
struct ApiCall {
  enum class Op { create, remove, enable, disable };
  Op op = Op::create;
  std::string task;                       // its name
  std::string task_hcl;                   // create: the task block, in HCL
};
struct TerraformFail {
  TerraformFailure failure;
};
struct TerraformRecover {
  std::string task;                       // empty: every task
};
struct WritePeersJson {
  Target server;
  std::vector<std::string> peers;         // server names
};
struct WaitUntil {
  enum class Condition { leader_elected, task_applied, consul_leader, once_mode_done, no_leader };
  Condition condition = Condition::leader_elected;
  std::string task;                       // task_applied
  DurationSpec timeout{600'000'000'000};  // failing the scenario when it passes
};
struct RunFor {
  DurationSpec duration;
};

using Action = std::variant<Register, Deregister, SetCheck, KvPut, KvDelete, Crash, Restart, Stop, Pause, Resume, Partition,
                            Heal, ClockSkew, ClockDrift, ApiCall, TerraformFail, TerraformRecover, WritePeersJson, WaitUntil,
                            RunFor>;

struct Step {
  SourceRef at_source;
  // When it happens: `at: 30s` (since the start), `at: +10s` (after the previous step), or
  // neither (right after the previous step).
  std::optional<DurationSpec> at;
  bool at_is_relative = false;
  Action action;
};

// What must hold. Unset fields are not checked.
struct FailoverExpectation {
  DurationSpec min{0, 1.0, true};
  DurationSpec max{0, 2.0, true};
  DurationSpec slack{1'000'000'000};
};

struct Expectations {
  std::optional<FailoverExpectation> failover;
  // Names from DESIGN.md: exclusive-apply, one-acting-leader, failover-bound, converged,
  // persistence, once-mode.
  std::vector<std::string> invariants;
  std::optional<int> leader_changes;       // exact count of leadership transfers after the first election
  std::map<std::string, std::vector<std::string>> final_infrastructure;  // task -> service instance ids
  std::vector<std::string> log_contains;   // substrings some log line must contain
  std::vector<std::string> log_absent;     // substrings no log line may contain
  DurationSpec convergence{60'000'000'000};  // after the last step, how long to converge
  // End the run once the cluster has converged and stayed quiet (sim/run/convergence_watch.hpp)
  // instead of after the whole convergence bound.
  bool stop_when_converged = false;
  std::string limit;                        // a limit this scenario documents (free text, shown in the verdict)
  SourceRef at_source;
};

struct Scenario {
  std::string file;
  // Bugs planted in every instance's engine (engine/testing/planted_bugs.hpp), to show the
  // checkers catching them; `planted_bugs:` in YAML. None in ordinary scenarios.
  PlantedBugs bugs;
  std::string name;
  std::string about;
  std::uint64_t seed = 1;               // overridden by --seed
  DurationSpec duration{0};             // 0: until the last step, then the convergence bound
  ConsulSpec consul;
  NetworkSpec network;
  EngineSpec engine;
  TerraformSpec terraform;
  std::vector<Step> steps;
  // `step_errors: continue`: a step that cannot be done (its target selects nothing, the API
  // has no leader to go to, a wait times out) is recorded as skipped and the timeline goes on,
  // as an operator's script that ignores a failed command would. Random fault schedules (sim
  // swarm) need it: whether "the leader" exists at a given instant is what they explore.
  // Default `stop`: the scenario fails at that step.
  bool continue_after_step_errors = false;
  Expectations expect;
};

}  // namespace baton::sim::scenario
