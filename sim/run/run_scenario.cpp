#include "sim/run/run_scenario.hpp"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "engine/config/cts/load.hpp"
#include "sim/run/convergence_watch.hpp"

namespace baton::sim::run {

namespace {

namespace cts = config::cts;
constexpr std::int64_t kPollNs = 10'000'000;  // how often a wait_until looks again, virtual

std::string where(const scenario::SourceRef& source) { return fmt::format("{}:{}:{}", source.file, source.line, source.column); }

// An instance's configuration, loaded as `baton start -config-file` would load it; errors point
// into the scenario file (`text_at`: where the HCL text starts in it).
std::variant<cts::Config, std::string> load_instance_config(const std::string& hcl, const std::string& name,
                                                           const scenario::SourceRef& text_at) {
  cts::Environment environment;
  environment.hostname = "sim";
  environment.working_directory = "/";
  auto loaded = cts::load_config({cts::ConfigPath{name, false, {cts::ConfigFile{name + ".hcl", hcl}}}}, environment);
  if (!loaded.ok()) {
    const config::hcl::Error& error = loaded.error();
    if (error.line == 0 || text_at.line == 0) return "engine configuration: " + config::hcl::to_string(error);
    // Where the HCL's line and column are in the scenario file (or the config file).
    return fmt::format("{}:{}:{}: engine configuration: {}", text_at.file, text_at.line + error.line - 1,
                       text_at.column + error.column - 1, error.message);
  }
  if (!loaded.value().high_availability) {
    return fmt::format("{}: the engine configuration has no high_availability block: a scenario runs a cluster", where(text_at));
  }
  return std::move(loaded.value());
}


class StepRunner {
 public:
  explicit StepRunner(ScenarioCluster& cluster) : cluster_(cluster) {}

  // Executes one step; the error that stops the run, if any.
  std::optional<std::string> run(const scenario::Step& step, StepRecord& record) {
    World& world = cluster_.world();
    const std::int64_t ttl_ns = cluster_.session_ttl_ns();
    if (step.at) {
      const std::int64_t target_ns = step.at_is_relative ? world.now_ns() + step.at->resolve_ns(ttl_ns) : start_ns_ + step.at->resolve_ns(ttl_ns);
      if (target_ns > world.now_ns()) world.run_until(target_ns);
    }
    record.at_ns = world.now_ns();
    record.source = where(step.at_source);
    return std::visit([&](const auto& action) { return execute(action, record); }, step.action);
  }

  void set_start(std::int64_t start_ns) { start_ns_ = start_ns; }

 private:
  using Target = scenario::Target;

  void describe(StepRecord& record, std::string kind, std::string description, bool consul_fault = false) {
    record.kind = std::move(kind);
    record.description = std::move(description);
    record.consul_fault = consul_fault;
  }
  static bool on_consul(const Target& target) { return target.kind == Target::Kind::consul_server; }

