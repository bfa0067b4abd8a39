// HttpServer and HttpClient on loopback, run by a real AsioRuntime. Every wait is bounded by a
// generous timeout that only a broken implementation reaches, and a watchdog fails a test that
// hangs; no test asserts how long anything took.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/async/event.hpp"
#include "engine/async/scope.hpp"
#include "engine/bindings/asio/asio_await.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/http/http_client.hpp"
#include "engine/bindings/http/http_server.hpp"

namespace baton {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr Duration kGenerous = 30s;
constexpr Duration kWatchdog = 90s;

// --- harness ---------------------------------------------------------------------------------

// No co_await in an if or while condition in this file: see http_server.cpp (a GCC 12.2 bug).
Task<void> watchdog(Runtime& runtime, std::stop_token stop) {
  const WaitResult waited = co_await sleep_for(runtime, kWatchdog, stop);
  if (waited == WaitResult::deadline) throw std::runtime_error("the test did not finish: something hangs");
}

Task<void> then_stop(Task<void> body, std::stop_source& finished) {
  co_await std::move(body);
  finished.request_stop();
}

// Runs `body` to its end on `runtime`; a hang fails the test through the watchdog instead.
void run(AsioRuntime& runtime, Task<void> body) {
  std::stop_source finished;
  runtime.scope().spawn(then_stop(std::move(body), finished));
  runtime.scope().spawn(watchdog(runtime, finished.get_token()));
  runtime.run();
}

Task<void> serve_and_note(HttpServer& server, std::stop_token stop, bool& served) {
  co_await server.serve(std::move(stop));
  served = true;
}

// Serves while `client_side` runs, then stops the server and checks that serve() ended.
Task<void> serve_while(AsioRuntime& runtime, HttpServer& server, Task<void> client_side) {
  std::stop_source stop;
  bool served = false;
  Scope scope(runtime);
  scope.spawn(serve_and_note(server, stop.get_token(), served));
  co_await std::move(client_side);
  stop.request_stop();
  co_await scope.join();
  EXPECT_TRUE(served);
  EXPECT_EQ(server.connections_open(), 0u);
}

HttpServerOptions with_handler(std::function<Task<http::Response>(http::Request)> handler) {
  HttpServerOptions options;
  options.handler = std::move(handler);
  return options;
}

Task<http::Response> echo(http::Request request) {
  http::Response response;
  response.body = request.method + " " + request.target + " " + request.body;
  co_return response;
}

// Requests are built by these functions, never as {.method = ...} inside a co_await
// expression: GCC 12.2 copies such a temporary bitwise into the coroutine frame, and a short
// std::string in it then points at the old copy (see http_server.cpp).
http::Request get(std::string target) { return http::Request{.method = "GET", .target = std::move(target)}; }

http::Request put_request(std::string target, std::string body) {
  return http::Request{.method = "PUT", .target = std::move(target), .body = std::move(body)};
}

std::size_t count_headers(const http::Response& response, std::string_view name) {
  std::size_t count = 0;
  for (const http::Header& header : response.headers) count += header.name == name ? 1 : 0;
  return count;
}

// A raw TCP client for what HttpClient will not send: pipelined and malformed requests.
struct RawConnection {
  explicit RawConnection(asio::io_context& io) : socket(io) {}
  tcp::socket socket;
  std::string to_send;
  std::array<char, 4096> chunk{};
};

// Connects, sends `bytes`, and reads until the server closes: everything the server said.
Task<std::string> raw_exchange(AsioRuntime& runtime, std::uint16_t port, std::string bytes) {
  asio::io_context& io = runtime.io_context();
  auto connection = std::make_shared<RawConnection>(io);
  RawConnection* raw = connection.get();
  const MonoTime deadline = deadline_after(runtime, kGenerous);
  auto close = [connection] {
    boost::system::error_code ignored;
    connection->socket.close(ignored);
  };
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), port);
  const AsioResult connected = co_await asio_await(
      io, {}, deadline, connection,
      [raw, server](AsioHandler done) { raw->socket.async_connect(server, std::move(done)); }, close);
  EXPECT_FALSE(connected.error) << connected.error.message();
  raw->to_send = std::move(bytes);
  const AsioResult written = co_await asio_await(
      io, {}, deadline, connection,
      [raw](AsioHandler done) { asio::async_write(raw->socket, asio::buffer(raw->to_send), std::move(done)); },
      close);
  EXPECT_FALSE(written.error) << written.error.message();
  std::string received;
  for (;;) {
    const AsioResult read = co_await asio_await(
        io, {}, deadline, connection,
        [raw](AsioHandler done) { raw->socket.async_read_some(asio::buffer(raw->chunk), std::move(done)); }, close);
    if (read.error) {
      EXPECT_FALSE(read.timed_out()) << "the server never closed the connection";
      break;
    }
    received.append(raw->chunk.data(), read.bytes);
  }
  co_return received;
}

