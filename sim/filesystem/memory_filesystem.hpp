#pragma once
// MemoryFileSystem: a simulated node's disk. The FileSystem port in memory, one per node, owned
// outside the node's process so that it survives the node's crashes as a real disk does: what
// was written stays written (every write is whole and synchronous, so a crash never leaves half
// a file), and nothing else of the dead process remains.
//
// Deterministic: listings are sorted by byte order, and nothing depends on addresses or time.
// Paths are '/'-separated; "." and empty elements are dropped and ".." steps up (never above the
// root). Relative paths are taken from the root, so "sync-tasks/web" and "/sync-tasks/web" name
// the same file: a simulated process's working directory is the root.
//
// Errors carry the production wording, Go's os.PathError shape "<op> <path>: <reason>" with the
// path as the caller gave it: "write sync-tasks/web/main.tf: no such file or directory".
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ports/filesystem.hpp"

namespace baton::sim {

class MemoryFileSystem final : public FileSystem {
 public:
  MemoryFileSystem();

  FileRead read_file(const std::string& path) override;
  FileStatus write_file(const std::string& path, const std::string& content) override;
  FileStatus make_directories(const std::string& path) override;
  FileStatus remove_all(const std::string& path) override;
  std::vector<std::string> list_directory(const std::string& path) override;
  bool exists(const std::string& path) override;

  // Faults: from now on every write_file and make_directories fails with `reason` (as
  // "no space left on device" or "read-only file system"), until heal(). Reads still work.
  void fail_writes(std::string reason) { write_failure_ = std::move(reason); }
  void heal() { write_failure_.reset(); }

  // How many regular files the disk holds, for tests and reports.
  std::size_t file_count() const;

 private:
  struct Entry {
    bool directory = false;
    std::string content;  // regular files only
  };
  enum class ParentState { directory, missing, not_a_directory };

  // The canonical key of `path`: its elements joined by '/', without leading slash ("" = root).
  static std::string normalize(std::string_view path);
  static std::string parent_of(const std::string& key);
  ParentState parent_state(const std::string& key) const;
  static FileError error(std::string_view op, const std::string& path, std::string_view reason);

  std::map<std::string, Entry> entries_;  // by canonical key; the root "" is always a directory
  std::optional<std::string> write_failure_;
};

}  // namespace baton::sim
