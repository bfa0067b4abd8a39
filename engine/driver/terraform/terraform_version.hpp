#pragma once
// The installed Terraform's version as terraform-exec v0.17.0 reads it (tfexec/version.go):
// from `terraform version -json`, compared without its pre-release and metadata, for the flags
// that depend on it. (task_input.hpp's TerraformVersion is the one CTS writes into main.tf.)
#include <array>
#include <string>
#include <string_view>
#include <variant>

namespace baton::driver::terraform {

struct InstalledTerraformVersion {
  std::array<int, 3> segments{};  // major, minor, patch
  std::string text;               // as Terraform printed it ("1.11.4"), for messages

  // minInclusive/maxExclusive of tfexec's compatible(): versions compared by segments alone.
  bool at_least(int major, int minor, int patch) const;
};

// The version in `terraform version -json`'s output, or why it could not be read.
std::variant<InstalledTerraformVersion, std::string> parse_version_output(std::string_view json_text);

// True when `terraform version -json` printed JSON at all. tfexec falls back to the plain
// `terraform version` only when it did not (a *json.SyntaxError: a Terraform without -json).
bool is_json_version_output(std::string_view text);

// The version in plain `terraform version` output ("Terraform v0.12.31\n..."), as tfexec's
// parsePlaintextVersionOutput reads it, or its error ("unable to parse version: ...").
std::variant<InstalledTerraformVersion, std::string> parse_plaintext_version_output(std::string_view text);

// ErrVersionMismatch's text: "unexpected version 0.11.14 (min: 0.12.0, max: -)".
std::string version_mismatch_text(const InstalledTerraformVersion& actual, std::string_view min_inclusive,
                                  std::string_view max_exclusive);

}  // namespace baton::driver::terraform
