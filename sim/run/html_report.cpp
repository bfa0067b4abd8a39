#include "sim/run/html_report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <vector>

namespace baton::sim::run {

namespace {

constexpr int kLabelWidth = 150;
constexpr int kPlotWidth = 1100;
constexpr int kLaneHeight = 34;
constexpr int kTop = 40;

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

struct Scale {
  std::int64_t end_ns;
  double x(std::int64_t ns) const {
    return kLabelWidth + kPlotWidth * std::clamp(static_cast<double>(ns) / static_cast<double>(std::max<std::int64_t>(end_ns, 1)), 0.0, 1.0);
  }
};

struct Lane {
  std::string name;
  bool instance = true;
};

// Spans in which a process was down: from a crash or exit to the next restart (or the end).
std::vector<std::pair<std::int64_t, std::int64_t>> down_spans(const Timeline& timeline, const std::string& process) {
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  std::optional<std::int64_t> since;
  for (const FaultRecord& fault : timeline.faults) {
    if (fault.process != process) continue;
    if ((fault.name == "crash" || fault.name == "exit") && !since) since = fault.at_ns;
    if (fault.name == "restart" && since) {
      spans.emplace_back(*since, fault.at_ns);
      since.reset();
    }
  }
  if (since) spans.emplace_back(*since, timeline.end_ns);
  return spans;
}

void rect(std::ostream& out, double x1, double x2, int lane, const char* css, const std::string& title, int inset = 6) {
  const double width = std::max(x2 - x1, 1.5);
  fmt::print(out, R"(<rect class="{}" x="{:.1f}" y="{}" width="{:.1f}" height="{}"><title>{}</title></rect>)", css, x1,
             kTop + lane * kLaneHeight + inset, width, kLaneHeight - 2 * inset, escape(title));
  out << "\n";
}

void write_svg(std::ostream& out, const RunResult& result) {
  const Timeline& timeline = result.timeline;
  const Scale scale{timeline.end_ns};
  std::vector<Lane> lanes;
  std::map<std::string, int> lane_of;
  for (const auto& instance : result.cluster->instances()) {
    lane_of[instance->name] = static_cast<int>(lanes.size());
    lanes.push_back(Lane{instance->name, true});
  }
  const auto& consul = result.cluster->consul();
  for (std::size_t i = 0; i < consul.size(); ++i) {
    const std::string node(consul.node(i).name());
    lane_of[node] = static_cast<int>(lanes.size());
    lanes.push_back(Lane{node, false});
  }
  const int height = kTop + static_cast<int>(lanes.size()) * kLaneHeight + 60;
  fmt::print(out, R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" role="img">)", kLabelWidth + kPlotWidth + 20, height);
  out << "\n";
  // Time axis: a tick every nice interval.
  const double seconds = static_cast<double>(timeline.end_ns) / 1e9;
  const double tick_s = seconds > 600 ? 60 : seconds > 240 ? 30 : seconds > 120 ? 15 : seconds > 40 ? 5 : 1;
  for (double t = 0; t <= seconds; t += tick_s) {
    const double x = scale.x(static_cast<std::int64_t>(t * 1e9));
    fmt::print(out, R"(<line class="grid" x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2}"/><text class="tick" x="{0:.1f}" y="{3}">{4:g}s</text>)",
               x, kTop - 4, kTop + static_cast<int>(lanes.size()) * kLaneHeight, kTop - 10, t);
    out << "\n";
  }
  // Lanes.
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    const int y = kTop + static_cast<int>(i) * kLaneHeight;
    fmt::print(out, R"(<rect class="lane{}" x="{}" y="{}" width="{}" height="{}"/><text class="label" x="8" y="{}">{}</text>)",
               i % 2, kLabelWidth, y, kPlotWidth, kLaneHeight, y + kLaneHeight / 2 + 4,
               escape(lanes[i].name + (lanes[i].instance ? "" : " (consul)")));
    out << "\n";
  }
  // Scenario faults, shaded across every lane.
  for (const StepRecord& step : result.steps) {
    const bool fault = step.kind == "crash" || step.kind == "stop" || step.kind == "pause" || step.kind == "partition" ||
                       step.kind == "clock_skew" || step.kind == "clock_drift" || step.kind == "restart" || step.kind == "heal" ||
                       step.kind == "resume";
    if (!fault) continue;
    const double x = scale.x(step.at_ns);
    fmt::print(out, R"(<line class="fault" x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2}"><title>{3}</title></line>)", x, kTop,
               kTop + static_cast<int>(lanes.size()) * kLaneHeight, escape(seconds_text(step.at_ns) + " " + step.description));
    out << "\n";
  }
  // Down and paused spans.
  for (const Lane& lane : lanes) {
    for (const auto& [from, until] : down_spans(timeline, lane.name)) {
      rect(out, scale.x(from), scale.x(until), lane_of[lane.name], "down", lane.name + " down " + seconds_text(from) + " .. " + seconds_text(until), 2);
    }
  }
  for (const LeaderTermRecord& term : timeline.terms) {
    const int lane = lane_of[term.instance];
    const std::int64_t until = term.ended_ns.value_or(timeline.end_ns);
    rect(out, scale.x(term.acquired_ns), scale.x(until), lane, "leader",
         fmt::format("{} leads {} .. {}{}", term.instance, seconds_text(term.acquired_ns), seconds_text(until),
                     term.end_reason.empty() ? "" : " (" + term.end_reason + ")"));
    for (const auto& [from, paused_until] : term.paused) {
      rect(out, scale.x(from), scale.x(paused_until), lane, "paused", "paused " + seconds_text(from) + " .. " + seconds_text(paused_until), 4);
    }
    if (term.once_mode_done_ns) {
      const double x = scale.x(*term.once_mode_done_ns);
      const int y = kTop + lane * kLaneHeight;
      fmt::print(out, R"(<path class="once" d="M{0:.1f} {1} l4 6 l-4 6 l-4 -6 z"><title>once-mode done {2}</title></path>)", x, y + 11,
                 seconds_text(*term.once_mode_done_ns));
      out << "\n";
    }
  }
  for (const ApplyEvent& apply : timeline.applies) {
    const auto found = lane_of.find(apply.instance);
    if (found == lane_of.end()) continue;
    const bool ok = apply.outcome == "succeeded";
    rect(out, scale.x(apply.start_ns), scale.x(apply.end_ns.value_or(timeline.end_ns)), found->second, ok ? "apply" : "apply-failed",
         fmt::format("apply {} {} .. {}: {}", apply.task, seconds_text(apply.start_ns),
                     apply.end_ns ? seconds_text(*apply.end_ns) : "running", apply.outcome.empty() ? "running" : apply.outcome), 12);
  }
  for (const SessionExpiry& expiry : timeline.session_expiries) {
    const auto found = lane_of.find(expiry.server);
    if (found == lane_of.end()) continue;
    const double x = scale.x(expiry.at_ns);
    const int y = kTop + found->second * kLaneHeight;
    fmt::print(out, R"(<circle class="expiry" cx="{:.1f}" cy="{}" r="5"><title>{} expired session {}</title></circle>)", x,
               y + kLaneHeight / 2, seconds_text(expiry.at_ns), escape(expiry.session_name));
    out << "\n";
  }
  // Failover annotations under the lanes: cause -> acquired, with the measured time.
  const int annotation_y = kTop + static_cast<int>(lanes.size()) * kLaneHeight + 22;
  for (const Failover& failover : result.failovers) {
    if (!failover.acquired_ns) continue;
    const double x1 = scale.x(failover.cause_ns);
    const double x2 = scale.x(*failover.acquired_ns);
    fmt::print(out, R"(<line class="failover" x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}"/>)", x1, annotation_y, x2, annotation_y);
    fmt::print(out, R"(<text class="annotation" x="{:.1f}" y="{}">{} {}: {} = {}</text>)", x1, annotation_y + 16, escape(failover.cause),
               escape(failover.from + " -> " + failover.to), seconds_text(*failover.duration_ns()),
               ttl_text(*failover.duration_ns(), result.ttl_ns));
    out << "\n";
  }
  out << "</svg>\n";
}

}  // namespace