// --- round trip, headers, keep-alive ---------------------------------------------------------

Task<void> round_trip(HttpClient& client) {
  HttpResult got = co_await client.send(get("/v1/status/leader"), {}, kGenerous);
  EXPECT_TRUE(got.ok()) << (got.ok() ? "" : got.error().message);
  if (!got.ok()) co_return;
  EXPECT_EQ(got.response().status, 200);
  EXPECT_EQ(got.response().body, "GET /v1/status/leader ");
  EXPECT_EQ(got.response().header("Content-Type"), "application/json");
  EXPECT_EQ(got.response().header("Content-Length"), std::to_string(got.response().body.size()));

  HttpResult put = co_await client.send(put_request("/v1/kv/web", "{\"a\":1}"), {}, kGenerous);
  EXPECT_TRUE(put.ok());
  if (put.ok()) {
    EXPECT_EQ(put.response().body, "PUT /v1/kv/web {\"a\":1}");
  }
}

TEST(HttpServer, AnswersARoundTrip) {
  AsioRuntime runtime;
  HttpServer server(runtime, with_handler(echo));
  ASSERT_EQ(server.listen(), std::nullopt);
  ASSERT_NE(server.port(), 0);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, round_trip(client)));
}

Task<http::Response> record(std::optional<http::Request>& seen, http::Request request) {
  seen = std::move(request);
  http::Response response;
  response.status = 201;
  response.headers = {{"Content-Type", "text/plain"}, {"X-Consul-Index", "42"}, {"Content-Length", "999"}};
  response.body = "recorded";
  co_return response;
}

Task<void> send_with_headers(HttpClient& client, std::optional<http::Request>& seen, std::uint16_t port) {
  const std::string target = "/v1/kv/a%20b?recurse&index=12&tag=x&tag=y+z";
  http::Request request = get(target);
  request.headers = {{"X-Consul-Token", "secret"}, {"X-Tag", "one"}, {"X-Tag", "two"}};
  HttpResult got = co_await client.send(std::move(request), {}, kGenerous);
  EXPECT_TRUE(got.ok());
  if (!got.ok()) co_return;
  EXPECT_EQ(got.response().status, 201);
  EXPECT_EQ(got.response().body, "recorded");
  EXPECT_EQ(got.response().header("X-Consul-Index"), "42");
  EXPECT_EQ(got.response().header("Content-Type"), "text/plain");
  EXPECT_EQ(count_headers(got.response(), "Content-Type"), 1u);
  EXPECT_EQ(got.response().header("Content-Length"), "8");  // the server's, not the handler's

  EXPECT_TRUE(seen.has_value());
  if (!seen) co_return;
  EXPECT_EQ(seen->method, "GET");
  EXPECT_EQ(seen->target, target);
  EXPECT_EQ(seen->header("x-consul-token"), "secret");
  EXPECT_EQ(seen->header("Host"), "127.0.0.1:" + std::to_string(port));
  std::vector<std::string> tags;
  for (const http::Header& header : seen->headers) {
    if (header.name == "X-Tag") tags.push_back(header.value);
  }
  EXPECT_EQ(tags, (std::vector<std::string>{"one", "two"}));
  const std::optional<http::Target> parsed = http::parse_target(seen->target);
  EXPECT_TRUE(parsed.has_value());
  if (!parsed) co_return;
  EXPECT_EQ(parsed->path, "/v1/kv/a b");
  EXPECT_TRUE(parsed->has("recurse"));
  EXPECT_EQ(parsed->get("index"), "12");
  EXPECT_EQ(parsed->all("tag"), (std::vector<std::string>{"x", "y z"}));
}

