// HttpServer and HttpClient over TLS on loopback, and HttpConsulTransport's https addresses, with
// certificates made at run time (tests/support/test_certificates.hpp). As in http_test.cpp,
// every wait is bounded by a generous timeout that only a broken implementation reaches, and a
// watchdog fails a test that hangs; no test asserts how long anything took.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>

#include "engine/async/event.hpp"
#include "engine/async/scope.hpp"
#include "engine/bindings/asio/asio_await.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/consul/http_consul_transport.hpp"
#include "engine/bindings/http/http_client.hpp"
#include "engine/bindings/http/http_server.hpp"
#include "tests/support/test_certificates.hpp"

namespace baton {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using test::TestCertificates;

constexpr Duration kGenerous = 30s;
constexpr Duration kWatchdog = 90s;

// Made once for the whole binary: key generation is the slow part.
const TestCertificates& certificates() {
  static const TestCertificates made;
  return made;
}

// --- harness (as in http_test.cpp) -------------------------------------------------------------

// No co_await in an if or while condition in this file: see http_server.cpp (a GCC 12.2 bug).
Task<void> watchdog(Runtime& runtime, std::stop_token stop) {
  const WaitResult waited = co_await sleep_for(runtime, kWatchdog, stop);
  if (waited == WaitResult::deadline) throw std::runtime_error("the test did not finish: something hangs");
}

Task<void> then_stop(Task<void> body, std::stop_source& finished) {
  co_await std::move(body);
  finished.request_stop();
}

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

Task<http::Response> echo(http::Request request) {
  http::Response response;
  response.body = request.method + " " + request.target + " " + request.body;
  co_return response;
}

// Requests are built by functions, never as braced temporaries inside a co_await expression.
http::Request get(std::string target) { return http::Request{.method = "GET", .target = std::move(target)}; }

http::Request put_request(std::string target, std::string body) {
  return http::Request{.method = "PUT", .target = std::move(target), .body = std::move(body)};
}

// A TLS server with the test server certificate; with `ca_file`, it requires client
// certificates signed by that CA.
HttpServerOptions tls_server(std::string ca_file = {}) {
  HttpServerOptions options;
  options.handler = echo;
  HttpServerTls tls;
  tls.cert_file = certificates().server_cert_file;
  tls.key_file = certificates().server_key_file;
  if (!ca_file.empty()) {
    tls.verify_incoming = true;
    tls.ca_file = std::move(ca_file);
  }
  options.tls = std::move(tls);
  return options;
}

HttpClientTls trusting(std::string ca_file) {
  HttpClientTls tls;
  tls.ca_file = std::move(ca_file);
  return tls;
}

HttpClientOptions with_tls(HttpClientTls tls) {
  HttpClientOptions options;
  options.tls = std::move(tls);
  return options;
}

// The test client certificate (or the unrelated CA's, with `other`), trusting the test CA.
HttpClientOptions client_with_certificate(bool other = false) {
  HttpClientTls tls = trusting(certificates().ca_file);
  tls.cert_file = other ? certificates().other_client_cert_file : certificates().client_cert_file;
  tls.key_file = other ? certificates().other_client_key_file : certificates().client_key_file;
  return with_tls(std::move(tls));
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string message_of(const HttpResult& result) { return result.ok() ? std::string("(a response)") : result.error().message; }

Task<void> expect_echo(HttpClient& client, std::string target) {
  HttpResult got = co_await client.send(get(target), {}, kGenerous);
  EXPECT_TRUE(got.ok()) << message_of(got);
  if (!got.ok()) co_return;
  EXPECT_EQ(got.response().status, 200);
  EXPECT_EQ(got.response().body, "GET " + target + " ");
}

Task<HttpResult> send_get(HttpClient& client, std::string target) {
  co_return co_await client.send(get(std::move(target)), {}, kGenerous);
}

// --- round trips ------------------------------------------------------------------------------

Task<void> round_trip(HttpClient& client) {
  co_await expect_echo(client, "/v1/status/leader");
  HttpResult put = co_await client.send(put_request("/v1/kv/web", "{\"a\":1}"), {}, kGenerous);
  EXPECT_TRUE(put.ok()) << message_of(put);
  if (put.ok()) {
    EXPECT_EQ(put.response().body, "PUT /v1/kv/web {\"a\":1}");
    EXPECT_EQ(put.response().header("Content-Type"), "application/json");
  }
}

TEST(HttpTls, AnswersARoundTrip) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server());
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  ASSERT_EQ(client.error(), std::nullopt);
  EXPECT_TRUE(client.tls());
  run(runtime, serve_while(runtime, server, round_trip(client)));
}

