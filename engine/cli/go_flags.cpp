#include "engine/cli/go_flags.hpp"

#include <stdexcept>
#include <variant>

#include "engine/config/cts/go_parse_duration.hpp"
#include "engine/config/cts/go_strconv.hpp"
#include "engine/config/cts/go_text.hpp"
#include "engine/time/go_duration.hpp"

namespace baton::cli {

namespace {

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// flag.go's errParse / errRange, from a strconv error text.
std::string number_error(const std::string& strconv_error) {
  return strconv_error.find("out of range") != std::string::npos ? "value out of range" : "parse error";
}

}  // namespace

FlagSet::FlagSet(std::string name) : name_(std::move(name)) {}

void FlagSet::define(const std::string& name, Flag flag) {
  if (flags_.contains(name)) throw std::logic_error(name_ + " flag redefined: " + name);
  flag.default_text = value_text(flag);
  flags_.emplace(name, std::move(flag));
}

void FlagSet::add_string(const std::string& name, std::string default_value, std::string usage) {
  Flag flag{.kind = Kind::string, .usage = std::move(usage)};
  flag.text = std::move(default_value);
  define(name, std::move(flag));
}

void FlagSet::add_string_list(const std::string& name, std::string usage) {
  define(name, Flag{.kind = Kind::string_list, .usage = std::move(usage)});
}

void FlagSet::add_bool(const std::string& name, bool default_value, std::string usage) {
  Flag flag{.kind = Kind::boolean, .usage = std::move(usage)};
  flag.boolean = default_value;
  define(name, std::move(flag));
}

void FlagSet::add_int(const std::string& name, std::int64_t default_value, std::string usage) {
  Flag flag{.kind = Kind::integer, .usage = std::move(usage)};
  flag.integer = default_value;
  define(name, std::move(flag));
}

void FlagSet::add_duration(const std::string& name, Duration default_value, std::string usage) {
  Flag flag{.kind = Kind::duration, .usage = std::move(usage)};
  flag.duration = default_value;
  define(name, std::move(flag));
}

const FlagSet::Flag& FlagSet::lookup(const std::string& name, Kind kind) const {
  const auto found = flags_.find(name);
  if (found == flags_.end() || found->second.kind != kind) {
    throw std::logic_error("flag -" + name + " is not defined with that type in " + name_);
  }
  return found->second;
}

const std::string& FlagSet::get_string(const std::string& name) const { return lookup(name, Kind::string).text; }
const std::vector<std::string>& FlagSet::get_string_list(const std::string& name) const {
  return lookup(name, Kind::string_list).list;
}
bool FlagSet::get_bool(const std::string& name) const { return lookup(name, Kind::boolean).boolean; }
std::int64_t FlagSet::get_int(const std::string& name) const { return lookup(name, Kind::integer).integer; }
Duration FlagSet::get_duration(const std::string& name) const { return lookup(name, Kind::duration).duration; }

bool FlagSet::is_set(const std::string& name) const {
  const auto found = flags_.find(name);
  return found != flags_.end() && found->second.set;
}

std::string FlagSet::value_text(const Flag& flag) const {
  switch (flag.kind) {
    case Kind::string: return flag.text;
    case Kind::string_list: return join(flag.list, ",");
    case Kind::boolean: return flag.boolean ? "true" : "false";
    case Kind::integer: return std::to_string(flag.integer);
    case Kind::duration: return format_go_duration(flag.duration);
  }
  return {};
}

std::vector<FlagSet::Info> FlagSet::visit_all() const {
  std::vector<Info> infos;
  for (const auto& [flag_name, flag] : flags_) {  // std::map: sorted, as Go's sortFlags
    infos.push_back(Info{flag_name, flag.usage, value_text(flag), flag.default_text, flag.kind});
  }
  return infos;
}

std::pair<std::string, std::string> FlagSet::unquote_usage(const Info& info) {
  const std::string& usage = info.usage;
  const auto open = usage.find('`');
  if (open != std::string::npos) {
    const auto close = usage.find('`', open + 1);
    if (close != std::string::npos) {
      const std::string quoted = usage.substr(open + 1, close - open - 1);
      return {quoted, usage.substr(0, open) + quoted + usage.substr(close + 1)};
    }
  }
  switch (info.kind) {
    case Kind::boolean: return {"", usage};
    case Kind::duration: return {"duration", usage};
    case Kind::integer: return {"int", usage};
    case Kind::string: return {"string", usage};
    case Kind::string_list: return {"value", usage};
  }
  return {"value", usage};
}

void FlagSet::print_defaults() const {
  if (output_ == nullptr) return;
  for (const Info& info : visit_all()) {
    std::string line = "  -" + info.name;
    auto [type_name, usage] = unquote_usage(info);
    if (!type_name.empty()) line += " " + type_name;
    // One-letter bool flags keep their usage on the same line, as Go prints them.
    if (line.size() <= 4) {
      line += "\t";
    } else {
      line += "\n    \t";
    }
    for (const char c : usage) {
      if (c == '\n') {
        line += "\n    \t";
      } else {
        line += c;
      }
    }
    const bool zero = (info.kind == Kind::string && info.default_text.empty()) ||
                      (info.kind == Kind::string_list && info.default_text.empty()) ||
                      (info.kind == Kind::boolean && info.default_text == "false") ||
                      (info.kind == Kind::integer && info.default_text == "0") ||
                      (info.kind == Kind::duration && info.default_text == "0s");
    if (!zero) {
      if (info.kind == Kind::string) {
        line += " (default " + config::cts::go_quote(info.default_text) + ")";
      } else {
        line += " (default " + info.default_text + ")";
      }
    }
    *output_ << line << "\n";
  }
}

void FlagSet::usage() const {
  if (usage_) {
    usage_();
    return;
  }
  if (output_ != nullptr) {
    if (name_.empty()) {
      *output_ << "Usage:\n";
    } else {
      *output_ << "Usage of " << name_ << ":\n";
    }
  }
  print_defaults();
}

FlagError FlagSet::fail(std::string message) {
  if (output_ != nullptr) *output_ << message << "\n";
  usage();
  return FlagError{false, std::move(message)};
}

std::optional<FlagError> FlagSet::parse(const std::vector<std::string>& arguments) {
  parsed_ = true;
  args_ = arguments;
  for (;;) {
    std::optional<FlagError> error;
    const bool consumed = parse_one(error);
    if (error) return error;
    if (!consumed) return std::nullopt;
  }
}

bool FlagSet::parse_one(std::optional<FlagError>& error) {
  if (args_.empty()) return false;
  const std::string s = args_.front();
  if (s.size() < 2 || s[0] != '-') return false;
  std::size_t minuses = 1;
  if (s[1] == '-') {
    ++minuses;
    if (s.size() == 2) {  // "--" ends the flags
      args_.erase(args_.begin());
      return false;
    }
  }
  std::string flag_name = s.substr(minuses);
  if (flag_name.empty() || flag_name[0] == '-' || flag_name[0] == '=') {
    error = fail("bad flag syntax: " + s);
    return false;
  }
  args_.erase(args_.begin());
  bool has_value = false;
  std::string value;
  // The '=' cannot be the first character (checked above).
  if (const auto equals = flag_name.find('=', 1); equals != std::string::npos) {
    value = flag_name.substr(equals + 1);
    has_value = true;
    flag_name.resize(equals);
  }

  const auto found = flags_.find(flag_name);
  if (found == flags_.end()) {
    if (flag_name == "help" || flag_name == "h") {
      usage();
      error = FlagError{true, ""};
      return false;
    }
    error = fail("flag provided but not defined: -" + flag_name);
    return false;
  }
  Flag& flag = found->second;

  if (flag.kind == Kind::boolean) {
    const std::string text = has_value ? value : "true";
    const auto parsed_bool = config::cts::go_parse_bool(text);
    if (const auto* b = std::get_if<bool>(&parsed_bool)) {
      flag.boolean = *b;
    } else {
      error = fail("invalid boolean value " + config::cts::go_quote(value) + " for -" + flag_name + ": parse error");
      return false;
    }
  } else {
    if (!has_value && !args_.empty()) {
      has_value = true;
      value = args_.front();
      args_.erase(args_.begin());
    }
    if (!has_value) {
      error = fail("flag needs an argument: -" + flag_name);
      return false;
    }
    std::optional<std::string> set_error;
    switch (flag.kind) {
      case Kind::string: flag.text = value; break;
      case Kind::string_list: flag.list.push_back(value); break;
      case Kind::integer: {
        const auto parsed_int = config::cts::go_parse_int(value);
        if (const auto* i = std::get_if<std::int64_t>(&parsed_int)) {
          flag.integer = *i;
        } else {
          set_error = number_error(std::get<std::string>(parsed_int));
        }
        break;
      }
      case Kind::duration: {
        const auto parsed_duration = config::cts::go_parse_duration(value);
        if (const auto* d = std::get_if<Duration>(&parsed_duration)) {
          flag.duration = *d;
        } else {
          set_error = "parse error";
        }
        break;
      }
      case Kind::boolean: break;
    }
    if (set_error) {
      error = fail("invalid value " + config::cts::go_quote(value) + " for flag -" + flag_name + ": " + *set_error);
      return false;
    }
  }
  flag.set = true;
  return true;
}

}  // namespace baton::cli
