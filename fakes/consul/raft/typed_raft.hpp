#pragma once
// Types back at the edges of the type-erased Raft core: a state machine over `Command` giving
// `Result`, and proposals that take a Command and give a Result. The fake Consul uses
// TypedRaft<consul::Command, consul::CommandResult>.
//
//   RaftCallbacks callbacks{.apply = TypedRaft<Cmd, Res>::apply([&](auto index, const Cmd& c) {...})};
//   RaftResult<Res> result = co_await TypedRaft<Cmd, Res>::propose(node, std::move(command));
#include <any>
#include <cassert>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <utility>

#include "fakes/consul/raft/raft_node.hpp"

namespace baton::fakes::consul::raft {

template <class Command, class Result>
struct TypedRaft {
  using StateMachine = std::function<Result(std::uint64_t index, const Command& command)>;

  static std::function<std::any(std::uint64_t, const Payload&)> apply(StateMachine state_machine) {
    assert(state_machine);
    return [state_machine = std::move(state_machine)](std::uint64_t index, const Payload& payload) -> std::any {
      const Command* command = std::any_cast<Command>(&payload);
      assert(command != nullptr && "every command in this log has one type");
      return std::any(state_machine(index, *command));
    };
  }

  static Task<RaftResult<Result>> propose(RaftNode& node, Command command, std::stop_token stop = {}) {
    Payload payload(std::move(command));
    RaftResult<std::any> outcome = co_await node.propose(std::move(payload), std::move(stop));
    if (!outcome) co_return outcome.error();
    Result* result = std::any_cast<Result>(&outcome.value());
    assert(result != nullptr && "the state machine returns one type");
    co_return std::move(*result);
  }
};

}  // namespace baton::fakes::consul::raft
