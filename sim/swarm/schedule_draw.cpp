#include "sim/swarm/schedule_draw.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/random/rng.hpp"

namespace baton::sim::swarm {

namespace {

constexpr std::int64_t kMsNs = 1'000'000;
constexpr std::int64_t kSecondNs = 1'000'000'000;
constexpr std::int64_t kTenthNs = kSecondNs / 10;

template <class T>
const T& pick(Rng& rng, const std::vector<T>& choices) {
  return choices[rng.below(choices.size())];
}

bool episodic(FaultKind kind) { return kind != FaultKind::link && kind != FaultKind::slow_apply; }

std::vector<FaultKind> draw_mix(Rng& rng, const std::vector<FaultKind>& allowed) {
  std::vector<FaultKind> enabled;
  for (FaultKind kind : allowed) {
    if (rng.chance_percent(50)) enabled.push_back(kind);
  }
  if (enabled.empty() && !allowed.empty()) enabled.push_back(allowed[rng.below(allowed.size())]);
  return enabled;
}

std::int64_t draw_amount(Rng& rng, const Episode& episode) {
  switch (episode.kind) {
    case FaultKind::clock:
      // A wall-clock step of up to two minutes either way, or a drift of up to 500 ppm (a bad
      // crystal; NTP keeps real ones within ~100).
      return episode.variant % 2 == 0 ? rng.between(-120'000, 120'000) : rng.between(-500, 500);
    case FaultKind::terraform: return rng.between(0, 3);
    default: return 0;
  }
}

}  // namespace

std::string DrawnSchedule::mix_text() const {
  const double hold_ttl = session_ttl_ns > 0 ? static_cast<double>(hold_max_ns) / static_cast<double>(session_ttl_ns) : 0;
  return fmt::format("{}; a fault every ~{}s, held up to {:.1f}x TTL", fault_list_text(enabled), mean_gap_ns / kSecondNs, hold_ttl);
}

DrawnSchedule draw_schedule(const SwarmBase& base, std::uint64_t seed, const DrawOptions& options) {
  Rng rng(seed ^ 0x5357'4152'4d00'0000ULL);  // "SWARM": apart from the run's own streams of the same seed
  DrawnSchedule drawn;
  drawn.session_ttl_ns = base.session_ttl_ns;
  drawn.enabled = draw_mix(rng, options.allowed);
  drawn.mean_gap_ns = pick(rng, std::vector<std::int64_t>{5 * kSecondNs, 15 * kSecondNs, 45 * kSecondNs});
  drawn.hold_max_ns = base.session_ttl_ns * pick(rng, std::vector<std::int64_t>{1, 3, 6});
  FaultSchedule& schedule = drawn.schedule;
  schedule.heal_at_ns = options.heal_at_ns;
  const auto on = [&](FaultKind kind) { return std::find(drawn.enabled.begin(), drawn.enabled.end(), kind) != drawn.enabled.end(); };
  if (on(FaultKind::link)) {
    scenario::NetworkSpec network;
    // Latency only. The simulated network drops whole messages, and every link a baton cluster
    // uses (HTTP to the agent, the agents' and servers' RPC, Raft) is TCP, which would
    // retransmit: a dropped renewal would cost a leadership that real packet loss does not
    // (it costs latency). Loss stays for the scripted scenarios that mean it.
    network.latency = {{1 * kMsNs}, {pick(rng, std::vector<std::int64_t>{10, 20, 50}) * kMsNs}};
    schedule.network = network;
  }
  if (on(FaultKind::slow_apply)) schedule.apply_time = scenario::DurationRange{{10 * kSecondNs}, {30 * kSecondNs}};

  std::vector<FaultKind> episode_kinds;
  std::copy_if(drawn.enabled.begin(), drawn.enabled.end(), std::back_inserter(episode_kinds), episodic);
  if (episode_kinds.empty()) return drawn;
  std::int64_t at_ns = options.warmup_ns;
  while (true) {
    // Whole tenths of a second: written out (sim shrink), the times read as people write them.
    at_ns += rng.between(0, 2 * drawn.mean_gap_ns / kTenthNs) * kTenthNs;
    if (at_ns >= options.heal_at_ns) break;
    Episode episode;
    episode.kind = pick(rng, episode_kinds);
    episode.start_ns = at_ns;
    episode.hold_ns = rng.between(1, drawn.hold_max_ns / kTenthNs) * kTenthNs;
    episode.target = static_cast<std::uint32_t>(rng.next_u64());
    episode.variant = static_cast<std::uint32_t>(rng.next_u64());
    episode.amount = draw_amount(rng, episode);
    schedule.episodes.push_back(episode);
  }
  return drawn;
}

}  // namespace baton::sim::swarm
