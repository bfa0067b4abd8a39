#include "fakes/terraform/working_dir_inputs.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <vector>

namespace baton::fakes::terraform {

namespace {

std::string join_path(const std::string& directory, const std::string& name) {
  if (directory.empty()) return name;
  return directory.back() == '/' ? directory + name : directory + "/" + name;
}

// The lines of `text`, without their line breaks.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// An HCL quoted string at the start of `text` (after the opening quote), unescaped; nullopt if
// it does not close on this line. The escapes hclwrite writes: \\ \" \n \r \t and \uNNNN kept.
std::optional<std::string> quoted_prefix(std::string_view text, std::size_t* consumed) {
  std::string value;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      *consumed = i + 1;
      return value;
    }
    if (c != '\\' || i + 1 == text.size()) {
      value += c;
      continue;
    }
    const char escaped = text[++i];
    switch (escaped) {
      case 'n': value += '\n'; break;
      case 'r': value += '\r'; break;
      case 't': value += '\t'; break;
      default: value += escaped; break;  // \\ and \", and anything else as the character
    }
  }
  return std::nullopt;
}

// `  "<key>" = {` (the key line of one map element, two spaces in): the key.
std::optional<std::string> map_element_key(std::string_view line) {
  if (!line.starts_with("  \"")) return std::nullopt;
  std::size_t consumed = 0;
  std::optional<std::string> key = quoted_prefix(line.substr(3), &consumed);
  if (!key) return std::nullopt;
  const std::string_view rest = trim(line.substr(3 + consumed));
  if (rest != "= {" && rest != ": {" && rest != "= {}" && rest != ": {}") return std::nullopt;
  return key;
}

}  // namespace

const std::string* WorkingDirInputs::file(std::string_view name) const {
  auto found = files.find(std::string(name));
  return found == files.end() ? nullptr : &found->second;
}

bool is_terraform_input(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  return name.ends_with(".tf") || name.ends_with(".tf.json") || name == "terraform.tfvars" ||
         name == "terraform.tfvars.json" || name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json");
}

WorkingDirInputs read_working_dir(FileSystem& files, const std::string& working_dir) {
  WorkingDirInputs inputs;
  for (const std::string& name : files.list_directory(working_dir)) {
    if (!is_terraform_input(name)) continue;
    FileRead read = files.read_file(join_path(working_dir, name));
    if (read.error) {
      inputs.error = std::move(read.error);
      return inputs;
    }
    if (read.content) inputs.files.emplace(name, std::move(*read.content));  // a directory named *.tf is not read
  }
  inputs.digest = inputs_digest(inputs.files);
  return inputs;
}

std::string inputs_digest(const std::map<std::string, std::string>& files) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  auto mix = [&hash](std::string_view bytes) {
    for (const char c : bytes) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 0x100000001b3ULL;
    }
    // A separator that no content can fake: the length, so ("ab","c") differs from ("a","bc").
    const std::uint64_t length = bytes.size();
    for (int shift = 0; shift < 64; shift += 8) {
      hash ^= (length >> shift) & 0xff;
      hash *= 0x100000001b3ULL;
    }
  };
  for (const auto& [name, content] : files) {
    mix(name);
    mix(content);
  }
  return fmt::format("{:016x}", hash);
}

std::set<std::string> service_keys_in_tfvars(std::string_view tfvars) {
  std::set<std::string> keys;
  bool inside = false;
  for (const std::string_view line : lines_of(tfvars)) {
    if (!inside) {
      const std::string_view text = trim(line);
      inside = line.starts_with("services") && (text == "services = {" || text == "services = {}");
      if (text == "services = {}") break;
      continue;
    }
    if (line.starts_with("}")) break;  // the map's closing brace, at column 0
    if (std::optional<std::string> key = map_element_key(line)) keys.insert(std::move(*key));
  }
  return keys;
}

std::optional<std::string> consul_backend_path(std::string_view main_tf) {
  bool inside = false;
  int depth = 0;
  for (const std::string_view line : lines_of(main_tf)) {
    const std::string_view text = trim(line);
    if (!inside) {
      inside = text.starts_with("backend \"consul\"") && text.ends_with("{");
      depth = inside ? 1 : 0;
      continue;
    }
    if (depth == 1 && text.starts_with("path")) {
      const std::string_view rest = trim(text.substr(4));
      if (rest.starts_with("=")) {
        const std::string_view value = trim(rest.substr(1));
        std::size_t consumed = 0;
        if (value.starts_with("\"")) return quoted_prefix(value.substr(1), &consumed);
      }
    }
    if (text.ends_with("{")) ++depth;
    if (text.starts_with("}") && --depth == 0) return std::nullopt;
  }
  return std::nullopt;
}

int variable_declaration_line(std::string_view variables_tf, std::string_view name) {
  const std::string wanted = fmt::format("variable \"{}\" {{", name);
  int number = 0;
  for (const std::string_view line : lines_of(variables_tf)) {
    ++number;
    if (trim(line) == wanted) return number;
  }
  return 0;
}

}  // namespace baton::fakes::terraform
