#pragma once
// `terraform validate -json`'s output as terraform-json v0.14.0 reads it (validate.go), and the
// text CTS v0.9.0 makes of its diagnostics (client/terraform_cli.go, Validate): a module lacking
// the `services` or `catalog_services` variable is named as such, every other diagnostic is
// written out with its place and snippet.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace baton::driver::terraform {

struct ValidateSnippet {
  std::optional<std::string> context;  // `resource "terraform_data" "x"`; absent at the top level
  std::string code;
  int start_line = 0;
};

struct ValidateRange {
  std::string filename;
  int start_line = 0;
};

struct ValidateDiagnostic {
  std::string severity;  // "error" or "warning", printed as given
  std::string summary;
  std::string detail;
  std::optional<ValidateRange> range;
  std::optional<ValidateSnippet> snippet;
};

struct ValidateOutput {
  bool valid = false;
  std::vector<ValidateDiagnostic> diagnostics;
};

// The output, or why it could not be read (not JSON, a field of the wrong type, a
// format_version outside terraform-json's ">= 0.1, < 2.0").
std::variant<ValidateOutput, std::string> parse_validate_output(std::string_view json_text);

// CTS's text of the diagnostics: "\n<one diagnostic>\n" for each, empty when there are none.
// `workspace` is the task's name, as CTS words it.
std::string cts_diagnostics_text(const ValidateOutput& output, const std::string& workspace);

}  // namespace baton::driver::terraform
