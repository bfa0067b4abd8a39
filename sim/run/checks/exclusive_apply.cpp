// Exclusive apply: no two applies of one task overlap in virtual time, across all instances
// (the Terraform fake's ledger, from the call to its end).
#include <fmt/format.h>

#include "sim/run/checks.hpp"

namespace baton::sim::run {

Verdict check_exclusive_apply(const CheckInput& input) {
  const auto& ledger = input.cluster.terraform_world().ledger();
  const std::int64_t now_ns = input.timeline.end_ns;
  Verdict verdict{"exclusive-apply", true, fmt::format("{} applies, none of one task at once", ledger.records().size()), {}};
  for (const fakes::terraform::ApplyOverlap& overlap : ledger.overlaps(fakes::terraform::ApplySpan::call, now_ns)) {
    const auto& a = ledger.at(overlap.first);
    const auto& b = ledger.at(overlap.second);
    verdict.passed = false;
    verdict.evidence.push_back(fmt::format("task {}: apply #{} by {} [{} .. {}] overlaps apply #{} by {} [{} .. {}]", a.task,
                                           overlap.first, a.instance, seconds_text(a.start_true_ns),
                                           a.ended() ? seconds_text(*a.end_true_ns) : "running", overlap.second, b.instance,
                                           seconds_text(b.start_true_ns), b.ended() ? seconds_text(*b.end_true_ns) : "running"));
  }
  if (!verdict.passed) verdict.summary = fmt::format("{} overlapping pairs of applies", verdict.evidence.size());
  return verdict;
}

}  // namespace baton::sim::run
