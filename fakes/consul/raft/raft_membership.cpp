// RaftNode, membership: AddVoter and RemoveServer on the leader (hashicorp/raft
// appendConfigurationEntry, configurationChangeChIfStable) and a graceful leave (Consul's
// Server.Leave).
#include <cassert>

#include "engine/async/wait.hpp"
#include "fakes/consul/raft/configuration.hpp"
#include "fakes/consul/raft/raft_node.hpp"

namespace baton::fakes::consul::raft {

bool RaftNode::configuration_stable() const {
  // configurationChangeChIfStable: the latest configuration is committed, and so is an entry
  // of this term (the no-op), so at most one configuration is ever uncommitted.
  return latest_index_ == committed_index_ && commit_index_ >= leader_state_->commitment.start_index();
}

Task<RaftResult<std::uint64_t>> RaftNode::change_configuration(Change change, Server server, std::stop_token stop) {
  for (;;) {
    if (role_ != RaftRole::leader || leader_state_ == nullptr || leader_state_->stepping_down) {
      co_return RaftError::not_leader;
    }
    if (configuration_stable()) break;
    const WaitResult waited = co_await changed_.wait(stop);
    if (waited != WaitResult::woken) co_return RaftError::stopped;
  }
  RaftResult<Configuration> next =
      change == Change::add_voter ? with_voter(latest_, server) : without_server(latest_, server.id);
  if (!next) co_return next.error();
  log_info("updating configuration", "command", change == Change::add_voter ? "AddVoter" : "RemoveServer",
           "server-id", server.id, "servers", describe(next.value()));

  auto pending = std::make_shared<Pending>(runtime_);
  LogEntry entry{.kind = EntryKind::configuration, .configuration = next.value()};
  const std::uint64_t index = dispatch(std::move(entry), pending);
  latest_ = std::move(next.value());
  latest_index_ = index;
  if (leader_state_->commitment.set_configuration(latest_)) wake_.set();
  start_stop_replication();
  notice_change();

  RaftResult<std::any> outcome = co_await await_pending(std::move(pending), std::move(stop));
  if (!outcome) co_return outcome.error();
  co_return index;
}

Task<RaftResult<std::uint64_t>> RaftNode::add_voter(Server server, std::stop_token stop) {
  RaftResult<std::uint64_t> outcome = co_await change_configuration(Change::add_voter, std::move(server), std::move(stop));
  co_return outcome;
}

Task<RaftResult<std::uint64_t>> RaftNode::remove_server(ServerId id, std::stop_token stop) {
  Server removed{.id = std::move(id), .address = {}};
  RaftResult<std::uint64_t> outcome = co_await change_configuration(Change::remove_server, std::move(removed), std::move(stop));
  co_return outcome;
}

Task<RaftResult<bool>> RaftNode::leave(std::stop_token stop) {
  log_info("server starting leave");
  bool removed = false;
  if (is_leader()) {
    // A leader with other voters removes itself (current Consul first tries a leadership
    // transfer, which this model leaves out); a lone leader stays in its configuration.
    if (latest_.servers.size() > 1) {
      RaftResult<std::uint64_t> outcome = co_await remove_server(options_.self.id, stop);
      removed = outcome.ok();
      if (!removed) log_warn("failed to remove ourself as raft peer", "error", to_string(outcome.error()));
    }
  } else {
    removed = co_await wait_for_removal(stop);
  }
  if (options_.clear_peers_on_leave) durable_.legacy_peers = Configuration{};
  co_return removed;
}

Task<bool> RaftNode::wait_for_removal(std::stop_token stop) {
  // Consul's follower says it is leaving (Serf) and polls its configuration for up to
  // raftRemoveGracePeriod; here the leaving intention is a RemoveServer RPC to the leader.
  Scope request(runtime_, stop);
  if (leader_) request.spawn(ask_removal(*leader_, request.token()));
  const MonoTime limit = runtime_.now() + options_.leave_grace_period;
  bool removed = false;
  while (!removed && runtime_.now() < limit) {
    const WaitResult slept = co_await sleep_for(runtime_, options_.leave_poll_interval, stop);
    if (slept == WaitResult::cancelled) break;
    removed = !has_vote(latest_, options_.self.id);
  }
  if (!removed) log_warn("failed to leave raft configuration gracefully, timeout");
  request.request_stop();
  co_await request.join();
  co_return removed;
}

Task<void> RaftNode::ask_removal(Server leader, std::stop_token stop) {
  RemoveServerRequest removal{.id = options_.self.id};
  const std::optional<RemoveServerResponse> response = co_await transport_.remove_server(std::move(leader), std::move(removal), std::move(stop));
  if (response && response->error) log_warn("leader refused to remove us", "error", to_string(*response->error));
}

Task<RemoveServerResponse> RaftNode::handle_remove_server(RemoveServerRequest request) {
  ServerId id = std::move(request.id);
  std::stop_token no_stop;  // the removal is the leader's to finish, whoever asked
  RaftResult<std::uint64_t> outcome = co_await remove_server(std::move(id), no_stop);
  RemoveServerResponse response;
  if (!outcome) response.error = outcome.error();
  co_return response;
}

}  // namespace baton::fakes::consul::raft