TEST(HttpTls, TrustsTheCasOfACaPath) {
  AsioRuntime runtime;
  HttpServerOptions options = tls_server();
  options.tls->verify_incoming = true;
  options.tls->ca_path = certificates().ca_directory;
  HttpServer server(runtime, options);
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClientOptions client_options = client_with_certificate();
  client_options.tls->ca_file.clear();
  client_options.tls->ca_path = certificates().ca_directory;
  HttpClient client(runtime, "127.0.0.1", server.port(), client_options);
  ASSERT_EQ(client.error(), std::nullopt);
  run(runtime, serve_while(runtime, server, expect_echo(client, "/ca-path")));
}

Task<void> several_requests(HttpClient& client, HttpServer& server) {
  for (int i = 0; i < 5; ++i) co_await expect_echo(client, "/n/" + std::to_string(i));
  EXPECT_EQ(server.connections_accepted(), 1u);
  EXPECT_EQ(client.idle_connections(), 1u);
}

TEST(HttpTls, KeepsAConnectionAliveAcrossRequests) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server());
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, serve_while(runtime, server, several_requests(client, server)));
}

Task<void> send_one(HttpClient& client) {
  co_await expect_echo(client, "/one");
  EXPECT_EQ(client.idle_connections(), 1u);
}

Task<void> after_restart(HttpClient& client, HttpServer& server) {
  co_await expect_echo(client, "/two");
  EXPECT_EQ(server.connections_accepted(), 1u);
}

// The pooled TLS connection belongs to a server that has since stopped; a new one listens on
// the same port.
Task<void> reconnect_to_a_restarted_server(AsioRuntime& runtime, HttpServer& old_server, HttpClient& client) {
  co_await serve_while(runtime, old_server, send_one(client));
  HttpServerOptions options = tls_server();
  options.port = old_server.port();
  HttpServer new_server(runtime, options);
  const std::optional<std::string> error = new_server.listen();
  EXPECT_EQ(error, std::nullopt);
  if (error) co_return;
  co_await serve_while(runtime, new_server, after_restart(client, new_server));
}

TEST(HttpTls, RetriesOnceOnAFreshConnectionWhenAPooledOneWasClosed) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server());
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, reconnect_to_a_restarted_server(runtime, server, client));
}

Task<void> oversized_then_small(HttpClient& client, std::size_t body_bytes) {
  HttpResult big = co_await client.send(put_request("/v1/kv/big", std::string(body_bytes, 'x')), {}, kGenerous);
  EXPECT_TRUE(big.ok()) << message_of(big);
  if (big.ok()) {
    EXPECT_EQ(big.response().status, 413);
  }
  HttpResult small = co_await client.send(put_request("/v1/kv/small", "x"), {}, kGenerous);
  EXPECT_TRUE(small.ok()) << message_of(small);
  if (small.ok()) {
    EXPECT_EQ(small.response().status, 200);
  }
}

// A response that ends the connection: close_notify, then the usual linger.
TEST(HttpTls, AnswersAnOversizedBodyWith413AndServesOn) {
  AsioRuntime runtime;
  HttpServerOptions options = tls_server();
  options.body_limit_bytes = 1024;
  HttpServer server(runtime, options);
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, serve_while(runtime, server, oversized_then_small(client, 4096)));
}

// The server refuses the body from its Content-Length while the client is still sending it.
TEST(HttpTls, AnswersABodyJustOverTheDefaultLimitWith413) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server());
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, serve_while(runtime, server, oversized_then_small(client, (std::size_t(4) << 20) + 1)));
}

