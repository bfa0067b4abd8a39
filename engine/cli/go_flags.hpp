#pragma once
// Go's `flag` package (Go 1.25, flag.go), for the single-dash flags CTS's commands take:
// `-name`, `--name`, `-name=value`, `-name value` (not for bools), bools as `-b` or
// `-b=<strconv.ParseBool>`; parsing stops at the first non-flag argument (a lone `-` is one)
// or after `--`. Errors carry Go's texts and follow flag.ContinueOnError: the message is
// written to output() with a newline, then the usage function runs, then parse() returns it.
// `-h` / `-help` when not defined run the usage function and return FlagError::help, without a
// message (Go's ErrHelp).
//
// Values are kept by the FlagSet; read them back by name after parse(). A flag set by the
// command line is "actual" (Go's Visit), which is how CTS tells `-ssl-verify=true` from the
// default.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ports/time.hpp"

namespace baton::cli {

struct FlagError {
  bool help = false;    // Go's flag.ErrHelp: -h or -help asked for, and not defined
  std::string message;  // "flag provided but not defined: -x"; empty for help
};

class FlagSet {
 public:
  enum class Kind { string, string_list, boolean, integer, duration };

  explicit FlagSet(std::string name);

  // Each defines a flag with its default and usage text (Go's fs.String, fs.Bool, ...). A flag
  // name defined twice is a programming error (Go panics): it throws std::logic_error.
  void add_string(const std::string& name, std::string default_value, std::string usage);
  // Repeatable: each occurrence appends (CTS's FlagAppendSliceValue; String() joins with ",").
  void add_string_list(const std::string& name, std::string usage);
  void add_bool(const std::string& name, bool default_value, std::string usage);
  void add_int(const std::string& name, std::int64_t default_value, std::string usage);
  void add_duration(const std::string& name, Duration default_value, std::string usage);

  // Go's SetOutput; nullptr (the default) discards, unlike Go's stderr default: the caller
  // decides where text goes.
  void set_output(std::ostream* output) { output_ = output; }
  // Go's Usage: called after an error message and for -h/-help. Unset: print_defaults() after
  // "Usage of <name>:", as Go's defaultUsage.
  void set_usage(std::function<void()> usage) { usage_ = std::move(usage); }

  // Go's Parse(arguments) (without the program name). nullopt on success.
  std::optional<FlagError> parse(const std::vector<std::string>& arguments);
  // What remained after the flags (Go's Args()).
  const std::vector<std::string>& args() const { return args_; }
  bool parsed() const { return parsed_; }

  // Values (the default when not given). The name must be defined with that kind.
  const std::string& get_string(const std::string& name) const;
  const std::vector<std::string>& get_string_list(const std::string& name) const;
  bool get_bool(const std::string& name) const;
  std::int64_t get_int(const std::string& name) const;
  Duration get_duration(const std::string& name) const;
  // Whether the command line set it (Go's Visit: the flags in `actual`).
  bool is_set(const std::string& name) const;
  bool defined(const std::string& name) const { return flags_.contains(name); }

  // Each defined flag, in lexicographic order (Go's VisitAll): name, usage, and its value as
  // Go's Value.String() gives it now ("" for an empty string, "false", "8558", "5s").
  struct Info {
    std::string name;
    std::string usage;
    std::string value_text;
    std::string default_text;  // DefValue: String() of the default
    Kind kind;
  };
  std::vector<Info> visit_all() const;

  // Go's PrintDefaults, to output(): "  -name type\n    \tusage (default ...)".
  void print_defaults() const;
  // Go's UnquoteUsage: the back-quoted name in the usage (removed from it) or the kind's name.
  static std::pair<std::string, std::string> unquote_usage(const Info& info);

  const std::string& name() const { return name_; }
  std::ostream* output() const { return output_; }

 private:
  struct Flag {
    Kind kind;
    std::string usage;
    std::string default_text;
    std::string text;  // string value
    std::vector<std::string> list;
    bool boolean = false;
    std::int64_t integer = 0;
    Duration duration{};
    bool set = false;
  };
  void define(const std::string& name, Flag flag);
  const Flag& lookup(const std::string& name, Kind kind) const;
  std::string value_text(const Flag& flag) const;
  // Go's parseOne: true when a flag was consumed; false at the end of the flags.
  bool parse_one(std::optional<FlagError>& error);
  FlagError fail(std::string message);
  void usage() const;

  std::string name_;
  std::map<std::string, Flag> flags_;
  std::vector<std::string> args_;
  bool parsed_ = false;
  std::ostream* output_ = nullptr;
  std::function<void()> usage_;
};

}  // namespace baton::cli
