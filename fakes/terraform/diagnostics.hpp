#pragma once
// The texts a failed Terraform run leaves in a StepResult: Terraform's error diagnostics as it
// prints them on stderr under -no-color (hashicorp/terraform internal/command/format/
// diagnostic.go, DiagnosticPlain), and terraform-exec's error around them ("exit status 1\n"
// then the whole stderr: tfexec wrapExitError, fmt.Errorf("%w\n%s", exitErr, stderr)).
#include <string>
#include <string_view>
#include <vector>

namespace baton::fakes::terraform {

// The width Terraform wraps a diagnostic's detail to when stderr is not a terminal: its default
// 78 columns, less one.
inline constexpr std::size_t kDetailWrapColumns = 77;

// One error diagnostic.
struct Diagnostic {
  std::string summary;  // printed as it is, never wrapped (it may be a Go error's text)
  std::string detail;   // each line word-wrapped unless it starts with a space
  std::string snippet;  // the source lines Terraform shows between them, already laid out
};

// "\nError: <summary>\n\n<snippet><detail lines, each ending in \n>".
std::string plain_diagnostic(const Diagnostic& diagnostic);

// terraform-exec's error for a run that exited with status 1 after printing `stderr_text`.
std::string exit_error(std::string_view stderr_text);
// ... after printing `diagnostics`.
std::string exit_error(const std::vector<Diagnostic>& diagnostics);
std::string exit_error(const Diagnostic& diagnostic);

// go-wordwrap's WrapString: breaks `line` at spaces so that no line is longer than `columns`,
// a word longer than that staying whole on its own line.
std::string word_wrap(std::string_view line, std::size_t columns);

// What terraform-exec's caller sees for a run stopped through its context: CTS's driver reports
// the context's error.
inline constexpr std::string_view kContextCanceled = "context canceled";

}  // namespace baton::fakes::terraform
