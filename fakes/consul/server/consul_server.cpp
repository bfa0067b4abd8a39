#include "fakes/consul/server/consul_server.hpp"

#include <fmt/format.h>

#include "engine/async/wait.hpp"
#include "fakes/consul/raft/typed_raft.hpp"

namespace baton::fakes::consul {

std::string generate_uuid(Rng& rng) {
  const std::uint64_t high = rng.next_u64();
  const std::uint64_t low = rng.next_u64();
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xffff, high & 0xffff, low >> 48,
                     low & 0xffffffffffffULL);
}

namespace {
using TypedRaft = raft::TypedRaft<Command, CommandResult>;

// hashicorp/raft's error texts, as Consul returns them (500).
std::string raft_error_text(raft::RaftError error) {
  switch (error) {
    case raft::RaftError::not_leader: return "node is not the leader";
    case raft::RaftError::leadership_lost: return "leadership lost while committing log";
    case raft::RaftError::stopped: return "raft is already shutdown";
    default: return raft::to_string(error);
  }
}
}  // namespace

ConsulServer::ConsulServer(Runtime& runtime, ConsulServerOptions options, std::optional<ServerRaft> raft)
    : runtime_(runtime), options_(std::move(options)), leader_changed_(runtime), timers_changed_(runtime), tasks_(runtime) {
  store_.set_listener(&watches_);
  if (raft) raft_.emplace(runtime_, raft->transport, raft->durable, raft->options, raft_callbacks(), raft->log);
}

raft::RaftCallbacks ConsulServer::raft_callbacks() {
  return raft::RaftCallbacks{
      .apply = TypedRaft::apply([this](std::uint64_t index, const Command& command) {
        return apply(store_, index, command, runtime_.now());
      }),
      .reset = [this] { store_ = StateStore(&watches_); },
      .leadership_changed =
          [this](bool leading) {
            if (leading) {
              tasks_.spawn(establish_leadership(raft_->current_term()));
            } else {
              step_down();
            }
          },
  };
}

Task<void> ConsulServer::establish_leadership(std::uint64_t term) {
  // The barrier: once an entry of this term commits, everything before it is applied here.
  Command barrier = NoopCommand{};
  const raft::RaftResult<CommandResult> committed = co_await TypedRaft::propose(*raft_, std::move(barrier));
  if (!committed.ok() || !raft_->is_leader() || raft_->current_term() != term) co_return;
  for (const Session& session : store_.session_list()) {
    if (session.ttl > Duration::zero()) reset_session_timer(session.id, session.ttl);
  }
  leader_ = true;
  leader_changed_.set();
  co_await register_self();
}

void ConsulServer::step_down() {
  leader_ = false;
  // clearAllSessionTimers: a follower arms none.
  session_deadlines_.clear();
  deadline_order_.clear();
  timers_changed_.set();
  leader_changed_.set();
}

std::optional<std::string> ConsulServer::leader_id() const {
  if (!raft_) return leader_ ? std::optional<std::string>(options_.node_name) : std::nullopt;
  if (!raft_->leader()) return std::nullopt;
  return raft_->leader()->id;
}

Duration ConsulServer::last_contact_age() const {
  if (!raft_ || raft_->is_leader() || !raft_->last_contact()) return Duration::zero();
  return runtime_.now() - *raft_->last_contact();
}

std::string ConsulServer::leader_address() const {
  if (raft_) return raft_->leader() ? raft_->leader()->address : std::string();
  return leader_ ? fmt::format("{}:{}", options_.address, options_.server_port) : std::string();
}

std::vector<std::string> ConsulServer::peers() const {
  if (!raft_) return {fmt::format("{}:{}", options_.address, options_.server_port)};
  std::vector<std::string> addresses;
  for (const raft::Server& server : raft_->latest_configuration().servers) addresses.push_back(server.address);
  return addresses;
}

Task<void> ConsulServer::run(std::stop_token stop) {
  if (raft_) {
    tasks_.spawn(expire_sessions(stop));
    co_await raft_->run(stop);
    co_return;
  }
  become_leader();
  co_await register_self();
  co_await expire_sessions(stop);
  leader_ = false;
}

void ConsulServer::become_leader() {
  leader_ = true;
  // A new Raft leader commits a no-op first; Consul's leader then (re)arms every session's
  // timer at a full TTL x multiplier (initializeSessionTimers).
  apply(store_, ++last_index_, NoopCommand{}, runtime_.now());
  for (const Session& session : store_.session_list()) {
    if (session.ttl > Duration::zero()) reset_session_timer(session.id, session.ttl);
  }
  leader_changed_.set();
}

Task<void> ConsulServer::register_self() {
  // The leader reconciles Serf members into the catalog: its own node with serfHealth.
  Registration self{
      .node = {.id = generate_uuid(runtime_.rng()), .name = options_.node_name, .address = options_.address,
               .datacenter = options_.datacenter},
      .checks = {HealthCheck{.id = kSerfHealthCheckId, .name = "Serf Health Status", .status = CheckStatus::passing,
                             .output = "Agent alive and reachable"}}};
  if (store_.node(options_.node_name) != nullptr) co_return;
  Command command = RegisterCommand{std::move(self)};  // named: see engine/README.md on GCC 12
  co_await propose(std::move(command));
}

Task<bool> ConsulServer::await_leader(std::stop_token stop) {
  const MonoTime give_up = runtime_.now() + options_.rpc_hold_timeout;
  while (!leader_) {
    leader_changed_.reset();
    const WaitResult waited = co_await leader_changed_.wait(stop, give_up);
    if (waited != WaitResult::woken) co_return false;
  }
  co_return true;
}