TEST(HttpServer, RequestHeadersAndQueryArriveIntactAndHandlerHeadersGoBack) {
  AsioRuntime runtime;
  std::optional<http::Request> seen;
  HttpServer server(runtime, with_handler([&](http::Request request) { return record(seen, std::move(request)); }));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, send_with_headers(client, seen, server.port())));
}

Task<void> several_requests(HttpClient& client, HttpServer& server) {
  for (int i = 0; i < 5; ++i) {
    HttpResult got = co_await client.send(get("/n/" + std::to_string(i)), {}, kGenerous);
    EXPECT_TRUE(got.ok());
    if (got.ok()) {
      EXPECT_EQ(got.response().body, "GET /n/" + std::to_string(i) + " ");
    }
  }
  EXPECT_EQ(server.connections_accepted(), 1u);
  EXPECT_EQ(client.idle_connections(), 1u);
}

TEST(HttpServer, KeepsAConnectionAliveAcrossRequests) {
  AsioRuntime runtime;
  HttpServer server(runtime, with_handler(echo));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, several_requests(client, server)));
}

Task<void> pipeline(AsioRuntime& runtime, HttpServer& server) {
  const std::string received = co_await raw_exchange(
      runtime, server.port(),
      "GET /first HTTP/1.1\r\nHost: x\r\n\r\n"
      "PUT /second HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
      "GET /third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto first = received.find("GET /first ");
  const auto second = received.find("PUT /second abc");
  const auto third = received.find("GET /third ");
  EXPECT_NE(first, std::string::npos) << received;
  EXPECT_NE(second, std::string::npos) << received;
  EXPECT_NE(third, std::string::npos) << received;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(HttpServer, AnswersPipelinedRequestsInOrder) {
  AsioRuntime runtime;
  HttpServer server(runtime, with_handler(echo));
  ASSERT_EQ(server.listen(), std::nullopt);
  run(runtime, serve_while(runtime, server, pipeline(runtime, server)));
}

Task<void> continue_then_answer(AsioRuntime& runtime, HttpServer& server) {
  const std::string received = co_await raw_exchange(
      runtime, server.port(),
      "PUT /kv HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
  EXPECT_EQ(received.rfind("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", 0), 0u) << received;
  EXPECT_NE(received.find("PUT /kv abc"), std::string::npos) << received;
}

TEST(HttpServer, AnswersExpect100Continue) {
  AsioRuntime runtime;
  HttpServer server(runtime, with_handler(echo));
  ASSERT_EQ(server.listen(), std::nullopt);
  run(runtime, serve_while(runtime, server, continue_then_answer(runtime, server)));
}

Task<void> head_then_get(HttpClient& client) {
  http::Request head = get("/v1/agent/self");
  head.method = "HEAD";
  HttpResult headed = co_await client.send(std::move(head), {}, kGenerous);
  EXPECT_TRUE(headed.ok());
  if (!headed.ok()) co_return;
  EXPECT_EQ(headed.response().body, "");
  EXPECT_EQ(headed.response().header("Content-Length"), std::to_string(std::string("HEAD /v1/agent/self ").size()));
  HttpResult got = co_await client.send(get("/after-head"), {}, kGenerous);  // the connection is still in step
  EXPECT_TRUE(got.ok());
  if (got.ok()) {
    EXPECT_EQ(got.response().body, "GET /after-head ");
  }
}

TEST(HttpServer, AnswersHeadWithTheLengthButNotTheBody) {
  AsioRuntime runtime;
  HttpServer server(runtime, with_handler(echo));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, head_then_get(client)));
}

// --- refusals ----------------------------------------------------------------------------------

Task<void> oversized_then_small(HttpClient& client, std::size_t body_bytes) {
  HttpResult big = co_await client.send(put_request("/v1/kv/big", std::string(body_bytes, 'x')), {}, kGenerous);
  EXPECT_TRUE(big.ok()) << (big.ok() ? "" : big.error().message);
  if (big.ok()) {
    EXPECT_EQ(big.response().status, 413);
  }
  HttpResult small = co_await client.send(put_request("/v1/kv/small", "x"), {}, kGenerous);
  EXPECT_TRUE(small.ok());
  if (small.ok()) {
    EXPECT_EQ(small.response().status, 200);
  }
}

TEST(HttpServer, AnswersAnOversizedBodyWith413) {
  AsioRuntime runtime;
  HttpServerOptions options = with_handler(echo);
  options.body_limit_bytes = 1024;
  HttpServer server(runtime, options);
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, oversized_then_small(client, 4096)));
}