// --- verifying the server -----------------------------------------------------------------------

// `refused` fails to connect with the words in `expected`; `good` is served afterwards by the
// same server.
Task<void> refused_then_served(HttpClient& refused, HttpClient& good, std::string expected) {
  HttpResult got = co_await refused.send(get("/refused"), {}, kGenerous);
  EXPECT_FALSE(got.ok());
  if (!got.ok()) {
    EXPECT_EQ(got.error().failure, HttpFailure::connect) << got.error().message;
    EXPECT_TRUE(contains(got.error().message, expected)) << got.error().message;
  }
  EXPECT_EQ(refused.idle_connections(), 0u);
  co_await expect_echo(good, "/good");
}

TEST(HttpTls, RefusesAServerSignedByAnotherCa) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server());
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient wrong(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().other_ca_file)));
  HttpClient good(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  const std::string expected = "tls handshake with 127.0.0.1:" + std::to_string(server.port()) +
                               ": certificate verify failed: unable to get local issuer certificate";
  run(runtime, serve_while(runtime, server, refused_then_served(wrong, good, expected)));
}

TEST(HttpTls, VerifyFalseAcceptsAServerSignedByAnotherCa) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server());
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClientTls tls = trusting(certificates().other_ca_file);
  tls.verify = false;
  tls.server_name = "not-the-name.example";  // not checked either
  HttpClient client(runtime, "127.0.0.1", server.port(), with_tls(tls));
  run(runtime, serve_while(runtime, server, expect_echo(client, "/unverified")));
}

TEST(HttpTls, RefusesAServerWhoseCertificateDoesNotCarryTheName) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server());
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClientTls tls = trusting(certificates().ca_file);
  tls.server_name = "consul.example.com";
  HttpClient wrong(runtime, "127.0.0.1", server.port(), with_tls(tls));
  HttpClient good(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, serve_while(runtime, server, refused_then_served(wrong, good, "certificate verify failed: hostname mismatch")));
}

TEST(HttpTls, RefusesAServerWhoseCertificateDoesNotCarryTheAddress) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server());
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClientTls tls = trusting(certificates().ca_file);
  tls.server_name = "127.0.0.2";
  HttpClient wrong(runtime, "127.0.0.1", server.port(), with_tls(tls));
  HttpClient good(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, serve_while(runtime, server, refused_then_served(wrong, good, "certificate verify failed: IP address mismatch")));
}

Task<void> by_name(HttpClient& explicit_name, HttpClient& resolved) {
  co_await expect_echo(explicit_name, "/server-name");
  co_await expect_echo(resolved, "/resolved");
}

TEST(HttpTls, VerifiesTheServerNameOrTheResolvedHostName) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server());
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClientTls named = trusting(certificates().ca_file);
  named.server_name = "localhost";  // a DNS SAN of the certificate, while dialing the address
  HttpClient explicit_name(runtime, "127.0.0.1", server.port(), with_tls(named));
  HttpClient resolved(runtime, "localhost", server.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, serve_while(runtime, server, by_name(explicit_name, resolved)));
}

// --- mutual TLS ---------------------------------------------------------------------------------

// Refused without a certificate and with one from another CA; served with the right one.
Task<void> mutual(HttpClient& anonymous, HttpClient& stranger, HttpClient& member) {
  HttpResult without = co_await send_get(anonymous, "/anonymous");
  EXPECT_FALSE(without.ok());
  if (!without.ok()) {
    EXPECT_TRUE(contains(without.error().message, "certificate required")) << without.error().message;
  }
  HttpResult foreign = co_await send_get(stranger, "/stranger");
  EXPECT_FALSE(foreign.ok());
  if (!foreign.ok()) {
    EXPECT_TRUE(contains(foreign.error().message, "unknown ca")) << foreign.error().message;
  }
  co_await expect_echo(member, "/member");
  EXPECT_EQ(member.idle_connections(), 1u);
}

