#include "engine/bindings/filesystem/local_filesystem.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace baton {
namespace {

constexpr mode_t kNewFileMode = 0644;

FileError error_of(std::string_view operation, const std::string& path, int error_number) {
  return FileError{std::string(operation) + " " + path + ": " + std::strerror(error_number)};
}

FileError error_of(std::string_view operation, const std::string& path, const std::error_code& error) {
  return FileError{std::string(operation) + " " + path + ": " + error.message()};
}

// Where the temporary file of an atomic write goes: beside the target, so that rename() stays
// within one file system, and hidden, so that directory listings of tools skip it.
std::string temporary_template_for(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string directory = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return directory + "." + name + ".tmp-XXXXXX";
}

// The target's permissions when it exists (a rename must not reset what the user chose).
mode_t mode_for(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) return info.st_mode & 07777;
  return kNewFileMode;
}

// 0 on success, else the errno of the failed write.
int write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    content.remove_prefix(std::size_t(written));
  }
  return 0;
}

// Fills the temporary file and closes it; 0 or the errno of the step that failed.
int fill(int fd, const std::string& content, mode_t mode) {
  int error = ::fchmod(fd, mode) == 0 ? 0 : errno;
  if (error == 0) error = write_all(fd, content);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  return error;
}

}  // namespace

FileRead LocalFileSystem::read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return FileRead{};
    return FileRead{std::nullopt, error_of("read", path, errno)};
  }
  std::string content;
  char buffer[16 * 1024];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got > 0) {
      content.append(buffer, std::size_t(got));
      continue;
    }
    if (got == 0) break;
    if (errno == EINTR) continue;
    const int error = errno;
    ::close(fd);
    return FileRead{std::nullopt, error_of("read", path, error)};
  }
  ::close(fd);
  return FileRead{std::move(content), std::nullopt};
}

FileStatus LocalFileSystem::write_file(const std::string& path, const std::string& content) {
  std::string temporary = temporary_template_for(path);
  const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
  if (fd < 0) return FileStatus{error_of("write", path, errno)};
  int error = fill(fd, content, mode_for(path));
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error == 0) return FileStatus{};
  ::unlink(temporary.c_str());
  return FileStatus{error_of("write", path, error)};
}

FileStatus LocalFileSystem::make_directories(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) return FileStatus{error_of("mkdir", path, error)};
  return FileStatus{};
}

FileStatus LocalFileSystem::remove_all(const std::string& path) {
  std::error_code error;
  std::filesystem::remove_all(path, error);
  if (error && error != std::errc::no_such_file_or_directory) return FileStatus{error_of("remove", path, error)};
  return FileStatus{};
}

std::vector<std::string> LocalFileSystem::list_directory(const std::string& path) {
  std::vector<std::string> names;
  std::error_code error;
  for (std::filesystem::directory_iterator entry(path, error), end; !error && entry != end; entry.increment(error)) {
    names.push_back(entry->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool LocalFileSystem::exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(path, error);
}

}  // namespace baton
