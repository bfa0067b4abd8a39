#pragma once
// Log output for simulated nodes: every node gets a Logger stamped with its own (possibly
// skewed) wall clock, named after it, writing CTS-shaped lines to one shared stream and into
// the World's trace, so log lines take part in the determinism digest.
#include <iosfwd>
#include <memory>
#include <vector>

#include <spdlog/sinks/sink.h>

#include "engine/log/logger.hpp"
#include "sim/runtime/node.hpp"

namespace baton::sim {

struct SimLogOptions {
  // Where lines are printed; nullptr prints nothing (they still reach the trace).
  std::ostream* out = nullptr;
  // Lines below this level are neither printed nor traced.
  LogLevel level = LogLevel::info;
};

class SimLog {
 public:
  SimLog(World& world, SimLogOptions options);
  Logger logger_for(Node& node) const;

 private:
  SimLogOptions options_;
  std::vector<std::shared_ptr<spdlog::sinks::sink>> sinks_;
};

}  // namespace baton::sim