  std::optional<std::string> execute(const scenario::Register& r, StepRecord& record) {
    describe(record, "register", fmt::format("register {} ({} {}:{}) on {}", r.id.empty() ? r.service : r.id, r.service, r.address, r.port, r.node));
    return cluster_.register_service(r);
  }
  std::optional<std::string> execute(const scenario::Deregister& d, StepRecord& record) {
    describe(record, "deregister", "deregister " + d.id);
    return cluster_.deregister_service(d.id);
  }
  std::optional<std::string> execute(const scenario::SetCheck& c, StepRecord& record) {
    describe(record, "check", fmt::format("check of {} -> {}", c.id, c.status));
    return cluster_.set_check(c);
  }
  std::optional<std::string> execute(const scenario::KvPut& p, StepRecord& record) {
    describe(record, "kv_put", "kv put " + p.key);
    return cluster_.kv_put(p);
  }
  std::optional<std::string> execute(const scenario::KvDelete& d, StepRecord& record) {
    describe(record, "kv_delete", "kv delete " + d.key);
    return cluster_.kv_delete(d);
  }
  std::optional<std::string> execute(const scenario::Crash& c, StepRecord& record) {
    describe(record, "crash", "crash " + cluster_.describe(c.target), on_consul(c.target));
    return cluster_.crash(c.target);
  }
  std::optional<std::string> execute(const scenario::Restart& r, StepRecord& record) {
    std::string flags;
    if (r.reset_storage && *r.reset_storage) flags += " -reset-storage";
    if (r.bootstrap_expect) flags += fmt::format(" -bootstrap-expect={}", *r.bootstrap_expect);
    if (r.config_hcl) flags += " with a new configuration";
    describe(record, "restart", "restart " + cluster_.describe(r.target) + flags, on_consul(r.target));
    std::optional<cts::Config> config;
    if (r.config_hcl) {
      auto loaded = load_instance_config(*r.config_hcl, record.source, r.config_text_at);
      if (auto* error = std::get_if<std::string>(&loaded)) return *error;
      config = std::get<cts::Config>(std::move(loaded));
    }
    return cluster_.restart(r.target, r.reset_storage, r.bootstrap_expect, std::move(config));
  }
  std::optional<std::string> execute(const scenario::Stop& s, StepRecord& record) {
    describe(record, "stop", "stop (graceful) " + cluster_.describe(s.target), on_consul(s.target));
    return cluster_.stop(s.target);
  }
  std::optional<std::string> execute(const scenario::Pause& p, StepRecord& record) {
    describe(record, "pause", "pause " + cluster_.describe(p.target), on_consul(p.target));
    return cluster_.pause(p.target);
  }
  std::optional<std::string> execute(const scenario::Resume& r, StepRecord& record) {
    describe(record, "resume", "resume " + cluster_.describe(r.target), on_consul(r.target));
    return cluster_.resume(r.target);
  }
  std::optional<std::string> execute(const scenario::Partition& p, StepRecord& record) {
    std::string from = p.from_consul ? " from consul" : p.from_instances ? " from the other instances" : p.from ? " from " + cluster_.describe(*p.from) : "";
    describe(record, "partition", "partition " + cluster_.describe(p.target) + from, on_consul(p.target));
    return cluster_.partition(p);
  }
  std::optional<std::string> execute(const scenario::Heal& h, StepRecord& record) {
    describe(record, "heal", "heal the network");
    return cluster_.heal(h);
  }
  std::optional<std::string> execute(const scenario::ClockSkew& s, StepRecord& record) {
    describe(record, "clock_skew", fmt::format("clock of {} steps {:+.3f}s", cluster_.describe(s.target), static_cast<double>(s.offset_ns) / 1e9),
             on_consul(s.target));
    return cluster_.clock_skew(s);
  }
  std::optional<std::string> execute(const scenario::ClockDrift& d, StepRecord& record) {
    describe(record, "clock_drift", fmt::format("clock of {} drifts {} ppm", cluster_.describe(d.target), d.drift_ppm), on_consul(d.target));
    return cluster_.clock_drift(d);
  }
  std::optional<std::string> execute(const scenario::ApiCall& a, StepRecord& record) {
    static constexpr const char* kOps[] = {"create", "delete", "enable", "disable"};
    describe(record, "api", fmt::format("API {} task {} on the leader", kOps[static_cast<int>(a.op)], a.task));
    return cluster_.api_call(a);
  }
  std::optional<std::string> execute(const scenario::TerraformFail& f, StepRecord& record) {
    describe(record, "terraform_fail", fmt::format("terraform {} fails for {}", f.failure.command, f.failure.task.empty() ? "every task" : f.failure.task));
    failure_rules_.emplace_back(f.failure.task, cluster_.terraform_world().failures().add(failure_rule(f.failure, cluster_.world().now_ns())));
    return std::nullopt;
  }
  std::optional<std::string> execute(const scenario::TerraformRecover& r, StepRecord& record) {
    describe(record, "terraform_recover", "terraform recovers for " + (r.task.empty() ? std::string("every task") : r.task));
    for (auto it = failure_rules_.begin(); it != failure_rules_.end();) {
      if (r.task.empty() || it->first == r.task) {
        cluster_.terraform_world().failures().remove(it->second);
        it = failure_rules_.erase(it);
      } else {
        ++it;
      }
    }
    return std::nullopt;
  }
  std::optional<std::string> execute(const scenario::WritePeersJson& w, StepRecord& record) {
    describe(record, "write_peers_json", fmt::format("write peers.json on {}: [{}]", cluster_.describe(w.server), fmt::join(w.peers, ", ")), true);
    return cluster_.write_peers_json(w);
  }
  std::optional<std::string> execute(const scenario::WaitUntil& w, StepRecord& record) {
    using Condition = scenario::WaitUntil::Condition;
    static constexpr const char* kNames[] = {"leader elected", "task applied", "consul leader", "once-mode done", "no leader"};
    std::string what = kNames[static_cast<int>(w.condition)];
    if (w.condition == Condition::task_applied) what = "task " + w.task + " applied";
    describe(record, "wait_until", "wait until " + what);
    World& world = cluster_.world();
    const std::int64_t since_ns = world.now_ns();
    const std::int64_t give_up = since_ns + w.timeout.resolve_ns(cluster_.session_ttl_ns());
    while (!holds(w, since_ns)) {
      if (world.now_ns() >= give_up) return fmt::format("timed out after {} waiting until {}", seconds_text(give_up - since_ns), what);
      world.run_for(kPollNs);
    }
    record.description += fmt::format(" (after {})", seconds_text(world.now_ns() - since_ns));
    return std::nullopt;
  }
  std::optional<std::string> execute(const scenario::RunFor& r, StepRecord& record) {
    const std::int64_t ns = r.duration.resolve_ns(cluster_.session_ttl_ns());
    describe(record, "run", "run for " + seconds_text(ns));
    cluster_.world().run_for(ns);
    return std::nullopt;
  }

