#include "fakes/terraform/diagnostics.hpp"

namespace baton::fakes::terraform {

std::string word_wrap(std::string_view line, std::size_t columns) {
  std::string wrapped;
  std::size_t line_length = 0;
  std::size_t begin = 0;
  while (begin < line.size()) {
    std::size_t end = line.find(' ', begin);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view word = line.substr(begin, end - begin);
    if (line_length > 0 && line_length + 1 + word.size() > columns) {
      wrapped += '\n';
      line_length = 0;
    } else if (begin > 0) {
      wrapped += ' ';
      ++line_length;
    }
    wrapped += word;
    line_length += word.size();
    begin = end + 1;
  }
  return wrapped;
}

std::string plain_diagnostic(const Diagnostic& diagnostic) {
  std::string text = "\nError: " + diagnostic.summary + "\n\n" + diagnostic.snippet;
  if (diagnostic.detail.empty()) return text;
  std::size_t begin = 0;
  while (begin <= diagnostic.detail.size()) {
    std::size_t end = diagnostic.detail.find('\n', begin);
    if (end == std::string::npos) end = diagnostic.detail.size();
    const std::string_view line = std::string_view(diagnostic.detail).substr(begin, end - begin);
    text += line.starts_with(' ') ? std::string(line) : word_wrap(line, kDetailWrapColumns);
    text += '\n';
    begin = end + 1;
  }
  return text;
}

std::string exit_error(std::string_view stderr_text) { return "exit status 1\n" + std::string(stderr_text); }

std::string exit_error(const std::vector<Diagnostic>& diagnostics) {
  std::string stderr_text;
  for (const Diagnostic& diagnostic : diagnostics) stderr_text += plain_diagnostic(diagnostic);
  return exit_error(stderr_text);
}

std::string exit_error(const Diagnostic& diagnostic) { return exit_error(std::vector<Diagnostic>{diagnostic}); }

}  // namespace baton::fakes::terraform
