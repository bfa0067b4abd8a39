#include "sim/swarm/schedule_scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "fakes/terraform/backend_constants.hpp"
#include "fakes/terraform/options.hpp"

namespace baton::sim::swarm {

namespace {

using scenario::Target;

constexpr std::int64_t kSecondNs = 1'000'000'000;

Target instance_target(std::size_t index) {
  return Target{Target::Kind::instance, Target::Select::name, fmt::format("cts-{:02}", index + 1)};
}
Target server_target(std::size_t index) {
  return Target{Target::Kind::consul_server, Target::Select::name, fmt::format("consul-{}", index + 1)};
}

// Turns episodes into timed actions, tracking what each one leaves behind so that the next
// one acts on what is there.
class Renderer {
 public:
  Renderer(const SwarmBase& base, const FaultSchedule& schedule)
      : base_(base),
        schedule_(schedule),
        instance_busy_until_(static_cast<std::size_t>(base.scenario.engine.instances), 0),
        server_busy_until_(static_cast<std::size_t>(base.scenario.consul.servers), 0) {
    for (const TaskTemplate& task : base.tasks) tasks_.push_back(task.name);
    for (std::size_t i = 0; i < base.registered_ids.size(); ++i) registry_.emplace_back(base.registered_ids[i], base.registered_services[i]);
  }

  // True when the episode became steps.
  bool render(const Episode& episode) {
    if (episode.start_ns >= schedule_.heal_at_ns || episode.start_ns < 0) return false;
    const std::int64_t end_ns = std::min(episode.start_ns + std::max<std::int64_t>(episode.hold_ns, kSecondNs / 10), schedule_.heal_at_ns);
    switch (episode.kind) {
      case FaultKind::crash:
      case FaultKind::graceful_stop:
      case FaultKind::pause:
      case FaultKind::partition:
      case FaultKind::clock: return render_instance_fault(episode, end_ns);
      case FaultKind::consul_crash:
      case FaultKind::consul_partition: return render_server_fault(episode, end_ns);
      case FaultKind::terraform: return render_terraform_fault(episode, end_ns);
      case FaultKind::api: return render_api_call(episode);
      case FaultKind::catalog: return render_catalog_change(episode);
      case FaultKind::link:
      case FaultKind::slow_apply: return false;  // run-wide: FaultSchedule::network, apply_time
    }
    return false;
  }

  std::vector<scenario::Step> take_steps() {
    std::stable_sort(timed_.begin(), timed_.end(), [](const Timed& a, const Timed& b) { return a.at_ns < b.at_ns; });
    std::vector<scenario::Step> steps;
    for (Timed& timed : timed_) {
      scenario::Step step;
      step.at = scenario::DurationSpec{timed.at_ns};
      step.action = std::move(timed.action);
      steps.push_back(std::move(step));
    }
    return steps;
  }

  const std::vector<std::pair<std::string, std::string>>& registry() const { return registry_; }

 private:
  struct Timed {
    std::int64_t at_ns;
    scenario::Action action;
  };

  void add(std::int64_t at_ns, scenario::Action action) { timed_.push_back(Timed{at_ns, std::move(action)}); }

  bool render_instance_fault(const Episode& episode, std::int64_t end_ns) {
    const std::size_t index = episode.target % instance_busy_until_.size();
    if (instance_busy_until_[index] > episode.start_ns) return false;
    instance_busy_until_[index] = end_ns;
    const Target target = instance_target(index);
    switch (episode.kind) {
      case FaultKind::crash:
        add(episode.start_ns, scenario::Crash{target});
        add(end_ns, scenario::Restart{target, {}, {}, {}, {}});
        break;
      case FaultKind::graceful_stop:
        add(episode.start_ns, scenario::Stop{target});
        add(end_ns, scenario::Restart{target, {}, {}, {}, {}});
        break;
      case FaultKind::pause:
        add(episode.start_ns, scenario::Pause{target});
        add(end_ns, scenario::Resume{target});
        break;
      case FaultKind::partition: {
        scenario::Partition partition{target, std::nullopt, episode.variant % 3 == 1, episode.variant % 3 == 2};
        add(episode.start_ns, partition);
        add(end_ns, scenario::Heal{target});
        break;
      }
      case FaultKind::clock:
        if (episode.variant % 2 == 0) {
          add(episode.start_ns, scenario::ClockSkew{target, episode.amount * 1'000'000});
        } else {
          add(episode.start_ns, scenario::ClockDrift{target, episode.amount});
          add(end_ns, scenario::ClockDrift{target, 0});
        }
        break;
      default: return false;
    }
    return true;
  }

