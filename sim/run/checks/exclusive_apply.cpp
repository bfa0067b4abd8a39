// Exclusive apply: no two applies of one task overlap in virtual time, across all instances
// (the Terraform fake's ledger, from the call to its end), counting only the time both were
// active. An instance that is paused is frozen whole, its Terraform with it (a VM pause: the
// fake runs on the instance's node): its apply changes nothing until it resumes.
//
// One overlap is a limit, not a bug, and is reported as such: an apply frozen mid-change that
// resumes while the next leader applies. On resume the engine fences at once (the lease ran out
// while it slept) and interrupts Terraform, but the change Terraform was making when the host
// froze completes first, and Terraform is killed only kill_grace (10 s) after the interrupt if
// it does not stop. No engine can take back a change already under way in another process;
// Terraform's state CAS makes one of the two state writes fail, and the next apply corrects the
// infrastructure (the converged check). So an overlap whose active part lies within kill_grace
// after the frozen side's resume is counted in the summary, with the evidence, as that limit.
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

// True when every moment both were active lies within kill_grace after a resume of `frozen_side`
// that ended a pause its apply was caught in.
bool resumed_mid_apply(const std::vector<Interval>& active_both, const std::vector<Interval>& frozen_side, std::int64_t apply_start_ns,
                       std::int64_t kill_grace_ns) {
  for (const Interval& both : active_both) {
    bool explained = false;
    for (const Interval& pause : frozen_side) {
      if (pause.first < apply_start_ns) continue;  // the apply started after this pause ended, or during an earlier one
      if (both.first >= pause.second && both.second <= pause.second + kill_grace_ns) explained = true;
    }
    if (!explained) return false;
  }
  return true;
}

std::vector<Interval> intersection(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  std::vector<Interval> both;
  for (const Interval& x : a) {
    for (const Interval& y : b) {
      const std::int64_t from = std::max(x.first, y.first);
      const std::int64_t to = std::min(x.second, y.second);
      if (from < to) both.emplace_back(from, to);
    }
  }
  return both;
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
  // The fake kills an interrupted apply this long after the interrupt (every instance's is the same).
  const std::int64_t kill_grace_ns =
      input.cluster.instances().empty() ? 0 : input.cluster.instances().front()->terraform.options().kill_grace_ms * 1'000'000;
  int frozen_only = 0;
  std::vector<std::string> limits;
  for (const fakes::terraform::ApplyOverlap& overlap : ledger.overlaps(fakes::terraform::ApplySpan::call, now_ns)) {
    const auto& a = ledger.at(overlap.first);
    const auto& b = ledger.at(overlap.second);
    const auto active_a = active_parts({a.start_true_ns, a.end_true_ns.value_or(now_ns)}, frozen_of(a.instance));
    const auto active_b = active_parts({b.start_true_ns, b.end_true_ns.value_or(now_ns)}, frozen_of(b.instance));
    const std::vector<Interval> both = intersection(active_a, active_b);
    if (both.empty()) {
      ++frozen_only;
      continue;
    }
    if (resumed_mid_apply(both, frozen_of(a.instance), a.start_true_ns, kill_grace_ns) ||
        resumed_mid_apply(both, frozen_of(b.instance), b.start_true_ns, kill_grace_ns)) {
      limits.push_back(fmt::format("task {}: apply #{} by {} and #{} by {} overlapped for {} after a frozen side resumed mid-apply",
                                   a.task, overlap.first, a.instance, overlap.second, b.instance,
                                   seconds_text(both.back().second - both.front().first)));
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
  if (!limits.empty()) verdict.summary += fmt::format("; limit: {}", fmt::join(limits, "; "));
  if (!verdict.passed) verdict.summary = fmt::format("{} overlapping pairs of applies", verdict.evidence.size());
  return verdict;
}

}  // namespace baton::sim::run
