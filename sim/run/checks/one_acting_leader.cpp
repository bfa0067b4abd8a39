// One acting leader: never two instances acting as leader at once. Two ways to break it, both
// checked: two terms whose active spans (paused spans excluded: a frozen process does nothing)
// intersect; and an apply started by an instance that was not the latest to acquire the lock,
// or whose term had ended (a deposed or fenced leader acting).
#include <fmt/format.h>

#include <algorithm>

#include "sim/run/checks.hpp"

namespace baton::sim::run {

namespace {

using Span = std::pair<std::int64_t, std::int64_t>;

// The term's span minus its paused spans.
std::vector<Span> active_spans(const LeaderTermRecord& term, std::int64_t end_ns) {
  std::vector<Span> spans;
  std::int64_t from = term.acquired_ns;
  const std::int64_t until = term.ended_ns.value_or(end_ns);
  for (const auto& [paused_from, paused_until] : term.paused) {
    if (paused_from > from) spans.emplace_back(from, std::min(paused_from, until));
    from = std::max(from, paused_until);
  }
  if (until > from) spans.emplace_back(from, until);
  return spans;
}

}  // namespace

Verdict check_one_acting_leader(const CheckInput& input) {
  const Timeline& timeline = input.timeline;
  Verdict verdict{"one-acting-leader", true, fmt::format("{} terms, never two active at once", timeline.terms.size()), {}};
  for (std::size_t i = 0; i < timeline.terms.size(); ++i) {
    for (std::size_t j = i + 1; j < timeline.terms.size(); ++j) {
      const LeaderTermRecord& a = timeline.terms[i];
      const LeaderTermRecord& b = timeline.terms[j];
      if (a.instance == b.instance) continue;
      for (const Span& x : active_spans(a, timeline.end_ns)) {
        for (const Span& y : active_spans(b, timeline.end_ns)) {
          const std::int64_t from = std::max(x.first, y.first);
          const std::int64_t until = std::min(x.second, y.second);
          if (from >= until) continue;
          verdict.passed = false;
          verdict.evidence.push_back(fmt::format("{} and {} both acted as leader in [{} .. {}] ({} led from {}, {} from {})",
                                                 a.instance, b.instance, seconds_text(from), seconds_text(until), a.instance,
                                                 seconds_text(a.acquired_ns), b.instance, seconds_text(b.acquired_ns)));
        }
      }
    }
  }
  for (const ApplyEvent& apply : timeline.applies) {
    const LeaderTermRecord* latest = nullptr;
    for (const LeaderTermRecord& term : timeline.terms) {
      if (term.acquired_ns <= apply.start_ns) latest = &term;
    }
    const bool by_leader = latest != nullptr && latest->instance == apply.instance &&
                           (!latest->ended_ns || *latest->ended_ns >= apply.start_ns);
    if (by_leader) continue;
    verdict.passed = false;
    verdict.evidence.push_back(fmt::format("{} started an apply of {} at {} while {}", apply.instance, apply.task,
                                           seconds_text(apply.start_ns),
                                           latest == nullptr ? std::string("no instance had acquired the lock")
                                                             : fmt::format("{} held the lock (acquired at {})", latest->instance,
                                                                           seconds_text(latest->acquired_ns))));
  }
  if (!verdict.passed) verdict.summary = fmt::format("{} violations", verdict.evidence.size());
  return verdict;
}

}  // namespace baton::sim::run