Task<RpcResult<CommandResult>> ConsulServer::propose(Command command, std::stop_token stop) {
  const bool have_leader = co_await await_leader(stop);
  if (!have_leader) co_return RpcError{"No cluster leader"};
  if (std::optional<CommandResult> refused = refuse_during_lock_delay(command)) co_return std::move(*refused);
  if (raft_) {
    Command to_commit = command;
    raft::RaftResult<CommandResult> committed = co_await TypedRaft::propose(*raft_, std::move(to_commit), stop);
    if (!committed.ok()) co_return RpcError{raft_error_text(committed.error())};
    update_session_timers(command);
    co_return std::move(committed.value());
  }
  CommandResult result = apply(store_, ++last_index_, command, runtime_.now());
  update_session_timers(command);
  co_return result;
}

Task<bool> ConsulServer::leave(std::stop_token stop) {
  if (!raft_) co_return false;
  const raft::RaftResult<bool> left = co_await raft_->leave(stop);
  co_return left.ok() && left.value();
}

Task<std::optional<RpcError>> ConsulServer::verify_leadership(std::stop_token stop) {
  if (!raft_) co_return std::nullopt;
  // The leader lease ends a leadership that cannot reach a quorum; wait that long, twice over.
  const Duration timeout = 2 * raft_->verify_timeout_hint();
  const bool verified = co_await raft_->verify_leader(timeout, std::move(stop));
  if (verified) co_return std::nullopt;
  if (raft_->is_leader()) co_return RpcError{"leadership lost while committing log"};
  co_return RpcError{"node is not the leader"};
}

Task<RpcResult<std::optional<Session>>> ConsulServer::renew_session(std::string id, std::stop_token stop) {
  const bool have_leader = co_await await_leader(stop);
  if (!have_leader) co_return RpcError{"No cluster leader"};
  const Session* session = store_.session_get(id);
  if (session == nullptr) co_return std::optional<Session>();
  if (session->ttl > Duration::zero()) reset_session_timer(id, session->ttl);
  co_return std::optional<Session>(*session);
}

std::optional<CommandResult> ConsulServer::refuse_during_lock_delay(const Command& command) const {
  if (const auto* kv = std::get_if<KvCommand>(&command); kv && kv->op == KvOp::lock && lock_delay_in_force(kv->entry.key)) {
    return CommandResult{.write = WriteResult::refused()};
  }
  const auto* txn = std::get_if<TxnCommand>(&command);
  if (txn == nullptr) return std::nullopt;
  CommandResult refused;
  for (std::size_t i = 0; i < txn->ops.size(); ++i) {
    const TxnOp& op = txn->ops[i];
    if (op.verb == TxnVerb::lock && lock_delay_in_force(op.entry.key)) {
      refused.txn.errors.push_back({i, fmt::format("failed to lock key \"{}\" due to lock delay", op.entry.key)});
    }
  }
  if (refused.txn.errors.empty()) return std::nullopt;
  return refused;
}

void ConsulServer::update_session_timers(const Command& command) {
  if (const auto* create = std::get_if<SessionCreateCommand>(&command)) {
    if (create->session.ttl > Duration::zero() && store_.session_get(create->session.id) != nullptr) {
      reset_session_timer(create->session.id, create->session.ttl);
    }
  } else if (const auto* destroy = std::get_if<SessionDestroyCommand>(&command)) {
    clear_session_timer(destroy->id);
  } else if (std::holds_alternative<RestoreCommand>(command)) {
    // reassertLeaderCh: the leader revokes and re-establishes its leadership over the new
    // contents, so every session timer starts again at a full TTL x multiplier.
    session_deadlines_.clear();
    deadline_order_.clear();
    for (const Session& session : store_.session_list()) {
      if (session.ttl > Duration::zero()) reset_session_timer(session.id, session.ttl);
    }
    timers_changed_.set();
  }
}

std::string ConsulServer::new_session_id() {
  for (;;) {
    std::string id = generate_uuid(runtime_.rng());
    if (store_.session_get(id) == nullptr) return id;
  }
}

bool ConsulServer::lock_delay_in_force(std::string_view key) const {
  const std::optional<MonoTime> expiry = store_.kv_lock_delay_expiry(key);
  return expiry && *expiry > runtime_.now();
}

void ConsulServer::reset_session_timer(std::string_view id, Duration ttl) {
  clear_session_timer(id);
  const MonoTime deadline = runtime_.now() + ttl * options_.session_ttl_multiplier;
  session_deadlines_.emplace(std::string(id), deadline);
  deadline_order_.emplace(deadline, std::string(id));
  timers_changed_.set();
}

void ConsulServer::clear_session_timer(std::string_view id) {
  auto it = session_deadlines_.find(id);
  if (it == session_deadlines_.end()) return;
  deadline_order_.erase({it->second, it->first});
  session_deadlines_.erase(it);
}

Task<void> ConsulServer::expire_sessions(std::stop_token stop) {
  while (!stop.stop_requested()) {
    timers_changed_.reset();
    const MonoTime next = deadline_order_.empty() ? kNoDeadline : deadline_order_.begin()->first;
    if (next > runtime_.now()) {
      const WaitResult waited = co_await timers_changed_.wait(stop, next);
      if (waited == WaitResult::cancelled) co_return;
      continue;
    }
    const std::string id = deadline_order_.begin()->second;
    clear_session_timer(id);
    if (options_.on_session_expired) {
      const Session* session = store_.session_get(id);
      options_.on_session_expired(id, session != nullptr ? session->name : std::string());
    }
    // invalidateSession: a Raft SessionDestroy. Consul retries up to 6 times, 10s x 2^n apart;
    // a single leader cannot fail to apply, so one attempt stands for them here.
    Command command = SessionDestroyCommand{id};
    co_await propose(std::move(command), stop);
  }
}

}  // namespace baton::fakes::consul
