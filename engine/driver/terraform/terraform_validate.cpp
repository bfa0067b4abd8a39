#include "engine/driver/terraform/terraform_validate.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace baton::driver::terraform {
namespace {

using json = nlohmann::json;

// Go's encoding/json into a struct: absent or null fields keep their zero value, a field of
// another type is an error. The first error is kept.
class Reader {
 public:
  std::string text(const json& object, const char* name) {
    const json* field = find(object, name, "string", &json::is_string);
    return field ? field->get<std::string>() : std::string();
  }
  int integer(const json& object, const char* name) {
    const json* field = find(object, name, "int", &json::is_number_integer);
    return field ? field->get<int>() : 0;
  }
  bool boolean(const json& object, const char* name) {
    const json* field = find(object, name, "bool", &json::is_boolean);
    return field ? field->get<bool>() : false;
  }
  // A nested object, or nullptr when absent or null.
  const json* object(const json& parent, const char* name) { return find(parent, name, "object", &json::is_object); }
  const json* array(const json& parent, const char* name) { return find(parent, name, "array", &json::is_array); }

  const std::optional<std::string>& problem() const { return problem_; }

 private:
  const json* find(const json& object, const char* name, const char* type, bool (json::*is_type)() const noexcept) {
    const auto field = object.find(name);
    if (field == object.end() || field->is_null()) return nullptr;
    if (((*field).*is_type)()) return &*field;
    if (!problem_) {
      problem_ = fmt::format("json: cannot unmarshal {} into field {} of type {}", field->type_name(), name, type);
    }
    return nullptr;
  }

  std::optional<std::string> problem_;
};

ValidateDiagnostic read_diagnostic(Reader& reader, const json& entry) {
  ValidateDiagnostic diagnostic;
  if (!entry.is_object()) return diagnostic;
  diagnostic.severity = reader.text(entry, "severity");
  diagnostic.summary = reader.text(entry, "summary");
  diagnostic.detail = reader.text(entry, "detail");
  if (const json* range = reader.object(entry, "range")) {
    const json* start = reader.object(*range, "start");
    diagnostic.range = ValidateRange{reader.text(*range, "filename"), start ? reader.integer(*start, "line") : 0};
  }
  if (const json* snippet = reader.object(entry, "snippet")) {
    ValidateSnippet read{std::nullopt, reader.text(*snippet, "code"), reader.integer(*snippet, "start_line")};
    if (const auto context = snippet->find("context"); context != snippet->end() && !context->is_null()) {
      read.context = reader.text(*snippet, "context");
    }
    diagnostic.snippet = std::move(read);
  }
  return diagnostic;
}

// terraform-json's ValidateFormatVersionConstraints, ">= 0.1, < 2.0", on "major.minor".
bool supported_format(const std::string& format_version) {
  if (format_version.empty()) return true;
  int major = 0;
  int minor = 0;
  if (std::sscanf(format_version.c_str(), "%d.%d", &major, &minor) < 1) return false;
  return (major > 0 || minor >= 1) && major < 2;
}

void append_diagnostic(std::string& text, const ValidateDiagnostic& diagnostic) {
  text += fmt::format("{}: {}\n", diagnostic.severity, diagnostic.summary);
  if (diagnostic.range && diagnostic.snippet) {
    const ValidateRange& range = *diagnostic.range;
    const ValidateSnippet& snippet = *diagnostic.snippet;
    if (snippet.context) {
      text += fmt::format("\non {} line {}, in {}\n", range.filename, range.start_line, *snippet.context);
    } else {
      text += fmt::format("\non {} line {}\n", range.filename, range.start_line);
    }
    text += fmt::format("{}:{}\n\n", snippet.start_line, snippet.code);
  }
  text += diagnostic.detail;
}

}  // namespace

std::variant<ValidateOutput, std::string> parse_validate_output(std::string_view json_text) {
  using Result = std::variant<ValidateOutput, std::string>;
  const json document = json::parse(json_text, nullptr, false);
  if (document.is_discarded()) {
    const bool blank = json_text.find_first_not_of(" \t\r\n") == std::string_view::npos;
    return Result(std::in_place_index<1>, blank ? "unexpected end of JSON input"
                                                : "invalid JSON from terraform validate -json");
  }
  if (!document.is_object()) {
    return Result(std::in_place_index<1>,
                  "json: cannot unmarshal " + std::string(document.type_name()) + " into tfjson.ValidateOutput");
  }
  Reader reader;
  ValidateOutput output;
  const std::string format_version = reader.text(document, "format_version");
  output.valid = reader.boolean(document, "valid");
  if (const json* diagnostics = reader.array(document, "diagnostics")) {
    for (const json& entry : *diagnostics) output.diagnostics.push_back(read_diagnostic(reader, entry));
  }
  if (reader.problem()) return Result(std::in_place_index<1>, *reader.problem());
  if (!supported_format(format_version)) {
    return Result(std::in_place_index<1>, "unsupported validation output format version: \"" + format_version +
                                              "\" does not satisfy \">= 0.1, < 2.0\"");
  }
  return Result(std::in_place_index<0>, std::move(output));
}

std::string cts_diagnostics_text(const ValidateOutput& output, const std::string& workspace) {
  std::string text;
  for (const ValidateDiagnostic& diagnostic : output.diagnostics) {
    text += '\n';
    if (diagnostic.detail == "An argument named \"services\" is not expected here.") {
      text += fmt::format("module for task \"{}\" is missing the \"services\" variable", workspace);
    } else if (diagnostic.detail == "An argument named \"catalog_services\" is not expected here.") {
      text += fmt::format(
          "module for task \"{}\" is missing the \"catalog_services\" variable, add to module or set "
          "\"use_as_module_input\" to false",
          workspace);
    } else {
      append_diagnostic(text, diagnostic);
    }
    text += '\n';
  }
  return text;
}

}  // namespace baton::driver::terraform
