#pragma once
// The infrastructure a task's applies produce: what the checkers compare with the catalog. Each
// task's module is modelled by the keys of the `services` map it was given (one "resource" per
// service instance, "api.node1.dc1"), plus the digest of the inputs that produced it.
//
// An apply changes it one service at a time (additions and removals in key order), so an apply
// cut short leaves it partially updated, as a real one would leave some resources changed and
// others not.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace baton::fakes::terraform {

struct TaskInfrastructure {
  std::set<std::string> services;
  // The inputs digest of the apply that last changed it (complete or not).
  std::string inputs_digest;
  // An apply changed some of it and did not finish: it matches neither its old inputs nor its
  // new ones. Cleared only by an apply that completes.
  bool partial = false;
  std::uint64_t last_apply_id = 0;      // 0: no apply ever changed it
  std::int64_t changed_true_ns = 0;     // when it last changed
};

// One step of an apply's change.
struct ServiceChange {
  std::string key;
  bool add = true;  // false: remove
};

// From `current` to `target`: removals and additions merged in key order. Empty when equal.
std::vector<ServiceChange> changes_between(const std::set<std::string>& current, const std::set<std::string>& target);

void apply_change(std::set<std::string>& services, const ServiceChange& change);

}  // namespace baton::fakes::terraform
