#pragma once
// Looking at real processes from integration tests: whether one is dead, who is left in a
// process group, whether this test process has children it has not reaped.
#include <sys/types.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace baton::test {

// The state letter and process group of /proc/<pid>/stat; state 0 when there is no such process.
struct ProcStat {
  char state = 0;
  pid_t group = 0;
};

inline ProcStat read_proc_stat(const std::string& pid_text) {
  std::ifstream file("/proc/" + pid_text + "/stat");
  std::string content;
  if (!file || !std::getline(file, content)) return {};
  const std::size_t name_end = content.rfind(')');  // the command name may hold spaces
  if (name_end == std::string::npos) return {};
  std::istringstream fields(content.substr(name_end + 1));
  ProcStat stat;
  pid_t parent = 0;
  fields >> stat.state >> parent >> stat.group;
  return stat;
}

// Gone, or a zombie waiting for whoever inherited it: dead either way.
inline bool is_dead(pid_t pid) {
  const char state = read_proc_stat(std::to_string(pid)).state;
  return state == 0 || state == 'Z' || state == 'X';
}

// Reaped: no trace of it left in /proc.
inline bool is_gone(pid_t pid) { return read_proc_stat(std::to_string(pid)).state == 0; }

// Processes of `group` still running (zombies do not count).
inline int live_members_of_group(pid_t group) {
  int members = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const ProcStat stat = read_proc_stat(name);
    if (stat.group == group && stat.state != 0 && stat.state != 'Z' && stat.state != 'X') ++members;
  }
  return members;
}

// Polls `dead()` for up to `limit`: a killed process needs a moment to be gone.
template <class Predicate>
bool eventually(Predicate dead, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!dead()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// True when this process has a child it has not reaped (running or zombie).
inline bool has_unreaped_children() {
  int status = 0;
  const pid_t found = ::waitpid(-1, &status, WNOHANG);
  return !(found == -1 && errno == ECHILD);
}

}  // namespace baton::test