TEST(HttpServer, AnswersABodyJustOverTheDefaultLimitWith413) {
  AsioRuntime runtime;
  HttpServer server(runtime, with_handler(echo));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, oversized_then_small(client, (std::size_t(4) << 20) + 1)));
}

Task<void> send_garbage(AsioRuntime& runtime, HttpServer& server) {
  const std::string received = co_await raw_exchange(runtime, server.port(), "this is not http\r\n\r\nmore junk");
  EXPECT_EQ(received.rfind("HTTP/1.1 400 ", 0), 0u) << received;
  EXPECT_NE(received.find("Connection: close"), std::string::npos) << received;
}

TEST(HttpServer, AnswersGarbageWith400) {
  AsioRuntime runtime;
  HttpServer server(runtime, with_handler(echo));
  ASSERT_EQ(server.listen(), std::nullopt);
  run(runtime, serve_while(runtime, server, send_garbage(runtime, server)));
}

// --- asynchronous handlers, timeouts, cancellation ----------------------------------------------

// Answers once `expected` requests are in handlers at the same time: only a server that runs
// handlers concurrently can answer at all.
struct Rendezvous {
  explicit Rendezvous(Runtime& runtime) : all_here(runtime) {}
  Event all_here;
  int arrived = 0;
  int expected = 3;
};

Task<http::Response> meet(Runtime& runtime, Rendezvous& rendezvous) {
  if (++rendezvous.arrived == rendezvous.expected) rendezvous.all_here.set();
  const WaitResult met = co_await rendezvous.all_here.wait({}, deadline_after(runtime, kGenerous));
  co_await sleep_for(runtime, 20ms);
  co_return http::Response{.body = met == WaitResult::woken ? "met" : "alone"};
}

Task<void> send_and_store(HttpClient& client, std::optional<HttpResult>& result) {
  result = co_await client.send(get("/meet"), {}, kGenerous);
}

Task<void> concurrent_requests(AsioRuntime& runtime, HttpClient& client) {
  std::vector<std::optional<HttpResult>> results(3);
  Scope senders(runtime);
  for (auto& result : results) senders.spawn(send_and_store(client, result));
  co_await senders.join();
  for (auto& result : results) {
    EXPECT_TRUE(result && result->ok());
    if (result && result->ok()) {
      EXPECT_EQ(result->response().body, "met");
    }
  }
  EXPECT_EQ(client.idle_connections(), 3u);
}

