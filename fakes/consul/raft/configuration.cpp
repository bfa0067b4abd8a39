#include "fakes/consul/raft/configuration.hpp"

#include <algorithm>
#include <set>

namespace baton::fakes::consul::raft {

const Server* find_server(const Configuration& configuration, const ServerId& id) {
  const auto found = std::find_if(configuration.servers.begin(), configuration.servers.end(),
                                  [&](const Server& server) { return server.id == id; });
  return found == configuration.servers.end() ? nullptr : &*found;
}

bool has_vote(const Configuration& configuration, const ServerId& id) { return find_server(configuration, id) != nullptr; }

std::size_t quorum_size(const Configuration& configuration) { return configuration.servers.size() / 2 + 1; }

RaftStatus check_configuration(const Configuration& configuration) {
  std::set<std::string> ids;
  std::set<std::string> addresses;
  for (const Server& server : configuration.servers) {
    if (server.id.empty() || server.address.empty()) return RaftError::bad_configuration;
    if (!ids.insert(server.id).second || !addresses.insert(server.address).second) return RaftError::bad_configuration;
  }
  if (configuration.servers.empty()) return RaftError::bad_configuration;  // "need at least one voter"
  return raft_ok();
}

RaftResult<Configuration> with_voter(const Configuration& configuration, const Server& server) {
  Configuration next = configuration;
  auto found = std::find_if(next.servers.begin(), next.servers.end(), [&](const Server& s) { return s.id == server.id; });
  if (found != next.servers.end()) {
    found->address = server.address;
  } else {
    next.servers.push_back(server);
  }
  if (RaftStatus checked = check_configuration(next); !checked) return checked.error();
  return next;
}

RaftResult<Configuration> without_server(const Configuration& configuration, const ServerId& id) {
  Configuration next = configuration;
  std::erase_if(next.servers, [&](const Server& server) { return server.id == id; });
  if (RaftStatus checked = check_configuration(next); !checked) return checked.error();
  return next;
}

std::string describe(const Configuration& configuration) {
  std::string text = "[";
  for (const Server& server : configuration.servers) {
    if (text.size() > 1) text += ' ';
    text += server.id + "@" + server.address;
  }
  return text + "]";
}

}  // namespace baton::fakes::consul::raft
