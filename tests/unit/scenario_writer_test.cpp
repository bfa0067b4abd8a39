// The scenario writer (sim/scenario/scenario_writer.hpp): every file in scenarios/ and random
// scenarios of every step kind read back as the same scenario; comments, tricky strings and
// exact durations survive; what the language cannot express is reported, never dropped.
//
// Equality here is the test's own, field by field (`same`), independent of the library's
// scenario_fields/first_difference, which the writer uses to check itself; both must agree.
#include "sim/scenario/scenario_writer.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "sim/runtime/node_clock.hpp"
#include "sim/scenario/scenario_parser.hpp"
#include "sim/scenario/target_text.hpp"

namespace baton::sim::scenario {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

// --- equality, ignoring SourceRefs and what sim/run never reads ---------------------------------

bool same(const DurationSpec& a, const DurationSpec& b) {
  return a.relative_to_ttl == b.relative_to_ttl && (a.relative_to_ttl ? a.ttl_multiple == b.ttl_multiple : a.ns == b.ns);
}
bool same(const DurationRange& a, const DurationRange& b) { return same(a.min, b.min) && same(a.max, b.max); }
bool same(const Target& a, const Target& b) {
  return a.kind == b.kind && a.select == b.select && (a.select != Target::Select::name || a.name == b.name);
}
bool same(const std::optional<Target>& a, const std::optional<Target>& b) {
  return a.has_value() == b.has_value() && (!a || same(*a, *b));
}
bool same(const TerraformFailure& a, const TerraformFailure& b) {
  return std::tie(a.task, a.command, a.times, a.message, a.instance, a.mode) ==
         std::tie(b.task, b.command, b.times, b.message, b.instance, b.mode);
}
bool same(const Register& a, const Register& b) {
  return std::tie(a.service, a.id, a.address, a.port, a.tags, a.meta, a.node, a.status) ==
         std::tie(b.service, b.id, b.address, b.port, b.tags, b.meta, b.node, b.status);
}
bool same(const Deregister& a, const Deregister& b) { return a.id == b.id; }
bool same(const SetCheck& a, const SetCheck& b) { return a.id == b.id && a.status == b.status; }
bool same(const KvPut& a, const KvPut& b) { return a.key == b.key && a.value == b.value; }
bool same(const KvDelete& a, const KvDelete& b) { return a.key == b.key && a.recurse == b.recurse; }
bool same(const Crash& a, const Crash& b) { return same(a.target, b.target); }
bool same(const Stop& a, const Stop& b) { return same(a.target, b.target); }
bool same(const Pause& a, const Pause& b) { return same(a.target, b.target); }
bool same(const Resume& a, const Resume& b) { return same(a.target, b.target); }
bool same(const Restart& a, const Restart& b) {
  return same(a.target, b.target) && std::tie(a.reset_storage, a.bootstrap_expect, a.config_hcl) ==
                                          std::tie(b.reset_storage, b.bootstrap_expect, b.config_hcl);
}
bool same(const Partition& a, const Partition& b) {
  return same(a.target, b.target) && same(a.from, b.from) && a.from_consul == b.from_consul &&
         a.from_instances == b.from_instances;
}
bool same(const Heal& a, const Heal& b) { return same(a.target, b.target); }
bool same(const ClockSkew& a, const ClockSkew& b) { return same(a.target, b.target) && a.offset_ns == b.offset_ns; }
bool same(const ClockDrift& a, const ClockDrift& b) { return same(a.target, b.target) && a.drift_ppm == b.drift_ppm; }
bool same(const ApiCall& a, const ApiCall& b) {
  return a.op == b.op && a.task == b.task && (a.op != ApiCall::Op::create || a.task_hcl == b.task_hcl);
}
bool same(const TerraformFail& a, const TerraformFail& b) { return same(a.failure, b.failure); }
bool same(const TerraformRecover& a, const TerraformRecover& b) { return a.task == b.task; }
bool same(const WritePeersJson& a, const WritePeersJson& b) { return same(a.server, b.server) && a.peers == b.peers; }
bool same(const WaitUntil& a, const WaitUntil& b) {
  return a.condition == b.condition && (a.condition != WaitUntil::Condition::task_applied || a.task == b.task) &&
         same(a.timeout, b.timeout);
}
bool same(const RunFor& a, const RunFor& b) { return same(a.duration, b.duration); }

bool same(const Action& a, const Action& b) {
  if (a.index() != b.index()) return false;
  return std::visit([&](const auto& left) { return same(left, std::get<std::decay_t<decltype(left)>>(b)); }, a);
}

bool same(const Step& a, const Step& b) {
  if (a.at.has_value() != b.at.has_value()) return false;
  if (a.at && (!same(*a.at, *b.at) || a.at_is_relative != b.at_is_relative)) return false;
  return same(a.action, b.action);
}

bool same(const Expectations& a, const Expectations& b) {
  const bool failover = a.failover.has_value() == b.failover.has_value() &&
                        (!a.failover || (same(a.failover->min, b.failover->min) && same(a.failover->max, b.failover->max) &&
                                         same(a.failover->slack, b.failover->slack)));
  return failover && same(a.convergence, b.convergence) && a.stop_when_converged == b.stop_when_converged &&
         std::tie(a.invariants, a.leader_changes, a.final_infrastructure, a.log_contains, a.log_absent, a.limit) ==
             std::tie(b.invariants, b.leader_changes, b.final_infrastructure, b.log_contains, b.log_absent, b.limit);
}

// The instances listed with reset_storage: true (false means the same as unlisted).
std::set<std::string> reset_set(const EngineSpec& engine) {
  std::set<std::string> names;
  for (const auto& [name, reset] : engine.reset_storage) {
    if (reset) names.insert(name);
  }
  return names;
}

bool same(const PlantedBugs& a, const PlantedBugs& b) {
  return std::tie(a.skip_fencing, a.skip_once_mode, a.drop_changes_during_run, a.concurrent_runs, a.skip_storing_task_changes) ==
         std::tie(b.skip_fencing, b.skip_once_mode, b.drop_changes_during_run, b.concurrent_runs, b.skip_storing_task_changes);
}

bool same(const Scenario& a, const Scenario& b) {
  const ConsulSpec& ac = a.consul;
  const ConsulSpec& bc = b.consul;
  const bool consul = std::tie(ac.servers, ac.bootstrap_expect, ac.profile, ac.raft_multiplier, ac.session_ttl_multiplier) ==
                      std::tie(bc.servers, bc.bootstrap_expect, bc.profile, bc.raft_multiplier, bc.session_ttl_multiplier);
  const bool engine = a.engine.instances == b.engine.instances && a.engine.config_hcl == b.engine.config_hcl &&
                      reset_set(a.engine) == reset_set(b.engine);
  const bool terraform = same(a.terraform.apply_time, b.terraform.apply_time) && same(a.terraform.init_time, b.terraform.init_time) &&
                         std::equal(a.terraform.failures.begin(), a.terraform.failures.end(), b.terraform.failures.begin(),
                                    b.terraform.failures.end(), [](const auto& x, const auto& y) { return same(x, y); });
  const bool steps = std::equal(a.steps.begin(), a.steps.end(), b.steps.begin(), b.steps.end(),
                                [](const Step& x, const Step& y) { return same(x, y); });
  return std::tie(a.name, a.about, a.seed, a.continue_after_step_errors) == std::tie(b.name, b.about, b.seed, b.continue_after_step_errors) &&
         same(a.duration, b.duration) && consul && same(a.network.latency, b.network.latency) && a.network.loss == b.network.loss &&
         engine && terraform && same(a.bugs, b.bugs) && steps && same(a.expect, b.expect);
}

// --- helpers --------------------------------------------------------------------------------------

// The scenario `text` reads as; throws (failing the test or property) when it does not parse.
Scenario read(const std::string& text) {
  ParsedScenario parsed = parse_scenario("written.yaml", text, MemoryScenarioFiles{});
  if (const auto* error = std::get_if<ScenarioError>(&parsed)) {
    throw std::runtime_error("the written text does not parse: " + error->to_string() + "\n" + text);
  }
  return std::get<Scenario>(std::move(parsed));
}

Scenario load(const std::filesystem::path& path) {
  ParsedScenario parsed = load_scenario(path.string());
  if (const auto* error = std::get_if<ScenarioError>(&parsed)) throw std::runtime_error(error->to_string());
  return std::get<Scenario>(std::move(parsed));
}

std::filesystem::path scenarios_dir() { return std::filesystem::path(BATON_SOURCE_DIR) / "scenarios"; }

// The smallest scenario the parser accepts, to add one thing to.
Scenario minimal() {
  Scenario s;
  s.name = "t";
  s.engine.config_hcl = "task {\n  name = \"web\"\n}\n";
  return s;
}

Scenario with_step(Action action) {
  Scenario s = minimal();
  s.steps.push_back(Step{{}, std::nullopt, false, std::move(action)});
  return s;
}

// Writes `s`, reads it back, and checks both equalities and that writing is idempotent.
void expect_round_trip(const Scenario& s) {
  const std::string text = write_scenario_yaml(s);
  const Scenario back = read(text);
  EXPECT_TRUE(same(s, back)) << first_difference(s, back).value_or("(first_difference sees none)") << "\n" << text;
  EXPECT_EQ(first_difference(s, back), std::nullopt) << text;
  EXPECT_EQ(write_scenario_yaml(back), text);
}

// The message write_scenario_yaml throws with, or "(written)".
std::string write_error(const Scenario& s) {
  try {
    write_scenario_yaml(s);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(written)";
}

// --- the files in scenarios/ ----------------------------------------------------------------------

TEST(ScenarioWriter, EveryScenarioFileReadsBackTheSame) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(scenarios_dir())) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    ++files;
    const Scenario original = load(entry.path());
    const std::string text = write_scenario_yaml(original);
    const Scenario back = read(text);
    EXPECT_TRUE(same(original, back)) << first_difference(original, back).value_or("(first_difference sees none)");
    EXPECT_EQ(first_difference(original, back), std::nullopt);
    EXPECT_EQ(write_scenario_yaml(back), text);
    // The key parts, one by one, so that a failure says which.
    EXPECT_EQ(back.name, original.name);
    EXPECT_EQ(back.about, original.about);
    EXPECT_EQ(back.engine.config_hcl, original.engine.config_hcl);
    EXPECT_EQ(back.engine.instances, original.engine.instances);
    EXPECT_EQ(reset_set(back.engine), reset_set(original.engine));
    EXPECT_EQ(back.consul.bootstrap_expect, original.consul.bootstrap_expect);
    EXPECT_EQ(back.consul.profile, original.consul.profile);
    ASSERT_EQ(back.steps.size(), original.steps.size());
    for (std::size_t i = 0; i < back.steps.size(); ++i) EXPECT_TRUE(same(back.steps[i], original.steps[i])) << "step " << i;
    EXPECT_EQ(back.expect.invariants, original.expect.invariants);
    EXPECT_EQ(back.expect.final_infrastructure, original.expect.final_infrastructure);
    EXPECT_EQ(back.expect.log_contains, original.expect.log_contains);
    EXPECT_EQ(back.expect.limit, original.expect.limit);
  }
  EXPECT_GE(files, 15);
}