void write_html_report(std::ostream& out, const RunResult& result, const std::string& command) {
  const std::string title = result.scenario_name.empty() ? result.scenario_file : result.scenario_name;
  out << R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>)" << escape(title) << R"( - sim report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2330; }
h1 { font-size: 20px; margin: 0 0 4px; } .meta { color: #5b6475; margin-bottom: 16px; }
.verdict-ok { color: #1a7f37; font-weight: 600; } .verdict-fail { color: #cf222e; font-weight: 600; }
table { border-collapse: collapse; margin: 12px 0 20px; } td, th { border-bottom: 1px solid #d8dee4; padding: 4px 10px; text-align: left; }
th { background: #f6f8fa; } code { background: #f6f8fa; padding: 2px 4px; }
.lane0 { fill: #fbfcfd; } .lane1 { fill: #f2f4f7; } .label { font-size: 13px; fill: #1d2330; }
.grid { stroke: #e3e7ec; } .tick { font-size: 11px; fill: #5b6475; text-anchor: middle; }
.leader { fill: #2f81f7; opacity: 0.85; } .paused { fill: #bf8700; } .down { fill: #d0d7de; opacity: 0.9; }
.apply { fill: #1a7f37; } .apply-failed { fill: #cf222e; } .once { fill: #fff; stroke: #1d2330; }
.expiry { fill: #cf222e; } .fault { stroke: #cf222e; stroke-width: 2; stroke-dasharray: 4 3; }
.failover { stroke: #8250df; stroke-width: 3; } .annotation { font-size: 12px; fill: #8250df; }
.legend span { display: inline-block; margin-right: 14px; } .sw { width: 12px; height: 12px; display: inline-block; vertical-align: middle; margin-right: 4px; }
</style></head><body>
)";
  fmt::print(out, "<h1>{}</h1>\n<div class=\"meta\">seed {} &middot; session TTL {} &middot; {} of virtual time &middot; trace {} &middot; <span class=\"{}\">{}</span></div>\n",
             escape(title), result.seed, seconds_text(result.ttl_ns), seconds_text(result.end_ns), result.trace_digest,
             result.passed() ? "verdict-ok" : "verdict-fail", result.passed() ? "PASSED" : "FAILED");
  out << R"(<div class="legend"><span><i class="sw" style="background:#2f81f7"></i>leads</span><span><i class="sw" style="background:#1a7f37"></i>apply</span>)"
         R"(<span><i class="sw" style="background:#cf222e"></i>failed apply / session expired / fault</span><span><i class="sw" style="background:#bf8700"></i>paused</span>)"
         R"(<span><i class="sw" style="background:#d0d7de"></i>down</span><span><i class="sw" style="background:#8250df"></i>failover</span></div>)"
      << "\n";
  write_svg(out, result);
  out << "<h2>Failovers</h2>\n<table><tr><th>cause</th><th>from</th><th>to</th><th>session expired</th><th>lock acquired</th><th>once-mode done</th><th>took</th><th>x TTL</th></tr>\n";
  const auto phase = [](const std::optional<std::int64_t>& at, std::int64_t from) {
    return at ? fmt::format("+{:.3f}s", static_cast<double>(*at - from) / 1e9) : std::string("-");
  };
  for (const Failover& f : result.failovers) {
    const auto took = f.duration_ns();
    fmt::print(out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", escape(f.cause),
               escape(f.from), escape(f.to), phase(f.session_expired_ns, f.cause_ns), phase(f.acquired_ns, f.cause_ns),
               phase(f.once_mode_done_ns, f.cause_ns), took ? seconds_text(*took) : "-", took ? ttl_text(*took, result.ttl_ns) : "-");
  }
  out << "</table>\n<h2>Verdicts</h2>\n<table><tr><th></th><th>check</th><th>result</th></tr>\n";
  for (const Verdict& verdict : result.verdicts) {
    fmt::print(out, "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}", verdict.passed ? "verdict-ok" : "verdict-fail",
               verdict.passed ? "ok" : "FAIL", escape(verdict.name), escape(verdict.summary));
    for (const std::string& evidence : verdict.evidence) fmt::print(out, "<br>&ndash; {}", escape(evidence));
    out << "</td></tr>\n";
  }
  if (result.step_error) fmt::print(out, "<tr><td class=\"verdict-fail\">FAIL</td><td>steps</td><td>{}</td></tr>\n", escape(*result.step_error));
  out << "</table>\n<h2>Steps</h2>\n<table><tr><th>time</th><th>step</th><th>written at</th></tr>\n";
  for (const StepRecord& step : result.steps) {
    fmt::print(out, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", seconds_text(step.at_ns), escape(step.description), escape(step.source));
  }
  fmt::print(out, "</table>\n<p>Reproduce: <code>{}</code></p>\n</body></html>\n", escape(command));
}

}  // namespace baton::sim::run
