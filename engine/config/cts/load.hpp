#pragma once
// The front door `baton start` and the simulator use: CTS v0.9.0's config.go BuildConfig
// (every -config-file and -config-dir merged onto default_config()), then finalize() and
// validate(). The caller reads the files; this library does no I/O.
#include <string>
#include <vector>

#include "engine/config/cts/config.hpp"
#include "engine/config/cts/environment.hpp"
#include "engine/config/hcl/error.hpp"

namespace baton::config::cts {

struct ConfigFile {
  std::string name;  // the path it was read from: errors name it
  std::string text;
};

// One -config-file or -config-dir argument, as read by the caller.
struct ConfigPath {
  std::string path;
  bool is_directory = false;
  // A file: itself. A directory: its regular files, in any order (they are read in name order,
  // as ioutil.ReadDir lists them); subdirectories are not read.
  std::vector<ConfigFile> files;
};

// BuildConfig. Like CTS: files whose extension is neither .hcl nor .json are skipped, and so are
// empty files given as -config-file (not those in a directory); "no configuration files found"
// when nothing was read.
hcl::Result<Config> build_config(const std::vector<ConfigPath>& paths);

// build_config, finalize, validate.
hcl::Result<Config> load_config(const std::vector<ConfigPath>& paths, const Environment& environment);

}  // namespace baton::config::cts
