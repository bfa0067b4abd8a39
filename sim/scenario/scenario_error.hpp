#pragma once
// What is wrong with a scenario file, and exactly where: a bad scenario is an expected outcome
// (a user's typo), so the parser returns one of these rather than throwing.
#include <string>

namespace baton::sim::scenario {

struct ScenarioError {
  std::string file;
  int line = 0;      // 1-based; 0: the error has no position (the file could not be read)
  int column = 0;    // 1-based
  std::string path;  // the key path of what is wrong: "steps[3].crash", "consul.servers"; may be empty
  std::string message;

  // "scenarios/x.yaml:12:5: steps[3].crash: unknown target "cts-9" (instances are cts-01..cts-03)";
  // without a position, "scenarios/x.yaml: message"; without a path, no "path: " part.
  std::string to_string() const;

  friend bool operator==(const ScenarioError&, const ScenarioError&) = default;
};

}  // namespace baton::sim::scenario