  // Consul keeps a majority of its servers untouched: a schedule explores failover under Consul
  // faults, not quorum loss (scenarios/quorum-loss-peers-json.yaml and
  // bootstrap-expect-recovery.yaml script that, with the operator's recovery).
  bool render_server_fault(const Episode& episode, std::int64_t end_ns) {
    const std::size_t servers = server_busy_until_.size();
    const std::size_t faults_max = (servers - 1) / 2;
    std::size_t faulted = 0;
    for (std::int64_t busy_until : server_busy_until_) faulted += busy_until > episode.start_ns ? 1 : 0;
    const std::size_t index = episode.target % servers;
    if (faulted >= faults_max || server_busy_until_[index] > episode.start_ns) return false;
    server_busy_until_[index] = end_ns;
    const Target target = server_target(index);
    if (episode.kind == FaultKind::consul_crash) {
      add(episode.start_ns, scenario::Crash{target});
      add(end_ns, scenario::Restart{target, {}, {}, {}, {}});
    } else {
      add(episode.start_ns, scenario::Partition{target, std::nullopt, false, false});
      add(end_ns, scenario::Heal{target});
    }
    return true;
  }

  bool render_terraform_fault(const Episode& episode, std::int64_t end_ns) {
    if (terraform_busy_until_ > episode.start_ns) return false;
    terraform_busy_until_ = end_ns;
    scenario::TerraformFailure failure;
    const std::size_t choice = episode.target % (base_.tasks.size() + 1);
    if (choice < base_.tasks.size()) failure.task = base_.tasks[choice].name;  // else every task
    failure.times = static_cast<int>(std::clamp<std::int64_t>(episode.amount, 0, 5));
    failure.mode = episode.variant % 2 == 0 ? "error" : "partial";
    failure.message = "swarm: injected apply failure";
    add(episode.start_ns, scenario::TerraformFail{failure});
    add(end_ns, scenario::TerraformRecover{failure.task});
    return true;
  }

  bool render_api_call(const Episode& episode) {
    scenario::ApiCall call;
    const std::uint32_t op = episode.variant % 4;
    if (op == 0) {
      const TaskTemplate& like = base_.tasks[episode.target % base_.tasks.size()];
      call.op = scenario::ApiCall::Op::create;
      call.task = fmt::format("swarm-task-{}", ++tasks_created_);
      call.task_hcl = task_hcl(call.task, like);
      tasks_.push_back(call.task);
    } else {
      if (tasks_.empty()) return false;
      const std::size_t index = episode.target % tasks_.size();
      call.task = tasks_[index];
      call.op = op == 1 ? scenario::ApiCall::Op::remove : op == 2 ? scenario::ApiCall::Op::disable : scenario::ApiCall::Op::enable;
      if (op == 1) tasks_.erase(tasks_.begin() + static_cast<std::ptrdiff_t>(index));
    }
    add(episode.start_ns, call);
    return true;
  }

  static std::string task_hcl(const std::string& name, const TaskTemplate& like) {
    std::string names;
    for (const std::string& service : like.services) names += (names.empty() ? "\"" : ", \"") + service + "\"";
    return fmt::format("task {{\n  name   = \"{}\"\n  module = \"{}\"\n  condition \"services\" {{\n    names = [{}]\n  }}\n}}\n", name,
                       like.module, names);
  }

  bool render_catalog_change(const Episode& episode) {
    const std::uint32_t op = episode.variant % 4;
    if (op == 0) {
      if (base_.services.empty()) return false;
      scenario::Register registration;
      registration.service = base_.services[episode.target % base_.services.size()];
      ++instances_registered_;
      registration.id = fmt::format("{}-s{}", registration.service, instances_registered_);
      registration.address = fmt::format("10.1.{}.{}", instances_registered_ / 250, instances_registered_ % 250 + 1);
      registration.port = 80;
      registry_.emplace_back(registration.id, registration.service);
      add(episode.start_ns, registration);
      return true;
    }
    if (registry_.empty()) return false;
    const std::size_t index = episode.target % registry_.size();
    const std::string id = registry_[index].first;
    if (op == 1) {
      registry_.erase(registry_.begin() + static_cast<std::ptrdiff_t>(index));
      add(episode.start_ns, scenario::Deregister{id});
    } else {
      add(episode.start_ns, scenario::SetCheck{id, op == 2 ? "critical" : "passing"});
    }
    return true;
  }

