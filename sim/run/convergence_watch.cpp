#include "sim/run/convergence_watch.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "sim/run/checks.hpp"

namespace baton::sim::run {
namespace {

// What one look at the cluster found converged, to compare with the next look.
struct ConvergedLook {
  std::string leader;
  std::size_t applies = 0;  // applies recorded so far, ended or not
};

bool any_apply_running(const fakes::terraform::ApplyLedger& ledger) {
  const auto& records = ledger.records();
  return std::any_of(records.begin(), records.end(),
                     [](const fakes::terraform::ApplyRecord& record) { return !record.end_true_ns; });
}

std::optional<ConvergedLook> look(const ScenarioCluster& cluster) {
  const Instance* leader = cluster.leader();
  if (leader == nullptr || !leader->controller->once_mode_done_in_current_term()) return std::nullopt;
  const fakes::terraform::ApplyLedger& ledger = cluster.terraform_world().ledger();
  if (any_apply_running(ledger)) return std::nullopt;
  if (!compare_infrastructure(cluster, *leader).differences.empty()) return std::nullopt;
  return ConvergedLook{leader->name, ledger.records().size()};
}

}  // namespace

void run_until_converged(ScenarioCluster& cluster, std::int64_t bound_ns) {
  World& world = cluster.world();
  std::optional<ConvergedLook> previous;
  while (world.now_ns() < bound_ns) {
    world.run_until(std::min(bound_ns, world.now_ns() + kConvergencePollNs));
    const std::optional<ConvergedLook> now = look(cluster);
    if (now && previous && now->leader == previous->leader && now->applies == previous->applies) return;
    previous = now;
  }
}

}  // namespace baton::sim::run