TEST(HttpServer, RunsHandlersThatAwaitConcurrently) {
  AsioRuntime runtime;
  Rendezvous rendezvous(runtime);
  HttpServer server(runtime, with_handler([&](http::Request) { return meet(runtime, rendezvous); }));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, concurrent_requests(runtime, client)));
}

// Signals that it started, then takes far longer than any client waits.
Task<http::Response> stall(Runtime& runtime, Event& started) {
  started.set();
  co_await sleep_for(runtime, 10min);
  co_return http::Response{.body = "too late"};
}

Task<void> time_out(HttpClient& client) {
  HttpResult got = co_await client.send(get("/slow"), {}, 200ms);
  EXPECT_FALSE(got.ok());
  if (got.ok()) co_return;
  EXPECT_EQ(got.error().failure, HttpFailure::timeout);
  EXPECT_NE(got.error().message.find("timeout"), std::string::npos) << got.error().message;
  EXPECT_EQ(client.idle_connections(), 0u);
}

TEST(HttpClient, TimesOutAgainstAHandlerThatDoesNotAnswerAndStopIsBoundedByTheGrace) {
  AsioRuntime runtime;
  Event started(runtime);
  HttpServerOptions options = with_handler([&](http::Request) { return stall(runtime, started); });
  options.shutdown_grace = 100ms;  // the stalled handler is abandoned after it
  HttpServer server(runtime, options);
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, time_out(client)));
}

Task<void> send_then_cancel(AsioRuntime& runtime, HttpClient& client, Event& started) {
  std::stop_source cancel;
  std::optional<HttpResult> result;
  Scope sender(runtime);
  sender.spawn([](HttpClient& c, std::stop_token stop, std::optional<HttpResult>& out) -> Task<void> {
    out = co_await c.send(get("/slow"), std::move(stop), kGenerous);
  }(client, cancel.get_token(), result));
  co_await started.wait({}, deadline_after(runtime, kGenerous));
  cancel.request_stop();
  co_await sender.join();
  EXPECT_TRUE(result && !result->ok());
  if (result && !result->ok()) {
    EXPECT_EQ(result->error().failure, HttpFailure::cancelled);
  }
}

TEST(HttpClient, ReturnsCancelledWhenStopped) {
  AsioRuntime runtime;
  Event started(runtime);
  HttpServerOptions options = with_handler([&](http::Request) { return stall(runtime, started); });
  options.shutdown_grace = 100ms;
  HttpServer server(runtime, options);
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, send_then_cancel(runtime, client, started)));
}

// Destroys the frame of a send() waiting for its response: the pending read's completion must
// not resume the dead frame (AddressSanitizer would report it), and the client works on.
Task<void> abandon_a_send(AsioRuntime& runtime, HttpClient& client, Event& started, Event& release) {
  {
    Scope doomed(runtime);
    doomed.spawn([](HttpClient& c) -> Task<void> { (void)co_await c.send(get("/held"), {}, kGenerous); }(client));
    co_await started.wait({}, deadline_after(runtime, kGenerous));
  }  // the Scope's destructor destroys the send's frame without resuming it
  co_await sleep_for(runtime, 50ms);  // lets the aborted read complete
  release.set();
  HttpResult next = co_await client.send(get("/next"), {}, kGenerous);
  EXPECT_TRUE(next.ok());
}

Task<http::Response> hold_first(Runtime& runtime, Event& started, Event& release, http::Request request) {
  if (request.target == "/held") {
    started.set();
    co_await release.wait({}, deadline_after(runtime, kGenerous));
  }
  co_return http::Response{.body = request.target};
}

TEST(HttpClient, SurvivesItsSendFrameBeingDestroyedMidRequest) {
  AsioRuntime runtime;
  Event started(runtime);
  Event release(runtime);
  HttpServer server(runtime, with_handler([&](http::Request request) {
                      return hold_first(runtime, started, release, std::move(request));
                    }));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, abandon_a_send(runtime, client, started, release)));
}

// --- connection management ------------------------------------------------------------------