TEST(HttpTls, VerifyIncomingRefusesClientsWithoutACertificateFromItsCa) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server(certificates().ca_file));
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient anonymous(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  HttpClient stranger(runtime, "127.0.0.1", server.port(), client_with_certificate(true));
  HttpClient member(runtime, "127.0.0.1", server.port(), client_with_certificate());
  ASSERT_EQ(member.error(), std::nullopt);
  run(runtime, serve_while(runtime, server, mutual(anonymous, stranger, member)));
}

// --- wrong peers, stalls, timeouts, cancellation -----------------------------------------------

// Connects and sends nothing, and reads until the server closes: only idle_timeout ends it.
struct SilentConnection {
  explicit SilentConnection(asio::io_context& io) : socket(io) {}
  tcp::socket socket;
  std::array<char, 256> chunk{};
};

Task<void> stay_silent(AsioRuntime& runtime, std::uint16_t port, bool& closed_by_server) {
  asio::io_context& io = runtime.io_context();
  auto connection = std::make_shared<SilentConnection>(io);
  SilentConnection* raw = connection.get();
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
  const AsioResult read = co_await asio_await(
      io, {}, deadline, connection,
      [raw](AsioHandler done) { raw->socket.async_read_some(asio::buffer(raw->chunk), std::move(done)); }, close);
  closed_by_server = read.error && !read.timed_out();
}

// A plain-HTTP client gets Go's 400; a connection that never starts its handshake holds up
// nobody; a TLS client is served meanwhile.
Task<void> wrong_protocol_and_silence(AsioRuntime& runtime, HttpServer& server, HttpClient& plain, HttpClient& good) {
  bool silent_closed = false;
  Scope silent(runtime);
  silent.spawn(stay_silent(runtime, server.port(), silent_closed));

  HttpResult answered = co_await send_get(plain, "/plain");
  EXPECT_TRUE(answered.ok()) << message_of(answered);
  if (answered.ok()) {
    EXPECT_EQ(answered.response().status, 400);
    EXPECT_EQ(answered.response().body, "Client sent an HTTP request to an HTTPS server.\n");
  }
  co_await expect_echo(good, "/while-others-misbehave");
  co_await silent.join();
  EXPECT_TRUE(silent_closed) << "the silent connection was never closed";
  co_await expect_echo(good, "/after");
}

TEST(HttpTls, APlainClientIsAnsweredAndNeitherItNorASilentOneStallsTheServer) {
  AsioRuntime runtime;
  HttpServerOptions options = tls_server();
  options.idle_timeout = 300ms;  // ends the silent connection's handshake
  HttpServer server(runtime, options);
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient plain(runtime, "127.0.0.1", server.port());
  HttpClient good(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, serve_while(runtime, server, wrong_protocol_and_silence(runtime, server, plain, good)));
}

Task<void> tls_to_plain(HttpClient& client) {
  HttpResult got = co_await send_get(client, "/");
  EXPECT_FALSE(got.ok());
  if (!got.ok()) {
    EXPECT_EQ(got.error().failure, HttpFailure::connect) << got.error().message;
    EXPECT_TRUE(contains(got.error().message, "tls handshake with")) << got.error().message;
  }
}

TEST(HttpTls, ATlsClientAgainstAPlainServerFailsToConnect) {
  AsioRuntime runtime;
  HttpServerOptions options;
  options.handler = echo;
  HttpServer server(runtime, options);
  ASSERT_EQ(server.listen(), std::nullopt);
  HttpClient client(runtime, "127.0.0.1", server.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, serve_while(runtime, server, tls_to_plain(client)));
}

// A listener that never accepts: the kernel completes the TCP handshake, nobody the TLS one.
struct DeafListener {
  explicit DeafListener(asio::io_context& io) : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
  std::uint16_t port() const { return acceptor.local_endpoint().port(); }
  tcp::acceptor acceptor;
};