TEST(ScenarioWriter, LeaderCrashReadsLikeTheHandWrittenFile) {
  const std::string text = write_scenario_yaml(load(scenarios_dir() / "leader-crash.yaml"));
  for (const char* expected : {
           "name: leader-crash\nabout: >\n  The leader dies without releasing its lock",
           "engine:\n  instances: 3\n  config: |\n    high_availability {\n      cluster {\n",
           "  - register: { service: web, id: web-1, address: 10.0.0.1, port: 80 }\n",
           "  - wait_until: task web applied\n",
           "  - crash: leader\n",
           "  - at: +10s\n    register: { service: web, id: web-2, address: 10.0.0.2, port: 80 }\n",
           "  - wait_until: { until: leader elected, timeout: 3x session_ttl }\n",
           "  failover: { min: 1x session_ttl, max: 2x session_ttl, slack: 1s }\n",
           "  final_infrastructure: { web: [web-1, web-2] }\n",
           "  log_contains: [\"ha: acquired leadership lock\"]\n",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
  // Defaults are not written: the file's `consul: { servers: 3, bootstrap_expect: 3, profile:
  // modern }`, `network: { latency: 1ms..5ms }` and `terraform: { apply_time: 2s..6s }` are.
  for (const char* key : {"consul:", "network:", "terraform:"}) EXPECT_EQ(text.find(key), std::string::npos) << key;
  EXPECT_EQ(text.find("seed:"), std::string::npos) << "the default seed is not written";
  EXPECT_EQ(text.find("convergence:"), std::string::npos) << "the default convergence is not written";
}

TEST(ScenarioWriter, BlockStepsLookLikeTheFiles) {
  const std::string text = write_scenario_yaml(load(scenarios_dir() / "task-replace.yaml"));
  EXPECT_NE(text.find("  - api:\n      create:\n        task: web\n        config: |\n          task {\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  - api: { delete: web }\n"), std::string::npos) << text;

  Restart restart;
  restart.target = Target{Target::Kind::instance, Target::Select::name, "cts-02"};
  restart.reset_storage = true;
  restart.config_hcl = "task {\n  name = \"web\"\n}\n";
  Scenario s = with_step(restart);
  s.steps[0].at = DurationSpec{5 * kSecond};
  s.steps[0].at_is_relative = true;
  const std::string written = write_scenario_yaml(s);
  EXPECT_NE(written.find("  - at: +5s\n    restart:\n      target: cts-02\n      reset_storage: true\n      config: |\n        task {\n"),
            std::string::npos)
      << written;
  expect_round_trip(s);
}

// --- comments -------------------------------------------------------------------------------------

TEST(ScenarioWriter, HeaderAndStepCommentsAppearAndTheTextStillParses) {
  const Scenario original = load(scenarios_dir() / "leader-crash.yaml");
  WriteOptions options;
  options.header_comments = {"Written by sim shrink: seed 42, 7 steps from 31.", "", "second paragraph: # and \"quotes\"",
                             "two\nlines"};
  options.step_comments = {{0, "the workload"}, {3, "the fault that matters: leader: crash"}};
  const std::string text = write_scenario_yaml(original, options);
  EXPECT_EQ(text.rfind("# Written by sim shrink: seed 42, 7 steps from 31.\n#\n# second paragraph: # and \"quotes\"\n# two\n# lines\nname: leader-crash\n", 0), 0u)
      << text;
  EXPECT_NE(text.find("steps:\n  # the workload\n  - register:"), std::string::npos) << text;
  EXPECT_NE(text.find("  # the fault that matters: leader: crash\n  - crash: leader\n"), std::string::npos) << text;
  EXPECT_TRUE(same(read(text), original));
}

TEST(ScenarioWriter, AStepCommentForAMissingStepIsAnError) {
  WriteOptions options;
  options.step_comments = {{0, "no such step"}};
  EXPECT_THROW(write_scenario_yaml(minimal(), options), std::invalid_argument);
}

// --- strings and durations ------------------------------------------------------------------------

const std::vector<std::string>& tricky_strings() {
  static const std::vector<std::string> strings = {
      "", "yes", "No", "true", "FALSE", "on", "null", "~", "123", "-1", "+1", "1e3", "0x1F", "1_000", ".5", ".inf", "10.0.0.1",
      "a: b", "a:b", "key:", "# not a comment", "a #b", "a#b", "- x", "-", "-x", "--- ", "...", "&anchor", "*alias", "!tag",
      "%directive", "@at", "`tick`", "'", "\"", "it's \"quoted\"", "back\\slash", "{a: 1}", "[1, 2]", ",", "?", "|", ">",
      " leading", "trailing ", "two  spaces", "two\nlines", "ends\n", "\ttab", "tab\tinside", "\r\n", "bell\x07", "µs ∞",
      std::string("nul\0inside", 10), "\xC2\x85" "nel", "\xE2\x80\xA8" "ls", "\xEF\xBB\xBF" "bom",
  };
  return strings;
}

TEST(ScenarioWriter, TrickyStringsReadBackExactly) {
  for (const std::string& text : tricky_strings()) {
    SCOPED_TRACE(testing::PrintToString(text));
    KvPut put;
    put.key = text.empty() ? "k" : text;
    put.value = text;
    Scenario s = with_step(put);
    Register r;
    r.service = "web";
    r.id = "web";
    r.address = text;
    r.meta[text] = text;
    if (!text.empty()) r.tags = {text};
    s.steps.push_back(Step{{}, std::nullopt, false, r});
    s.about = text;
    s.expect.limit = text;
    if (!text.empty()) {
      s.name = text;
      s.expect.log_contains = {text};
      s.expect.final_infrastructure[text] = {text};
      s.engine.config_hcl = text;
    }
    expect_round_trip(s);
  }
}

TEST(ScenarioWriter, StringsThatLookLikeOtherTypesAreQuoted) {
  for (const char* text : {"yes", "123", "-1", "true", "null", "", "a: b", "# c", "- x"}) {
    KvPut put;
    put.key = "k";
    put.value = text;
    const std::string written = write_scenario_yaml(with_step(put));
    EXPECT_NE(written.find("value: \"" + std::string(text) + "\" }"), std::string::npos) << written;
  }
  KvPut plain;
  plain.key = "app/config";
  plain.value = "10.0.0.1";
  EXPECT_NE(write_scenario_yaml(with_step(plain)).find("kv_put: { key: app/config, value: 10.0.0.1 }"), std::string::npos);
}

TEST(ScenarioWriter, LongProseIsFoldedAndKeepsItsText) {
  Scenario s = minimal();
  s.about = std::string(40, 'a') + " " + std::string(40, 'b') + " " + std::string(40, 'c') + " d\n";
  s.expect.limit = "a paragraph\n\nand another, not folded\n";
  const std::string text = write_scenario_yaml(s);
  EXPECT_NE(text.find("about: >\n  " + std::string(40, 'a') + " " + std::string(40, 'b') + "\n  " + std::string(40, 'c') + " d\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  limit: |\n    a paragraph\n\n    and another, not folded\n"), std::string::npos) << text;
  expect_round_trip(s);
}

TEST(ScenarioWriter, DurationsUseTheLargestExactUnit) {
  const std::vector<std::pair<std::int64_t, std::string>> cases = {
      {0, "0s"},
      {7, "7ns"},
      {1'500'000'000, "1500ms"},
      {90 * kSecond, "90s"},
      {120 * kSecond, "2m"},
      {7'200 * kSecond, "2h"},
      {1'000, "1us"},
      {1'000'001, "1000001ns"},
      {std::numeric_limits<std::int64_t>::max(), "9223372036854775807ns"},
      {(std::int64_t{1} << 62) + 1, "4611686018427387905ns"},
  };
  for (const auto& [ns, text] : cases) {
    const Scenario s = with_step(RunFor{DurationSpec{ns}});
    const std::string written = write_scenario_yaml(s);
    EXPECT_NE(written.find("  - run: " + text + "\n"), std::string::npos) << written;
    expect_round_trip(s);
  }
  ClockSkew skew;
  skew.target = Target{Target::Kind::instance, Target::Select::leader, ""};
  skew.offset_ns = -3 * kSecond;
  EXPECT_NE(write_scenario_yaml(with_step(skew)).find("clock_skew: { target: leader, offset: -3s }"), std::string::npos);
  skew.offset_ns = std::numeric_limits<std::int64_t>::min() + 1;
  expect_round_trip(with_step(skew));
  for (const double multiple : {0.0, 1.0, 1.5, 0.1, 1.0 / 3, 1000.0, 5e-324}) {
    const Scenario s = with_step(RunFor{DurationSpec{0, multiple, true}});
    expect_round_trip(s);
  }
  EXPECT_NE(write_scenario_yaml(with_step(RunFor{DurationSpec{0, 1.5, true}})).find("run: 1.5x session_ttl"), std::string::npos);
}

// --- what cannot be written -----------------------------------------------------------------------

TEST(ScenarioWriter, ReportsFieldsTheLanguageCannotExpress) {
  Register no_id;
  no_id.service = "web";
  no_id.id = "";  // unwritten, an id is the service's name
  EXPECT_NE(write_error(with_step(no_id)).find("steps[0].register.id"), std::string::npos) << write_error(with_step(no_id));

  Partition both;
  both.target = Target{Target::Kind::instance, Target::Select::leader, ""};
  both.from = Target{Target::Kind::instance, Target::Select::name, "cts-02"};
  both.from_consul = true;
  EXPECT_NE(write_error(with_step(both)).find("steps[0].partition.from_consul = true"), std::string::npos) << write_error(with_step(both));

  EXPECT_NE(write_error(with_step(TerraformRecover{"all"})).find("steps[0].terraform_recover.task"), std::string::npos);
  EXPECT_NE(write_error(with_step(RunFor{DurationSpec{-kSecond}})).find("steps[0].run"), std::string::npos);
  EXPECT_NE(write_error(with_step(RunFor{DurationSpec{0, -1, true}})).find("steps[0].run"), std::string::npos);

  ClockSkew skew;
  skew.target = Target{Target::Kind::instance, Target::Select::leader, ""};
  skew.offset_ns = std::numeric_limits<std::int64_t>::min();
  EXPECT_NE(write_error(with_step(skew)).find("steps[0].clock_skew.offset"), std::string::npos) << write_error(with_step(skew));

  Scenario no_config = minimal();
  no_config.engine.config_hcl.clear();
  EXPECT_NE(write_error(no_config).find("engine.config"), std::string::npos) << write_error(no_config);

  const Scenario far = with_step(Crash{Target{Target::Kind::instance, Target::Select::name, "cts-05"}});
  EXPECT_NE(write_error(far).find("unknown target \"cts-05\""), std::string::npos) << write_error(far);

  Scenario silent = minimal();
  TerraformFailure nameless;
  nameless.message = "";
  silent.terraform.failures.push_back(nameless);
  EXPECT_NE(write_error(silent).find("terraform.failures[0].message"), std::string::npos) << write_error(silent);
}

TEST(ScenarioWriter, IgnoresWhatTheRunnerNeverReads) {
  Scenario s = with_step(Crash{Target{Target::Kind::instance, Target::Select::leader, "leftover"}});
  s.engine.reset_storage["cts-01"] = false;
  s.duration = DurationSpec{123, 2.0, true};  // a TTL multiple: ns is unused
  const Scenario back = read(write_scenario_yaml(s));
  EXPECT_TRUE(same(s, back));
  EXPECT_EQ(first_difference(s, back), std::nullopt);
}

// --- random scenarios -----------------------------------------------------------------------------

int pick(int low, int high) { return *rc::gen::inRange(low, high + 1); }
bool coin() { return *rc::gen::arbitrary<bool>(); }
template <class T>
T one_of(const std::vector<T>& choices) { return choices[static_cast<std::size_t>(pick(0, static_cast<int>(choices.size()) - 1))]; }

// Text of any kind: the tricky ones, or characters YAML gives meaning to, mixed with letters.
std::string any_text() {
  if (coin()) return one_of(tricky_strings());
  static const std::vector<std::string> pieces = {"a", "Z", "7", "web", " ", ":", "#", "'", "\"", "\\", "-", "_", ".", ",",
                                                  "{", "}", "[", "]", "&", "*", "!", "|", ">", "%", "@", "`", "?", "\t",
                                                  "\n", "\r", "µ", "∞", "\x01", std::string(1, '\0')};
  std::string text;
  for (int i = pick(0, 10); i > 0; --i) text += one_of(pieces);
  return text;
}

std::string any_name() {
  std::string text = any_text();
  return text.empty() ? "x" : text;
}

// A word without whitespace: a task name as `wait_until: task <name> applied` can hold one.
std::string any_word() {
  static const std::vector<std::string> pieces = {"a", "web", "7", "-", "_", ":", "#", "\"", "'", "{", ",", "µ"};
  std::string text = one_of(pieces);
  for (int i = pick(0, 4); i > 0; --i) text += one_of(pieces);
  return text;
}

std::string any_multiline(bool non_empty) {
  std::string text;
  for (int i = pick(non_empty ? 1 : 0, 5); i > 0; --i) text += (coin() ? std::string("  ") : "") + any_text() + "\n";
  if (coin() && !text.empty()) text.pop_back();
  if (coin()) text += "\n";
  return text.empty() && non_empty ? "x" : text;
}

template <class T>
std::vector<T> unique(std::vector<T> items) {
  std::vector<T> out;
  for (T& item : items) {
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
  }
  return out;
}

std::vector<std::string> any_names(int max) {
  std::vector<std::string> names;
  for (int i = pick(0, max); i > 0; --i) names.push_back(any_name());
  return unique(std::move(names));
}

// Any double in [0, limit): a mantissa and an exponent, so that tiny and long ones come up.
double any_double_below(double limit) {
  const auto mantissa = static_cast<double>(*rc::gen::inRange<std::int64_t>(0, std::int64_t{1} << 53));
  double value = std::ldexp(mantissa, pick(-1100, -53));
  if (coin()) value = std::floor(value * 1e6) / 1e3;  // short decimals too
  while (value >= limit) value /= 2;
  return value;
}

std::int64_t any_fixed_ns() {
  static const std::vector<std::int64_t> units = {1, 1'000, 1'000'000, kSecond, 60 * kSecond, 3600 * kSecond};
  switch (pick(0, 2)) {
    case 0: return pick(0, 10'000);
    case 1: return pick(0, 1000) * one_of(units);
    default: return *rc::gen::inRange<std::int64_t>(0, std::numeric_limits<std::int64_t>::max());
  }
}

DurationSpec any_duration(bool ttl_allowed) {
  if (ttl_allowed && coin()) {
    const double multiple = coin() ? pick(0, 1000) : pick(0, 10'000) / 10.0;
    return DurationSpec{0, coin() ? multiple : any_double_below(1000), true};
  }
  return DurationSpec{any_fixed_ns()};
}

// min <= max whenever the two can be compared.
std::pair<DurationSpec, DurationSpec> ordered(DurationSpec a, DurationSpec b) {
  const bool comparable = a.relative_to_ttl == b.relative_to_ttl;
  const bool backwards = a.relative_to_ttl ? a.ttl_multiple > b.ttl_multiple : a.ns > b.ns;
  if (comparable && backwards) std::swap(a, b);
  return {a, b};
}

DurationRange any_range(bool ttl_allowed) {
  const DurationSpec min = any_duration(ttl_allowed);
  if (coin()) return DurationRange{min, min};
  const auto [low, high] = ordered(min, any_duration(ttl_allowed));
  return DurationRange{low, high};
}

Target any_target(const ClusterSize& size, bool allow_all = true) {
  Target target;
  target.kind = coin() ? Target::Kind::instance : Target::Kind::consul_server;
  const bool instance = target.kind == Target::Kind::instance;
  target.select = static_cast<Target::Select>(pick(0, allow_all ? 3 : 2));
  if (target.select == Target::Select::name) {
    target.name = instance ? instance_name(pick(1, size.instances)) : server_name(pick(1, size.servers));
  }
  return target;
}

Target named_instance(const ClusterSize& size) {
  return Target{Target::Kind::instance, Target::Select::name, instance_name(pick(1, size.instances))};
}

TerraformFailure any_failure(const ClusterSize& size) {
  TerraformFailure failure;
  if (coin()) failure.task = any_name();
  failure.command = one_of(std::vector<std::string>{"init", "validate", "plan", "apply"});
  if (coin()) failure.times = pick(0, 1'000'000);
  if (coin()) failure.message = any_name();
  if (coin()) failure.instance = instance_name(pick(1, size.instances));
  failure.mode = one_of(std::vector<std::string>{"error", "hang", "partial"});
  if (failure.mode == "partial" && failure.command != "apply") failure.mode = "error";
  return failure;
}

Register any_register() {
  Register r;
  r.service = any_name();
  r.id = coin() ? r.service : any_name();
  if (coin()) r.address = any_text();
  r.port = pick(0, 65535);
  r.tags = any_names(3);
  for (int i = pick(0, 2); i > 0; --i) r.meta[any_text()] = any_text();
  if (coin()) r.node = any_name();
  r.status = one_of(std::vector<std::string>{"passing", "warning", "critical"});
  return r;
}

Restart any_restart(const ClusterSize& size) {
  Restart r;
  r.target = any_target(size);
  if (r.target.kind == Target::Kind::instance && coin()) r.reset_storage = coin();
  if (r.target.kind == Target::Kind::consul_server && coin()) r.bootstrap_expect = pick(0, kServersMax);
  if (r.target.kind == Target::Kind::instance && r.target.select == Target::Select::name && coin()) {
    r.config_hcl = any_multiline(false);
  }
  return r;
}

Partition any_partition(const ClusterSize& size) {
  Partition p;
  p.target = any_target(size);
  switch (pick(0, 3)) {
    case 0: break;
    case 1:
      p.target = any_target(size, false);
      p.from = any_target(size, false);
      if (p.from->select == Target::Select::name && p.target.select == Target::Select::name && p.from->name == p.target.name) {
        p.from = Target{p.target.kind, Target::Select::leader, ""};
      }
      break;
    default:
      p.target.kind = Target::Kind::instance;
      if (p.target.select == Target::Select::name) p.target = named_instance(size);
      (coin() ? p.from_consul : p.from_instances) = true;
  }
  return p;
}

ApiCall any_api_call() {
  ApiCall call;
  call.op = static_cast<ApiCall::Op>(pick(0, 3));
  call.task = any_name();
  if (call.op == ApiCall::Op::create) call.task_hcl = any_multiline(true);
  return call;
}

WritePeersJson any_peers_json(const ClusterSize& size) {
  WritePeersJson w;
  w.server = Target{Target::Kind::consul_server, Target::Select::name, server_name(pick(1, size.servers))};
  std::vector<std::string> peers;
  for (int i = pick(1, size.servers + 1); i > 0; --i) peers.push_back(server_name(pick(1, size.servers)));
  w.peers = unique(std::move(peers));
  return w;
}

WaitUntil any_wait() {
  WaitUntil w;
  w.condition = static_cast<WaitUntil::Condition>(pick(0, 4));
  if (w.condition == WaitUntil::Condition::task_applied) w.task = any_word();
  if (coin()) w.timeout = any_duration(true);
  return w;
}

// Every alternative of Action, by its index.
Action any_action(const ClusterSize& size) {
  switch (pick(0, static_cast<int>(std::variant_size_v<Action>) - 1)) {
    case 0: return any_register();
    case 1: return Deregister{any_name()};
    case 2: return SetCheck{any_name(), one_of(std::vector<std::string>{"passing", "warning", "critical"})};
    case 3: return KvPut{any_name(), any_text()};
    case 4: return KvDelete{any_name(), coin()};
    case 5: return Crash{any_target(size)};
    case 6: return any_restart(size);
    case 7: return Stop{any_target(size)};
    case 8: return Pause{any_target(size)};
    case 9: return Resume{any_target(size)};
    case 10: return any_partition(size);
    case 11: return coin() ? Heal{} : Heal{any_target(size)};
    case 12: {
      std::int64_t offset = *rc::gen::arbitrary<std::int64_t>();
      if (offset == std::numeric_limits<std::int64_t>::min()) ++offset;  // its magnitude is no int64
      return ClockSkew{any_target(size), coin() ? offset : pick(-100, 100) * kSecond};
    }
    case 13: return ClockDrift{any_target(size), pick(-kDriftPpmMax, kDriftPpmMax)};
    case 14: return any_api_call();
    case 15: return TerraformFail{any_failure(size)};
    case 16: {
      const std::string task = coin() ? std::string() : any_name();
      return TerraformRecover{task == "all" ? "x" : task};  // "all" is the word for every task
    }
    case 17: return any_peers_json(size);
    case 18: return any_wait();
    default: return RunFor{any_duration(true)};
  }
}

// Fixed absolute `at`s never go back in time (the parser rejects that).
std::vector<Step> any_steps(const ClusterSize& size) {
  std::vector<Step> steps;
  std::int64_t last_absolute_ns = 0;
  for (int i = pick(0, 10); i > 0; --i) {
    Step step;
    step.action = any_action(size);
    switch (pick(0, 2)) {
      case 0: break;
      case 1:
        step.at = any_duration(true);
        step.at_is_relative = true;
        break;
      default:
        step.at = any_duration(true);
        if (!step.at->relative_to_ttl) {
          step.at->ns = last_absolute_ns + std::min(step.at->ns, std::numeric_limits<std::int64_t>::max() - last_absolute_ns);
          last_absolute_ns = step.at->ns;
        }
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

Expectations any_expectations() {
  Expectations e;
  if (coin()) {
    const auto [min, max] = ordered(any_duration(true), any_duration(true));
    e.failover = FailoverExpectation{min, max, any_duration(true)};
  }
  for (std::string_view name : invariant_names()) {
    if (coin()) e.invariants.emplace_back(name);
  }
  for (std::size_t i = e.invariants.size(); i > 1; --i) std::swap(e.invariants[i - 1], e.invariants[static_cast<std::size_t>(pick(0, static_cast<int>(i) - 1))]);
  if (coin()) e.leader_changes = pick(0, 1'000'000);
  for (int i = pick(0, 2); i > 0; --i) e.final_infrastructure[any_text()] = any_names(3);
  e.log_contains = any_names(3);
  e.log_absent = any_names(3);
  if (coin()) e.convergence = any_duration(true);
  e.stop_when_converged = coin();
  if (coin()) e.limit = coin() ? any_text() : any_multiline(false);
  return e;
}

Scenario any_scenario() {
  Scenario s;
  s.name = any_name();
  if (coin()) s.about = coin() ? any_text() : any_multiline(false);
  if (coin()) s.seed = *rc::gen::arbitrary<std::uint64_t>();
  if (coin()) s.duration = any_duration(true);
  s.consul.servers = pick(1, kServersMax);
  s.consul.bootstrap_expect = coin() ? s.consul.servers : pick(0, kServersMax);
  s.consul.profile = coin() ? "modern" : "legacy";
  s.consul.raft_multiplier = pick(1, 10);
  s.consul.session_ttl_multiplier = pick(1, 4);
  if (coin()) s.network.latency = any_range(false);
  if (coin()) s.network.loss = any_double_below(1);
  s.engine.instances = pick(1, kInstancesMax);
  s.engine.config_hcl = any_multiline(true);
  for (int i = 1; i <= s.engine.instances; ++i) {
    if (coin()) s.engine.reset_storage[instance_name(i)] = true;
  }
  const ClusterSize size{s.engine.instances, s.consul.servers};
  if (coin()) s.terraform.apply_time = any_range(true);
  if (coin()) s.terraform.init_time = any_range(true);
  for (int i = pick(0, 2); i > 0; --i) s.terraform.failures.push_back(any_failure(size));
  s.bugs = PlantedBugs{coin(), coin(), coin(), coin(), coin()};
  s.continue_after_step_errors = coin();
  s.steps = any_steps(size);
  s.expect = any_expectations();
  return s;
}

// Comments on random steps, of random text, so that they meet every kind of step and block.
WriteOptions any_comments(std::size_t steps) {
  WriteOptions options;
  if (coin()) options.header_comments = any_names(2);
  for (std::size_t i = 0; i < steps; ++i) {
    if (coin()) options.step_comments[i] = any_text();
  }
  return options;
}

RC_GTEST_PROP(ScenarioWriterProperty, RandomScenariosReadBackTheSame, ()) {
  const Scenario original = any_scenario();
  const WriteOptions options = any_comments(original.steps.size());
  const std::string text = write_scenario_yaml(original, options);
  const Scenario back = read(text);
  RC_ASSERT(same(original, back));
  RC_ASSERT(!first_difference(original, back).has_value());
  RC_ASSERT(write_scenario_yaml(back, options) == text);
}

// The property above can fail: a scenario changed in any one field is a different scenario, to
// both equalities and after writing.
Scenario mutated(Scenario s) {
  switch (pick(0, 9)) {
    case 0: s.name += "x"; break;
    case 1: s.seed ^= 1; break;
    case 2: s.consul.raft_multiplier = s.consul.raft_multiplier == 1 ? 2 : 1; break;
    case 3: s.engine.config_hcl += "\n# changed"; break;
    case 4: s.steps.push_back(Step{{}, std::nullopt, false, RunFor{DurationSpec{kSecond}}}); break;
    case 5: s.expect.log_absent.push_back(std::string("changed") + std::to_string(s.expect.log_absent.size())); break;
    case 6: s.network.loss = s.network.loss == 0.5 ? 0.25 : 0.5; break;
    case 7: s.engine.reset_storage["cts-01"] = !s.engine.reset_storage["cts-01"]; break;
    case 8: s.bugs.concurrent_runs = !s.bugs.concurrent_runs; break;
    default: s.terraform.failures.push_back(TerraformFailure{}); break;
  }
  return s;
}

RC_GTEST_PROP(ScenarioWriterProperty, AChangedFieldMakesADifferentScenario, ()) {
  const Scenario original = any_scenario();
  const Scenario changed = mutated(original);
  RC_ASSERT(!same(original, changed));
  RC_ASSERT(first_difference(original, changed).has_value());
  const Scenario back = read(write_scenario_yaml(changed));
  RC_ASSERT(!same(original, back));
  RC_ASSERT(same(changed, back));
}

}  // namespace
}  // namespace baton::sim::scenario
