#include "sim/scenario/scenario_error.hpp"

namespace baton::sim::scenario {

std::string ScenarioError::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": ";
  if (!path.empty()) out += path + ": ";
  return out + message;
}

}  // namespace baton::sim::scenario
