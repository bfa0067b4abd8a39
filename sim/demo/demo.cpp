#include "sim/demo/demo.hpp"

#include <chrono>

#include "engine/async/wait.hpp"
#include "sim/runtime/sim_log.hpp"

namespace baton::sim {
namespace {

using namespace std::chrono_literals;
constexpr std::int64_t kSecondNs = 1'000'000'000;

Task<void> heartbeat(Node& node, Logger log, std::uint64_t& heartbeats) {
  log.info("started", "incarnation", node.incarnation());
  for (std::uint64_t beat = 1;; ++beat) {
    co_await sleep_for(node, node.rng().between(Duration(1s), Duration(3s)));
    ++heartbeats;
    log.info("heartbeat", "n", beat);
  }
}

}  // namespace

DemoResult run_demo(const DemoOptions& options) {
  World world(WorldOptions{.seed = options.seed});
  SimLog logs(world, SimLogOptions{.out = options.log_out});
  std::uint64_t heartbeats = 0;

  for (const char* name : {"cts-01", "cts-02", "cts-03"}) {
    Node& node = world.add_node(NodeOptions{.name = name});
    Logger log = logs.logger_for(node).named("demo");
    node.start([log, &heartbeats](Node& self) { return heartbeat(self, log, heartbeats); });
  }
  Node& first = *world.find_node("cts-01");
  Node& second = *world.find_node("cts-02");
  Node& third = *world.find_node("cts-03");

  world.schedule_at(5 * kSecondNs, [&] { first.crash(); });
  world.schedule_at(8 * kSecondNs, [&] { second.pause(); });
  world.schedule_at(9 * kSecondNs, [&] { third.set_drift_ppm(200'000); });
  world.schedule_at(12 * kSecondNs, [&] { second.resume(); });
  world.schedule_at(14 * kSecondNs, [&] { third.step_wall_clock(-3 * kSecondNs); });
  world.schedule_at(15 * kSecondNs, [&] { first.restart(); });
  world.run_until(options.duration_s * kSecondNs);

  return DemoResult{world.trace().digest_hex(), world.trace().count(), world.events_run(), heartbeats};
}

}  // namespace baton::sim
