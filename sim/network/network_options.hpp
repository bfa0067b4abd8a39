#pragma once
// The knobs of the simulated network: what one directed link does to the messages it carries.
#include <cstdint>

namespace baton::sim {

// One direction of one link (from -> to). Latencies are in microseconds rather than
// milliseconds because LAN round trips between Consul servers are well under a millisecond.
struct LinkOptions {
  // One-way latency, drawn uniformly in [latency_us_min, latency_us_max] from the World's Rng
  // for every message. Messages may overtake each other when the range is wide.
  std::int64_t latency_us_min = 200;
  std::int64_t latency_us_max = 1000;
  // Chance, in percent (0..100), that a message is silently lost. Drawn per message.
  std::uint32_t loss_percent = 0;
};

struct NetworkOptions {
  // What every link does until set_link() says otherwise.
  LinkOptions default_link;
};

}  // namespace baton::sim
