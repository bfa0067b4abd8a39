#include "sim/filesystem/memory_filesystem.hpp"

#include <cassert>

namespace baton::sim {

namespace {

constexpr std::string_view kNoSuchFile = "no such file or directory";
constexpr std::string_view kNotADirectory = "not a directory";
constexpr std::string_view kIsADirectory = "is a directory";

bool is_under(const std::string& key, const std::string& directory) {
  if (directory.empty()) return !key.empty();
  return key.size() > directory.size() && key.compare(0, directory.size(), directory) == 0 && key[directory.size()] == '/';
}

}  // namespace

MemoryFileSystem::MemoryFileSystem() { entries_.emplace("", Entry{.directory = true}); }

std::string MemoryFileSystem::normalize(std::string_view path) {
  std::vector<std::string_view> elements;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view element = path.substr(begin, end - begin);
    if (element == "..") {
      if (!elements.empty()) elements.pop_back();
    } else if (!element.empty() && element != ".") {
      elements.push_back(element);
    }
    begin = end + 1;
  }
  std::string key;
  for (const std::string_view element : elements) {
    if (!key.empty()) key += '/';
    key += element;
  }
  return key;
}

std::string MemoryFileSystem::parent_of(const std::string& key) {
  const std::size_t slash = key.rfind('/');
  return slash == std::string::npos ? std::string() : key.substr(0, slash);
}

// Why a new entry at `key` could or could not be made: its parent is a directory, is missing,
// or it or an ancestor is a regular file (the OS says ENOTDIR then, whatever lies below).
MemoryFileSystem::ParentState MemoryFileSystem::parent_state(const std::string& key) const {
  assert(!key.empty() && "the root has no parent");
  ParentState state = ParentState::directory;
  std::string ancestor = parent_of(key);
  for (bool nearest = true;; nearest = false) {
    auto found = entries_.find(ancestor);
    if (found != entries_.end()) {
      if (!found->second.directory) return ParentState::not_a_directory;
      if (nearest) return ParentState::directory;
    } else if (nearest) {
      state = ParentState::missing;
    }
    if (ancestor.empty()) return state;
    ancestor = parent_of(ancestor);
  }
}

FileError MemoryFileSystem::error(std::string_view op, const std::string& path, std::string_view reason) {
  std::string message(op);
  message += ' ';
  message += path;
  message += ": ";
  message += reason;
  return FileError{std::move(message)};
}

FileRead MemoryFileSystem::read_file(const std::string& path) {
  const std::string key = normalize(path);
  auto found = entries_.find(key);
  if (found == entries_.end()) {
    if (!key.empty() && parent_state(key) == ParentState::not_a_directory) return {std::nullopt, error("read", path, kNotADirectory)};
    return {std::nullopt, std::nullopt};
  }
  if (found->second.directory) return {std::nullopt, error("read", path, kIsADirectory)};
  return {found->second.content, std::nullopt};
}

FileStatus MemoryFileSystem::write_file(const std::string& path, const std::string& content) {
  const std::string key = normalize(path);
  if (write_failure_) return {error("write", path, *write_failure_)};
  if (key.empty()) return {error("write", path, kIsADirectory)};
  switch (parent_state(key)) {
    case ParentState::missing: return {error("write", path, kNoSuchFile)};
    case ParentState::not_a_directory: return {error("write", path, kNotADirectory)};
    case ParentState::directory: break;
  }
  Entry& entry = entries_[key];
  if (entry.directory) return {error("write", path, kIsADirectory)};
  entry.content = content;  // whole, at once: a reader sees the old bytes or the new
  return {};
}

FileStatus MemoryFileSystem::make_directories(const std::string& path) {
  const std::string key = normalize(path);
  if (write_failure_) return {error("mkdir", path, *write_failure_)};
  // Every prefix must be a directory or absent; the absent ones are made, outermost first.
  std::vector<std::string> missing;
  for (std::string prefix = key;; prefix = parent_of(prefix)) {
    auto found = entries_.find(prefix);
    if (found != entries_.end()) {
      if (!found->second.directory) return {error("mkdir", path, kNotADirectory)};
      break;
    }
    missing.push_back(prefix);
    if (prefix.empty()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) entries_.emplace(*it, Entry{.directory = true});
  return {};
}

FileStatus MemoryFileSystem::remove_all(const std::string& path) {
  const std::string key = normalize(path);
  for (auto it = entries_.lower_bound(key); it != entries_.end();) {
    if (it->first != key && !is_under(it->first, key)) {
      // Keys under `key` sort right after it, but siblings such as "key-x" or "key.x" sort
      // between "key" and "key/": skip those rather than stop.
      if (it->first.compare(0, key.size(), key) != 0) break;
      ++it;
      continue;
    }
    if (it->first.empty()) {
      ++it;  // the root stays: removing everything leaves an empty disk, not no disk
      continue;
    }
    it = entries_.erase(it);
  }
  return {};
}

std::vector<std::string> MemoryFileSystem::list_directory(const std::string& path) {
  const std::string key = normalize(path);
  std::vector<std::string> names;
  auto found = entries_.find(key);
  if (found == entries_.end() || !found->second.directory) return names;
  const std::size_t name_begin = key.empty() ? 0 : key.size() + 1;
  for (auto it = std::next(found); it != entries_.end(); ++it) {
    if (!is_under(it->first, key)) {
      if (it->first.compare(0, key.size(), key) != 0) break;
      continue;  // a sibling sorting between "key" and "key/"
    }
    const std::string_view name = std::string_view(it->first).substr(name_begin);
    if (name.find('/') == std::string_view::npos) names.emplace_back(name);
  }
  return names;  // map order: sorted by bytes
}

bool MemoryFileSystem::exists(const std::string& path) { return entries_.contains(normalize(path)); }

std::size_t MemoryFileSystem::file_count() const {
  std::size_t files = 0;
  for (const auto& [key, entry] : entries_) files += entry.directory ? 0 : 1;
  return files;
}

}  // namespace baton::sim