  bool holds(const scenario::WaitUntil& w, std::int64_t since_ns) const {
    using Condition = scenario::WaitUntil::Condition;
    switch (w.condition) {
      case Condition::leader_elected: return cluster_.leader() != nullptr;
      case Condition::no_leader: return cluster_.leader() == nullptr;
      case Condition::consul_leader: return cluster_.consul().established_leader().has_value();
      case Condition::once_mode_done: {
        const Instance* leader = cluster_.leader();
        return leader != nullptr && leader->controller->once_mode_done_in_current_term();
      }
      case Condition::task_applied:
        for (const auto& apply : cluster_.terraform_world().ledger().records()) {
          if (apply.task == w.task && apply.start_true_ns >= since_ns && apply.outcome == fakes::terraform::ApplyOutcome::succeeded) {
            return true;
          }
        }
        return false;
    }
    return false;
  }

  ScenarioCluster& cluster_;
  std::int64_t start_ns_ = 0;
  std::vector<std::pair<std::string, fakes::terraform::FailureRuleId>> failure_rules_;
};

}  // namespace

std::variant<cts::Config, std::string> load_engine_config(const scenario::Scenario& scenario) {
  const std::string name = scenario.engine.config_name.empty() ? scenario.file + " (engine.config)" : scenario.engine.config_name;
  scenario::SourceRef text_at = scenario.engine.config_text_at;
  if (text_at.line == 0) text_at = scenario.engine.config_at;
  return load_instance_config(scenario.engine.config_hcl, name, text_at);
}

bool RunResult::passed() const {
  if (setup_error || step_error) return false;
  for (const Verdict& verdict : verdicts) {
    if (!verdict.passed) return false;
  }
  return true;
}

RunResult run_scenario(const scenario::Scenario& input, const RunOptions& options) {
  scenario::Scenario scenario = input;
  if (options.seed) scenario.seed = *options.seed;
  RunResult result;
  result.scenario_file = scenario.file;
  result.scenario_name = scenario.name;
  result.seed = scenario.seed;
  result.bugs = scenario.bugs;
  auto loaded = load_engine_config(scenario);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    result.setup_error = *error;
    return result;
  }
  ClusterSetup setup;
  setup.config = std::get<cts::Config>(std::move(loaded));
  setup.session_ttl_ns = setup.config.high_availability->cluster->storage->consul->session_ttl.value_or(cts::kDefaultSessionTtl).count();
  setup.scenario = scenario;
  setup.log_out = options.log_out;
  setup.keep_messages = options.keep_messages;
  result.ttl_ns = setup.session_ttl_ns;
  result.cluster = std::make_unique<ScenarioCluster>(std::move(setup));
  ScenarioCluster& cluster = *result.cluster;
  World& world = cluster.world();

  cluster.start();
  StepRunner runner(cluster);
  runner.set_start(world.now_ns());
  for (const scenario::Step& step : scenario.steps) {
    StepRecord record;
    std::optional<std::string> error = runner.run(step, record);
    if (error && scenario.continue_after_step_errors) record.skipped_because = *error;
    result.steps.push_back(record);
    if (error && !scenario.continue_after_step_errors) {
      result.step_error = fmt::format("{}: {}: {}", record.source, record.description, *error);
      break;
    }
  }
  const std::int64_t convergence_bound_ns = world.now_ns() + scenario.expect.convergence.resolve_ns(result.ttl_ns);
  if (scenario.expect.stop_when_converged) {
    run_until_converged(cluster, convergence_bound_ns);
  } else {
    world.run_until(convergence_bound_ns);
  }
  const std::int64_t duration_ns = scenario.duration.resolve_ns(result.ttl_ns);
  if (duration_ns > world.now_ns()) world.run_until(duration_ns);

  std::set<std::string> instances;
  for (const auto& instance : cluster.instances()) instances.insert(instance->name);
  result.end_ns = world.now_ns();
  result.timeline = build_timeline(world.trace().records(), instances, result.end_ns);
  result.failovers = measure_failovers(result.timeline, result.steps, instances);
  const CheckInput check_input{scenario, result.timeline, cluster, result.steps, result.failovers, result.ttl_ns};
  result.verdicts = run_checks(check_input);
  result.trace_digest = world.trace().digest_hex();
  result.trace_records = world.trace().count();
  result.events_run = world.events_run();
  return result;
}

}  // namespace baton::sim::run
