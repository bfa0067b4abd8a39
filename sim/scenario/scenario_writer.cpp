#include "sim/scenario/scenario_writer.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <exception>
#include <regex>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include <yaml-cpp/yaml.h>

#include "sim/scenario/scenario_parser.hpp"
#include "sim/scenario/target_text.hpp"

namespace baton::sim::scenario {
namespace {

// Folded prose wraps here, about where the hand-written files wrap theirs.
constexpr std::size_t kLineWidth = 96;
// Nested content is indented by this much, as in the files.
constexpr int kIndentStep = 2;

// ---------------------------------------------------------------------------------------------
// Scalars

bool is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

// Characters a plain scalar may hold inside a flow map without any reader mistaking them for
// syntax (no ':', '#', ',', brackets, quotes or indicators), a conservative subset of YAML's rules.
bool is_plain_char(char c) {
  return is_word_char(c) || c == '.' || c == '/' || c == '-' || c == '+' || c == '=' || c == '@' || c == ' ';
}

// Words YAML 1.1 tools read as booleans or null: quoted, so that every reader sees a string.
bool is_keyword(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
  for (const char* word : {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}) {
    if (lower == word) return true;
  }
  return false;
}

// "123", "-1.5", "1e3", "0x1F", "1_000", ".inf": text a YAML tool would read as a number.
bool looks_like_number(std::string_view text) {
  static const std::regex decimal(R"([-+]?(\.[0-9][0-9_]*|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?)");
  static const std::regex radix(R"([-+]?0[xXoObB][0-9a-fA-F_]+)");
  static const std::regex special(R"([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
  const std::string copy(text);
  return std::regex_match(copy, decimal) || std::regex_match(copy, radix) || std::regex_match(copy, special);
}

bool can_be_plain(std::string_view text) {
  return !text.empty() && is_word_char(text.front()) && text.back() != ' ' &&
         std::all_of(text.begin(), text.end(), is_plain_char) && !is_keyword(text) && !looks_like_number(text);
}

std::string hex_escape(char prefix, unsigned value, int digits) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\\";
  out += prefix;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
  return out;
}

// The escape of a character a reader could turn into something else (a line break, nothing),
// or "" when it may be written as it is. Looks at the UTF-8 sequence starting at text[i].
std::string escape_at(std::string_view text, std::size_t i, std::size_t& length) {
  const auto byte = [&](std::size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u; };
  const unsigned c = byte(i);
  length = 1;
  switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    default: break;
  }
  if (c < 0x20 || c == 0x7F) return hex_escape('x', c, 2);
  // C1 controls, NEL among them (U+0080..U+009F), are line breaks or invisible to some readers.
  if (c == 0xC2 && byte(i + 1) >= 0x80 && byte(i + 1) <= 0x9F) {
    length = 2;
    return hex_escape('u', byte(i + 1), 4);
  }
  // U+2028, U+2029 (line and paragraph separators) and U+FEFF (a byte order mark).
  if (c == 0xE2 && byte(i + 1) == 0x80 && (byte(i + 2) == 0xA8 || byte(i + 2) == 0xA9)) {
    length = 3;
    return hex_escape('u', 0x2000 + (byte(i + 2) - 0x80), 4);
  }
  if (c == 0xEF && byte(i + 1) == 0xBB && byte(i + 2) == 0xBF) {
    length = 3;
    return hex_escape('u', 0xFEFF, 4);
  }
  return "";
}

std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    const std::string escape = escape_at(text, i, length);
    out += escape.empty() ? std::string(text.substr(i, length)) : escape;
    i += length;
  }
  return out + "\"";
}

// As the files write a string: plain when nothing in it could be misread, else double-quoted.
std::string scalar(std::string_view text) { return can_be_plain(text) ? std::string(text) : double_quoted(text); }

// The shortest decimal that reads back as the same double, never in exponent form (the
// duration and probability readers take digits and a dot only).
std::string number_text(double value) {
  if (value == 0) return "0";  // -0 too: the parsers have no negative zero
  char buffer[1100];           // a fixed-form double has at most ~770 characters
  const auto [end, failure] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return failure == std::errc() ? std::string(buffer, end) : std::string("nan");
}

// ---------------------------------------------------------------------------------------------
// Durations: whole numbers in the largest unit that divides them, so that they read back to the
// nanosecond (the parser reads "1500ms" exactly; decimal fractions it computes in floating point).

