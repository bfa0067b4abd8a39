#include "sim/scenario/scenario_parser.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <vector>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "sim/scenario/step_parser.hpp"
#include "sim/scenario/target_text.hpp"
#include "sim/scenario/words.hpp"
#include "sim/scenario/yaml_reader.hpp"

namespace baton::sim::scenario {
namespace {

constexpr int kRaftMultiplierMax = 10;  // Consul accepts 1..10
constexpr std::int64_t kLeaderChangesMax = 1'000'000;

void parse_consul(YamlReader& r, const YamlValue& value, ConsulSpec& out) {
  const YamlMap map(r, value,
                    std::vector<std::string_view>{"servers", "bootstrap_expect", "profile", "raft_multiplier", "session_ttl_multiplier"});
  if (auto v = map.get("servers")) {
    if (auto number = r.integer(*v, 1, kServersMax)) out.servers = static_cast<int>(*number);
  }
  // Unwritten, every server is started with -bootstrap-expect=<servers>.
  out.bootstrap_expect = out.servers;
  if (auto v = map.get("bootstrap_expect")) {
    if (auto number = r.integer(*v, 0, kServersMax)) out.bootstrap_expect = static_cast<int>(*number);
  }
  if (auto v = map.get("profile")) {
    if (auto text = r.choice(*v, {"modern", "legacy"})) out.profile = *text;
  }
  if (auto v = map.get("raft_multiplier")) {
    if (auto number = r.integer(*v, 1, kRaftMultiplierMax)) out.raft_multiplier = static_cast<int>(*number);
  }
  if (auto v = map.get("session_ttl_multiplier")) {
    if (auto number = r.integer(*v, 1, 4)) out.session_ttl_multiplier = static_cast<int>(*number);
  }
}

void parse_network(YamlReader& r, const YamlValue& value, NetworkSpec& out) {
  const YamlMap map(r, value, std::vector<std::string_view>{"latency", "loss"});
  if (auto v = map.get("latency")) {
    if (auto range = r.duration_range(*v, TtlMultiple::rejected)) out.latency = *range;
  }
  if (auto v = map.get("loss")) {
    if (auto loss = r.fraction(*v, 0, 1, "a probability")) out.loss = *loss;
  }
}

// planted_bugs: { skip_fencing: true, ... } (engine/testing/planted_bugs.hpp).
void parse_planted_bugs(YamlReader& r, const YamlValue& value, PlantedBugs& out) {
  const YamlMap map(r, value,
                    std::vector<std::string_view>{"skip_fencing", "skip_once_mode", "drop_changes_during_run", "concurrent_runs",
                                                  "skip_storing_task_changes"});
  const auto flag = [&](const char* key, bool& field) {
    if (auto v = map.get(key)) {
      if (auto set = r.boolean(*v)) field = *set;
    }
  };
  flag("skip_fencing", out.skip_fencing);
  flag("skip_once_mode", out.skip_once_mode);
  flag("drop_changes_during_run", out.drop_changes_during_run);
  flag("concurrent_runs", out.concurrent_runs);
  flag("skip_storing_task_changes", out.skip_storing_task_changes);
}

// `config_file` is relative to the scenario file's directory.
std::string beside(const std::string& scenario_file, const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  const std::size_t slash = scenario_file.find_last_of('/');
  return slash == std::string::npos ? path : scenario_file.substr(0, slash + 1) + path;
}

void parse_engine(YamlReader& r, const YamlValue& value, const ScenarioFiles& files, const ConsulSpec& consul,
                  EngineSpec& out) {
  const YamlMap map(r, value, std::vector<std::string_view>{"instances", "config", "config_file", "reset_storage"});
  if (!map.valid()) return;
  if (auto v = map.get("instances")) {
    if (auto number = r.integer(*v, 1, kInstancesMax)) out.instances = static_cast<int>(*number);
  }
  const std::optional<YamlValue> inline_config = map.get("config");
  const std::optional<YamlValue> config_file = map.get("config_file");
  const auto key_at = [&](std::string_view key) {
    for (const YamlMap::Entry& entry : map.entries()) {
      if (entry.key == key) return entry.key_at;
    }
    return value.at;
  };
  if (inline_config && config_file) {
    const bool file_second = key_at("config_file").line > key_at("config").line;
    r.fail(key_at(file_second ? "config_file" : "config"), value.path,
           "config and config_file both give the configuration: keep one");
  } else if (inline_config) {
    if (auto text = r.name(*inline_config)) {
      out.config_hcl = *text;
      out.config_at = key_at("config");
      out.config_name = r.file() + ":" + std::to_string(out.config_at.line);
      out.config_text_at = r.text_start(*inline_config);
    }
  } else if (config_file) {
    if (auto path = r.name(*config_file)) {
      const std::string resolved = beside(r.file(), *path);
      std::string error;
      std::optional<std::string> text = files.read(resolved, error);
      if (!text) {
        r.fail(*config_file, "cannot read " + quote(resolved) + ": " + error);
      } else if (text->empty()) {
        r.fail(*config_file, quote(resolved) + " is empty");
      } else {
        out.config_hcl = std::move(*text);
        out.config_at = key_at("config_file");
        out.config_name = resolved;
        out.config_text_at = SourceRef{resolved, 1, 1};
      }
    }
  } else {
    r.fail(value, "missing required key \"config\" (the instances' HCL) or \"config_file\" (a path to it)");
  }
  if (auto v = map.get("reset_storage")) {
    const ClusterSize size{out.instances, consul.servers};
    for (const YamlValue& item : r.items(*v, "a list of instance names")) {
      std::optional<Target> target = parse_target(r, item, size);
      if (target && (target->kind != Target::Kind::instance || target->select != Target::Select::name)) {
        r.fail(item, "expected an instance by name (" + instance_names(out.instances) + "), found " +
                         quote(to_string(*target)));
      }
      if (!target || r.failed()) break;
      if (out.reset_storage.count(target->name) != 0) {
        r.fail(item, quote(target->name) + " is listed twice");
        break;
      }
      out.reset_storage[target->name] = true;
    }
  }
}

void parse_terraform(YamlReader& r, const YamlValue& value, const ClusterSize& size, TerraformSpec& out) {
  const YamlMap map(r, value, std::vector<std::string_view>{"apply_time", "init_time", "failures"});
  if (auto v = map.get("apply_time")) {
    if (auto range = r.duration_range(*v, TtlMultiple::allowed)) out.apply_time = *range;
  }
  if (auto v = map.get("init_time")) {
    if (auto range = r.duration_range(*v, TtlMultiple::allowed)) out.init_time = *range;
  }
  if (auto v = map.get("failures")) {
    for (const YamlValue& item : r.items(*v, "a list of failures")) {
      std::optional<TerraformFailure> failure = parse_terraform_failure(r, item, size);
      if (!failure) break;
      out.failures.push_back(std::move(*failure));
    }
  }
}

void parse_failover(YamlReader& r, const YamlValue& value, FailoverExpectation& out) {
  const YamlMap map(r, value, std::vector<std::string_view>{"min", "max", "slack"});
  if (auto v = map.get("min")) {
    if (auto duration = r.duration(*v, TtlMultiple::allowed)) out.min = *duration;
  }
  if (auto v = map.get("max")) {
    if (auto duration = r.duration(*v, TtlMultiple::allowed)) out.max = *duration;
  }
  if (auto v = map.get("slack")) {
    if (auto duration = r.duration(*v, TtlMultiple::allowed)) out.slack = *duration;
  }
  const bool comparable = out.min.relative_to_ttl == out.max.relative_to_ttl;
  const bool backwards = out.min.relative_to_ttl ? out.min.ttl_multiple > out.max.ttl_multiple : out.min.ns > out.max.ns;
  if (comparable && backwards) {
    r.fail(value, "failover min " + to_string(out.min) + " is more than max " + to_string(out.max));
  }
}

void parse_expect(YamlReader& r, const YamlValue& value, Expectations& out) {
  const YamlMap map(r, value,
                    std::vector<std::string_view>{"failover", "invariants", "leader_changes", "final_infrastructure",
                                                  "log_contains", "log_absent", "convergence", "stop_when_converged",
                                                  "limit"});
  out.at_source = value.at;
  if (auto v = map.get("failover")) {
    FailoverExpectation failover;
    parse_failover(r, *v, failover);
    out.failover = failover;
  }
  if (auto v = map.get("invariants")) {
    for (const YamlValue& item : r.items(*v, "a list of invariant names")) {
      std::optional<std::string> text = r.name(item);
      if (!text) break;
      const auto& known = invariant_names();
      if (std::find(known.begin(), known.end(), *text) == known.end()) {
        r.fail(item, "unknown invariant " + quote(*text) + " (invariants are " + join(known) + ")");
        break;
      }
      if (std::find(out.invariants.begin(), out.invariants.end(), *text) != out.invariants.end()) {
        r.fail(item, quote(*text) + " is listed twice");
        break;
      }
      out.invariants.push_back(*text);
    }
  }
  if (auto v = map.get("leader_changes")) {
    if (auto number = r.integer(*v, 0, kLeaderChangesMax)) out.leader_changes = static_cast<int>(*number);
  }
  if (auto v = map.get("final_infrastructure")) {
    const YamlMap tasks(r, *v, std::nullopt, "a map of task name to service ids");
    for (const YamlMap::Entry& entry : tasks.entries()) {
      if (auto ids = r.names(entry.value, true)) out.final_infrastructure[entry.key] = *ids;
    }
  }
  if (auto v = map.get("log_contains")) {
    if (auto lines = r.names(*v, true)) out.log_contains = *lines;
  }
  if (auto v = map.get("log_absent")) {
    if (auto lines = r.names(*v, true)) out.log_absent = *lines;
  }
  if (auto v = map.get("convergence")) {
    if (auto duration = r.duration(*v, TtlMultiple::allowed)) out.convergence = *duration;
  }
  if (auto v = map.get("stop_when_converged")) {
    if (auto flag = r.boolean(*v)) out.stop_when_converged = *flag;
  }
  if (auto v = map.get("limit")) {
    if (auto text = r.name(*v)) out.limit = *text;
  }
}

void parse_document(YamlReader& r, const YAML::Node& document, const ScenarioFiles& files, Scenario& out) {
  const YamlMap top(r, r.root(document),
                    std::vector<std::string_view>{"name", "about", "seed", "duration", "consul", "network", "engine",
                                                  "terraform", "steps", "expect", "planted_bugs", "step_errors"},
                    "a map of scenario keys (name, engine, steps, expect, ...)");
  if (!top.valid()) return;
  if (auto v = top.require("name")) {
    if (auto text = r.name(*v)) out.name = *text;
  }
  if (auto v = top.get("about")) {
    if (auto text = r.string(*v)) out.about = *text;
  }
  if (auto v = top.get("seed")) {
    if (auto seed = r.unsigned_integer(*v)) out.seed = *seed;
  }
  if (auto v = top.get("duration")) {
    if (auto duration = r.duration(*v, TtlMultiple::allowed)) out.duration = *duration;
  }
  // Consul and the engine first: targets everywhere else are checked against their sizes.
  if (auto v = top.get("consul")) {
    parse_consul(r, *v, out.consul);
  } else {
    out.consul.bootstrap_expect = out.consul.servers;
  }
  if (auto v = top.require("engine")) parse_engine(r, *v, files, out.consul, out.engine);
  const ClusterSize size{out.engine.instances, out.consul.servers};
  if (auto v = top.get("network")) parse_network(r, *v, out.network);
  if (auto v = top.get("terraform")) parse_terraform(r, *v, size, out.terraform);
  if (auto v = top.get("steps")) parse_steps(r, *v, size, out.steps);
  if (auto v = top.get("expect")) parse_expect(r, *v, out.expect);
  if (auto v = top.get("planted_bugs")) parse_planted_bugs(r, *v, out.bugs);
  if (auto v = top.get("step_errors")) {
    if (auto text = r.choice(*v, {"stop", "continue"})) out.continue_after_step_errors = *text == "continue";
  }
}

// yaml-cpp's message without its "yaml-cpp: error at line 2, column 7: " prefix.
ScenarioError syntax_error(const std::string& file, const YAML::ParserException& error) {
  const int line = error.mark.line >= 0 ? error.mark.line + 1 : 1;
  const int column = error.mark.column >= 0 ? error.mark.column + 1 : 1;
  return ScenarioError{file, line, column, "", "YAML syntax error: " + error.msg};
}

}  // namespace

const std::vector<std::string_view>& invariant_names() {
  static const std::vector<std::string_view> names = {"exclusive-apply", "one-acting-leader", "failover-bound",
                                                      "converged",       "persistence",       "once-mode"};
  return names;
}

std::optional<std::string> DiskScenarioFiles::read(const std::string& path, std::string& error) const {
  std::error_code code;
  if (std::filesystem::is_directory(path, code)) {
    error = "is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kScenarioFileBytesMax) {
      error = "larger than " + std::to_string(kScenarioFileBytesMax) + " bytes";
      return std::nullopt;
    }
  }
  if (in.bad()) {
    error = "read failed";
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> MemoryScenarioFiles::read(const std::string& path, std::string& error) const {
  const auto found = files_.find(path);
  if (found == files_.end()) {
    error = "no such file";
    return std::nullopt;
  }
  return found->second;
}

ParsedScenario parse_scenario(const std::string& file_name, const std::string& yaml_text, const ScenarioFiles& files) {
  if (yaml_text.size() > kScenarioFileBytesMax) {
    return ScenarioError{file_name, 0, 0, "", "larger than " + std::to_string(kScenarioFileBytesMax) + " bytes"};
  }
  // Exceptions are yaml-cpp's way of reporting; none leaves this function.
  try {
    std::vector<YAML::Node> documents;
    try {
      documents = YAML::LoadAll(yaml_text);
    } catch (const YAML::DeepRecursion& error) {
      return ScenarioError{file_name, error.mark.line + 1, error.mark.column + 1, "", "YAML nesting is too deep"};
    } catch (const YAML::ParserException& error) {
      return syntax_error(file_name, error);
    }
    YamlReader reader(file_name, yaml_text);
    if (documents.empty()) {
      return ScenarioError{file_name, 1, 1, "", "the file has no scenario: expected a map of scenario keys (name, engine, steps, expect, ...)"};
    }
    if (documents.size() > 1) {
      const SourceRef at = reader.where(documents[1], SourceRef{file_name, 1, 1});
      return ScenarioError{file_name, at.line, at.column, "", "a scenario file holds one YAML document; this is a second"};
    }
    Scenario scenario;
    scenario.file = file_name;
    parse_document(reader, documents.front(), files, scenario);
    if (reader.error()) return *reader.error();
    return scenario;
  } catch (const std::exception& error) {
    // A bug of ours or of yaml-cpp, reported rather than crashing the simulator.
    return ScenarioError{file_name, 0, 0, "", std::string("internal error while reading the scenario: ") + error.what()};
  }
}

ParsedScenario load_scenario(const std::string& path) {
  const DiskScenarioFiles disk;
  std::string error;
  const std::optional<std::string> text = disk.read(path, error);
  if (!text) return ScenarioError{path, 0, 0, "", "cannot read the scenario: " + error};
  return parse_scenario(path, *text, disk);
}

}  // namespace baton::sim::scenario
