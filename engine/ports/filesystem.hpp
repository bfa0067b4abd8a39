#pragma once
// FileSystem: the engine's view of the local disk, for the files it keeps there (a task's
// working directory). Small files, whole-file reads and writes, synchronous: a local write of a
// few kilobytes is not worth a coroutine.
//
// Bindings: production uses the real disk (engine/bindings/filesystem); the simulator gives each
// node an in-memory disk that survives the node's crashes, as a real disk does (sim/).
//
// Paths are '/'-separated; relative ones are relative to the process's working directory.
// Errors are values whose message names the path and the reason, as
// "write sync-tasks/web/main.tf: Permission denied".
#include <optional>
#include <string>
#include <vector>

namespace baton {

struct FileError {
  std::string message;
};

// Success (no error) or what went wrong.
struct FileStatus {
  std::optional<FileError> error;
  bool ok() const { return !error.has_value(); }
};

struct FileRead {
  std::optional<std::string> content;  // nullopt: the file does not exist (not an error)
  std::optional<FileError> error;      // it exists but could not be read
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual FileRead read_file(const std::string& path) = 0;
  // Replaces the file's content atomically (a reader sees the old bytes or the new, never a mix);
  // the directory must exist.
  virtual FileStatus write_file(const std::string& path, const std::string& content) = 0;
  // Creates the directory and its missing parents; an existing directory is success.
  virtual FileStatus make_directories(const std::string& path) = 0;
  // Removes the file or directory tree; a missing one is success.
  virtual FileStatus remove_all(const std::string& path) = 0;
  // The names (not paths) of the directory's entries, sorted; empty if it does not exist.
  virtual std::vector<std::string> list_directory(const std::string& path) = 0;
  virtual bool exists(const std::string& path) = 0;
};

}  // namespace baton
