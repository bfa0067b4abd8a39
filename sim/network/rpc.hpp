#pragma once
// Request and reply over the simulated Network, for coroutines.
//
//   std::optional<Reply> reply = co_await call<Reply>(network, a, b, "append_entries",
//                                                      handler, timeout, stop);
//
// The request travels a -> b as a message; on arrival `handler()` runs as a task on b (a
// Task<Reply>), and its reply travels b -> a as another message. The caller gets the reply,
// or std::nullopt when none arrives before `timeout` on its own clock: the request or the
// reply was lost or cut, b was down, b crashed while handling it, or `stop` was requested.
// A failed call costs the full timeout, as a TCP request into a partition does, with one
// exception: when b's process crashes while handling the request, its host's kernel resets the
// connection, and the reset travels b -> a like a message (so a partition or loss keeps it
// from arriving); the call then fails as soon as it arrives. That is how a client blocked on a
// server learns at once that the server process died, as a real one does from the RST.
//
// Crash safety. The caller's side of the call is shared state (PendingCall) that outlives the
// caller's frame: if a crashes or restarts while waiting, its frame is destroyed and the state
// is marked abandoned; a reply that arrives later finds that, or a newer incarnation of a, and
// is dropped (traced as "stale_reply"). Nothing of a dead incarnation ever resumes.
//
// `handler` is called on b when the request arrives and its Task awaited there; it is stored
// in the serving task's frame, so a lambda coroutine's captures stay alive while it runs.
// Reply must be copyable (it rides in a message's callback).
#include <cassert>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>

#include "engine/async/event.hpp"
#include "engine/async/task.hpp"
#include "sim/network/network.hpp"

namespace baton::sim {

namespace detail {

template <class Reply>
struct PendingCall {
  PendingCall(Node& caller_node, std::string call_description)
      : caller(caller_node),
        caller_incarnation(caller_node.incarnation()),
        description(std::move(call_description)),
        arrived(caller_node) {}

  Node& caller;
  std::uint32_t caller_incarnation;
  std::string description;  // the request's label; the reply's and the reset's derive from it
  bool waiting = true;      // false once the caller has returned or its frame has died
  MessageId reply_id = 0;   // once the reply is sent
  std::optional<Reply> reply;
  Event arrived;            // an Event of the caller's process
};

// Clears PendingCall::waiting when the caller's frame ends, however it ends.
template <class Reply>
struct StopWaiting {
  PendingCall<Reply>& call;
  ~StopWaiting() { call.waiting = false; }
};

template <class Reply>
void accept_reply(Network& network, PendingCall<Reply>& call, Reply reply) {
  if (!call.waiting || call.caller.incarnation() != call.caller_incarnation) {
    network.note_drop(call.caller, call.reply_id, call.description + ".reply", "stale_reply");
    return;
  }
  call.reply.emplace(std::move(reply));
  call.arrived.set();
}

// Lives in the serving frame: if that frame dies in a crash of the callee before the reply
// went out, the callee's kernel resets the connection. (Simulator machinery, not the dead
// process's logic: the one thing sent on behalf of a dying node.)
template <class Reply>
struct ResetOnCrash {
  Network& network;
  Node& callee;
  std::shared_ptr<PendingCall<Reply>> call;
  bool replied = false;

  ~ResetOnCrash() {
    // A crash, not the World's teardown (which also destroys frames, network first).
    if (replied || !callee.dying() || callee.state() != NodeState::crashed) return;
    auto pending = call;
    network.send(callee, call->caller, call->description + ".reset", [pending]() {
      if (!pending->waiting || pending->caller.incarnation() != pending->caller_incarnation) return;
      pending->arrived.set();  // no reply: the call fails now rather than at its timeout
    });
  }
};

// Sends `reply` back to the call's caller. A message arrives at most once (Network::arrive):
// the reply moves out of it, uncopied.
template <class Reply>
void send_reply(Network& network, Node& callee, const std::shared_ptr<PendingCall<Reply>>& call, Reply reply) {
  call->reply_id = network.send(callee, call->caller, call->description + ".reply",
                                [&network, call, reply = std::move(reply)]() mutable {
                                  accept_reply(network, *call, std::move(reply));
                                });
}

// Runs on the callee: awaits the handler, then sends its reply back.
template <class Reply>
Task<void> serve_and_reply(Network& network, Node& callee, std::shared_ptr<PendingCall<Reply>> call,
                           std::function<Task<Reply>()> handler) {
  ResetOnCrash<Reply> reset_on_crash{network, callee, call};
  Reply reply = co_await handler();
  reset_on_crash.replied = true;
  send_reply(network, callee, call, std::move(reply));
}

// The caller's side of both kinds of call: sends the request, whose delivery runs
// `deliver(pending)` as the callee's code, then waits for the reply until `timeout` on the
// caller's own clock. A message arrives at most once, so `deliver` may move what it holds.
template <class Reply, class Deliver>
Task<std::optional<Reply>> request(Network& network, Node& caller, Node& callee, std::string description,
                                   Deliver deliver, Duration timeout, std::stop_token stop) {
  auto pending = std::make_shared<PendingCall<Reply>>(caller, std::move(description));
  StopWaiting<Reply> guard{*pending};
  network.send(caller, callee, pending->description, [pending, deliver = std::move(deliver)]() mutable { deliver(pending); });
  const MonoTime deadline = caller.now() + timeout;
  const WaitResult result = co_await pending->arrived.wait(std::move(stop), deadline);
  if (result != WaitResult::woken) co_return std::nullopt;
  co_return std::move(pending->reply);  // nullopt after a reset
}

}  // namespace detail

template <class Reply>
Task<std::optional<Reply>> call(Network& network, Node& caller, Node& callee, std::string description,
                                std::function<Task<Reply>()> handler, Duration timeout,
                                std::stop_token stop = {}) {
  assert(handler && "a call needs something to run on the callee");
  // The handler moves into the serving task, which starts at once: the delivery itself runs as
  // the callee's code.
  auto deliver = [&network, &callee, handler = std::move(handler)](const std::shared_ptr<detail::PendingCall<Reply>>& pending) mutable {
    callee.scope().start_now(detail::serve_and_reply<Reply>(network, callee, pending, std::move(handler)));
  };
  return detail::request<Reply>(network, caller, callee, std::move(description), std::move(deliver), timeout,
                                std::move(stop));
}

// The same call for a handler that answers at once, without awaiting anything (Raft's
// AppendEntries, RequestVote, InstallSnapshot): its reply is computed as the request is
// delivered and sent straight back, with no serving task, and so no frame for a crash to
// destroy mid-answer. What the caller sees is what call() would give it.
template <class Reply>
Task<std::optional<Reply>> call_answered_at_once(Network& network, Node& caller, Node& callee, std::string description,
                                                 std::function<Reply()> handler, Duration timeout,
                                                 std::stop_token stop = {}) {
  assert(handler && "a call needs something to run on the callee");
  auto deliver = [&network, &callee, handler = std::move(handler)](const std::shared_ptr<detail::PendingCall<Reply>>& pending) {
    detail::send_reply(network, callee, pending, handler());
  };
  return detail::request<Reply>(network, caller, callee, std::move(description), std::move(deliver), timeout,
                                std::move(stop));
}

}  // namespace baton::sim