Task<void> handshake_times_out(HttpClient& client) {
  HttpResult got = co_await client.send(get("/"), {}, 200ms);
  EXPECT_FALSE(got.ok());
  if (got.ok()) co_return;
  EXPECT_EQ(got.error().failure, HttpFailure::timeout) << got.error().message;
  EXPECT_TRUE(contains(got.error().message, "timeout after 200 ms: tls handshake with")) << got.error().message;
}

TEST(HttpTls, TheHandshakeIsBoundedByTheTimeout) {
  AsioRuntime runtime;
  DeafListener deaf(runtime.io_context());
  HttpClient client(runtime, "127.0.0.1", deaf.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, handshake_times_out(client));
}

Task<void> send_into(HttpClient& client, std::stop_token stop, std::optional<HttpResult>& out) {
  out = co_await client.send(get("/"), std::move(stop), kGenerous);
}

Task<void> handshake_cancelled(AsioRuntime& runtime, HttpClient& client) {
  std::stop_source cancel;
  std::optional<HttpResult> result;
  Scope sender(runtime);
  sender.spawn(send_into(client, cancel.get_token(), result));
  co_await sleep_for(runtime, 100ms);
  cancel.request_stop();
  co_await sender.join();
  EXPECT_TRUE(result && !result->ok());
  if (result && !result->ok()) {
    EXPECT_EQ(result->error().failure, HttpFailure::cancelled) << result->error().message;
  }
}

TEST(HttpTls, TheHandshakeEndsWhenStopped) {
  AsioRuntime runtime;
  DeafListener deaf(runtime.io_context());
  HttpClient client(runtime, "127.0.0.1", deaf.port(), with_tls(trusting(certificates().ca_file)));
  run(runtime, handshake_cancelled(runtime, client));
}

// --- files that do not load ------------------------------------------------------------------

// A file in the certificates' directory with `text` in it.
std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::path(certificates().directory) / name).string();
  std::ofstream(path) << text;
  return path;
}

std::string client_error(HttpClientTls tls) {
  AsioRuntime runtime;
  HttpClient client(runtime, "127.0.0.1", 1, with_tls(std::move(tls)));
  return client.error().value_or("(no error)");
}

TEST(HttpTls, AClientReportsTheFileThatDidNotLoad) {
  const std::string missing = certificates().directory + "/missing/ca.pem";
  EXPECT_EQ(client_error(trusting(missing)), "tls: loading ca_file " + missing + ": No such file or directory");

  const std::string garbage = write_file("garbage.pem", "not a certificate\n");
  EXPECT_EQ(client_error(trusting(garbage)), "tls: loading ca_file " + garbage + ": no PEM certificate in it");

  HttpClientTls no_directory;
  no_directory.ca_path = certificates().directory + "/no-such-directory";
  EXPECT_TRUE(contains(client_error(no_directory), "tls: loading ca_path " + no_directory.ca_path + ": "));

  const std::filesystem::path mixed = std::filesystem::path(certificates().directory) / "mixed";
  std::filesystem::create_directories(mixed);
  std::filesystem::copy_file(certificates().ca_file, mixed / "a-good-ca.pem",
                             std::filesystem::copy_options::overwrite_existing);
  std::ofstream(mixed / "b-notes.txt") << "not a certificate\n";
  HttpClientTls garbage_directory;
  garbage_directory.ca_path = mixed.string();
  EXPECT_EQ(client_error(garbage_directory), "tls: loading ca_path " + mixed.string() + ": " +
                                                 (mixed / "b-notes.txt").string() + ": no PEM certificate in it");

  const std::filesystem::path empty = std::filesystem::path(certificates().directory) / "empty";
  std::filesystem::create_directories(empty);
  HttpClientTls empty_directory;
  empty_directory.ca_path = empty.string();
  EXPECT_EQ(client_error(empty_directory), "tls: loading ca_path " + empty.string() + ": no certificate file in it");

  HttpClientTls cert_only = trusting(certificates().ca_file);
  cert_only.cert_file = certificates().client_cert_file;
  EXPECT_EQ(client_error(cert_only), "tls: a client certificate needs both cert_file and key_file");

  HttpClientTls missing_key = cert_only;
  missing_key.key_file = certificates().directory + "/missing-key.pem";
  EXPECT_EQ(client_error(missing_key), "tls: loading key_file " + missing_key.key_file + ": No such file or directory");

  HttpClientTls mismatched = cert_only;
  mismatched.key_file = certificates().server_key_file;
  EXPECT_TRUE(contains(client_error(mismatched), "tls: key_file " + certificates().server_key_file +
                                                     " does not go with cert_file " + certificates().client_cert_file))
      << client_error(mismatched);

  HttpClientTls key_as_certificate = cert_only;
  key_as_certificate.cert_file = certificates().client_key_file;
  key_as_certificate.key_file = certificates().client_key_file;
  EXPECT_EQ(client_error(key_as_certificate),
            "tls: loading cert_file " + certificates().client_key_file + ": no PEM certificate in it");
}