Task<http::Response> finish_after_stop(Runtime& runtime, Event& started) {
  started.set();
  co_await sleep_for(runtime, 100ms);
  co_return http::Response{.body = "finished"};
}

Task<void> stop_during_a_request(AsioRuntime& runtime, HttpServer& server, HttpClient& client, Event& started) {
  std::stop_source stop;
  bool served = false;
  std::optional<HttpResult> result;
  Scope scope(runtime);
  scope.spawn(serve_and_note(server, stop.get_token(), served));
  scope.spawn(send_and_store(client, result));
  co_await started.wait({}, deadline_after(runtime, kGenerous));
  stop.request_stop();
  co_await scope.join();
  EXPECT_TRUE(served);
  EXPECT_TRUE(result && result->ok());
  if (result && result->ok()) {
    EXPECT_EQ(result->response().body, "finished");
    EXPECT_EQ(result->response().header("Connection"), "close");
  }
  EXPECT_EQ(client.idle_connections(), 0u);
}

TEST(HttpServer, StopLetsARequestInProgressFinish) {
  AsioRuntime runtime;
  Event started(runtime);
  HttpServer server(runtime, with_handler([&](http::Request) { return finish_after_stop(runtime, started); }));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, stop_during_a_request(runtime, server, client, started));
}

Task<void> stop_with_idle_client(AsioRuntime& runtime, HttpServer& server, HttpClient& client) {
  std::stop_source stop;
  bool served = false;
  Scope scope(runtime);
  scope.spawn(serve_and_note(server, stop.get_token(), served));
  HttpResult first = co_await client.send(get("/one"), {}, kGenerous);
  EXPECT_TRUE(first.ok());
  EXPECT_EQ(client.idle_connections(), 1u);  // connected, idle, kept alive
  stop.request_stop();
  co_await scope.join();
  EXPECT_TRUE(served);
  EXPECT_EQ(server.connections_open(), 0u);
  // The pooled connection is dead and so is the listener: the retry's connect fails.
  HttpResult after = co_await client.send(get("/two"), {}, kGenerous);
  EXPECT_FALSE(after.ok());
  if (!after.ok()) {
    EXPECT_EQ(after.error().failure, HttpFailure::connect) << after.error().message;
  }
}

TEST(HttpServer, StopEndsServeWhileAClientIsConnected) {
  AsioRuntime runtime;
  HttpServer server(runtime, with_handler(echo));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, stop_with_idle_client(runtime, server, client));
}

Task<void> send_one(HttpClient& client) {
  HttpResult got = co_await client.send(get("/one"), {}, kGenerous);
  EXPECT_TRUE(got.ok());
  EXPECT_EQ(client.idle_connections(), 1u);
}

// The client's pooled connection belongs to a server that has since stopped; a new server
// listens on the same port.
Task<void> reconnect_to_a_restarted_server(AsioRuntime& runtime, HttpServer& old_server, HttpClient& client) {
  co_await serve_while(runtime, old_server, send_one(client));
  HttpServerOptions options = with_handler(echo);
  options.port = old_server.port();
  HttpServer new_server(runtime, options);
  const std::optional<std::string> error = new_server.listen();
  EXPECT_EQ(error, std::nullopt);
  if (error) co_return;
  co_await serve_while(runtime, new_server, [](HttpClient& c, HttpServer& server) -> Task<void> {
    HttpResult got = co_await c.send(get("/two"), {}, kGenerous);
    EXPECT_TRUE(got.ok()) << (got.ok() ? "" : got.error().message);
    EXPECT_EQ(server.connections_accepted(), 1u);
  }(client, new_server));
}

TEST(HttpClient, RetriesOnceOnAFreshConnectionWhenAPooledOneWasClosed) {
  AsioRuntime runtime;
  HttpServer server(runtime, with_handler(echo));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port());
  run(runtime, reconnect_to_a_restarted_server(runtime, server, client));
}

