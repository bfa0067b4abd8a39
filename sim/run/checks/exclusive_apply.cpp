// Exclusive apply: no two applies of one task overlap in virtual time, across all instances
// (the Terraform fake's ledger, from the call to its end), counting only the time both were
// active. An instance that is paused is frozen whole, its Terraform with it (a VM pause: the
// fake runs on the instance's node): its apply changes nothing until it resumes, and what it
// does after the resume still counts. Overlaps only through frozen time are shown in the
// summary, not failed: fencing on resume (the lease ran out) is what keeps them harmless.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "sim/run/checks.hpp"

namespace baton::sim::run {

namespace {

using Interval = std::pair<std::int64_t, std::int64_t>;

// Each instance's frozen intervals: from a pause to its resume (or crash, exit, the end).
std::map<std::string, std::vector<Interval>> frozen_intervals(const Timeline& timeline) {
  std::map<std::string, std::vector<Interval>> frozen;
  std::map<std::string, std::int64_t> paused_since;
  for (const FaultRecord& fault : timeline.faults) {
    if (fault.name == "pause") {
      paused_since.emplace(fault.process, fault.at_ns);
    } else if (fault.name == "resume" || fault.name == "crash" || fault.name == "exit") {
      auto since = paused_since.find(fault.process);
      if (since == paused_since.end()) continue;
      frozen[fault.process].emplace_back(since->second, fault.at_ns);
      paused_since.erase(since);
    }
  }
  for (const auto& [process, since] : paused_since) frozen[process].emplace_back(since, timeline.end_ns);
  return frozen;
}

// [from, to) minus the frozen intervals.
std::vector<Interval> active_parts(Interval span, const std::vector<Interval>& frozen) {
  std::vector<Interval> parts{span};
  for (const Interval& cut : frozen) {
    std::vector<Interval> next;
    for (const Interval& part : parts) {
      if (cut.second <= part.first || cut.first >= part.second) {
        next.push_back(part);
        continue;
      }
      if (part.first < cut.first) next.emplace_back(part.first, cut.first);
      if (cut.second < part.second) next.emplace_back(cut.second, part.second);
    }
    parts = std::move(next);
  }
  return parts;
}

bool intersect(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  for (const Interval& x : a) {
    for (const Interval& y : b) {
      if (std::max(x.first, y.first) < std::min(x.second, y.second)) return true;
    }
  }
  return false;
}

}  // namespace

Verdict check_exclusive_apply(const CheckInput& input) {
  const auto& ledger = input.cluster.terraform_world().ledger();
  const std::int64_t now_ns = input.timeline.end_ns;
  const auto frozen = frozen_intervals(input.timeline);
  const auto frozen_of = [&](const std::string& instance) {
    auto found = frozen.find(instance);
    return found == frozen.end() ? std::vector<Interval>{} : found->second;
  };
  Verdict verdict{"exclusive-apply", true, {}, {}};
  int frozen_only = 0;
  for (const fakes::terraform::ApplyOverlap& overlap : ledger.overlaps(fakes::terraform::ApplySpan::call, now_ns)) {
    const auto& a = ledger.at(overlap.first);
    const auto& b = ledger.at(overlap.second);
    const auto active_a = active_parts({a.start_true_ns, a.end_true_ns.value_or(now_ns)}, frozen_of(a.instance));
    const auto active_b = active_parts({b.start_true_ns, b.end_true_ns.value_or(now_ns)}, frozen_of(b.instance));
    if (!intersect(active_a, active_b)) {
      ++frozen_only;
      continue;
    }
    verdict.passed = false;
    verdict.evidence.push_back(fmt::format("task {}: apply #{} by {} [{} .. {}] overlaps apply #{} by {} [{} .. {}]", a.task,
                                           overlap.first, a.instance, seconds_text(a.start_true_ns),
                                           a.ended() ? seconds_text(*a.end_true_ns) : "running", overlap.second, b.instance,
                                           seconds_text(b.start_true_ns), b.ended() ? seconds_text(*b.end_true_ns) : "running"));
  }
  verdict.summary = fmt::format("{} applies, none of one task at once", ledger.records().size());
  if (frozen_only > 0) verdict.summary += fmt::format(" ({} overlapped only while one side was frozen)", frozen_only);
  if (!verdict.passed) verdict.summary = fmt::format("{} overlapping pairs of applies", verdict.evidence.size());
  return verdict;
}

}  // namespace baton::sim::run
