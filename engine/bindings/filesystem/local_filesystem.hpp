#pragma once
// LocalFileSystem: the production binding of the FileSystem port (engine/ports/filesystem.hpp)
// on the real disk.
//
// Writes are atomic: the content goes to a temporary file in the same directory, is flushed to
// the disk, then renamed over the target, so a reader (or a crash) sees the old bytes or the
// new. New files get mode 0644, as CTS writes them. Errors name the operation, the path and
// strerror's text: "write sync-tasks/web/main.tf: Permission denied".
#include "engine/ports/filesystem.hpp"

namespace baton {

class LocalFileSystem final : public FileSystem {
 public:
  FileRead read_file(const std::string& path) override;
  FileStatus write_file(const std::string& path, const std::string& content) override;
  FileStatus make_directories(const std::string& path) override;
  FileStatus remove_all(const std::string& path) override;
  std::vector<std::string> list_directory(const std::string& path) override;
  bool exists(const std::string& path) override;
};

}  // namespace baton
