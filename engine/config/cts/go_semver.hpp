#pragma once
// hashicorp/go-version as CTS v0.9.0 uses it for driver "terraform" { version = "..." }:
// NewSemver, then a check against version.CompatibleTerraformVersionConstraint.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace baton::config::cts {

inline constexpr const char* kCompatibleTerraformVersionConstraint = ">= 0.13.0, <= 1.14.3";

struct SemVersion {
  std::vector<std::int64_t> segments;  // padded to at least 3
  std::size_t written_segments = 0;     // how many the text had
  std::string prerelease;
  std::string metadata;
};

// NewSemver: "1.2.3", "v1.2", "1.2.3-beta.1+build"; else "Malformed version: <text>".
std::variant<SemVersion, std::string> parse_semver(std::string_view text);

// version.TerraformConstraint.Check: >= 0.13.0 and <= 1.14.3, and no pre-release.
bool satisfies_terraform_constraint(const SemVersion& version);

}  // namespace baton::config::cts
