#pragma once
// Reading a scenario file (scenarios/README.md documents the language) into a Scenario.
//
// Parsing never throws and never guesses: every bad input (YAML syntax, an unknown key, a wrong
// type, a bad duration, an unknown target or invariant, a number out of range, a step with two
// actions, a missing required key) gives a ScenarioError that points at it:
//   scenarios/x.yaml:12:5: steps[3].crash: unknown target "cts-9" (instances are cts-01..cts-03)
// The first error found is the one reported.
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_error.hpp"

namespace baton::sim::scenario {

// A scenario file or a file it names may be at most this large.
inline constexpr std::size_t kScenarioFileBytesMax = 1 << 20;

// Reads the files a scenario names (engine.config_file), so that tests need no disk.
class ScenarioFiles {
 public:
  virtual ~ScenarioFiles() = default;
  // The text of `path`, or nullopt with `error` set to why not ("No such file or directory").
  virtual std::optional<std::string> read(const std::string& path, std::string& error) const = 0;
};

// The local disk, read before the simulation starts (nothing of it runs in virtual time).
class DiskScenarioFiles final : public ScenarioFiles {
 public:
  std::optional<std::string> read(const std::string& path, std::string& error) const override;
};

// Files held in memory, by path.
class MemoryScenarioFiles final : public ScenarioFiles {
 public:
  MemoryScenarioFiles() = default;
  explicit MemoryScenarioFiles(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  void add(const std::string& path, std::string text) { files_[path] = std::move(text); }
  std::optional<std::string> read(const std::string& path, std::string& error) const override;

 private:
  std::map<std::string, std::string> files_;
};

using ParsedScenario = std::variant<Scenario, ScenarioError>;

// `file_name` names the file in errors and SourceRefs, and its directory is where
// engine.config_file is looked up (through `files`).
ParsedScenario parse_scenario(const std::string& file_name, const std::string& yaml_text, const ScenarioFiles& files);

// Reads `path` from disk and parses it; engine.config_file is read from disk too.
ParsedScenario load_scenario(const std::string& path);

// The invariant names `expect.invariants` accepts (DESIGN.md, "Safety and liveness").
const std::vector<std::string_view>& invariant_names();

}  // namespace baton::sim::scenario
