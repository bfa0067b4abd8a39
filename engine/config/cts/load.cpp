#include "engine/config/cts/load.hpp"

#include <algorithm>
#include <optional>

#include "engine/config/cts/decode.hpp"
#include "engine/config/cts/defaults.hpp"
#include "engine/config/cts/finalize.hpp"
#include "engine/config/cts/merge.hpp"
#include "engine/config/cts/validate.hpp"

namespace baton::config::cts {
namespace {

// config.go supportedFormat(fileFormat(path)).
bool supported(std::string_view name) {
  const std::size_t slash = name.find_last_of('/');
  const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  const std::size_t dot = base.find_last_of('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view extension = base.substr(dot + 1);
  return extension == "hcl" || extension == "json";
}

std::string base_name(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// fromPath: the merged configuration of one path, nullopt when it contributed nothing.
hcl::Result<std::optional<Config>> from_path(const ConfigPath& path) {
  std::vector<const ConfigFile*> files;
  for (const ConfigFile& file : path.files) {
    if (!supported(file.name)) continue;
    if (!path.is_directory && file.text.empty()) continue;
    files.push_back(&file);
  }
  std::sort(files.begin(), files.end(),
            [](const ConfigFile* a, const ConfigFile* b) { return base_name(a->name) < base_name(b->name); });
  std::optional<Config> merged;
  for (const ConfigFile* file : files) {
    auto decoded = decode_config_file(file->name, file->text);
    if (!decoded) return decoded.error();
    merged = merged ? merge(*merged, decoded.value()) : std::move(decoded.value());
  }
  return merged;
}

}  // namespace

hcl::Result<Config> build_config(const std::vector<ConfigPath>& paths) {
  Config config = default_config();
  bool any = false;
  for (const ConfigPath& path : paths) {
    auto read = from_path(path);
    if (!read) return read.error();
    if (!read.value()) continue;
    config = merge(config, *read.value());
    any = true;
  }
  if (!any) return hcl::Error{"", 0, 0, "no configuration files found"};
  return config;
}

hcl::Result<Config> load_config(const std::vector<ConfigPath>& paths, const Environment& environment) {
  auto built = build_config(paths);
  if (!built) return built.error();
  finalize(built.value(), environment);
  if (auto error = validate(built.value())) return *error;
  return built;
}

}  // namespace baton::config::cts
