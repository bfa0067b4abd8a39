#include "sim/scenario/step_parser.hpp"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>

#include "sim/runtime/node_clock.hpp"
#include "sim/scenario/words.hpp"

namespace baton::sim::scenario {
namespace {

constexpr int kPortMax = 65535;
constexpr std::int64_t kTimesMax = 1'000'000;

const std::vector<std::string_view> kCheckStatuses = {"passing", "warning", "critical"};
const std::vector<std::string_view> kCommands = {"init", "validate", "plan", "apply"};
const std::vector<std::string_view> kFailureModes = {"error", "partial", "hang"};

// What one action's parser sees.
struct StepContext {
  YamlReader& reader;
  const ClusterSize& size;
};

using ActionParser = std::function<std::optional<Action>(StepContext&, const YamlValue&)>;

std::string instance_choices(const ClusterSize& size) {
  return "leader, follower, all-instances, " + instance_names(size.instances);
}

std::string server_choices(const ClusterSize& size) {
  return "consul-leader, consul-follower, all-consul-servers, " + server_names(size.servers);
}

// A target of one kind: an instance where only instances make sense, and so on.
std::optional<Target> target_of_kind(StepContext& context, const YamlValue& value, Target::Kind kind) {
  std::optional<Target> target = parse_target(context.reader, value, context.size);
  if (!target || target->kind == kind) return target;
  if (kind == Target::Kind::instance) {
    context.reader.fail(value, "expected an instance (" + instance_choices(context.size) + "), found " +
                                   quote(to_string(*target)));
  } else {
    context.reader.fail(value, "expected a Consul server (" + server_choices(context.size) + "), found " +
                                   quote(to_string(*target)));
  }
  return std::nullopt;
}

// A single process (not all-instances or all-consul-servers).
std::optional<Target> single_target(StepContext& context, const YamlValue& value) {
  std::optional<Target> target = parse_target(context.reader, value, context.size);
  if (target && target->select == Target::Select::all) {
    context.reader.fail(value, "expected one process, found " + quote(to_string(*target)));
    return std::nullopt;
  }
  return target;
}

// "target" or {target: ...}: the short form of crash, stop, pause, resume.
std::optional<Target> scalar_target(StepContext& context, const YamlValue& value) {
  if (!context.reader.is_scalar(value, "a target (" + instance_choices(context.size) + ", " +
                                           server_choices(context.size) + ")")) {
    return std::nullopt;
  }
  return parse_target(context.reader, value, context.size);
}

template <class T>
std::optional<Action> with_target(StepContext& context, const YamlValue& value) {
  std::optional<Target> target = scalar_target(context, value);
  if (!target) return std::nullopt;
  T action;
  action.target = std::move(*target);
  return Action{std::move(action)};
}

std::optional<Action> parse_register(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  const YamlMap map(r, value, std::vector<std::string_view>{"service", "id", "address", "port", "tags", "meta", "node", "status"},
                    "a map {service, id, address, port, tags, meta, node, status}");
  Register out;
  if (auto v = map.require("service"); v) {
    if (auto text = r.name(*v)) out.service = *text;
  }
  out.id = out.service;
  if (auto v = map.get("id")) {
    if (auto text = r.name(*v)) out.id = *text;
  }
  if (auto v = map.get("address")) {
    if (auto text = r.string(*v)) out.address = *text;
  }
  if (auto v = map.get("port")) {
    if (auto number = r.integer(*v, 0, kPortMax)) out.port = static_cast<int>(*number);
  }
  if (auto v = map.get("tags")) {
    if (auto list = r.names(*v, true)) out.tags = *list;
  }
  if (auto v = map.get("meta")) {
    const YamlMap meta(r, *v, std::nullopt, "a map of strings");
    for (const YamlMap::Entry& entry : meta.entries()) {
      if (auto text = r.string(entry.value)) out.meta[entry.key] = *text;
    }
  }
  if (auto v = map.get("node")) {
    if (auto text = r.name(*v)) out.node = *text;
  }
  if (auto v = map.get("status")) {
    if (auto text = r.choice(*v, kCheckStatuses)) out.status = *text;
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_deregister(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  Deregister out;
  if (value.node.IsMap()) {
    const YamlMap map(r, value, std::vector<std::string_view>{"id"});
    if (auto v = map.require("id")) {
      if (auto text = r.name(*v)) out.id = *text;
    }
  } else if (r.is_scalar(value, "a service id or a map {id}")) {
    if (auto text = r.name(value)) out.id = *text;
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_check(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  const YamlMap map(r, value, std::vector<std::string_view>{"id", "status"}, "a map {id, status}");
  SetCheck out;
  if (auto v = map.require("id")) {
    if (auto text = r.name(*v)) out.id = *text;
  }
  if (auto v = map.require("status")) {
    if (auto text = r.choice(*v, kCheckStatuses)) out.status = *text;
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_kv_put(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  const YamlMap map(r, value, std::vector<std::string_view>{"key", "value"}, "a map {key, value}");
  KvPut out;
  if (auto v = map.require("key")) {
    if (auto text = r.name(*v)) out.key = *text;
  }
  if (auto v = map.require("value")) {
    if (auto text = r.string(*v)) out.value = *text;
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_kv_delete(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  KvDelete out;
  if (value.node.IsMap()) {
    const YamlMap map(r, value, std::vector<std::string_view>{"key", "recurse"});
    if (auto v = map.require("key")) {
      if (auto text = r.name(*v)) out.key = *text;
    }
    if (auto v = map.get("recurse")) {
      if (auto flag = r.boolean(*v)) out.recurse = *flag;
    }
  } else if (r.is_scalar(value, "a key or a map {key, recurse}")) {
    if (auto text = r.name(value)) out.key = *text;
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_restart(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  if (!value.node.IsMap()) return with_target<Restart>(context, value);
  const YamlMap map(r, value, std::vector<std::string_view>{"target", "reset_storage", "bootstrap_expect", "config"});
  Restart out;
  if (auto v = map.require("target")) {
    if (auto target = scalar_target(context, *v)) out.target = *target;
  }
  if (auto v = map.get("reset_storage")) {
    if (auto flag = r.boolean(*v)) out.reset_storage = *flag;
    if (out.target.kind != Target::Kind::instance) {
      r.fail(*v, "reset_storage is a flag of baton instances, not of Consul servers");
    }
  }
  if (auto v = map.get("bootstrap_expect")) {
    if (auto number = r.integer(*v, 0, kServersMax)) out.bootstrap_expect = static_cast<int>(*number);
    if (out.target.kind != Target::Kind::consul_server) {
      r.fail(*v, "bootstrap_expect is a flag of Consul servers, not of baton instances");
    }
  }
  if (auto v = map.get("config")) {
    if (auto text = r.string(*v)) {
      out.config_hcl = *text;
      out.config_text_at = r.text_start(*v);
    }
    if (out.target.kind != Target::Kind::instance || out.target.select != Target::Select::name) {
      r.fail(*v, "config is the configuration of one baton instance: name it (cts-NN)");
    }
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_partition(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  if (!value.node.IsMap()) return with_target<Partition>(context, value);
  const YamlMap map(r, value, std::vector<std::string_view>{"target", "from"});
  Partition out;
  const std::optional<YamlValue> target_value = map.require("target");
  if (target_value) {
    if (auto target = scalar_target(context, *target_value)) out.target = *target;
  }
  if (auto v = map.require("from")) {
    const std::optional<std::string> from = r.name(*v);
    if (from && (*from == "consul" || *from == "instances")) {
      if (out.target.kind != Target::Kind::instance) {
        r.fail(*v, "from: " + *from + " cuts a baton instance off; the target is a Consul server (use a server's name)");
      }
      (*from == "consul" ? out.from_consul : out.from_instances) = true;
    } else if (from) {
      std::optional<Target> other = single_target(context, *v);
      if (other && other->select == Target::Select::name && out.target.select == Target::Select::name &&
          other->name == out.target.name) {
        r.fail(*v, "a process cannot be cut off from itself");
      }
      if (other && target_value && out.target.select == Target::Select::all) {
        r.fail(*target_value, "a link is between two processes; " + quote(to_string(out.target)) + " names several");
      }
      out.from = std::move(other);
    }
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_heal(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  Heal out;
  if (!r.is_scalar(value, "all or a target")) return std::nullopt;
  if (value.node.Scalar() != "all") {
    if (auto target = parse_target(r, value, context.size)) out.target = *target;
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_clock_skew(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  const YamlMap map(r, value, std::vector<std::string_view>{"target", "offset"}, "a map {target, offset}");
  ClockSkew out;
  if (auto v = map.require("target")) {
    if (auto target = scalar_target(context, *v)) out.target = *target;
  }
  if (auto v = map.require("offset")) {
    if (auto ns = r.signed_duration_ns(*v)) out.offset_ns = *ns;
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_clock_drift(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  const YamlMap map(r, value, std::vector<std::string_view>{"target", "ppm"}, "a map {target, ppm}");
  ClockDrift out;
  if (auto v = map.require("target")) {
    if (auto target = scalar_target(context, *v)) out.target = *target;
  }
  if (auto v = map.require("ppm")) {
    if (auto ppm = r.integer(*v, -kDriftPpmMax, kDriftPpmMax)) out.drift_ppm = *ppm;
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_api(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  const YamlMap map(r, value, std::vector<std::string_view>{"create", "delete", "enable", "disable"},
                    "a map with one of create, delete, enable, disable");
  if (!map.valid()) return std::nullopt;
  if (map.entries().size() != 1) {
    const SourceRef at = map.entries().empty() ? value.at : map.entries()[1].key_at;
    r.fail(at, value.path, "an api step makes one call: create, delete, enable or disable");
    return std::nullopt;
  }
  const YamlMap::Entry& call = map.entries().front();
  ApiCall out;
  if (call.key == "create") {
    out.op = ApiCall::Op::create;
    const YamlMap create(r, call.value, std::vector<std::string_view>{"task", "config"}, "a map {task, config}");
    if (auto v = create.require("task")) {
      if (auto text = r.name(*v)) out.task = *text;
    }
    if (auto v = create.require("config")) {
      if (auto text = r.name(*v)) out.task_hcl = *text;
    }
  } else {
    out.op = call.key == "delete"   ? ApiCall::Op::remove
             : call.key == "enable" ? ApiCall::Op::enable
                                    : ApiCall::Op::disable;
    if (r.is_scalar(call.value, "a task name")) {
      if (auto text = r.name(call.value)) out.task = *text;
    }
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_terraform_fail(StepContext& context, const YamlValue& value) {
  std::optional<TerraformFailure> failure = parse_terraform_failure(context.reader, value, context.size);
  if (!failure) return std::nullopt;
  return Action{TerraformFail{std::move(*failure)}};
}

std::optional<Action> parse_terraform_recover(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  TerraformRecover out;
  if (!r.is_scalar(value, "a task name or all")) return std::nullopt;
  if (auto text = r.name(value); text && *text != "all") out.task = *text;
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

std::optional<Action> parse_write_peers_json(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  const YamlMap map(r, value, std::vector<std::string_view>{"server", "peers"}, "a map {server, peers}");
  WritePeersJson out;
  const std::string names = server_names(context.size.servers);
  auto server_by_name = [&](const YamlValue& v) -> std::optional<Target> {
    std::optional<Target> target = target_of_kind(context, v, Target::Kind::consul_server);
    if (target && target->select != Target::Select::name) {
      r.fail(v, "expected a Consul server by name (" + names + "), found " + quote(to_string(*target)));
      return std::nullopt;
    }
    return target;
  };
  if (auto v = map.require("server")) {
    if (auto target = server_by_name(*v)) out.server = *target;
  }
  if (auto v = map.require("peers")) {
    const std::vector<YamlValue> peers = r.items(*v, "a list of Consul server names");
    if (peers.empty() && !r.failed()) r.fail(*v, "peers.json lists at least one server");
    for (const YamlValue& peer : peers) {
      std::optional<Target> target = server_by_name(peer);
      if (!target) break;
      if (std::find(out.peers.begin(), out.peers.end(), target->name) != out.peers.end()) {
        r.fail(peer, quote(target->name) + " is listed twice");
        break;
      }
      out.peers.push_back(target->name);
    }
  }
  if (r.failed()) return std::nullopt;
  return Action{std::move(out)};
}

// "leader elected", "consul leader", "task web applied", "once-mode done", "no leader".
std::optional<WaitUntil> parse_condition(YamlReader& r, const YamlValue& value) {
  const std::string conditions = "leader elected, consul leader, task <name> applied, once-mode done, no leader";
  if (!r.is_scalar(value, "a condition (" + conditions + ")")) return std::nullopt;
  const std::string& text = value.node.Scalar();
  WaitUntil out;
  using Condition = WaitUntil::Condition;
  if (text == "leader elected") {
    out.condition = Condition::leader_elected;
  } else if (text == "consul leader") {
    out.condition = Condition::consul_leader;
  } else if (text == "once-mode done") {
    out.condition = Condition::once_mode_done;
  } else if (text == "no leader") {
    out.condition = Condition::no_leader;
  } else if (text.size() > std::string_view("task  applied").size() && text.rfind("task ", 0) == 0 &&
             text.substr(text.size() - 8) == " applied" &&
             text.substr(5, text.size() - 13).find(' ') == std::string::npos) {
    out.condition = Condition::task_applied;
    out.task = text.substr(5, text.size() - 13);
  } else {
    r.fail(value, "unknown condition " + quote(text) + " (conditions: " + conditions + ")");
    return std::nullopt;
  }
  return out;
}

std::optional<Action> parse_wait_until(StepContext& context, const YamlValue& value) {
  YamlReader& r = context.reader;
  std::optional<WaitUntil> out;
  if (value.node.IsMap()) {
    const YamlMap map(r, value, std::vector<std::string_view>{"until", "timeout"});
    if (auto v = map.require("until")) out = parse_condition(r, *v);
    if (auto v = map.get("timeout")) {
      if (auto timeout = r.duration(*v, TtlMultiple::allowed); timeout && out) out->timeout = *timeout;
    }
  } else {
    out = parse_condition(r, value);
  }
  if (r.failed() || !out) return std::nullopt;
  return Action{std::move(*out)};
}

std::optional<Action> parse_run(StepContext& context, const YamlValue& value) {
  std::optional<DurationSpec> duration = context.reader.duration(value, TtlMultiple::allowed);
  if (!duration) return std::nullopt;
  return Action{RunFor{*duration}};
}

const std::vector<std::pair<std::string_view, ActionParser>>& action_parsers() {
  static const std::vector<std::pair<std::string_view, ActionParser>> parsers = {
      {"register", parse_register},
      {"deregister", parse_deregister},
      {"check", parse_check},
      {"kv_put", parse_kv_put},
      {"kv_delete", parse_kv_delete},
      {"crash", with_target<Crash>},
      {"restart", parse_restart},
      {"stop", with_target<Stop>},
      {"pause", with_target<Pause>},
      {"resume", with_target<Resume>},
      {"partition", parse_partition},
      {"heal", parse_heal},
      {"clock_skew", parse_clock_skew},
      {"clock_drift", parse_clock_drift},
      {"api", parse_api},
      {"terraform_fail", parse_terraform_fail},
      {"terraform_recover", parse_terraform_recover},
      {"write_peers_json", parse_write_peers_json},
      {"wait_until", parse_wait_until},
      {"run", parse_run},
  };
  return parsers;
}

const ActionParser* find_action(std::string_view name) {
  for (const auto& [action, parser] : action_parsers()) {
    if (action == name) return &parser;
  }
  return nullptr;
}

// `at: 30s` (since the start) or `at: +10s` (after the previous step).
void parse_at(YamlReader& r, const YamlValue& value, Step& step) {
  if (!r.is_scalar(value, "a time such as 30s or +10s")) return;
  std::string text = value.node.Scalar();
  const std::size_t first = text.find_first_not_of(' ');
  if (first != std::string::npos && text[first] == '-') {
    r.fail(value, "at cannot be negative: write 30s for 30s after the start, +10s for 10s after the previous step");
    return;
  }
  if (first != std::string::npos && text[first] == '+') {
    step.at_is_relative = true;
    text.erase(0, first + 1);
  }
  std::string error;
  std::optional<DurationSpec> at = parse_duration(text, TtlMultiple::allowed, error);
  if (!at) {
    r.fail(value, error);
    return;
  }
  step.at = *at;
}

}  // namespace

const std::vector<std::string_view>& action_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& entry : action_parsers()) out.push_back(entry.first);
    return out;
  }();
  return names;
}

std::optional<Target> parse_target(YamlReader& reader, const YamlValue& value, const ClusterSize& size) {
  std::optional<std::string> text = reader.name(value);
  if (!text) return std::nullopt;
  std::string error;
  std::optional<Target> target = parse_target(*text, size, error);
  if (!target) reader.fail(value, error);
  return target;
}

std::optional<TerraformFailure> parse_terraform_failure(YamlReader& r, const YamlValue& value, const ClusterSize& size) {
  const YamlMap map(r, value, std::vector<std::string_view>{"task", "command", "times", "message", "instance", "mode"},
                    "a map {task, command, times, message, instance, mode}");
  TerraformFailure out;
  if (auto v = map.get("task")) {
    if (auto text = r.name(*v)) out.task = *text;
  }
  if (auto v = map.get("command")) {
    if (auto text = r.choice(*v, kCommands)) out.command = *text;
  }
  if (auto v = map.get("times")) {
    if (auto number = r.integer(*v, 0, kTimesMax)) out.times = static_cast<int>(*number);
  }
  if (auto v = map.get("message")) {
    if (auto text = r.name(*v)) out.message = *text;
  }
  if (auto v = map.get("instance")) {
    StepContext context{r, size};
    std::optional<Target> target = target_of_kind(context, *v, Target::Kind::instance);
    if (target && target->select != Target::Select::name) {
      r.fail(*v, "expected an instance by name (" + instance_names(size.instances) + "), found " +
                     quote(to_string(*target)));
    } else if (target) {
      out.instance = target->name;
    }
  }
  if (auto v = map.get("mode")) {
    if (auto text = r.choice(*v, kFailureModes)) out.mode = *text;
    if (out.mode == "partial" && out.command != "apply") {
      r.fail(*v, "mode partial is for command apply (" + out.command + " changes nothing)");
    }
  }
  if (r.failed()) return std::nullopt;
  return out;
}

void parse_steps(YamlReader& r, const YamlValue& list, const ClusterSize& size, std::vector<Step>& steps) {
  std::optional<std::int64_t> last_absolute_ns;  // of the latest fixed `at: <time>`, to keep steps in order
  for (const YamlValue& item : r.items(list, "a list of steps")) {
    const YamlMap map(r, item, std::nullopt, "a step (a map: an action and optionally at)");
    if (!map.valid()) return;
    Step step;
    step.at_source = item.at;
    const YamlMap::Entry* action = nullptr;
    for (const YamlMap::Entry& entry : map.entries()) {
      if (entry.key == "at") {
        parse_at(r, entry.value, step);
        continue;
      }
      if (!find_action(entry.key)) {
        r.fail(entry.key_at, item.path,
               "unknown action " + quote(entry.key) + " (a step has at and one of: " + join(action_names()) + ")");
        return;
      }
      if (action) {
        r.fail(entry.key_at, item.path,
               "a step has one action, this one has " + action->key + " and " + entry.key + " (split it into two steps)");
        return;
      }
      action = &entry;
    }
    if (!action) {
      r.fail(item, "a step needs an action, one of: " + join(action_names()));
      return;
    }
    StepContext context{r, size};
    std::optional<Action> parsed = (*find_action(action->key))(context, action->value);
    if (!parsed || r.failed()) return;
    step.action = std::move(*parsed);
    if (step.at && !step.at_is_relative && !step.at->relative_to_ttl) {
      if (last_absolute_ns && step.at->ns < *last_absolute_ns) {
        r.fail(map.get("at")->at, child_path(item.path, "at"),
               "at " + to_string(*step.at) + " is before an earlier step's at " +
                   to_string(DurationSpec{*last_absolute_ns}) + " (steps run in order; +10s means after the previous step)");
        return;
      }
      last_absolute_ns = step.at->ns;
    }
    steps.push_back(std::move(step));
  }
}

}  // namespace baton::sim::scenario