Task<void> send_fails_with(HttpClient& client, std::string expected) {
  HttpResult got = co_await send_get(client, "/");
  EXPECT_FALSE(got.ok());
  if (got.ok()) co_return;
  EXPECT_EQ(got.error().failure, HttpFailure::connect);
  EXPECT_EQ(got.error().message, expected);
}

TEST(HttpTls, AClientWhoseFilesDidNotLoadFailsEverySend) {
  AsioRuntime runtime;
  const std::string missing = certificates().directory + "/missing/ca.pem";
  HttpClient client(runtime, "127.0.0.1", 1, with_tls(trusting(missing)));
  ASSERT_TRUE(client.error().has_value());
  run(runtime, send_fails_with(client, *client.error()));
}

std::string listen_error(HttpServerTls tls) {
  AsioRuntime runtime;
  HttpServerOptions options;
  options.handler = echo;
  options.tls = std::move(tls);
  HttpServer server(runtime, options);
  return server.listen().value_or("(no error)");
}

TEST(HttpTls, ListenReportsTheFileThatDidNotLoad) {
  HttpServerTls tls = *tls_server().tls;
  HttpServerTls missing_cert = tls;
  missing_cert.cert_file = certificates().directory + "/missing.pem";
  EXPECT_EQ(listen_error(missing_cert), "tls: loading cert_file " + missing_cert.cert_file + ": No such file or directory");

  HttpServerTls no_key = tls;
  no_key.key_file.clear();
  EXPECT_EQ(listen_error(no_key), "tls: serving TLS needs both cert_file and key_file");

  HttpServerTls key_is_a_certificate = tls;
  key_is_a_certificate.key_file = certificates().server_cert_file;
  EXPECT_EQ(listen_error(key_is_a_certificate),
            "tls: loading key_file " + certificates().server_cert_file + ": no PEM private key in it");

  HttpServerTls no_ca = tls;
  no_ca.verify_incoming = true;
  EXPECT_TRUE(contains(listen_error(no_ca), "verify_incoming needs ca_file or ca_path")) << listen_error(no_ca);

  HttpServerTls missing_ca = no_ca;
  missing_ca.ca_file = certificates().directory + "/missing-ca.pem";
  EXPECT_EQ(listen_error(missing_ca), "tls: loading ca_file " + missing_ca.ca_file + ": No such file or directory");
}

// --- HttpConsulTransport --------------------------------------------------------------------

std::string creation_error(std::string_view address, HttpClientOptions options = {}) {
  AsioRuntime runtime;
  HttpConsulTransportOrError made = HttpConsulTransport::create(runtime, address, std::move(options));
  if (made.index() == 0) return "(no error)";
  return std::get<1>(made);
}

