#include "engine/log/logger.hpp"

namespace baton {

spdlog::level::level_enum to_spdlog_level(LogLevel level) {
  switch (level) {
    case LogLevel::trace: return spdlog::level::trace;
    case LogLevel::debug: return spdlog::level::debug;
    case LogLevel::info: return spdlog::level::info;
    case LogLevel::warn: return spdlog::level::warn;
    case LogLevel::error: return spdlog::level::err;
  }
  return spdlog::level::err;
}

namespace {

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\t') return true;
  }
  return false;
}

}  // namespace

Logger Logger::named(std::string_view module) const {
  std::string name = module_.empty() ? std::string(module) : module_ + "." + std::string(module);
  return Logger(output_, *clock_, std::move(name));
}

bool Logger::enabled(LogLevel level) const { return output_->should_log(to_spdlog_level(level)); }

std::string Logger::head(std::string_view message, bool has_pairs) const {
  std::string line;
  if (!module_.empty()) line = module_ + ": ";
  line += message;
  // hclog writes an empty message as nothing at all: "ha.compat: error=...".
  if (has_pairs && !message.empty()) line += ": ";
  return line;
}

void Logger::append_value(std::string& line, std::string_view value) {
  if (!needs_quotes(value)) {
    line += value;
    return;
  }
  line += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') line += '\\';
    if (c == '\n') {
      line += "\\n";
      continue;
    }
    line += c;
  }
  line += '"';
}

void Logger::append_lines(std::string& line, const std::string& key, std::string_view text) {
  if (text.find('\n') == std::string_view::npos) {
    if (line.back() != ' ') line += ' ';
    line += key + "=";
    append_value(line, text);
    return;
  }
  line += "\n  " + key + "=\n";
  while (!text.empty()) {  // a last empty line is not written (hclog's writeIndent)
    const std::size_t end = text.find('\n');
    line += "  | ";
    line += text.substr(0, end);
    line += '\n';
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  line += "  ";
}

void Logger::write(LogLevel level, const std::string& line) const {
  auto stamp = std::chrono::time_point_cast<spdlog::log_clock::duration>(clock_->wall_now());
  output_->log(stamp, spdlog::source_loc{}, to_spdlog_level(level), spdlog::string_view_t(line));
}

}  // namespace baton