  const SwarmBase& base_;
  const FaultSchedule& schedule_;
  std::vector<std::int64_t> instance_busy_until_;
  std::vector<std::int64_t> server_busy_until_;
  std::int64_t terraform_busy_until_ = 0;
  std::vector<std::string> tasks_;
  std::vector<std::pair<std::string, std::string>> registry_;  // id, service
  int tasks_created_ = 0;
  int instances_registered_ = 0;
  std::vector<Timed> timed_;
};

scenario::Step step_at(std::int64_t at_ns, scenario::Action action) {
  scenario::Step step;
  step.at = scenario::DurationSpec{at_ns};
  step.action = std::move(action);
  return step;
}

// A Terraform state lock left by an apply that was killed or frozen mid-way is free again
// once Consul invalidates its session (session_ttl_multiplier x Terraform's lock-session TTL)
// and the lock-delay has passed (fakes/terraform/backend_constants.hpp). The last such apply can
// be interrupted up to a TTL after the heal (a leader fencing late) and killed kill_grace after.
std::int64_t stale_state_locks_cleared_ns(const SwarmBase& base) {
  namespace tf = fakes::terraform;
  const std::int64_t kill_grace_ns = tf::FakeTerraformOptions{}.kill_grace_ms * 1'000'000;
  const std::int64_t lock_session_expiry_ns = base.scenario.consul.session_ttl_multiplier * tf::kLockSessionTtl.count();
  return base.session_ttl_ns + kill_grace_ns + lock_session_expiry_ns + tf::kLockDelay.count();
}

// After the heal: a leader, then, once stale Terraform state locks are free, one new instance
// of every watched service, so that every task has a change to run for (CTS retries a failed
// apply three times, then only on the next change or a failover: an apply refused by a stale
// lock right after the heal waits for the next change, as in CTS).
void append_convergence_steps(const SwarmBase& base, std::int64_t heal_at_ns, std::vector<scenario::Step>& steps) {
  steps.push_back(step_at(heal_at_ns, scenario::Heal{}));
  steps.push_back(step_at(heal_at_ns, scenario::TerraformRecover{}));
  scenario::WaitUntil leader{scenario::WaitUntil::Condition::leader_elected, {}, {base.session_ttl_ns * 4 + 60 * kSecondNs}};
  steps.push_back(scenario::Step{{}, std::nullopt, false, leader});
  int probe = 0;
  for (const std::string& service : base.services) {
    scenario::Register registration;
    registration.service = service;
    registration.id = service + "-final";
    registration.address = fmt::format("10.2.0.{}", ++probe);
    registration.port = 80;
    // The first once the lock leftovers have cleared, counted from when a leader is there.
    std::optional<scenario::DurationSpec> at;
    if (probe == 1) at = scenario::DurationSpec{stale_state_locks_cleared_ns(base)};
    steps.push_back(scenario::Step{{}, at, probe == 1, registration});
  }
}

}  // namespace

// A watcher's blocking query that a partition dropped (the simulated network drops messages in
// flight on a cut; TCP would deliver them after the heal) is retried only when its HTTP
// timeout ends: one blocking wait (5 min, CTS's) plus its wait/16 jitter. A change made after
// the heal may wait that long to be seen (sim swarm seed 1174), so the bound includes it.
constexpr std::int64_t kDroppedBlockingQueryNs = (300 + 19) * kSecondNs;

std::int64_t swarm_convergence_ns(std::int64_t session_ttl_ns) {
  return 2 * session_ttl_ns + 90 * kSecondNs + kDroppedBlockingQueryNs;
}

ScheduledScenario schedule_scenario(const SwarmBase& base, const FaultSchedule& schedule, std::uint64_t seed) {
  ScheduledScenario result;
  scenario::Scenario& out = result.scenario;
  out = base.scenario;
  out.seed = seed;
  out.name = fmt::format("{}-swarm-{}", base.scenario.name, seed);
  out.continue_after_step_errors = true;
  if (schedule.network) out.network = *schedule.network;
  if (schedule.apply_time) out.terraform.apply_time = *schedule.apply_time;

  std::vector<Episode> episodes = schedule.episodes;
  std::stable_sort(episodes.begin(), episodes.end(), [](const Episode& a, const Episode& b) { return a.start_ns < b.start_ns; });
  Renderer renderer(base, schedule);
  for (const Episode& episode : episodes) {
    if (renderer.render(episode)) result.kept.push_back(episode);
  }
  for (scenario::Step& step : renderer.take_steps()) out.steps.push_back(std::move(step));
  append_convergence_steps(base, schedule.heal_at_ns, out.steps);

  out.expect = scenario::Expectations{};
  out.expect.invariants = kSwarmInvariants;
  out.expect.convergence = scenario::DurationSpec{swarm_convergence_ns(base.session_ttl_ns)};
  // The bound is the liveness check; once the cluster has converged, the rest of it is quiet.
  out.expect.stop_when_converged = true;
  out.duration = scenario::DurationSpec{0};
  return result;
}

}  // namespace baton::sim::swarm
