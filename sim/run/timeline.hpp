#pragma once
// What mattered in a run, read back from the World's trace (never from the engine's memory):
// the faults the scenario caused, each instance's terms of leadership with their phases
// (acquired, once-mode done, ended and why), the sessions Consul expired, and the applies.
// The checkers (checks.hpp) and both outputs (console, HTML report) work from this.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/runtime/trace.hpp"

namespace baton::sim::run {

// One stretch of leadership of one instance, as its log lines and faults tell it.
struct LeaderTermRecord {
  std::string instance;
  std::int64_t acquired_ns = 0;
  std::optional<std::int64_t> once_mode_done_ns;
  std::optional<std::int64_t> ended_ns;  // none: it still leads at the end of the run
  std::string end_reason;                // "released", "lease expired", "lost the lock", "crash", "exit"
  // Spans in which its process was paused (it could not act), [start, end) in true time.
  std::vector<std::pair<std::int64_t, std::int64_t>> paused;
};

struct FaultRecord {
  std::int64_t at_ns = 0;
  std::string process;  // node name, or "" for the network
  std::string name;     // crash, restart, pause, resume, exit, net.isolate, wall_clock_step...
  std::string detail;
};

struct SessionExpiry {
  std::int64_t at_ns = 0;
  std::string server;
  std::string session_name;  // "baton-<cluster>-<instance>"
};

struct ApplyEvent {
  std::int64_t start_ns = 0;
  std::optional<std::int64_t> end_ns;
  std::string instance;
  std::string task;
  std::string outcome;  // from the fake: succeeded, failed..., crashed, abandoned, cancelled
};

struct LogLine {
  std::int64_t at_ns = 0;
  std::string process;
  std::string level;
  std::string text;
};

struct Timeline {
  std::vector<LeaderTermRecord> terms;  // in order of acquisition
  std::vector<FaultRecord> faults;
  std::vector<SessionExpiry> session_expiries;
  std::vector<ApplyEvent> applies;
  std::vector<LogLine> logs;            // every log line of every process
  std::int64_t end_ns = 0;
};

// Reads `records` (the World's trace, records kept). `instances` are the engine instances'
// process names; everything else (Consul servers, agents) is infrastructure.
Timeline build_timeline(const std::vector<TraceRecord>& records, const std::set<std::string>& instances, std::int64_t end_ns);

// The instance name a session belongs to, from its name "baton-<cluster>-<instance>".
std::string session_owner(const std::string& session_name, const std::set<std::string>& instances);

}  // namespace baton::sim::run
