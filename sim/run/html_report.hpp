#pragma once
// `sim run --report FILE.html`: one self-contained HTML file (inline SVG and CSS, no script, no
// external asset, nothing fetched) a person can open anywhere: a lane per engine instance and
// per Consul server across the run's virtual time, showing leadership terms, paused and down
// spans, applies (failed ones marked), session expiries, the scenario's faults shaded across
// every lane, each failover's phases annotated, and the verdict table.
#include <iosfwd>
#include <string>

#include "sim/run/run_scenario.hpp"

namespace baton::sim::run {

void write_html_report(std::ostream& out, const RunResult& result, const std::string& command);

}  // namespace baton::sim::run
