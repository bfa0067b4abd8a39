// The scenario language (sim/scenario, scenarios/README.md): durations, targets, every step
// kind, the expectations, an exact error (file:line:column, key path, message) for each kind of
// bad input, and every file in scenarios/ parsing.
#include "sim/scenario/scenario_parser.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/duration_text.hpp"
#include "sim/scenario/step_parser.hpp"
#include "sim/scenario/target_text.hpp"

namespace baton::sim::scenario {
namespace {

// Eight lines, so that whatever a test appends starts on line 9.
const std::string kBase =
    "name: t\n"              // 1
    "engine:\n"              // 2
    "  instances: 3\n"       // 3
    "  config: |\n"          // 4
    "    task {\n"           // 5
    "      name = \"web\"\n"   // 6
    "      module = \"./m\"\n"  // 7
    "    }\n";               // 8

ParsedScenario parse(const std::string& text, const ScenarioFiles& files) {
  return parse_scenario("t.yaml", text, files);
}

ParsedScenario parse(const std::string& text) { return parse(text, MemoryScenarioFiles{}); }

// The scenario, failing the test when it does not parse.
Scenario ok(const std::string& text) {
  ParsedScenario parsed = parse(text);
  if (const auto* error = std::get_if<ScenarioError>(&parsed)) {
    ADD_FAILURE() << error->to_string();
    return Scenario{};
  }
  return std::get<Scenario>(std::move(parsed));
}

// The error's text, or "(parsed)".
std::string error_of(const std::string& text, const ScenarioFiles& files = MemoryScenarioFiles{}) {
  ParsedScenario parsed = parse(text, files);
  if (const auto* error = std::get_if<ScenarioError>(&parsed)) return error->to_string();
  return "(parsed)";
}

// kBase with one step; the step's action begins on line 10.
std::string step(const std::string& yaml) { return kBase + "steps:\n  - " + yaml + "\n"; }

// The action of the only step of `yaml`.
template <class T>
T action(const std::string& yaml) {
  const Scenario scenario = ok(step(yaml));
  if (scenario.steps.size() != 1) {
    ADD_FAILURE() << "no step";
    return T{};
  }
  const T* typed = std::get_if<T>(&scenario.steps[0].action);
  if (!typed) {
    ADD_FAILURE() << "another action (index " << scenario.steps[0].action.index() << ")";
    return T{};
  }
  return *typed;
}

Target target(Target::Kind kind, Target::Select select, std::string name = {}) {
  Target t;
  t.kind = kind;
  t.select = select;
  t.name = std::move(name);
  return t;
}

bool same(const Target& a, const Target& b) { return a.kind == b.kind && a.select == b.select && a.name == b.name; }

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMillisecond = 1'000'000;

// --- durations -------------------------------------------------------------------------------

std::int64_t fixed_ns(std::string_view text) {
  std::string error;
  const std::optional<DurationSpec> spec = parse_duration(text, TtlMultiple::allowed, error);
  EXPECT_TRUE(spec) << text << ": " << error;
  EXPECT_FALSE(spec && spec->relative_to_ttl) << text;
  return spec ? spec->ns : -1;
}

std::string duration_error(std::string_view text, TtlMultiple ttl = TtlMultiple::allowed) {
  std::string error;
  const std::optional<DurationSpec> spec = parse_duration(text, ttl, error);
  EXPECT_FALSE(spec) << text;
  return error;
}

TEST(ScenarioDuration, FixedDurationsInGoSyntax) {
  EXPECT_EQ(fixed_ns("30s"), 30 * kSecond);
  EXPECT_EQ(fixed_ns("250ms"), 250 * kMillisecond);
  EXPECT_EQ(fixed_ns("2m"), 120 * kSecond);
  EXPECT_EQ(fixed_ns("1h"), 3600 * kSecond);
  EXPECT_EQ(fixed_ns("1.5s"), 1500 * kMillisecond);
  EXPECT_EQ(fixed_ns("1m30s"), 90 * kSecond);
  EXPECT_EQ(fixed_ns("100us"), 100'000);
  EXPECT_EQ(fixed_ns("7ns"), 7);
  EXPECT_EQ(fixed_ns("0"), 0);
  EXPECT_EQ(fixed_ns(" 30s "), 30 * kSecond);
}

TEST(ScenarioDuration, TtlMultiples) {
  for (const auto& [text, multiple] : std::vector<std::pair<std::string, double>>{
           {"1.5x session_ttl", 1.5}, {"2x ttl", 2.0}, {"2 x ttl", 2.0}, {"0.5x session_ttl", 0.5}, {"1x ttl", 1.0}}) {
    std::string error;
    const std::optional<DurationSpec> spec = parse_duration(text, TtlMultiple::allowed, error);
    ASSERT_TRUE(spec) << text << ": " << error;
    EXPECT_TRUE(spec->relative_to_ttl) << text;
    EXPECT_DOUBLE_EQ(spec->ttl_multiple, multiple) << text;
  }
  std::string error;
  const std::optional<DurationSpec> spec = parse_duration("1.5x session_ttl", TtlMultiple::allowed, error);
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->resolve_ns(15 * kSecond), 22'500 * kMillisecond);
  EXPECT_EQ(to_string(*spec), "1.5x session_ttl");
  EXPECT_EQ(to_string(DurationSpec{90 * kSecond}), "1m30s");
}

TEST(ScenarioDuration, BadDurationsSayWhy) {
  EXPECT_EQ(duration_error("30"), "bad duration \"30\": missing unit (ns, us, ms, s, m, h)");
  EXPECT_EQ(duration_error("30sec"), "bad duration \"30sec\": unknown unit \"sec\" (ns, us, ms, s, m, h)");
  EXPECT_EQ(duration_error("-5s"), "bad duration \"-5s\": a sign is not allowed here");
  EXPECT_EQ(duration_error(""), "empty duration (write e.g. 30s, 250ms or 1.5x session_ttl)");
  EXPECT_EQ(duration_error("soon"),
            "bad duration \"soon\": expected a number and a unit (ns, us, ms, s, m, h) such as 30s, 250ms, 1.5s or "
            "1m30s, or a multiple of the session TTL such as 1.5x session_ttl");
  EXPECT_EQ(duration_error("twice x ttl"), "bad duration \"twice x ttl\": expected a number before the x, as in 1.5x session_ttl");
  EXPECT_EQ(duration_error("2x ttl", TtlMultiple::rejected),
            "bad duration \"2x ttl\": a multiple of the session TTL is not allowed here");
  EXPECT_EQ(duration_error("5000x ttl"), "bad duration \"5000x ttl\": the multiple must be at most 1000");
  EXPECT_EQ(duration_error("9999999999h"), "bad duration \"9999999999h\": out of range");
}

TEST(ScenarioDuration, SignedDurations) {
  std::string error;
  EXPECT_EQ(parse_signed_duration_ns("-3s", error), -3 * kSecond);
  EXPECT_EQ(parse_signed_duration_ns("+500ms", error), 500 * kMillisecond);
  EXPECT_EQ(parse_signed_duration_ns("2s", error), 2 * kSecond);
  EXPECT_FALSE(parse_signed_duration_ns("-3", error));
  EXPECT_EQ(error, "bad duration \"-3\": missing unit (ns, us, ms, s, m, h)");
  EXPECT_FALSE(parse_signed_duration_ns("-1x ttl", error));
  EXPECT_EQ(error, "bad duration \"-1x ttl\": a multiple of the session TTL is not allowed here");
}

TEST(ScenarioDuration, Ranges) {
  std::string error;
  std::optional<DurationRange> range = parse_duration_range("1ms..5ms", TtlMultiple::rejected, error);
  ASSERT_TRUE(range) << error;
  EXPECT_EQ(range->min.ns, kMillisecond);
  EXPECT_EQ(range->max.ns, 5 * kMillisecond);
  EXPECT_EQ(to_string(*range), "1ms..5ms");
  range = parse_duration_range("3s", TtlMultiple::rejected, error);
  ASSERT_TRUE(range) << error;
  EXPECT_EQ(range->min.ns, 3 * kSecond);
  EXPECT_EQ(range->max.ns, 3 * kSecond);
  EXPECT_EQ(to_string(*range), "3s");
  range = parse_duration_range("1.5s..2s", TtlMultiple::rejected, error);
  ASSERT_TRUE(range) << error;
  EXPECT_EQ(range->min.ns, 1500 * kMillisecond);

  EXPECT_FALSE(parse_duration_range("5ms..1ms", TtlMultiple::rejected, error));
  EXPECT_EQ(error, "bad range \"5ms..1ms\": its minimum 5ms is more than its maximum 1ms");
  EXPECT_FALSE(parse_duration_range("1..5ms", TtlMultiple::rejected, error));
  EXPECT_EQ(error, "bad duration \"1\": missing unit (ns, us, ms, s, m, h) (in the range \"1..5ms\")");
}

// --- targets ---------------------------------------------------------------------------------

TEST(ScenarioTarget, EveryName) {
  using Kind = Target::Kind;
  using Select = Target::Select;
  const ClusterSize size{3, 5};
  const std::vector<std::pair<std::string, Target>> cases = {
      {"leader", target(Kind::instance, Select::leader)},
      {"follower", target(Kind::instance, Select::follower)},
      {"all-instances", target(Kind::instance, Select::all)},
      {"cts-01", target(Kind::instance, Select::name, "cts-01")},
      {"cts-03", target(Kind::instance, Select::name, "cts-03")},
      {"consul-leader", target(Kind::consul_server, Select::leader)},
      {"consul-follower", target(Kind::consul_server, Select::follower)},
      {"all-consul-servers", target(Kind::consul_server, Select::all)},
      {"consul-1", target(Kind::consul_server, Select::name, "consul-1")},
      {"consul-5", target(Kind::consul_server, Select::name, "consul-5")},
  };
  for (const auto& [text, expected] : cases) {
    std::string error;
    const std::optional<Target> parsed = parse_target(text, size, error);
    ASSERT_TRUE(parsed) << text << ": " << error;
    EXPECT_TRUE(same(*parsed, expected)) << text;
    EXPECT_EQ(to_string(*parsed), text);
  }
}

TEST(ScenarioTarget, UnknownNamesListTheValidOnes) {
  std::string error;
  EXPECT_FALSE(parse_target("cts-04", ClusterSize{3, 3}, error));
  EXPECT_EQ(error, "unknown target \"cts-04\" (instances are cts-01..cts-03)");
  EXPECT_FALSE(parse_target("cts-1", ClusterSize{3, 3}, error));
  EXPECT_EQ(error, "unknown target \"cts-1\" (instances are cts-01..cts-03)");
  EXPECT_FALSE(parse_target("consul-4", ClusterSize{3, 3}, error));
  EXPECT_EQ(error, "unknown target \"consul-4\" (Consul servers are consul-1..consul-3)");
  EXPECT_FALSE(parse_target("cts-02", ClusterSize{1, 1}, error));
  EXPECT_EQ(error, "unknown target \"cts-02\" (instances are cts-01)");
  EXPECT_FALSE(parse_target("primary", ClusterSize{2, 3}, error));
  EXPECT_EQ(error,
            "unknown target \"primary\" (targets are leader, follower, all-instances, cts-01..cts-02, consul-leader, "
            "consul-follower, all-consul-servers, consul-1..consul-3)");
  EXPECT_EQ(instance_name(9), "cts-09");
  EXPECT_EQ(server_name(7), "consul-7");
}

// --- the whole file --------------------------------------------------------------------------

TEST(ScenarioParser, MinimalScenarioGetsTheDocumentedDefaults) {
  const Scenario s = ok(kBase);
  EXPECT_EQ(s.file, "t.yaml");
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.duration.ns, 0);
  EXPECT_EQ(s.consul.servers, 3);
  EXPECT_EQ(s.consul.bootstrap_expect, 3);
  EXPECT_EQ(s.consul.profile, "modern");
  EXPECT_EQ(s.consul.raft_multiplier, 5);
  EXPECT_EQ(s.network.latency.min.ns, kMillisecond);
  EXPECT_EQ(s.network.latency.max.ns, 5 * kMillisecond);
  EXPECT_EQ(s.network.loss, 0);
  EXPECT_EQ(s.engine.instances, 3);
  EXPECT_EQ(s.engine.config_hcl, "task {\n  name = \"web\"\n  module = \"./m\"\n}\n");
  EXPECT_TRUE(s.engine.reset_storage.empty());
  EXPECT_EQ(s.terraform.apply_time.min.ns, 2 * kSecond);
  EXPECT_EQ(s.terraform.apply_time.max.ns, 6 * kSecond);
  EXPECT_TRUE(s.terraform.failures.empty());
  EXPECT_TRUE(s.steps.empty());
  EXPECT_FALSE(s.expect.failover);
  EXPECT_TRUE(s.expect.invariants.empty());
  EXPECT_EQ(s.expect.convergence.ns, 60 * kSecond);
  EXPECT_FALSE(s.expect.stop_when_converged) << "a scenario runs its whole convergence bound unless it asks otherwise";
}

TEST(ScenarioParser, EveryTopLevelKey) {
  const Scenario s = ok(
      "name: full\n"
      "about: >\n"
      "  Everything set.\n"
      "seed: 18446744073709551615\n"
      "duration: 10m\n"
      "consul: { servers: 5, bootstrap_expect: 0, profile: legacy, raft_multiplier: 1 }\n"
      "network: { latency: 2ms..8ms, loss: 0.05 }\n"
      "engine:\n"
      "  instances: 9\n"
      "  config: 'task { name = \"web\" }'\n"
      "  reset_storage: [cts-02, cts-09]\n"
      "terraform:\n"
      "  apply_time: 10s\n"
      "  init_time: 1s..2s\n"
      "  failures:\n"
      "    - { task: web, command: init, times: 2, message: 'Error: no provider', instance: cts-03, mode: hang }\n"
      "    - {}\n");
  EXPECT_EQ(s.name, "full");
  EXPECT_EQ(s.about, "Everything set.\n");
  EXPECT_EQ(s.seed, 18446744073709551615u);
  EXPECT_EQ(s.duration.ns, 600 * kSecond);
  EXPECT_EQ(s.consul.servers, 5);
  EXPECT_EQ(s.consul.bootstrap_expect, 0);
  EXPECT_EQ(s.consul.profile, "legacy");
  EXPECT_EQ(s.consul.raft_multiplier, 1);
  EXPECT_EQ(s.network.latency.min.ns, 2 * kMillisecond);
  EXPECT_EQ(s.network.latency.max.ns, 8 * kMillisecond);
  EXPECT_DOUBLE_EQ(s.network.loss, 0.05);
  EXPECT_EQ(s.engine.instances, 9);
  EXPECT_EQ(s.engine.config_hcl, "task { name = \"web\" }");
  EXPECT_EQ(s.engine.reset_storage, (std::map<std::string, bool>{{"cts-02", true}, {"cts-09", true}}));
  EXPECT_EQ(s.terraform.apply_time.min.ns, 10 * kSecond);
  EXPECT_EQ(s.terraform.apply_time.max.ns, 10 * kSecond);
  EXPECT_EQ(s.terraform.init_time.min.ns, kSecond);
  ASSERT_EQ(s.terraform.failures.size(), 2u);
  EXPECT_EQ(s.terraform.failures[0].task, "web");
  EXPECT_EQ(s.terraform.failures[0].command, "init");
  EXPECT_EQ(s.terraform.failures[0].times, 2);
  EXPECT_EQ(s.terraform.failures[0].message, "Error: no provider");
  EXPECT_EQ(s.terraform.failures[0].instance, "cts-03");
  EXPECT_EQ(s.terraform.failures[0].mode, "hang");
  EXPECT_EQ(s.terraform.failures[1].task, "");
  EXPECT_EQ(s.terraform.failures[1].command, "apply");
  EXPECT_EQ(s.terraform.failures[1].times, 0);
  EXPECT_EQ(s.terraform.failures[1].mode, "error");
}

TEST(ScenarioParser, BootstrapExpectFollowsServersUnlessWritten) {
  EXPECT_EQ(ok(kBase + "consul: { servers: 5 }\n").consul.bootstrap_expect, 5);
  EXPECT_EQ(ok(kBase + "consul: { servers: 5, bootstrap_expect: 3 }\n").consul.bootstrap_expect, 3);
}

TEST(ScenarioParser, InlineConfigKnowsWhereItWasWritten) {
  const Scenario s = ok(kBase);
  EXPECT_EQ(s.engine.config_name, "t.yaml:4");
  EXPECT_EQ(s.engine.config_at.file, "t.yaml");
  EXPECT_EQ(s.engine.config_at.line, 4);
  EXPECT_EQ(s.engine.config_at.column, 3);
  // HCL line 1, column 1 is scenario line 5, column 5.
  EXPECT_EQ(s.engine.config_text_at.line, 5);
  EXPECT_EQ(s.engine.config_text_at.column, 5);
}

TEST(ScenarioParser, ConfigFileIsReadBesideTheScenario) {
  MemoryScenarioFiles files;
  files.add("scenarios/configs/ha.hcl", "task { name = \"web\" }\n");
  const ParsedScenario parsed = parse_scenario(
      "scenarios/x.yaml", "name: x\nengine:\n  config_file: configs/ha.hcl\n", files);
  ASSERT_TRUE(std::holds_alternative<Scenario>(parsed)) << std::get<ScenarioError>(parsed).to_string();
  const Scenario& s = std::get<Scenario>(parsed);
  EXPECT_EQ(s.engine.config_hcl, "task { name = \"web\" }\n");
  EXPECT_EQ(s.engine.config_name, "scenarios/configs/ha.hcl");
  EXPECT_EQ(s.engine.config_at.line, 3);
  EXPECT_EQ(s.engine.config_text_at.file, "scenarios/configs/ha.hcl");
  EXPECT_EQ(s.engine.config_text_at.line, 1);

  const ParsedScenario missing =
      parse_scenario("scenarios/x.yaml", "name: x\nengine:\n  config_file: nowhere.hcl\n", files);
  ASSERT_TRUE(std::holds_alternative<ScenarioError>(missing));
  EXPECT_EQ(std::get<ScenarioError>(missing).to_string(),
            "scenarios/x.yaml:3:16: engine.config_file: cannot read \"scenarios/nowhere.hcl\": no such file");
}

TEST(ScenarioParser, StepsRecordWhereAndWhen) {
  const Scenario s = ok(kBase +
                        "steps:\n"                  // 9
                        "  - at: 0s\n"              // 10
                        "    crash: leader\n"       // 11
                        "  - at: +10s\n"            // 12
                        "    run: 5s\n"             // 13
                        "  - run: 1x ttl\n"         // 14
                        "  - at: 2x session_ttl\n"  // 15
                        "    resume: cts-01\n");
  ASSERT_EQ(s.steps.size(), 4u);
  EXPECT_EQ(s.steps[0].at_source.line, 10);
  EXPECT_EQ(s.steps[0].at_source.column, 5);
  ASSERT_TRUE(s.steps[0].at);
  EXPECT_FALSE(s.steps[0].at_is_relative);
  EXPECT_EQ(s.steps[0].at->ns, 0);
  ASSERT_TRUE(s.steps[1].at);
  EXPECT_TRUE(s.steps[1].at_is_relative);
  EXPECT_EQ(s.steps[1].at->ns, 10 * kSecond);
  EXPECT_FALSE(s.steps[2].at);
  EXPECT_EQ(s.steps[2].at_source.line, 14);
  EXPECT_TRUE(std::get<RunFor>(s.steps[2].action).duration.relative_to_ttl);
  ASSERT_TRUE(s.steps[3].at);
  EXPECT_TRUE(s.steps[3].at->relative_to_ttl);
  EXPECT_DOUBLE_EQ(s.steps[3].at->ttl_multiple, 2.0);
}

// --- every step kind -------------------------------------------------------------------------

TEST(ScenarioStep, Register) {
  const Register r = action<Register>(
      "register: { service: web, id: web-1, address: 10.0.0.1, port: 80, tags: [v1, blue], meta: { zone: a }, "
      "node: node-2, status: critical }");
  EXPECT_EQ(r.service, "web");
  EXPECT_EQ(r.id, "web-1");
  EXPECT_EQ(r.address, "10.0.0.1");
  EXPECT_EQ(r.port, 80);
  EXPECT_EQ(r.tags, (std::vector<std::string>{"v1", "blue"}));
  EXPECT_EQ(r.meta, (std::map<std::string, std::string>{{"zone", "a"}}));
  EXPECT_EQ(r.node, "node-2");
  EXPECT_EQ(r.status, "critical");
  const Register defaults = action<Register>("register: { service: api }");
  EXPECT_EQ(defaults.id, "api");
  EXPECT_EQ(defaults.node, "node-1");
  EXPECT_EQ(defaults.status, "passing");
  EXPECT_EQ(defaults.port, 0);
}

TEST(ScenarioStep, DeregisterAndCheck) {
  EXPECT_EQ(action<Deregister>("deregister: web-1").id, "web-1");
  EXPECT_EQ(action<Deregister>("deregister: { id: web-2 }").id, "web-2");
  const SetCheck check = action<SetCheck>("check: { id: web-1, status: warning }");
  EXPECT_EQ(check.id, "web-1");
  EXPECT_EQ(check.status, "warning");
}

TEST(ScenarioStep, KeyValue) {
  const KvPut put = action<KvPut>("kv_put: { key: app/config, value: 42 }");
  EXPECT_EQ(put.key, "app/config");
  EXPECT_EQ(put.value, "42");
  EXPECT_EQ(action<KvPut>("kv_put: { key: k, value: '' }").value, "");
  const KvDelete one = action<KvDelete>("kv_delete: app/config");
  EXPECT_EQ(one.key, "app/config");
  EXPECT_FALSE(one.recurse);
  const KvDelete tree = action<KvDelete>("kv_delete: { key: app/, recurse: true }");
  EXPECT_EQ(tree.key, "app/");
  EXPECT_TRUE(tree.recurse);
}

TEST(ScenarioStep, ProcessFaults) {
  using Kind = Target::Kind;
  using Select = Target::Select;
  EXPECT_TRUE(same(action<Crash>("crash: leader").target, target(Kind::instance, Select::leader)));
  EXPECT_TRUE(same(action<Stop>("stop: cts-02").target, target(Kind::instance, Select::name, "cts-02")));
  EXPECT_TRUE(same(action<Pause>("pause: consul-leader").target, target(Kind::consul_server, Select::leader)));
  EXPECT_TRUE(same(action<Resume>("resume: all-instances").target, target(Kind::instance, Select::all)));

  const Restart plain = action<Restart>("restart: follower");
  EXPECT_TRUE(same(plain.target, target(Kind::instance, Select::follower)));
  EXPECT_FALSE(plain.reset_storage);
  EXPECT_FALSE(plain.bootstrap_expect);
  const Restart reset = action<Restart>("restart: { target: cts-02, reset_storage: true }");
  EXPECT_EQ(reset.reset_storage, std::optional<bool>(true));
  const Restart server = action<Restart>("restart: { target: consul-2, bootstrap_expect: 1 }");
  EXPECT_TRUE(same(server.target, target(Kind::consul_server, Select::name, "consul-2")));
  EXPECT_EQ(server.bootstrap_expect, std::optional<int>(1));
  const Restart edited = action<Restart>("restart: { target: cts-02, config: \"task {}\" }");
  EXPECT_EQ(edited.config_hcl, std::optional<std::string>("task {}"));
  EXPECT_EQ(edited.config_text_at.line, 10);
  EXPECT_EQ(error_of(step("restart: { target: leader, config: \"task {}\" }")),
            "t.yaml:10:40: steps[0].restart.config: config is the configuration of one baton instance: name it (cts-NN)");
}

TEST(ScenarioStep, Partitions) {
  using Kind = Target::Kind;
  using Select = Target::Select;
  const Partition isolate = action<Partition>("partition: leader");
  EXPECT_TRUE(same(isolate.target, target(Kind::instance, Select::leader)));
  EXPECT_FALSE(isolate.from);
  EXPECT_FALSE(isolate.from_consul);
  EXPECT_FALSE(isolate.from_instances);
  const Partition link = action<Partition>("partition: { target: cts-01, from: consul-2 }");
  ASSERT_TRUE(link.from);
  EXPECT_TRUE(same(*link.from, target(Kind::consul_server, Select::name, "consul-2")));
  EXPECT_TRUE(action<Partition>("partition: { target: leader, from: consul }").from_consul);
  EXPECT_TRUE(action<Partition>("partition: { target: leader, from: instances }").from_instances);

  EXPECT_FALSE(action<Heal>("heal: all").target);
  const Heal one = action<Heal>("heal: cts-01");
  ASSERT_TRUE(one.target);
  EXPECT_EQ(one.target->name, "cts-01");
}

TEST(ScenarioStep, Clocks) {
  const ClockSkew skew = action<ClockSkew>("clock_skew: { target: leader, offset: -3s }");
  EXPECT_EQ(skew.offset_ns, -3 * kSecond);
  EXPECT_EQ(skew.target.select, Target::Select::leader);
  const ClockDrift drift = action<ClockDrift>("clock_drift: { target: consul-1, ppm: 200000 }");
  EXPECT_EQ(drift.drift_ppm, 200000);
  EXPECT_EQ(drift.target.kind, Target::Kind::consul_server);
  EXPECT_EQ(action<ClockDrift>("clock_drift: { target: cts-01, ppm: -500000 }").drift_ppm, -500000);
}

TEST(ScenarioStep, Api) {
  const ApiCall create = action<ApiCall>(
      "api:\n"
      "      create:\n"
      "        task: db\n"
      "        config: |\n"
      "          task {\n"
      "            name = \"db\"\n"
      "          }");
  EXPECT_EQ(create.op, ApiCall::Op::create);
  EXPECT_EQ(create.task, "db");
  EXPECT_EQ(create.task_hcl, "task {\n  name = \"db\"\n}\n");
  EXPECT_EQ(action<ApiCall>("api: { delete: web }").op, ApiCall::Op::remove);
  EXPECT_EQ(action<ApiCall>("api: { delete: web }").task, "web");
  EXPECT_EQ(action<ApiCall>("api: { enable: web }").op, ApiCall::Op::enable);
  EXPECT_EQ(action<ApiCall>("api: { disable: web }").op, ApiCall::Op::disable);
}

TEST(ScenarioStep, Terraform) {
  const TerraformFail fail = action<TerraformFail>(
      "terraform_fail: { task: web, command: apply, times: 1, message: 'Error: 401 Bad credentials', mode: partial }");
  EXPECT_EQ(fail.failure.task, "web");
  EXPECT_EQ(fail.failure.times, 1);
  EXPECT_EQ(fail.failure.message, "Error: 401 Bad credentials");
  EXPECT_EQ(fail.failure.mode, "partial");
  EXPECT_EQ(action<TerraformRecover>("terraform_recover: web").task, "web");
  EXPECT_EQ(action<TerraformRecover>("terraform_recover: all").task, "");
}

TEST(ScenarioStep, WritePeersJson) {
  const WritePeersJson write = action<WritePeersJson>("write_peers_json: { server: consul-1, peers: [consul-1, consul-2] }");
  EXPECT_EQ(write.server.name, "consul-1");
  EXPECT_EQ(write.server.kind, Target::Kind::consul_server);
  EXPECT_EQ(write.peers, (std::vector<std::string>{"consul-1", "consul-2"}));
}

TEST(ScenarioStep, WaitUntil) {
  using Condition = WaitUntil::Condition;
  EXPECT_EQ(action<WaitUntil>("wait_until: leader elected").condition, Condition::leader_elected);
  EXPECT_EQ(action<WaitUntil>("wait_until: consul leader").condition, Condition::consul_leader);
  EXPECT_EQ(action<WaitUntil>("wait_until: once-mode done").condition, Condition::once_mode_done);
  EXPECT_EQ(action<WaitUntil>("wait_until: no leader").condition, Condition::no_leader);
  const WaitUntil applied = action<WaitUntil>("wait_until: task web applied");
  EXPECT_EQ(applied.condition, Condition::task_applied);
  EXPECT_EQ(applied.task, "web");
  EXPECT_EQ(applied.timeout.ns, 600 * kSecond);
  const WaitUntil bounded = action<WaitUntil>("wait_until: { until: task db applied, timeout: 3x ttl }");
  EXPECT_EQ(bounded.task, "db");
  EXPECT_TRUE(bounded.timeout.relative_to_ttl);
  EXPECT_DOUBLE_EQ(bounded.timeout.ttl_multiple, 3.0);
}

TEST(ScenarioStep, Run) { EXPECT_EQ(action<RunFor>("run: 1m30s").duration.ns, 90 * kSecond); }

TEST(ScenarioStep, EveryActionIsDocumentedByName) {
  EXPECT_EQ(action_names().size(), std::variant_size_v<Action>);
}

// --- expectations ----------------------------------------------------------------------------

TEST(ScenarioExpect, EveryKey) {
  const Scenario s = ok(kBase +
                        "expect:\n"  // 9
                        "  failover: { min: 1x session_ttl, max: 2x session_ttl, slack: 50ms }\n"
                        "  invariants: [exclusive-apply, one-acting-leader, failover-bound, converged, persistence, "
                        "once-mode]\n"
                        "  leader_changes: 1\n"
                        "  final_infrastructure: { web: [web-1, web-2], db: [] }\n"
                        "  log_contains: ['[INFO] ha: acquired leadership lock']\n"
                        "  log_absent: ['[ERROR]']\n"
                        "  convergence: 90s\n"
                        "  stop_when_converged: true\n"
                        "  limit: Consul's leader change resets session timers\n");
  const Expectations& e = s.expect;
  EXPECT_EQ(e.at_source.line, 10);
  ASSERT_TRUE(e.failover);
  EXPECT_DOUBLE_EQ(e.failover->min.ttl_multiple, 1.0);
  EXPECT_DOUBLE_EQ(e.failover->max.ttl_multiple, 2.0);
  EXPECT_EQ(e.failover->slack.ns, 50 * kMillisecond);
  EXPECT_EQ(e.invariants.size(), 6u);
  EXPECT_EQ(e.leader_changes, std::optional<int>(1));
  EXPECT_EQ(e.final_infrastructure.at("web"), (std::vector<std::string>{"web-1", "web-2"}));
  EXPECT_TRUE(e.final_infrastructure.at("db").empty());
  EXPECT_EQ(e.log_contains, (std::vector<std::string>{"[INFO] ha: acquired leadership lock"}));
  EXPECT_EQ(e.log_absent, (std::vector<std::string>{"[ERROR]"}));
  EXPECT_EQ(e.convergence.ns, 90 * kSecond);
  EXPECT_TRUE(e.stop_when_converged);
  EXPECT_EQ(e.limit, "Consul's leader change resets session timers");
}

TEST(ScenarioExpect, FailoverDefaultsToOneToTwoTtls) {
  const Scenario s = ok(kBase + "expect:\n  failover: {}\n");
  ASSERT_TRUE(s.expect.failover);
  EXPECT_DOUBLE_EQ(s.expect.failover->min.ttl_multiple, 1.0);
  EXPECT_DOUBLE_EQ(s.expect.failover->max.ttl_multiple, 2.0);
  EXPECT_EQ(s.expect.failover->slack.ns, kSecond);
}

// --- errors, one per kind, exact -------------------------------------------------------------

TEST(ScenarioError, YamlSyntax) {
  EXPECT_EQ(error_of("name: [t\nengine: 1\n"), "t.yaml:2:7: YAML syntax error: end of sequence flow not found");
  EXPECT_EQ(error_of("name: t\n  about: x\n"), "t.yaml:2:8: YAML syntax error: illegal map value");
  EXPECT_EQ(error_of(kBase + "steps:\n  - crash: leader\n restart: x\n"), "t.yaml:11:2: YAML syntax error: end of map not found");
  EXPECT_EQ(error_of(kBase + "steps: *nothing\n"), "t.yaml:9:8: YAML syntax error: the referenced anchor is not defined");
}

TEST(ScenarioError, NoScenarioInTheFile) {
  EXPECT_EQ(error_of(""), "t.yaml:1:1: the file has no scenario: expected a map of scenario keys (name, engine, steps, expect, ...)");
  EXPECT_EQ(error_of("# nothing\n"),
            "t.yaml:1:1: the file has no scenario: expected a map of scenario keys (name, engine, steps, expect, ...)");
  EXPECT_EQ(error_of("- a\n- b\n"), "t.yaml:1:1: expected a map of scenario keys (name, engine, steps, expect, ...), found a list");
  EXPECT_EQ(error_of(kBase + "---\nname: u\n"), "t.yaml:10:1: a scenario file holds one YAML document; this is a second");
}

TEST(ScenarioParser, StepErrorsStopByDefaultOrContinue) {
  EXPECT_FALSE(ok(kBase).continue_after_step_errors);
  EXPECT_TRUE(ok(kBase + "step_errors: continue\n").continue_after_step_errors);
  EXPECT_FALSE(ok(kBase + "step_errors: stop\n").continue_after_step_errors);
  EXPECT_EQ(error_of(kBase + "step_errors: ignore\n"), "t.yaml:9:14: step_errors: expected one of stop, continue, found \"ignore\"");
}

TEST(ScenarioError, UnknownKeysListTheAllowedOnes) {
  EXPECT_EQ(error_of(kBase + "steps: []\nexpectations: {}\n"),
            "t.yaml:10:1: unknown key \"expectations\" (allowed: name, about, seed, duration, consul, network, engine, "
            "terraform, steps, expect, planted_bugs, step_errors)");
  EXPECT_EQ(error_of(kBase + "consul:\n  servers: 3\n  serverz: 5\n"),
            "t.yaml:11:3: consul: unknown key \"serverz\" (allowed: servers, bootstrap_expect, profile, raft_multiplier, "
            "session_ttl_multiplier)");
  EXPECT_EQ(error_of(step("register: { service: web, ports: 80 }")),
            "t.yaml:10:31: steps[0].register: unknown key \"ports\" (allowed: service, id, address, port, tags, meta, "
            "node, status)");
}

TEST(ScenarioError, DuplicateKeys) {
  EXPECT_EQ(error_of(kBase + "consul: { servers: 3, servers: 5 }\n"),
            "t.yaml:9:23: consul: duplicate key \"servers\" (first at line 9)");
  EXPECT_EQ(error_of(kBase + "name: u\n"), "t.yaml:9:1: duplicate key \"name\" (first at line 1)");
}

TEST(ScenarioError, WrongTypes) {
  EXPECT_EQ(error_of(kBase + "consul: { servers: three }\n"),
            "t.yaml:9:20: consul.servers: expected an integer in 1..7, found \"three\"");
  EXPECT_EQ(error_of(kBase + "consul: { servers: \"3\" }\n"),
            "t.yaml:9:20: consul.servers: expected an integer in 1..7, found \"3\"");
  EXPECT_EQ(error_of(kBase + "consul: 3\n"), "t.yaml:9:9: consul: expected a map, found \"3\"");
  EXPECT_EQ(error_of(kBase + "steps: { crash: leader }\n"), "t.yaml:9:8: steps: expected a list of steps, found a map");
  EXPECT_EQ(error_of(step("kv_delete: { key: a, recurse: yes }")),
            "t.yaml:10:35: steps[0].kv_delete.recurse: expected true or false, found \"yes\"");
  EXPECT_EQ(error_of(step("register: { service: [web] }")),
            "t.yaml:10:26: steps[0].register.service: expected a string, found a list");
  EXPECT_EQ(error_of(step("register: { service: web, tags: web }")),
            "t.yaml:10:37: steps[0].register.tags: expected a list of strings, found \"web\"");
  EXPECT_EQ(error_of(kBase + "seed: -1\n"),
            "t.yaml:9:7: seed: expected an integer in 0..18446744073709551615, found \"-1\"");
  EXPECT_EQ(error_of(kBase + "consul: { servers: !!int 3 }\n"),
            "t.yaml:9:20: consul.servers: YAML tags are not supported (found \"tag:yaml.org,2002:int\")");
}

TEST(ScenarioError, KeysAreWords) {
  EXPECT_EQ(ok(kBase + "consul: { \"servers\": 5 }\n").consul.servers, 5);
  EXPECT_EQ(error_of(kBase + "consul: { [servers]: 5 }\n"), "t.yaml:9:11: consul: a key must be a word, found a list");
}

TEST(ScenarioParser, AnchorsAndAliasesWork) {
  const Scenario s = ok(kBase +
                        "steps:\n"
                        "  - register: &web { service: web, id: web-1, port: 80 }\n"
                        "  - deregister: web-1\n"
                        "  - register: *web\n");
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(std::get<Register>(s.steps[2].action).id, "web-1");
}

TEST(ScenarioError, NullValuesPointAtTheirKey) {
  EXPECT_EQ(error_of(kBase + "steps:\n  - crash:\n"), "t.yaml:10:5: steps[0].crash: expected a target (leader, follower, all-instances, cts-01..cts-03, consul-leader, consul-follower, all-consul-servers, consul-1..consul-3), found nothing");
}

TEST(ScenarioError, BadDurations) {
  EXPECT_EQ(error_of(step("run: 30")), "t.yaml:10:10: steps[0].run: bad duration \"30\": missing unit (ns, us, ms, s, m, h)");
  EXPECT_EQ(error_of(kBase + "network: { latency: 5ms..1ms }\n"),
            "t.yaml:9:21: network.latency: bad range \"5ms..1ms\": its minimum 5ms is more than its maximum 1ms");
  EXPECT_EQ(error_of(kBase + "network: { latency: 1x ttl }\n"),
            "t.yaml:9:21: network.latency: bad duration \"1x ttl\": a multiple of the session TTL is not allowed here");
  EXPECT_EQ(error_of(step("clock_skew: { target: leader, offset: 3 }")),
            "t.yaml:10:43: steps[0].clock_skew.offset: bad duration \"3\": missing unit (ns, us, ms, s, m, h)");
}

TEST(ScenarioError, StepTiming) {
  EXPECT_EQ(error_of(kBase + "steps:\n  - at: -5s\n    crash: leader\n"),
            "t.yaml:10:9: steps[0].at: at cannot be negative: write 30s for 30s after the start, +10s for 10s after "
            "the previous step");
  EXPECT_EQ(error_of(kBase +
                     "steps:\n"
                     "  - at: 30s\n"
                     "    crash: leader\n"
                     "  - at: 10s\n"
                     "    restart: cts-01\n"),
            "t.yaml:12:9: steps[1].at: at 10s is before an earlier step's at 30s (steps run in order; +10s means after "
            "the previous step)");
  EXPECT_EQ(error_of(kBase + "steps:\n  - at: +1z\n    crash: leader\n"),
            "t.yaml:10:9: steps[0].at: bad duration \"1z\": unknown unit \"z\" (ns, us, ms, s, m, h)");
}

TEST(ScenarioError, UnknownStepKind) {
  EXPECT_EQ(error_of(step("explode: leader")),
            "t.yaml:10:5: steps[0]: unknown action \"explode\" (a step has at and one of: register, deregister, check, "
            "kv_put, kv_delete, crash, restart, stop, pause, resume, partition, heal, clock_skew, clock_drift, api, "
            "terraform_fail, terraform_recover, write_peers_json, wait_until, run)");
}

TEST(ScenarioError, StepWithTwoActions) {
  EXPECT_EQ(error_of(kBase + "steps:\n  - crash: leader\n    restart: leader\n"),
            "t.yaml:11:5: steps[0]: a step has one action, this one has crash and restart (split it into two steps)");
}

TEST(ScenarioError, StepWithoutAction) {
  EXPECT_EQ(error_of(kBase + "steps:\n  - at: 5s\n"),
            "t.yaml:10:5: steps[0]: a step needs an action, one of: register, deregister, check, kv_put, kv_delete, "
            "crash, restart, stop, pause, resume, partition, heal, clock_skew, clock_drift, api, terraform_fail, "
            "terraform_recover, write_peers_json, wait_until, run");
  EXPECT_EQ(error_of(kBase + "steps:\n  - crash\n"),
            "t.yaml:10:5: steps[0]: expected a step (a map: an action and optionally at), found \"crash\"");
}

TEST(ScenarioError, UnknownTargets) {
  EXPECT_EQ(error_of(kBase + "steps:\n  - run: 1s\n  - run: 1s\n  - run: 1s\n  - crash: cts-9\n"),
            "t.yaml:13:12: steps[3].crash: unknown target \"cts-9\" (instances are cts-01..cts-03)");
  EXPECT_EQ(error_of(step("pause: consul-4")),
            "t.yaml:10:12: steps[0].pause: unknown target \"consul-4\" (Consul servers are consul-1..consul-3)");
  EXPECT_EQ(error_of(kBase + "consul: { servers: 5 }\nsteps:\n  - pause: consul-5\n  - pause: consul-6\n"),
            "t.yaml:12:12: steps[1].pause: unknown target \"consul-6\" (Consul servers are consul-1..consul-5)");
  EXPECT_EQ(error_of(step("restart: { target: consul-1, reset_storage: true }")),
            "t.yaml:10:49: steps[0].restart.reset_storage: reset_storage is a flag of baton instances, not of Consul "
            "servers");
  EXPECT_EQ(error_of(step("restart: { target: leader, bootstrap_expect: 1 }")),
            "t.yaml:10:50: steps[0].restart.bootstrap_expect: bootstrap_expect is a flag of Consul servers, not of "
            "baton instances");
  EXPECT_EQ(error_of(step("partition: { target: consul-1, from: consul }")),
            "t.yaml:10:42: steps[0].partition.from: from: consul cuts a baton instance off; the target is a Consul "
            "server (use a server's name)");
  EXPECT_EQ(error_of(step("partition: { target: cts-01, from: cts-01 }")),
            "t.yaml:10:40: steps[0].partition.from: a process cannot be cut off from itself");
  EXPECT_EQ(error_of(step("write_peers_json: { server: consul-leader, peers: [consul-1] }")),
            "t.yaml:10:33: steps[0].write_peers_json.server: expected a Consul server by name (consul-1..consul-3), "
            "found \"consul-leader\"");
  EXPECT_EQ(error_of(step("write_peers_json: { server: consul-1, peers: [consul-1, cts-01] }")),
            "t.yaml:10:61: steps[0].write_peers_json.peers[1]: expected a Consul server (consul-leader, "
            "consul-follower, all-consul-servers, consul-1..consul-3), found \"cts-01\"");
  EXPECT_EQ(error_of(kBase.substr(0, kBase.find("  config")) + "  reset_storage: [cts-04]\n  config: x\n"),
            "t.yaml:4:19: engine.reset_storage[0]: unknown target \"cts-04\" (instances are cts-01..cts-03)");
}

TEST(ScenarioError, UnknownInvariant) {
  EXPECT_EQ(error_of(kBase + "expect:\n  invariants: [exclusive-apply, no-split-brain]\n"),
            "t.yaml:10:33: expect.invariants[1]: unknown invariant \"no-split-brain\" (invariants are exclusive-apply, "
            "one-acting-leader, failover-bound, converged, persistence, once-mode)");
  EXPECT_EQ(error_of(kBase + "expect:\n  invariants: [converged, converged]\n"),
            "t.yaml:10:27: expect.invariants[1]: \"converged\" is listed twice");
}

TEST(ScenarioError, UnknownConditionsAndChoices) {
  EXPECT_EQ(error_of(step("wait_until: task web finished")),
            "t.yaml:10:17: steps[0].wait_until: unknown condition \"task web finished\" (conditions: leader elected, "
            "consul leader, task <name> applied, once-mode done, no leader)");
  EXPECT_EQ(error_of(step("check: { id: web-1, status: ok }")),
            "t.yaml:10:33: steps[0].check.status: expected one of passing, warning, critical, found \"ok\"");
  EXPECT_EQ(error_of(kBase + "consul: { profile: ancient }\n"),
            "t.yaml:9:20: consul.profile: expected one of modern, legacy, found \"ancient\"");
  EXPECT_EQ(error_of(step("terraform_fail: { command: plan, mode: partial }")),
            "t.yaml:10:44: steps[0].terraform_fail.mode: mode partial is for command apply (plan changes nothing)");
  EXPECT_EQ(error_of(step("api: { delete: web, enable: web }")),
            "t.yaml:10:25: steps[0].api: an api step makes one call: create, delete, enable or disable");
}

TEST(ScenarioError, OutOfRange) {
  EXPECT_EQ(error_of(kBase + "consul: { servers: 8 }\n"), "t.yaml:9:20: consul.servers: expected an integer in 1..7, found 8");
  EXPECT_EQ(error_of(kBase + "consul: { servers: 0 }\n"), "t.yaml:9:20: consul.servers: expected an integer in 1..7, found 0");
  EXPECT_EQ(error_of("name: t\nengine:\n  instances: 10\n  config: x\n"),
            "t.yaml:3:14: engine.instances: expected an integer in 1..9, found 10");
  EXPECT_EQ(error_of(kBase + "network: { loss: 1 }\n"), "t.yaml:9:18: network.loss: expected a probability in [0, 1), found 1");
  EXPECT_EQ(error_of(kBase + "network: { loss: -0.1 }\n"),
            "t.yaml:9:18: network.loss: expected a probability in [0, 1), found \"-0.1\"");
  EXPECT_EQ(error_of(step("register: { service: web, port: 70000 }")),
            "t.yaml:10:37: steps[0].register.port: expected an integer in 0..65535, found 70000");
  EXPECT_EQ(error_of(step("clock_drift: { target: leader, ppm: 600000 }")),
            "t.yaml:10:41: steps[0].clock_drift.ppm: expected an integer in -500000..500000, found 600000");
  EXPECT_EQ(error_of(kBase + "consul: { servers: 99999999999999999999 }\n"),
            "t.yaml:9:20: consul.servers: expected an integer in 1..7, found 99999999999999999999");
}

TEST(ScenarioError, MissingRequiredKeys) {
  EXPECT_EQ(error_of("engine: { config: x }\n"), "t.yaml:1:1: missing required key \"name\"");
  EXPECT_EQ(error_of("name: t\n"), "t.yaml:1:1: missing required key \"engine\"");
  EXPECT_EQ(error_of("name: t\nengine: { instances: 2 }\n"),
            "t.yaml:2:9: engine: missing required key \"config\" (the instances' HCL) or \"config_file\" (a path to it)");
  EXPECT_EQ(error_of(step("register: { id: web-1 }")),
            "t.yaml:10:15: steps[0].register: missing required key \"service\"");
  EXPECT_EQ(error_of(step("api: { create: { task: db } }")),
            "t.yaml:10:20: steps[0].api.create: missing required key \"config\"");
  EXPECT_EQ(error_of(step("write_peers_json: { server: consul-1, peers: [] }")),
            "t.yaml:10:50: steps[0].write_peers_json.peers: peers.json lists at least one server");
}

TEST(ScenarioError, ConfigAndConfigFileTogether) {
  EXPECT_EQ(error_of(kBase + "  config_file: x.hcl\n"),
            "t.yaml:9:3: engine: config and config_file both give the configuration: keep one");
}

TEST(ScenarioError, TooLarge) {
  const std::string huge = kBase + "about: '" + std::string(kScenarioFileBytesMax, 'x') + "'\n";
  EXPECT_EQ(error_of(huge), "t.yaml: larger than 1048576 bytes");
}

TEST(ScenarioError, AliasesCannotLoopTheReader) {
  // yaml-cpp builds a list that contains itself; the reader's shape checks stop at it.
  EXPECT_EQ(error_of(kBase + "steps: &s [*s]\n"),
            "t.yaml:9:8: steps[0]: expected a step (a map: an action and optionally at), found a list");
}

TEST(ScenarioError, ToStringWithoutPositionOrPath) {
  EXPECT_EQ((ScenarioError{"a.yaml", 0, 0, "", "cannot read"}).to_string(), "a.yaml: cannot read");
  EXPECT_EQ((ScenarioError{"a.yaml", 2, 3, "", "bad"}).to_string(), "a.yaml:2:3: bad");
  EXPECT_EQ((ScenarioError{"a.yaml", 2, 3, "x.y", "bad"}).to_string(), "a.yaml:2:3: x.y: bad");
}

// --- the scenarios shipped in scenarios/ -----------------------------------------------------

std::vector<std::filesystem::path> scenario_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(BATON_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ScenarioFiles, EveryFileInScenariosParses) {
  const std::vector<std::filesystem::path> files = scenario_files();
  EXPECT_GE(files.size(), 14u);
  for (const std::filesystem::path& path : files) {
    const ParsedScenario parsed = load_scenario(path.string());
    if (const auto* error = std::get_if<ScenarioError>(&parsed)) {
      ADD_FAILURE() << error->to_string();
      continue;
    }
    const Scenario& scenario = std::get<Scenario>(parsed);
    EXPECT_EQ(scenario.name, path.stem().string()) << path;
    EXPECT_FALSE(scenario.about.empty()) << path;
    EXPECT_FALSE(scenario.steps.empty()) << path;
    EXPECT_NE(scenario.engine.config_hcl.find("session_ttl = \"15s\""), std::string::npos) << path;
    EXPECT_FALSE(scenario.expect.invariants.empty()) << path;
  }
}

TEST(ScenarioFiles, TheIssuesScenariosAreThere) {
  for (const char* name : {"leader-crash", "graceful-handover", "session-ttl-expiry", "leader-pause",
                           "failover-during-apply", "consul-leader-loss", "instance-partition", "quorum-loss-peers-json",
                           "bootstrap-expect-recovery", "consul-issue-993", "rolling-update", "task-replace",
                           "reset-storage", "error-after-failover"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(BATON_SOURCE_DIR) / "scenarios" / (std::string(name) + ".yaml")))
        << name;
  }
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// scenarios/README.md shows leader-crash.yaml in full: it must be the file as it is.
TEST(ScenarioFiles, TheReadmeShowsLeaderCrashAsItIs) {
  const std::filesystem::path dir = std::filesystem::path(BATON_SOURCE_DIR) / "scenarios";
  const std::string readme = file_text(dir / "README.md");
  const std::string opening = "```yaml\nname: leader-crash\n";
  const std::size_t start = readme.find(opening);
  ASSERT_NE(start, std::string::npos);
  const std::size_t end = readme.find("```", start + opening.size());
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(readme.substr(start + 8, end - start - 8), file_text(dir / "leader-crash.yaml"));
}

TEST(ScenarioFiles, LoadingAMissingFileIsAnError) {
  const ParsedScenario parsed = load_scenario("/nonexistent/x.yaml");
  ASSERT_TRUE(std::holds_alternative<ScenarioError>(parsed));
  EXPECT_EQ(std::get<ScenarioError>(parsed).to_string(), "/nonexistent/x.yaml: cannot read the scenario: No such file or directory");
}

}  // namespace
}  // namespace baton::sim::scenario