Task<void> stay_silent(AsioRuntime& runtime, HttpServer& server) {
  // Sends nothing: only the idle timeout can end the connection before the test's timeout.
  const std::string received = co_await raw_exchange(runtime, server.port(), "");
  EXPECT_EQ(received, "");
}

TEST(HttpServer, ClosesAConnectionIdleForIdleTimeout) {
  AsioRuntime runtime;
  HttpServerOptions options = with_handler(echo);
  options.idle_timeout = 100ms;
  HttpServer server(runtime, options);
  ASSERT_EQ(server.listen(), std::nullopt);
  run(runtime, serve_while(runtime, server, stay_silent(runtime, server)));
}

Task<void> queue_behind_a_full_server(AsioRuntime& runtime, HttpServer& server, std::optional<HttpClient>& first,
                                      HttpClient& second) {
  HttpResult held = co_await first->send(get("/first"), {}, kGenerous);
  EXPECT_TRUE(held.ok());  // its connection stays open in first's pool, filling the server
  std::optional<HttpResult> queued;
  Scope scope(runtime);
  scope.spawn(send_and_store(second, queued));
  co_await sleep_for(runtime, 200ms);
  EXPECT_FALSE(queued.has_value()) << "served beyond max_connections";
  EXPECT_EQ(server.connections_accepted(), 1u);
  first.reset();  // closes the pooled connection: a slot frees up
  co_await scope.join();
  EXPECT_TRUE(queued && queued->ok());
  EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(HttpServer, StopsAcceptingAtMaxConnectionsUntilOneCloses) {
  AsioRuntime runtime;
  HttpServerOptions options = with_handler(echo);
  options.max_connections = 1;
  HttpServer server(runtime, options);
  ASSERT_EQ(server.listen(), std::nullopt);
  std::optional<HttpClient> first(std::in_place, runtime, "127.0.0.1", server.port());
  HttpClient second(runtime, "127.0.0.1", server.port());
  run(runtime, serve_while(runtime, server, queue_behind_a_full_server(runtime, server, first, second)));
}

Task<void> via_localhost(HttpClient& client) {
  HttpResult got = co_await client.send(get("/named"), {}, kGenerous);
  EXPECT_TRUE(got.ok()) << (got.ok() ? "" : got.error().message);
}

TEST(HttpClient, ResolvesAHostName) {
  AsioRuntime runtime;
  HttpServer server(runtime, with_handler(echo));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "localhost", server.port());
  run(runtime, serve_while(runtime, server, via_localhost(client)));
}

TEST(HttpServer, ListenReportsWhatFailed) {
  AsioRuntime runtime;
  HttpServer first(runtime, with_handler(echo));
  ASSERT_EQ(first.listen(), std::nullopt);
  HttpServerOptions taken = with_handler(echo);
  taken.port = first.port();
  HttpServer second(runtime, taken);
  const std::optional<std::string> error = second.listen();
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("bind 127.0.0.1:" + std::to_string(first.port())), std::string::npos) << *error;

  HttpServerOptions nonsense = with_handler(echo);
  nonsense.address = "not-an-address";
  HttpServer third(runtime, nonsense);
  EXPECT_TRUE(third.listen().has_value());
}

Task<void> refused(HttpClient& client) {
  HttpResult got = co_await client.send(get("/"), {}, kGenerous);
  EXPECT_FALSE(got.ok());
  if (!got.ok()) {
    EXPECT_EQ(got.error().failure, HttpFailure::connect) << got.error().message;
  }
}

TEST(HttpClient, ReportsAConnectFailure) {
  AsioRuntime runtime;
  std::uint16_t closed_port = 0;
  {
    HttpServer gone(runtime, with_handler(echo));
    ASSERT_EQ(gone.listen(), std::nullopt);
    closed_port = gone.port();
  }
  HttpClient client(runtime, "127.0.0.1", closed_port);
  run(runtime, refused(client));
}

}  // namespace
}  // namespace baton
