#pragma once
// An online checker of Raft's safety properties, after hashicorp/raft's fuzzy/verifier.go: it
// is told of every election won, every command applied and every proposal acknowledged while
// the run goes on, and notes a violation the moment one happens (with the virtual time), so a
// failing run says where it went wrong rather than only that the end state is off.
//
//   Election Safety       at most one leader per term.
//   Leader Completeness   a new leader's log holds every entry acknowledged as committed.
//   State Machine Safety  no two servers apply different commands at one index, and each
//                         server applies in increasing index order.
//   Durability            acknowledged entries stay in the logs checked with check_log().
#include <fmt/format.h>

#include <any>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fakes/consul/raft/durable_state.hpp"

namespace baton::test {

class RaftSafetyChecker {
 public:
  using ServerId = fakes::consul::raft::ServerId;
  using RaftDurableState = fakes::consul::raft::RaftDurableState;

  void leader_elected(std::int64_t at_ns, std::uint64_t term, const ServerId& id, const RaftDurableState& log) {
    const auto [known, inserted] = leaders_.emplace(term, id);
    if (!inserted && known->second != id) {
      violation(at_ns, fmt::format("two leaders in term {}: {} and {}", term, known->second, id));
    }
    for (const auto& [index, command] : committed_) {
      if (!holds(log, index, command)) {
        violation(at_ns, fmt::format("leader {} of term {} lacks committed entry {} ({})", id, term, index, command));
      }
    }
  }

  // `incarnation` tells a restarted server's replay from a step back in the same process.
  void applied(std::int64_t at_ns, const ServerId& id, std::uint32_t incarnation, std::uint64_t index,
               const std::string& command) {
    auto& [last_incarnation, last_index] = last_applied_[id];
    if (last_incarnation == incarnation && index <= last_index) {
      violation(at_ns, fmt::format("{} applied index {} after {}", id, index, last_index));
    }
    last_incarnation = incarnation;
    last_index = index;
    const auto [known, inserted] = applied_.emplace(index, command);
    if (!inserted && known->second != command) {
      violation(at_ns, fmt::format("index {} applied as '{}' and as '{}' (on {})", index, known->second, command, id));
    }
  }

  // The state machine of `id` was emptied to take a snapshot: it replays from the start.
  void reset(const ServerId& id, std::uint32_t incarnation) { last_applied_[id] = {incarnation, 0}; }

  // A proposal came back successful: `command` is committed at `index`.
  void committed(std::int64_t at_ns, std::uint64_t index, const std::string& command) {
    const auto [known, inserted] = committed_.emplace(index, command);
    if (!inserted && known->second != command) {
      violation(at_ns, fmt::format("index {} acknowledged as '{}' and as '{}'", index, known->second, command));
    }
  }

  void check_log(std::int64_t at_ns, const ServerId& id, const RaftDurableState& log) {
    for (const auto& [index, command] : committed_) {
      if (!holds(log, index, command)) {
        violation(at_ns, fmt::format("{} lost committed entry {} ({})", id, index, command));
      }
    }
  }

  // After recover_cluster, entries that were never committed may be, and others dropped: the
  // guarantees restart from what the recovered cluster agrees on (consul-lock-failure-modes.md
  // item 24). Acknowledged entries are still checked.
  void forget_applied() {
    applied_.clear();
    last_applied_.clear();
  }

  const std::vector<std::string>& violations() const { return violations_; }
  const std::map<std::uint64_t, ServerId>& leaders_by_term() const { return leaders_; }
  const std::map<std::uint64_t, std::string>& committed_entries() const { return committed_; }

  std::string report() const {
    std::string text;
    for (const std::string& line : violations_) text += line + "\n";
    return text;
  }

 private:
  static bool holds(const RaftDurableState& log, std::uint64_t index, const std::string& command);

  void violation(std::int64_t at_ns, std::string what) {
    violations_.push_back(fmt::format("t={}ms: {}", at_ns / 1'000'000, std::move(what)));
  }

  std::map<std::uint64_t, ServerId> leaders_;          // term -> leader
  std::map<std::uint64_t, std::string> applied_;       // index -> command, over all servers
  std::map<std::uint64_t, std::string> committed_;     // acknowledged to a proposer
  std::map<ServerId, std::pair<std::uint32_t, std::uint64_t>> last_applied_;  // (incarnation, index)
  std::vector<std::string> violations_;
};

inline bool RaftSafetyChecker::holds(const RaftDurableState& log, std::uint64_t index, const std::string& command) {
  const fakes::consul::raft::LogEntry* entry = log.entry(index);
  if (entry == nullptr || entry->kind != fakes::consul::raft::EntryKind::command) return false;
  const auto* text = std::any_cast<std::string>(entry->command.get());
  return text != nullptr && *text == command;
}

}  // namespace baton::test