std::string fixed_duration(std::int64_t ns) {
  if (ns == 0) return "0s";
  static constexpr std::pair<std::uint64_t, const char*> kUnits[] = {
      {3'600'000'000'000, "h"}, {60'000'000'000, "m"}, {1'000'000'000, "s"}, {1'000'000, "ms"}, {1'000, "us"}, {1, "ns"}};
  // As unsigned, so that INT64_MIN has a magnitude (which the parser then rejects, naming it).
  const std::uint64_t magnitude = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  const std::string sign = ns < 0 ? "-" : "";
  for (const auto& [unit_ns, unit] : kUnits) {
    if (magnitude % unit_ns == 0) return sign + std::to_string(magnitude / unit_ns) + unit;
  }
  return sign + std::to_string(magnitude) + "ns";
}

std::string duration_text(const DurationSpec& duration) {
  return duration.relative_to_ttl ? number_text(duration.ttl_multiple) + "x session_ttl" : fixed_duration(duration.ns);
}

std::string range_text(const DurationRange& range) {
  const std::string min = duration_text(range.min);
  const std::string max = duration_text(range.max);
  return min == max ? min : min + ".." + max;
}

bool same_duration(const DurationSpec& a, const DurationSpec& b) { return duration_text(a) == duration_text(b); }
bool same_range(const DurationRange& a, const DurationRange& b) { return range_text(a) == range_text(b); }

// ---------------------------------------------------------------------------------------------
// Flow collections: `{ service: web, port: 80 }`, `[web-1, web-2]`.

class FlowMap {
 public:
  FlowMap& add(std::string_view key, std::string value) {
    entries_.push_back(scalar(key) + ": " + std::move(value));
    return *this;
  }
  bool empty() const { return entries_.empty(); }
  // "key: value" each, for writing the same map in block form.
  const std::vector<std::string>& entries() const { return entries_; }
  std::string text() const {
    if (entries_.empty()) return "{}";
    std::string out = "{ ";
    for (std::size_t i = 0; i < entries_.size(); ++i) out += (i == 0 ? "" : ", ") + entries_[i];
    return out + " }";
  }

 private:
  std::vector<std::string> entries_;
};

std::string flow_list(const std::vector<std::string>& texts) {
  std::string out = "[";
  for (std::size_t i = 0; i < texts.size(); ++i) out += (i == 0 ? "" : ", ") + scalar(texts[i]);
  return out + "]";
}

// ---------------------------------------------------------------------------------------------
// Block scalars: HCL as `config: |`, prose as `about: >`. Each form is tried on yaml-cpp (the
// parser's reader) before it is used; a text no block form keeps exactly is double-quoted.

enum class TextStyle { prose, code };  // prose folds at kLineWidth; code keeps its lines

struct Block {
  std::string header;              // "|", ">-", "|+"
  std::vector<std::string> lines;  // without indentation; "" for an empty line
};

// Block scalars drop trailing line breaks unless told: "-" strips all, "" keeps one, "+" all.
std::string chomping(std::string_view text, std::string_view& body) {
  const std::size_t end = text.find_last_not_of('\n');
  body = end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
  const std::size_t breaks = text.size() - body.size();
  return breaks == 0 ? "-" : breaks == 1 ? "" : "+";
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string_view::npos; start = end + 1) {
    lines.emplace_back(text.substr(start, end - start));
  }
  lines.emplace_back(text.substr(start));
  return lines;
}

Block literal_block(std::string_view text) {
  std::string_view body;
  Block block;
  block.header = "|" + chomping(text, body);
  block.lines = split_lines(body);
  // Kept trailing breaks beyond the first are empty lines after the body.
  for (std::size_t extra = text.size() - body.size(); extra > 1; --extra) block.lines.emplace_back();
  return block;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

// One paragraph, wrapped at single spaces between words (a folded block reads each line break
// back as one space). nullopt for text a fold cannot keep: several lines, or leading spaces.
std::optional<Block> folded_block(std::string_view text, std::size_t indent) {
  std::string_view body;
  Block block;
  block.header = ">" + chomping(text, body);
  if (body.empty() || body.find('\n') != std::string_view::npos || is_space(body.front()) || text.size() - body.size() > 1) {
    return std::nullopt;
  }
  const auto breakable = [&](std::size_t i) {
    return body[i] == ' ' && i > 0 && i + 1 < body.size() && !is_space(body[i - 1]) && !is_space(body[i + 1]);
  };
  std::size_t start = 0;
  while (indent + body.size() - start > kLineWidth) {
    // The last break that keeps the line within the width, or the first break after a word
    // longer than the width.
    std::optional<std::size_t> cut;
    for (std::size_t i = start + 1; i < body.size(); ++i) {
      if (!breakable(i)) continue;
      if (cut && indent + i - start > kLineWidth) break;
      cut = i;
    }
    if (!cut) break;
    block.lines.emplace_back(body.substr(start, *cut - start));
    start = *cut + 1;
  }
  block.lines.emplace_back(body.substr(start));
  return block;
}

std::string block_text(const Block& block, int indent) {
  std::string out = block.header + "\n";
  for (const std::string& line : block.lines) out += (line.empty() ? "" : std::string(indent, ' ') + line) + "\n";
  return out;
}

// Whether yaml-cpp reads `block` back as `text`, followed by a key as it is in a file.
bool reads_back(const Block& block, std::string_view text) {
  try {
    const YAML::Node node = YAML::Load("k: " + block_text(block, kIndentStep) + "z: 0\n");
    return node["k"].IsScalar() && node["k"].Scalar() == text;
  } catch (const std::exception&) {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The output, line by line.

class Output {
 public:
  void line(int indent, std::string_view text) { out_ += std::string(indent, ' ') + std::string(text) + "\n"; }

  // "# text", one line per line of `text`.
  void comment(int indent, std::string_view text) {
    for (const std::string& part : split_lines(text)) line(indent, part.empty() ? "#" : "# " + part);
  }

  // `key: value` for a text that may span lines: a block when one keeps it exactly.
  void text_field(int indent, std::string_view key, std::string_view text, TextStyle style) {
    const std::string head = std::string(indent, ' ') + scalar(key) + ": ";
    const bool fits_one_line = text.find('\n') == std::string_view::npos && head.size() + scalar(text).size() <= kLineWidth;
    if (!fits_one_line) {
      const int content_indent = indent + kIndentStep;
      std::optional<Block> block;
      if (style == TextStyle::prose) block = folded_block(text, static_cast<std::size_t>(content_indent));
      if (!block || !reads_back(*block, text)) block = literal_block(text);
      if (reads_back(*block, text)) {
        out_ += head + block_text(*block, content_indent);
        return;
      }
    }
    out_ += head + scalar(text) + "\n";
  }

  // Lines already indented and ended.
  void append(std::string_view lines) { out_ += lines; }

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// ---------------------------------------------------------------------------------------------
// The top-level keys.

std::string target_text(const Target& target) { return scalar(to_string(target)); }

FlowMap consul_map(const ConsulSpec& consul) {
  const ConsulSpec defaults;
  FlowMap map;
  if (consul.servers != defaults.servers) map.add("servers", std::to_string(consul.servers));
  // Unwritten, bootstrap_expect is the number of servers.
  if (consul.bootstrap_expect != consul.servers) map.add("bootstrap_expect", std::to_string(consul.bootstrap_expect));
  if (consul.profile != defaults.profile) map.add("profile", scalar(consul.profile));
  if (consul.raft_multiplier != defaults.raft_multiplier) map.add("raft_multiplier", std::to_string(consul.raft_multiplier));
  if (consul.session_ttl_multiplier != defaults.session_ttl_multiplier) {
    map.add("session_ttl_multiplier", std::to_string(consul.session_ttl_multiplier));
  }
  return map;
}

FlowMap network_map(const NetworkSpec& network) {
  const NetworkSpec defaults;
  FlowMap map;
  if (!same_range(network.latency, defaults.latency)) map.add("latency", range_text(network.latency));
  if (network.loss != defaults.loss) map.add("loss", number_text(network.loss));
  return map;
}

std::vector<std::string> reset_instances(const EngineSpec& engine) {
  std::vector<std::string> names;
  for (const auto& [name, reset] : engine.reset_storage) {
    if (reset) names.push_back(name);
  }
  return names;
}

void write_engine(Output& out, const EngineSpec& engine) {
  out.line(0, "engine:");
  out.line(kIndentStep, "instances: " + std::to_string(engine.instances));
  const std::vector<std::string> reset = reset_instances(engine);
  if (!reset.empty()) out.line(kIndentStep, "reset_storage: " + flow_list(reset));
  out.text_field(kIndentStep, "config", engine.config_hcl, TextStyle::code);
}

FlowMap failure_map(const TerraformFailure& failure) {
  const TerraformFailure defaults;
  FlowMap map;
  if (!failure.task.empty()) map.add("task", scalar(failure.task));
  if (failure.command != defaults.command) map.add("command", scalar(failure.command));
  if (failure.times != defaults.times) map.add("times", std::to_string(failure.times));
  if (failure.message != defaults.message) map.add("message", scalar(failure.message));
  if (!failure.instance.empty()) map.add("instance", scalar(failure.instance));
  if (failure.mode != defaults.mode) map.add("mode", scalar(failure.mode));
  return map;
}

void write_terraform(Output& out, const TerraformSpec& terraform) {
  const TerraformSpec defaults;
  FlowMap timing;
  if (!same_range(terraform.apply_time, defaults.apply_time)) timing.add("apply_time", range_text(terraform.apply_time));
  if (!same_range(terraform.init_time, defaults.init_time)) timing.add("init_time", range_text(terraform.init_time));
  if (terraform.failures.empty()) {
    if (!timing.empty()) out.line(0, "terraform: " + timing.text());
    return;
  }
  out.line(0, "terraform:");
  for (const std::string& entry : timing.entries()) out.line(kIndentStep, entry);
  out.line(kIndentStep, "failures:");
  for (const TerraformFailure& failure : terraform.failures) out.line(2 * kIndentStep, "- " + failure_map(failure).text());
}

FlowMap planted_bugs_map(const PlantedBugs& bugs) {
  FlowMap map;
  const auto flag = [&](const char* key, bool set) {
    if (set) map.add(key, "true");
  };
  flag("skip_fencing", bugs.skip_fencing);
  flag("skip_once_mode", bugs.skip_once_mode);
  flag("drop_changes_during_run", bugs.drop_changes_during_run);
  flag("concurrent_runs", bugs.concurrent_runs);
  flag("skip_storing_task_changes", bugs.skip_storing_task_changes);
  return map;
}

// ---------------------------------------------------------------------------------------------
// Steps. An action's key is always at column 4: after "  - ", or under "  - at: ...".

constexpr int kActionIndent = 4;

std::string condition_text(const WaitUntil& wait) {
  switch (wait.condition) {
    case WaitUntil::Condition::leader_elected: return "leader elected";
    case WaitUntil::Condition::consul_leader: return "consul leader";
    case WaitUntil::Condition::once_mode_done: return "once-mode done";
    case WaitUntil::Condition::no_leader: return "no leader";
    case WaitUntil::Condition::task_applied: return "task " + wait.task + " applied";
  }
  return "leader elected";
}

std::string api_op_key(ApiCall::Op op) {
  switch (op) {
    case ApiCall::Op::create: return "create";
    case ApiCall::Op::remove: return "delete";
    case ApiCall::Op::enable: return "enable";
    case ApiCall::Op::disable: return "disable";
  }
  return "create";
}

class ActionWriter {
 public:
  // `lead` is what goes before the action's key on its line: "  - " or four spaces.
  ActionWriter(Output& out, std::string lead) : out_(out), lead_(std::move(lead)) {}

  void operator()(const Register& r) {
    const Register defaults;
    FlowMap map;
    map.add("service", scalar(r.service));
    if (r.id != r.service) map.add("id", scalar(r.id));  // unwritten, the id is the service's name
    if (!r.address.empty()) map.add("address", scalar(r.address));
    if (r.port != 0) map.add("port", std::to_string(r.port));
    if (!r.tags.empty()) map.add("tags", flow_list(r.tags));
    if (!r.meta.empty()) {
      FlowMap meta;
      for (const auto& [key, value] : r.meta) meta.add(key, scalar(value));
      map.add("meta", meta.text());
    }
    if (r.node != defaults.node) map.add("node", scalar(r.node));
    if (r.status != defaults.status) map.add("status", scalar(r.status));
    action("register", map.text());
  }
  void operator()(const Deregister& d) { action("deregister", scalar(d.id)); }
  void operator()(const SetCheck& c) { action("check", FlowMap().add("id", scalar(c.id)).add("status", scalar(c.status)).text()); }
  void operator()(const KvPut& kv) { action("kv_put", FlowMap().add("key", scalar(kv.key)).add("value", scalar(kv.value)).text()); }
  void operator()(const KvDelete& kv) {
    if (!kv.recurse) return action("kv_delete", scalar(kv.key));
    action("kv_delete", FlowMap().add("key", scalar(kv.key)).add("recurse", "true").text());
  }
  void operator()(const Crash& c) { action("crash", target_text(c.target)); }
  void operator()(const Stop& s) { action("stop", target_text(s.target)); }
  void operator()(const Pause& p) { action("pause", target_text(p.target)); }
  void operator()(const Resume& r) { action("resume", target_text(r.target)); }
  void operator()(const Restart& r) {
    FlowMap map;
    map.add("target", target_text(r.target));
    if (r.reset_storage) map.add("reset_storage", *r.reset_storage ? "true" : "false");
    if (r.bootstrap_expect) map.add("bootstrap_expect", std::to_string(*r.bootstrap_expect));
    if (!r.config_hcl) {
      return action("restart", map.entries().size() == 1 ? target_text(r.target) : map.text());
    }
    open("restart");
    for (const std::string& entry : map.entries()) out_.line(kActionIndent + kIndentStep, entry);
    out_.text_field(kActionIndent + kIndentStep, "config", *r.config_hcl, TextStyle::code);
  }
  // At most one of from, from_consul and from_instances can be written; the comparison after
  // writing reports the others.
  void operator()(const Partition& p) {
    FlowMap map;
    map.add("target", target_text(p.target));
    if (p.from) {
      map.add("from", target_text(*p.from));
    } else if (p.from_consul) {
      map.add("from", "consul");
    } else if (p.from_instances) {
      map.add("from", "instances");
    }
    action("partition", map.entries().size() == 1 ? target_text(p.target) : map.text());
  }
  void operator()(const Heal& h) { action("heal", h.target ? target_text(*h.target) : "all"); }
  void operator()(const ClockSkew& s) {
    action("clock_skew", FlowMap().add("target", target_text(s.target)).add("offset", fixed_duration(s.offset_ns)).text());
  }
  void operator()(const ClockDrift& d) {
    action("clock_drift", FlowMap().add("target", target_text(d.target)).add("ppm", std::to_string(d.drift_ppm)).text());
  }
  void operator()(const ApiCall& call) {
    if (call.op != ApiCall::Op::create) return action("api", FlowMap().add(api_op_key(call.op), scalar(call.task)).text());
    open("api");
    out_.line(kActionIndent + kIndentStep, "create:");
    out_.line(kActionIndent + 2 * kIndentStep, "task: " + scalar(call.task));
    out_.text_field(kActionIndent + 2 * kIndentStep, "config", call.task_hcl, TextStyle::code);
  }
  void operator()(const TerraformFail& f) { action("terraform_fail", failure_map(f.failure).text()); }
  void operator()(const TerraformRecover& r) { action("terraform_recover", r.task.empty() ? "all" : scalar(r.task)); }
  void operator()(const WritePeersJson& w) {
    action("write_peers_json", FlowMap().add("server", target_text(w.server)).add("peers", flow_list(w.peers)).text());
  }
  void operator()(const WaitUntil& w) {
    const std::string condition = scalar(condition_text(w));
    if (same_duration(w.timeout, WaitUntil{}.timeout)) return action("wait_until", condition);
    action("wait_until", FlowMap().add("until", condition).add("timeout", duration_text(w.timeout)).text());
  }
  void operator()(const RunFor& r) { action("run", duration_text(r.duration)); }

 private:
  void action(std::string_view key, const std::string& value) { out_.line(0, lead_ + std::string(key) + ": " + value); }
  // An action whose value is a block map, on the lines that follow.
  void open(std::string_view key) { out_.line(0, lead_ + std::string(key) + ":"); }

  Output& out_;
  std::string lead_;
};

std::string at_text(const Step& step) { return (step.at_is_relative ? "+" : "") + duration_text(*step.at); }

void write_steps(Output& out, const std::vector<Step>& steps, const std::map<std::size_t, std::string>& comments) {
  if (steps.empty()) return;
  out.line(0, "steps:");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (const auto comment = comments.find(i); comment != comments.end()) out.comment(kIndentStep, comment->second);
    const Step& step = steps[i];
    std::string lead = "  - ";
    if (step.at) {
      out.line(kIndentStep, "- at: " + at_text(step));
      lead = std::string(kActionIndent, ' ');
    }
    std::visit(ActionWriter(out, lead), step.action);
  }
}

// ---------------------------------------------------------------------------------------------
// Expectations.

std::string failover_text(const FailoverExpectation& failover) {
  return FlowMap()
      .add("min", duration_text(failover.min))
      .add("max", duration_text(failover.max))
      .add("slack", duration_text(failover.slack))
      .text();
}

void write_expect(Output& out, const Expectations& expect) {
  Output body;
  if (expect.failover) body.line(kIndentStep, "failover: " + failover_text(*expect.failover));
  if (!expect.invariants.empty()) body.line(kIndentStep, "invariants: " + flow_list(expect.invariants));
  if (expect.leader_changes) body.line(kIndentStep, "leader_changes: " + std::to_string(*expect.leader_changes));
  if (!expect.final_infrastructure.empty()) {
    FlowMap tasks;
    for (const auto& [task, ids] : expect.final_infrastructure) tasks.add(task, flow_list(ids));
    body.line(kIndentStep, "final_infrastructure: " + tasks.text());
  }
  if (!expect.log_contains.empty()) body.line(kIndentStep, "log_contains: " + flow_list(expect.log_contains));
  if (!expect.log_absent.empty()) body.line(kIndentStep, "log_absent: " + flow_list(expect.log_absent));
  if (!same_duration(expect.convergence, Expectations{}.convergence)) {
    body.line(kIndentStep, "convergence: " + duration_text(expect.convergence));
  }
  if (expect.stop_when_converged) body.line(kIndentStep, "stop_when_converged: true");
  if (!expect.limit.empty()) body.text_field(kIndentStep, "limit", expect.limit, TextStyle::prose);
  const std::string text = body.take();
  if (text.empty()) return;
  out.line(0, "expect:");
  out.append(text);
}

std::string write_text(const Scenario& scenario, const WriteOptions& options) {
  Output out;
  for (const std::string& comment : options.header_comments) out.comment(0, comment);
  out.text_field(0, "name", scenario.name, TextStyle::prose);
  if (!scenario.about.empty()) out.text_field(0, "about", scenario.about, TextStyle::prose);
  if (scenario.seed != Scenario{}.seed) out.line(0, "seed: " + std::to_string(scenario.seed));
  if (!same_duration(scenario.duration, Scenario{}.duration)) out.line(0, "duration: " + duration_text(scenario.duration));
  if (const FlowMap consul = consul_map(scenario.consul); !consul.empty()) out.line(0, "consul: " + consul.text());
  if (const FlowMap network = network_map(scenario.network); !network.empty()) out.line(0, "network: " + network.text());
  write_engine(out, scenario.engine);
  write_terraform(out, scenario.terraform);
  if (const FlowMap bugs = planted_bugs_map(scenario.bugs); !bugs.empty()) out.line(0, "planted_bugs: " + bugs.text());
  if (scenario.continue_after_step_errors) out.line(0, "step_errors: continue");
  write_steps(out, scenario.steps, options.step_comments);
  write_expect(out, scenario.expect);
  return out.take();
}

// ---------------------------------------------------------------------------------------------
// The fields, for comparing what was meant with what reads back.

class FieldList {
 public:
  void add(const std::string& path, const std::string& value) { lines_.push_back(path + " = " + value); }
  void text(const std::string& path, std::string_view value) { add(path, double_quoted(value)); }
  template <class Integer>
  void number(const std::string& path, Integer value) {
    static_assert(std::is_integral_v<Integer>);
    add(path, std::to_string(value));
  }
  void flag(const std::string& path, bool value) { add(path, value ? "true" : "false"); }
  void duration(const std::string& path, const DurationSpec& value) {
    add(path, value.relative_to_ttl ? number_text(value.ttl_multiple) + "x session_ttl" : std::to_string(value.ns) + "ns");
  }
  void range(const std::string& path, const DurationRange& value) {
    duration(path + ".min", value.min);
    duration(path + ".max", value.max);
  }
  void target(const std::string& path, const Target& value) {
    const bool instance = value.kind == Target::Kind::instance;
    static constexpr const char* kSelects[] = {"leader", "follower", "name", "all"};
    const std::string name = value.select == Target::Select::name ? " " + double_quoted(value.name) : "";
    add(path, std::string(instance ? "instance " : "consul-server ") + kSelects[static_cast<int>(value.select)] + name);
  }
  void texts(const std::string& path, const std::vector<std::string>& values) {
    number(path + ".size", values.size());
    for (std::size_t i = 0; i < values.size(); ++i) text(path + "[" + std::to_string(i) + "]", values[i]);
  }
  std::vector<std::string> take() { return std::move(lines_); }

 private:
  std::vector<std::string> lines_;
};

void failure_fields(FieldList& f, const std::string& path, const TerraformFailure& failure) {
  f.text(path + ".task", failure.task);
  f.text(path + ".command", failure.command);
  f.number(path + ".times", failure.times);
  f.text(path + ".message", failure.message);
  f.text(path + ".instance", failure.instance);
  f.text(path + ".mode", failure.mode);
}

class ActionFields {
 public:
  ActionFields(FieldList& fields, std::string path) : f_(fields), path_(std::move(path)) {}

  void operator()(const Register& r) {
    f_.text(at("register.service"), r.service);
    f_.text(at("register.id"), r.id);
    f_.text(at("register.address"), r.address);
    f_.number(at("register.port"), r.port);
    f_.texts(at("register.tags"), r.tags);
    f_.number(at("register.meta.size"), r.meta.size());
    for (const auto& [key, value] : r.meta) f_.text(at("register.meta[" + double_quoted(key) + "]"), value);
    f_.text(at("register.node"), r.node);
    f_.text(at("register.status"), r.status);
  }
  void operator()(const Deregister& d) { f_.text(at("deregister.id"), d.id); }
  void operator()(const SetCheck& c) {
    f_.text(at("check.id"), c.id);
    f_.text(at("check.status"), c.status);
  }
  void operator()(const KvPut& kv) {
    f_.text(at("kv_put.key"), kv.key);
    f_.text(at("kv_put.value"), kv.value);
  }
  void operator()(const KvDelete& kv) {
    f_.text(at("kv_delete.key"), kv.key);
    f_.flag(at("kv_delete.recurse"), kv.recurse);
  }
  void operator()(const Crash& c) { f_.target(at("crash"), c.target); }
  void operator()(const Stop& s) { f_.target(at("stop"), s.target); }
  void operator()(const Pause& p) { f_.target(at("pause"), p.target); }
  void operator()(const Resume& r) { f_.target(at("resume"), r.target); }
  void operator()(const Restart& r) {
    f_.target(at("restart.target"), r.target);
    f_.add(at("restart.reset_storage"), r.reset_storage ? (*r.reset_storage ? "true" : "false") : "(none)");
    f_.add(at("restart.bootstrap_expect"), r.bootstrap_expect ? std::to_string(*r.bootstrap_expect) : "(none)");
    f_.add(at("restart.config"), r.config_hcl ? double_quoted(*r.config_hcl) : "(none)");
  }
  void operator()(const Partition& p) {
    f_.target(at("partition.target"), p.target);
    if (p.from) {
      f_.target(at("partition.from"), *p.from);
    } else {
      f_.add(at("partition.from"), "(none)");
    }
    f_.flag(at("partition.from_consul"), p.from_consul);
    f_.flag(at("partition.from_instances"), p.from_instances);
  }
  void operator()(const Heal& h) {
    if (h.target) {
      f_.target(at("heal"), *h.target);
    } else {
      f_.add(at("heal"), "all");
    }
  }
  void operator()(const ClockSkew& s) {
    f_.target(at("clock_skew.target"), s.target);
    f_.number(at("clock_skew.offset_ns"), s.offset_ns);
  }
  void operator()(const ClockDrift& d) {
    f_.target(at("clock_drift.target"), d.target);
    f_.number(at("clock_drift.ppm"), d.drift_ppm);
  }
  void operator()(const ApiCall& call) {
    f_.add(at("api.op"), api_op_key(call.op));
    f_.text(at("api.task"), call.task);
    if (call.op == ApiCall::Op::create) f_.text(at("api.config"), call.task_hcl);
  }
  void operator()(const TerraformFail& t) { failure_fields(f_, at("terraform_fail"), t.failure); }
  void operator()(const TerraformRecover& r) { f_.text(at("terraform_recover.task"), r.task); }
  void operator()(const WritePeersJson& w) {
    f_.target(at("write_peers_json.server"), w.server);
    f_.texts(at("write_peers_json.peers"), w.peers);
  }
  void operator()(const WaitUntil& w) {
    f_.number(at("wait_until.condition"), static_cast<int>(w.condition));
    if (w.condition == WaitUntil::Condition::task_applied) f_.text(at("wait_until.task"), w.task);
    f_.duration(at("wait_until.timeout"), w.timeout);
  }
  void operator()(const RunFor& r) { f_.duration(at("run"), r.duration); }

 private:
  std::string at(const std::string& key) const { return path_ + "." + key; }

  FieldList& f_;
  std::string path_;
};

void step_fields(FieldList& f, const std::string& path, const Step& step) {
  if (step.at) {
    f.duration(path + ".at", *step.at);
    f.flag(path + ".at_is_relative", step.at_is_relative);
  } else {
    f.add(path + ".at", "(none)");
  }
  std::visit(ActionFields(f, path), step.action);
}

void expect_fields(FieldList& f, const Expectations& expect) {
  if (expect.failover) {
    f.duration("expect.failover.min", expect.failover->min);
    f.duration("expect.failover.max", expect.failover->max);
    f.duration("expect.failover.slack", expect.failover->slack);
  } else {
    f.add("expect.failover", "(none)");
  }
  f.texts("expect.invariants", expect.invariants);
  f.add("expect.leader_changes", expect.leader_changes ? std::to_string(*expect.leader_changes) : "(none)");
  f.number("expect.final_infrastructure.size", expect.final_infrastructure.size());
  for (const auto& [task, ids] : expect.final_infrastructure) f.texts("expect.final_infrastructure[" + double_quoted(task) + "]", ids);
  f.texts("expect.log_contains", expect.log_contains);
  f.texts("expect.log_absent", expect.log_absent);
  f.duration("expect.convergence", expect.convergence);
  f.flag("expect.stop_when_converged", expect.stop_when_converged);
  f.text("expect.limit", expect.limit);
}

void setup_fields(FieldList& f, const Scenario& s) {
  f.text("name", s.name);
  f.text("about", s.about);
  f.number("seed", s.seed);
  f.duration("duration", s.duration);
  f.flag("step_errors_continue", s.continue_after_step_errors);
  f.number("consul.servers", s.consul.servers);
  f.number("consul.bootstrap_expect", s.consul.bootstrap_expect);
  f.text("consul.profile", s.consul.profile);
  f.number("consul.raft_multiplier", s.consul.raft_multiplier);
  f.number("consul.session_ttl_multiplier", s.consul.session_ttl_multiplier);
  f.range("network.latency", s.network.latency);
  f.add("network.loss", number_text(s.network.loss));
  f.number("engine.instances", s.engine.instances);
  f.text("engine.config", s.engine.config_hcl);
  f.texts("engine.reset_storage", reset_instances(s.engine));
  f.range("terraform.apply_time", s.terraform.apply_time);
  f.range("terraform.init_time", s.terraform.init_time);
  f.number("terraform.failures.size", s.terraform.failures.size());
  for (std::size_t i = 0; i < s.terraform.failures.size(); ++i) {
    failure_fields(f, "terraform.failures[" + std::to_string(i) + "]", s.terraform.failures[i]);
  }
  f.flag("planted_bugs.skip_fencing", s.bugs.skip_fencing);
  f.flag("planted_bugs.skip_once_mode", s.bugs.skip_once_mode);
  f.flag("planted_bugs.drop_changes_during_run", s.bugs.drop_changes_during_run);
  f.flag("planted_bugs.concurrent_runs", s.bugs.concurrent_runs);
  f.flag("planted_bugs.skip_storing_task_changes", s.bugs.skip_storing_task_changes);
}

void check_step_comments(const Scenario& scenario, const WriteOptions& options) {
  for (const auto& [index, comment] : options.step_comments) {
    if (index >= scenario.steps.size()) {
      throw std::invalid_argument("write_scenario_yaml: a step comment names step " + std::to_string(index) +
                                  ", the scenario has " + std::to_string(scenario.steps.size()) + " steps");
    }
  }
}

// The written text must mean the scenario: read it back and compare, naming the first field
// the language could not carry.
void check_reads_back(const Scenario& scenario, const std::string& text) {
  const std::string name = scenario.file.empty() ? "(written scenario)" : scenario.file;
  const ParsedScenario parsed = parse_scenario(name, text, MemoryScenarioFiles{});
  if (const auto* error = std::get_if<ScenarioError>(&parsed)) {
    throw std::invalid_argument("write_scenario_yaml: the scenario cannot be written: its text would not read back: " +
                                (error->path.empty() ? "" : error->path + ": ") + error->message + " (line " +
                                std::to_string(error->line) + " of the written text)");
  }
  if (const std::optional<std::string> difference = first_difference(scenario, std::get<Scenario>(parsed))) {
    throw std::invalid_argument("write_scenario_yaml: the scenario language cannot express this field (written | read back): " +
                                *difference);
  }
}

}  // namespace

std::string write_scenario_yaml(const Scenario& scenario, const WriteOptions& options) {
  check_step_comments(scenario, options);
  std::string text = write_text(scenario, options);
  check_reads_back(scenario, text);
  return text;
}

std::vector<std::string> scenario_fields(const Scenario& scenario) {
  FieldList fields;
  setup_fields(fields, scenario);
  fields.number("steps.size", scenario.steps.size());
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    step_fields(fields, "steps[" + std::to_string(i) + "]", scenario.steps[i]);
  }
  expect_fields(fields, scenario.expect);
  return fields.take();
}

std::optional<std::string> first_difference(const Scenario& a, const Scenario& b) {
  const std::vector<std::string> left = scenario_fields(a);
  const std::vector<std::string> right = scenario_fields(b);
  for (std::size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
    const std::string l = i < left.size() ? left[i] : "(none)";
    const std::string r = i < right.size() ? right[i] : "(none)";
    if (l != r) return l + " | " + r;
  }
  return std::nullopt;
}

}  // namespace baton::sim::scenario
