#pragma once
// Running the engine's Consul client in tests: a transport that answers from a script (for wire
// format and garbage), and a helper that runs a client call on a simulated process until it
// answers.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "engine/consul/transport.hpp"
#include "sim/runtime/node.hpp"

namespace baton::consul::test {

// Answers each request with `answer(request)` at once, and remembers what it was asked.
class ScriptedTransport final : public ConsulTransport {
 public:
  using Answer = std::function<TransportResult(const http::Request&)>;

  explicit ScriptedTransport(Answer answer = nullptr) : answer_(std::move(answer)) {}

  // Every later request gets this response.
  void reply(http::Response response) {
    answer_ = [response](const http::Request&) { return TransportResult(response); };
  }
  void fail(TransportError error) {
    answer_ = [error](const http::Request&) { return TransportResult(error); };
  }

  Task<TransportResult> round_trip(http::Request request, Duration timeout, std::stop_token) override {
    requests.push_back(request);
    timeouts.push_back(timeout);
    if (!answer_) co_return TransportError{TransportErrorKind::io, "no scripted answer"};
    co_return answer_(requests.back());
  }

  const http::Request& last() const { return requests.back(); }

  std::vector<http::Request> requests;
  std::vector<Duration> timeouts;

 private:
  Answer answer_;
};

// A Consul answer with the query headers a read carries.
inline http::Response consul_response(int status, std::string body, std::string index = "7") {
  http::Response response{.status = status, .headers = {}, .body = std::move(body)};
  if (!index.empty()) response.headers.push_back({"X-Consul-Index", std::move(index)});
  response.headers.push_back({"X-Consul-KnownLeader", "true"});
  response.headers.push_back({"X-Consul-LastContact", "0"});
  return response;
}

template <class T>
Task<void> capture_into(Task<T> task, std::shared_ptr<std::optional<T>> out) {
  T value = co_await std::move(task);
  out->emplace(std::move(value));
}

// Runs `task` on `process` until it returns (or `limit_ns` of virtual time passes: a test bug,
// thrown so that the test fails rather than hangs).
template <class T>
T run_on(sim::World& world, sim::Node& process, Task<T> task, std::int64_t limit_ns = std::int64_t(3600) * 1'000'000'000) {
  auto out = std::make_shared<std::optional<T>>();
  process.scope().spawn(capture_into(std::move(task), out));
  const std::int64_t give_up = world.now_ns() + limit_ns;
  while (!out->has_value() && world.step_until(give_up)) {
  }
  if (!out->has_value()) throw std::runtime_error("the call did not return");
  return std::move(**out);
}

}  // namespace baton::consul::test
