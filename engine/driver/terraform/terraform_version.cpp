#include "engine/driver/terraform/terraform_version.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <optional>
#include <regex>

namespace baton::driver::terraform {
namespace {

// go-version's NewVersion, as far as Terraform's versions go: "1.11.4", "v1.12.0-beta1",
// "0.13" (missing segments are 0). Pre-release and metadata are not compared (tfexec strips them).
std::optional<std::array<int, 3>> parse_segments(std::string_view text) {
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  std::array<int, 3> segments{};
  std::size_t index = 0;
  while (index < segments.size()) {
    std::size_t digits = 0;
    int value = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) && value < 1'000'000) {
      value = value * 10 + (text[digits] - '0');
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    segments[index++] = value;
    text.remove_prefix(digits);
    if (text.empty() || text.front() != '.') break;
    text.remove_prefix(1);
  }
  if (!text.empty() && text.front() != '-' && text.front() != '+') return std::nullopt;
  return segments;
}

}  // namespace

bool InstalledTerraformVersion::at_least(int major, int minor, int patch) const {
  return segments >= std::array<int, 3>{major, minor, patch};
}

std::variant<InstalledTerraformVersion, std::string> parse_version_output(std::string_view json_text) {
  using Result = std::variant<InstalledTerraformVersion, std::string>;
  const nlohmann::json output = nlohmann::json::parse(json_text, nullptr, false);
  if (output.is_discarded() || !output.is_object()) {
    return Result(std::in_place_index<1>, "unable to parse the output of terraform version -json");
  }
  const auto field = output.find("terraform_version");
  const std::string text = field != output.end() && field->is_string() ? field->get<std::string>() : "";
  const std::optional<std::array<int, 3>> segments = parse_segments(text);
  if (!segments) {
    return Result(std::in_place_index<1>, "unable to parse version \"" + text + "\": Malformed version: " + text);
  }
  return Result(std::in_place_index<0>, InstalledTerraformVersion{*segments, text});
}

bool is_json_version_output(std::string_view text) { return nlohmann::json::accept(text); }

// tfexec/version.go: versionOutputRe, matched against the output with its spaces trimmed.
std::variant<InstalledTerraformVersion, std::string> parse_plaintext_version_output(std::string_view text) {
  using Result = std::variant<InstalledTerraformVersion, std::string>;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  const std::string trimmed = first == std::string_view::npos ? std::string() : std::string(text.substr(first, last - first + 1));
  static const std::regex version_line(R"(Terraform v?([0-9]+(?:\.[0-9]+)*(?:-[A-Za-z0-9.]+)?))");
  std::smatch match;
  if (!std::regex_search(trimmed, match, version_line)) {
    return Result(std::in_place_index<1>, "unable to parse version: unexpected number of version matches 0 for " + trimmed);
  }
  const std::string version = match[1].str();
  const std::optional<std::array<int, 3>> segments = parse_segments(version);
  if (!segments) {
    return Result(std::in_place_index<1>,
                  "unable to parse version: unable to parse version \"" + version + "\": Malformed version: " + version);
  }
  return Result(std::in_place_index<0>, InstalledTerraformVersion{*segments, version});
}

std::string version_mismatch_text(const InstalledTerraformVersion& actual, std::string_view min_inclusive,
                                  std::string_view max_exclusive) {
  return "unexpected version " + actual.text + " (min: " + std::string(min_inclusive) +
         ", max: " + std::string(max_exclusive) + ")";
}

}  // namespace baton::driver::terraform