TEST(HttpConsulTransportAddress, ParsesSchemesHostsAndPorts) {
  AsioRuntime runtime;
  struct Case {
    std::string address;
    std::string host;
    std::uint16_t port;
    bool tls;
  };
  const Case cases[] = {
      {"localhost:8500", "localhost", 8500, false},
      {"127.0.0.1", "127.0.0.1", 8500, false},
      {"http://consul.internal:18500/", "consul.internal", 18500, false},
      {"https://127.0.0.1:8501", "127.0.0.1", 8501, true},
      {"https://consul.example.com", "consul.example.com", 443, true},
      {"[::1]:8500", "::1", 8500, false},
      {"https://[::1]", "::1", 443, true},
  };
  for (const Case& expected : cases) {
    HttpConsulTransportOrError made = HttpConsulTransport::create(runtime, expected.address);
    ASSERT_EQ(made.index(), 0u) << expected.address << ": " << std::get<1>(made);
    const HttpConsulTransport& transport = *std::get<0>(made);
    EXPECT_EQ(transport.host(), expected.host) << expected.address;
    EXPECT_EQ(transport.port(), expected.port) << expected.address;
    EXPECT_EQ(transport.tls(), expected.tls) << expected.address;
  }
  // TLS options are never downgraded by the address, as in Consul's Go client.
  HttpConsulTransportOrError upgraded =
      HttpConsulTransport::create(runtime, "http://127.0.0.1:8501", with_tls(trusting(certificates().ca_file)));
  ASSERT_EQ(upgraded.index(), 0u);
  EXPECT_TRUE(std::get<0>(upgraded)->tls());
}

TEST(HttpConsulTransportAddress, ReportsWhatIsWrongWithoutThrowing) {
  EXPECT_EQ(creation_error("127.0.0.1:99999"), "consul address \"127.0.0.1:99999\": invalid port \"99999\"");
  EXPECT_EQ(creation_error("http://127.0.0.1:http"), "consul address \"http://127.0.0.1:http\": invalid port \"http\"");
  EXPECT_EQ(creation_error("unix:///var/run/consul.sock"),
            "consul address \"unix:///var/run/consul.sock\": unsupported scheme \"unix\" (http or https)");
  EXPECT_TRUE(contains(creation_error("https://"), "no host"));
  EXPECT_TRUE(contains(creation_error("::1:8500"), "an IPv6 host needs brackets"));
  EXPECT_TRUE(contains(creation_error("127.0.0.1:"), "missing port"));
  const std::string missing = certificates().directory + "/missing/ca.pem";
  EXPECT_EQ(creation_error("https://127.0.0.1:8501", with_tls(trusting(missing))),
            "tls: loading ca_file " + missing + ": No such file or directory");
}

Task<void> consul_over_tls(consul::ConsulTransport& good, consul::ConsulTransport& untrusting) {
  consul::TransportResult got = co_await good.round_trip(get("/v1/status/leader"), kGenerous, {});
  EXPECT_TRUE(got.ok()) << (got.ok() ? "" : got.error().message);
  if (got.ok()) {
    EXPECT_EQ(got.response().body, "GET /v1/status/leader ");
  }
  consul::TransportResult refused = co_await untrusting.round_trip(get("/v1/status/leader"), kGenerous, {});
  EXPECT_FALSE(refused.ok());
  if (!refused.ok()) {
    EXPECT_EQ(refused.error().kind, consul::TransportErrorKind::refused) << refused.error().message;
    EXPECT_TRUE(contains(refused.error().message, "certificate verify failed")) << refused.error().message;
  }
}

TEST(HttpConsulTransportAddress, SpeaksTlsToAnHttpsAddress) {
  AsioRuntime runtime;
  HttpServer server(runtime, tls_server(certificates().ca_file));
  ASSERT_EQ(server.listen(), std::nullopt);
  const std::string address = "https://127.0.0.1:" + std::to_string(server.port());
  HttpConsulTransportOrError good = HttpConsulTransport::create(runtime, address, client_with_certificate());
  ASSERT_EQ(good.index(), 0u) << std::get<1>(good);
  // Without options: the system's CAs, which do not include the test CA.
  HttpConsulTransportOrError untrusting = HttpConsulTransport::create(runtime, address);
  ASSERT_EQ(untrusting.index(), 0u) << std::get<1>(untrusting);
  run(runtime, serve_while(runtime, server, consul_over_tls(*std::get<0>(good), *std::get<0>(untrusting))));
}

}  // namespace
}  // namespace baton
