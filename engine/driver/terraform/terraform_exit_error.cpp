#include "engine/driver/terraform/terraform_exit_error.hpp"

#include <array>
#include <initializer_list>
#include <optional>

#include "engine/driver/terraform/go_quote.hpp"

// The patterns below are tfexec's regular expressions, matched by hand: Go's RE2 never
// backtracks, std::regex does (recursively, per character), and stderr may be a megabyte.
// In Go's syntax `.` stops at a line break and `\s` is [\t\n\f\r ].

namespace baton::driver::terraform {
namespace {

using Text = std::string_view;
constexpr std::size_t kNone = Text::npos;

bool contains(Text text, Text part) { return text.find(part) != kNone; }

bool is_go_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

bool is_word(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Go's \b at `position`.
bool is_word_boundary(Text text, std::size_t position) {
  const bool word_before = position > 0 && is_word(text[position - 1]);
  const bool word_after = position < text.size() && is_word(text[position]);
  return word_before != word_after;
}

// Where Go's `.` stops: the line break ending the line that holds `position`, or the end.
std::size_t line_end(Text text, std::size_t position) {
  const std::size_t end = text.find('\n', position);
  return end == kNone ? text.size() : end;
}

// strings.TrimSpace, for ASCII space.
Text trim_space(Text text) {
  const auto is_space = [](char c) { return is_go_space(c) || c == '\v'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// `prefix\s+suffix`.
bool contains_spaced(Text text, Text prefix, Text suffix) {
  for (std::size_t at = text.find(prefix); at != kNone; at = text.find(prefix, at + 1)) {
    std::size_t position = at + prefix.size();
    while (position < text.size() && is_go_space(text[position])) ++position;
    if (position > at + prefix.size() && text.substr(position).starts_with(suffix)) return true;
  }
  return false;
}

// `prefix.`: the prefix, then any character of the same line.
bool contains_then_any(Text text, Text prefix) {
  for (std::size_t at = text.find(prefix); at != kNone; at = text.find(prefix, at + 1)) {
    const std::size_t next = at + prefix.size();
    if (next < text.size() && text[next] != '\n') return true;
  }
  return false;
}

// One submatch of a leftmost-first search: where the whole match began, and the capture.
struct Capture {
  std::size_t match_at = kNone;
  std::string value;
};

// `opening(.+)closing` (and one more character of the line with `then_any`: a trailing `.`),
// the capture greedy within one line, at the first place it matches.
Capture greedy_between(Text text, Text opening, Text closing, bool then_any = false) {
  for (std::size_t at = text.find(opening); at != kNone; at = text.find(opening, at + 1)) {
    const std::size_t start = at + opening.size();
    const std::size_t end = line_end(text, start);
    for (std::size_t close = end; close-- > start + 1;) {
      const std::size_t after = close + closing.size();
      if (text.substr(close).starts_with(closing) && after <= end && (!then_any || after < end)) {
        return Capture{at, std::string(text.substr(start, close - start))};
      }
    }
  }
  return {};
}

// `opening(.+)`: the rest of the line, at least one character.
Capture rest_of_line(Text text, Text opening) {
  for (std::size_t at = text.find(opening); at != kNone; at = text.find(opening, at + 1)) {
    const std::size_t start = at + opening.size();
    const std::size_t end = line_end(text, start);
    if (end > start) return Capture{at, std::string(text.substr(start, end - start))};
  }
  return {};
}

// `opening(.+)\b`: the longest part of the rest of the line that ends at a word boundary.
Capture rest_of_line_to_boundary(Text text, Text opening) {
  for (std::size_t at = text.find(opening); at != kNone; at = text.find(opening, at + 1)) {
    const std::size_t start = at + opening.size();
    for (std::size_t stop = line_end(text, start); stop > start; --stop) {
      if (is_word_boundary(text, stop)) return Capture{at, std::string(text.substr(start, stop - start))};
    }
  }
  return {};
}

// `first|second` with one group each: the leftmost match's group, trimmed (tfexec keeps the
// first non-empty group, and only one of the two can be set).
std::string leftmost(const Capture& first, const Capture& second) {
  const Capture& chosen = second.match_at < first.match_at ? second : first;
  return std::string(trim_space(chosen.value));
}

// `\sword1\sword2...` from `position`.
bool spaced_words_follow(Text text, std::size_t position, std::initializer_list<Text> words) {
  for (const Text word : words) {
    if (position >= text.size() || !is_go_space(text[position])) return false;
    ++position;
    if (!text.substr(position).starts_with(word)) return false;
    position += word.size();
  }
  return true;
}

// `The root module input variable\s"(.+)"\sis\snot\sset,\sand\shas\sno\sdefault`
Capture unset_variable_sentence(Text text) {
  constexpr Text opening = "The root module input variable";
  for (std::size_t at = text.find(opening); at != kNone; at = text.find(opening, at + 1)) {
    const std::size_t space = at + opening.size();
    if (space + 1 >= text.size() || !is_go_space(text[space]) || text[space + 1] != '"') continue;
    const std::size_t start = space + 2;
    for (std::size_t close = line_end(text, start); close-- > start + 1;) {
      const bool sentence_follows =
          spaced_words_follow(text, close + 1, {"is", "not", "set,", "and", "has", "no", "default"});
      if (text[close] == '"' && sentence_follows) {
        return Capture{at, std::string(text.substr(start, close - start))};
      }
    }
  }
  return {};
}

ExitError version_mismatch(Text stderr_text, Text terraform_version) {
  std::string constraint = leftmost(greedy_between(stderr_text, "required_version = \"", "\""),
                                    rest_of_line_to_boundary(stderr_text, "Required version: "));
  if (constraint.empty()) constraint = "unknown";  // tfexec's value for 0.12's wording
  const std::string version = terraform_version.empty() ? "version" : std::string(terraform_version);
  return {TfexecError::version_mismatch,
          "terraform " + version + " not supported by configuration (" + constraint + " required)"};
}

ExitError missing_variable(Text stderr_text) {
  const std::string name =
      leftmost(unset_variable_sentence(stderr_text), rest_of_line(stderr_text, "Error: Required variable not set: "));
  return {TfexecError::missing_variable, "variable " + go_quote(name) + " was required but not supplied"};
}

bool is_usage_error(Text stderr_text) {
  if (contains(stderr_text, "Too many command line arguments")) return true;
  // ^Usage: .*Options:.*  (the start of the text; Options: on the first line)
  if (stderr_text.starts_with("Usage: ")) {
    const Text first_line = stderr_text.substr(0, line_end(stderr_text, 0));
    if (first_line.find("Options:", 7) != kNone) return true;
  }
  constexpr Text invalid = "Error: Invalid -";  // Error: Invalid -\d+ option
  for (std::size_t at = stderr_text.find(invalid); at != kNone; at = stderr_text.find(invalid, at + 1)) {
    std::size_t position = at + invalid.size();
    while (position < stderr_text.size() && stderr_text[position] >= '0' && stderr_text[position] <= '9') ++position;
    if (position > at + invalid.size() && stderr_text.substr(position).starts_with(" option")) return true;
  }
  return false;
}

bool is_no_init_error(Text stderr_text) {
  return contains(stderr_text, "Error: Could not satisfy plugin requirements") ||
         contains(stderr_text, "Error: Could not load plugin") ||
         contains(stderr_text, "Please run \"terraform init\"") ||
         contains_spaced(stderr_text, "run:", "terraform init") ||
         contains_spaced(stderr_text, "Run", "\"terraform init\"") ||
         contains_then_any(stderr_text, "Error: Initialization required") ||
         contains(stderr_text, "Error: Backend initialization required, please run \"terraform init\"");
}

struct LockInfo {
  std::array<std::string, 6> values;  // ID, Path, Operation, Who, Version, Created
};

constexpr std::array<Text, 6> kLockLabels = {"ID:", "Path:", "Operation:", "Who:", "Version:", "Created:"};

// `Lock Info:\n\s*ID:\s*([^\n]+)\n\s*Path:\s*([^\n]+)\n ... \s*Created:\s*([^\n]+)\n`
std::optional<LockInfo> lock_info(Text text) {
  constexpr Text heading = "Lock Info:\n";
  for (std::size_t at = text.find(heading); at != kNone; at = text.find(heading, at + 1)) {
    std::size_t position = at + heading.size();
    LockInfo info;
    std::size_t found = 0;
    for (; found < kLockLabels.size(); ++found) {
      while (position < text.size() && is_go_space(text[position])) ++position;
      if (!text.substr(position).starts_with(kLockLabels[found])) break;
      position += kLockLabels[found].size();
      while (position < text.size() && is_go_space(text[position]) && text[position] != '\n') ++position;
      const std::size_t end = line_end(text, position);
      if (end == position || end == text.size()) break;
      info.values[found] = std::string(text.substr(position, end - position));
      position = end + 1;
    }
    if (found == kLockLabels.size()) return info;
  }
  return std::nullopt;
}

std::string state_locked_text(const LockInfo& info) {
  constexpr std::array<Text, 6> kLines = {"  ID:        ", "  Path:      ", "  Operation: ",
                                          "  Who:       ", "  Version:   ", "  Created:   "};
  std::string text = "error acquiring the state lock: Lock Info:\n";
  for (std::size_t index = 0; index < kLines.size(); ++index) {
    text.append(kLines[index]).append(info.values[index]).append("\n");
  }
  return text;
}

// Go's signal names on Linux (syscall.Signal.String()).
constexpr std::array<Text, 32> kSignalNames = {
    "",
    "hangup",
    "interrupt",
    "quit",
    "illegal instruction",
    "trace/breakpoint trap",
    "aborted",
    "bus error",
    "floating point exception",
    "killed",
    "user defined signal 1",
    "segmentation fault",
    "user defined signal 2",
    "broken pipe",
    "alarm clock",
    "terminated",
    "stack fault",
    "child exited",
    "continued",
    "stopped (signal)",
    "stopped",
    "stopped (tty input)",
    "stopped (tty output)",
    "urgent I/O condition",
    "CPU time limit exceeded",
    "file size limit exceeded",
    "virtual timer expired",
    "profiling timer expired",
    "window changed",
    "I/O possible",
    "power failure",
    "bad system call",
};

}  // namespace

std::string go_exit_text(int exit_code, int signal_number) {
  if (exit_code >= 0) return "exit status " + std::to_string(exit_code);
  if (signal_number > 0 && std::size_t(signal_number) < kSignalNames.size()) {
    return "signal: " + std::string(kSignalNames[std::size_t(signal_number)]);
  }
  return "signal: signal " + std::to_string(signal_number);
}

ExitError wrap_exit_error(std::string_view exit_text, std::string_view stderr_text,
                          std::string_view terraform_version) {
  if (trim_space(stderr_text).empty()) return {TfexecError::exit, std::string(exit_text)};
  const std::string whole_stderr(stderr_text);
  if (contains(stderr_text, "Error: The currently running version of Terraform doesn't meet the") ||
      contains(stderr_text, "Error: Unsupported Terraform Core version")) {
    return version_mismatch(stderr_text, terraform_version);
  }
  if (contains(stderr_text, "Error: No value for required variable") ||
      contains(stderr_text, "Error: Required variable not set:")) {
    return missing_variable(stderr_text);
  }
  if (is_usage_error(stderr_text)) return {TfexecError::cli_usage, whole_stderr};
  if (is_no_init_error(stderr_text)) return {TfexecError::no_init, whole_stderr};
  if (contains(stderr_text, "Error: No configuration files")) return {TfexecError::no_config, whole_stderr};
  const Capture missing = greedy_between(stderr_text, "Workspace \"", "\" doesn't exist", true);
  if (missing.match_at != kNone) {
    return {TfexecError::no_workspace, "workspace " + go_quote(missing.value) + " does not exist"};
  }
  const Capture existing = greedy_between(stderr_text, "Workspace \"", "\" already exists");
  if (existing.match_at != kNone) {
    return {TfexecError::workspace_exists, "workspace " + go_quote(existing.value) + " already exists"};
  }
  if (contains_then_any(stderr_text, "There are some problems with the configuration, described below")) {
    return {TfexecError::config_invalid, "configuration is invalid"};
  }
  if (contains(stderr_text, "Error acquiring the state lock")) {
    const std::optional<LockInfo> info = lock_info(stderr_text);
    if (info) return {TfexecError::state_locked, state_locked_text(*info)};
  } else if (contains_then_any(stderr_text, "Terraform couldn't read the given file as a state or plan file") ||
             contains(stderr_text, "Error: Failed to read the given file as a state or plan file")) {
    return {TfexecError::state_plan_read, whole_stderr};
  }
  return {TfexecError::exit, std::string(exit_text) + "\n" + whole_stderr};
}

}  // namespace baton::driver::terraform
