#include "fakes/terraform/apply_ledger.hpp"

#include <algorithm>
#include <cassert>

namespace baton::fakes::terraform {

const char* to_string(ApplyOutcome outcome) {
  switch (outcome) {
    case ApplyOutcome::running: return "running";
    case ApplyOutcome::succeeded: return "succeeded";
    case ApplyOutcome::failed_before_change: return "failed_before_change";
    case ApplyOutcome::failed_after_partial_change: return "failed_after_partial_change";
    case ApplyOutcome::failed_after_change: return "failed_after_change";
    case ApplyOutcome::cancelled: return "cancelled";
    case ApplyOutcome::lock_refused: return "lock_refused";
    case ApplyOutcome::crashed: return "crashed";
    case ApplyOutcome::abandoned: return "abandoned";
    case ApplyOutcome::killed: return "killed";
  }
  return "unknown";
}

const char* to_string(ChangeExtent extent) {
  switch (extent) {
    case ChangeExtent::none: return "none";
    case ChangeExtent::partial: return "partial";
    case ChangeExtent::complete: return "complete";
  }
  return "unknown";
}

ApplyId ApplyLedger::begin(ApplyRecord record) {
  record.id = records_.size() + 1;
  record.outcome = ApplyOutcome::running;
  record.end_true_ns.reset();
  records_.push_back(std::move(record));
  return records_.back().id;
}

ApplyRecord& ApplyLedger::at(ApplyId id) {
  assert(id >= 1 && id <= records_.size());
  return records_[id - 1];
}

const ApplyRecord& ApplyLedger::at(ApplyId id) const {
  assert(id >= 1 && id <= records_.size());
  return records_[id - 1];
}

void ApplyLedger::finish(ApplyId id, ApplyOutcome outcome, std::int64_t end_true_ns) {
  ApplyRecord& record = at(id);
  assert(!record.ended() && "an apply ends once");
  assert(outcome != ApplyOutcome::running);
  assert(end_true_ns >= record.start_true_ns);
  record.outcome = outcome;
  record.end_true_ns = end_true_ns;
}

std::vector<const ApplyRecord*> ApplyLedger::of_task(const std::string& task) const {
  std::vector<const ApplyRecord*> found;
  for (const ApplyRecord& record : records_) {
    if (record.task == task) found.push_back(&record);
  }
  return found;
}

std::vector<ApplyOverlap> ApplyLedger::overlaps(ApplySpan span, std::int64_t now_true_ns) const {
  struct Interval {
    ApplyId id;
    const std::string* task;
    std::int64_t begin_ns;
    std::int64_t end_ns;
  };
  std::vector<Interval> intervals;
  for (const ApplyRecord& record : records_) {
    std::optional<std::int64_t> begin = record.start_true_ns;
    if (span == ApplySpan::locked) begin = record.locked_true_ns;
    if (!begin) continue;
    intervals.push_back({record.id, &record.task, *begin, record.end_true_ns.value_or(now_true_ns)});
  }
  // By task, then by start: each interval meets only the ones starting before it ends.
  std::sort(intervals.begin(), intervals.end(), [](const Interval& a, const Interval& b) {
    if (*a.task != *b.task) return *a.task < *b.task;
    return a.begin_ns != b.begin_ns ? a.begin_ns < b.begin_ns : a.id < b.id;
  });
  std::vector<ApplyOverlap> found;
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const Interval& a = intervals[i];
    for (std::size_t j = i + 1; j < intervals.size() && *intervals[j].task == *a.task; ++j) {
      const Interval& b = intervals[j];
      if (b.begin_ns >= a.end_ns) break;
      if (a.begin_ns < b.end_ns) found.push_back({std::min(a.id, b.id), std::max(a.id, b.id)});
    }
  }
  return found;
}

}  // namespace baton::fakes::terraform
