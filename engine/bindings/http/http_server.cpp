// Production binding: HttpServer on Boost.Beast (see http_server.hpp). One of the two Beast
// translation units; keep Beast out of every other file.
#include "engine/bindings/http/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/write.hpp>
// GCC 12 at -O2 reports boost::optional inside Beast's parser as maybe used uninitialized (a
// false positive, in Boost's code, that -Werror would turn into a failed build).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#pragma GCC diagnostic pop

#include <algorithm>
#include <cassert>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/async/event.hpp"
#include "engine/async/scope.hpp"
#include "engine/bindings/asio/asio_await.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/http/tls_context.hpp"

namespace baton {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

// After a response that ends the connection, the server goes on reading (and dropping) what
// the client still sends before closing. Closing with unread bytes makes the kernel send a
// reset, which can destroy the response before the client reads it: a 413 sent while the body
// is still arriving, a 400 for garbage followed by more garbage. It stops when the client
// closes, falls silent for kLingerTimeout, or has sent kLingerLimitBytes.
constexpr Duration kLingerTimeout = std::chrono::seconds(2);
constexpr std::size_t kLingerLimitBytes = std::size_t(64) << 20;
constexpr std::size_t kLingerChunkBytes = std::size_t(64) << 10;
// How long to wait before accepting again after accept() failed (out of descriptors, say).
//
// Two GCC 12.2 coroutine bugs shape this file (and http_client.cpp):
// - a co_await never sits in an if or while condition: GCC may then lay the frame out with the
//   condition's temporary before the resume pointer, and resuming through a coroutine_handle
//   jumps into garbage;
// - a co_await expression never builds an aggregate temporary ({.field = ...}) or a lambda
//   capturing something with a destructor: GCC copies the former bitwise into the frame (a
//   short std::string then points at the old copy) and destroys the latter twice.
constexpr Duration kAcceptRetryDelay = std::chrono::milliseconds(100);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// What Go's server (and so Consul's agent) answers a client that speaks plain HTTP to its TLS
// port, instead of a handshake failure the client could not read.
constexpr std::string_view kPlainHttpToTls =
    "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";

// One accepted connection and everything its pending operations reference; shared with those
// operations' handlers (see asio_await.hpp), so it may outlive the frame serving it.
struct ServerConnection {
  // TLS when `tls_context_in` is set, plain TCP otherwise.
  ServerConnection(asio::io_context& io, std::shared_ptr<asio::ssl::context> tls_context_in)
      : tls_context(std::move(tls_context_in)) {
    if (tls_context) {
      secure.emplace(io, *tls_context);
    } else {
      plain.emplace(io);
    }
  }

  // The TCP socket, under TLS or not: what accepts, and what closing aborts.
  tcp::socket& socket() { return secure ? secure->next_layer() : *plain; }

  std::shared_ptr<asio::ssl::context> tls_context;  // before `secure`, which uses it
  // Exactly one is set.
  std::optional<tcp::socket> plain;
  std::optional<beast::ssl_stream<tcp::socket>> secure;
  bool handshake_done = false;  // with `secure`: a session exists to close with close_notify
  beast::flat_buffer buffer;  // bytes read past the current request: the next pipelined one
  std::optional<bhttp::request_parser<bhttp::string_body>> parser;
  std::optional<BeastResponse> response;
  std::vector<char> discarded;  // where lingering reads land; sized only when lingering
};
using ConnectionPtr = std::shared_ptr<ServerConnection>;

// Runs `operation` on the connection's stream: the TLS stream, or the socket itself.
template <class Operation>
void on_stream(ServerConnection& connection, Operation&& operation) {
  if (connection.secure) {
    operation(*connection.secure);
  } else {
    operation(*connection.plain);
  }
}

std::function<void()> closer(const ConnectionPtr& connection) {
  return [connection] {
    error_code ignored;
    connection->socket().close(ignored);
  };
}

// A request read off a connection, with what the response must know about it.
struct IncomingRequest {
  http::Request request;
  unsigned version = 11;
  bool keep_alive = true;
  bool head = false;
};

// What reading gave: a request, or a reply to send before closing, or neither (the peer left
// or went quiet, or the server is stopping: just close).
struct ReadOutcome {
  std::optional<IncomingRequest> request;
  std::optional<http::Response> rejection;
};

ReadOutcome reject(int status, std::string text) {
  return {std::nullopt, http::Response{status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(text) + "\n"}};
}

ReadOutcome failed_read(const AsioResult& read) {
  if (read.aborted != AsioAbort::none) return {};
  if (read.error == bhttp::error::body_limit) return reject(413, "request body too large");
  if (read.error == bhttp::error::header_limit) return reject(431, "request header fields too large");
  if (read.error == bhttp::error::end_of_stream || read.error == bhttp::error::partial_message) return {};
  if (read.error.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return reject(400, "malformed request: " + read.error.message());
  }
  return {};  // the transport failed (a reset...): nobody left to answer
}

http::Request to_request(BeastRequest&& message) {
  http::Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  request.body = std::move(message.body());
  return request;
}

// Framing is the server's business, whatever the handler put in its headers.
bool is_framing_header(std::string_view name) {
  return beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding") ||
         beast::iequals(name, "Connection");
}

bool asks_to_close(const http::Response& response) {
  const auto connection = response.header("Connection");
  return connection && beast::iequals(*connection, "close");
}

// RFC 9110 section 6.4.1: these statuses never have a body.
bool is_bodiless(unsigned status) { return status / 100 == 1 || status == 204 || status == 304; }

BeastResponse to_message(http::Response response, unsigned version, bool keep_alive, bool head) {
  const unsigned status = response.status >= 100 && response.status <= 999 ? unsigned(response.status) : 500;
  BeastResponse message;
  message.version(version);
  message.result(status);
  for (const http::Header& header : response.headers) {
    if (!is_framing_header(header.name)) message.insert(header.name, header.value);
  }
  if (!response.header("Content-Type")) message.set(bhttp::field::content_type, "application/json");
  message.keep_alive(keep_alive);
  if (is_bodiless(status)) return message;
  // A response to HEAD announces the length of the body it leaves out.
  message.content_length(response.body.size());
  if (!head) message.body() = std::move(response.body);
  return message;
}

bool expects_continue(const BeastRequest& message) {
  return beast::iequals(message[bhttp::field::expect], "100-continue");
}

std::string describe(const tcp::endpoint& endpoint) {
  const std::string address = endpoint.address().to_string();
  return (endpoint.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(endpoint.port());
}

}  // namespace

struct HttpServer::Impl {
  Impl(AsioRuntime& runtime_in, HttpServerOptions options_in)
      : runtime(runtime_in),
        io(runtime_in.io_context()),
        options(std::move(options_in)),
        acceptor(io),
        connection_ended(runtime_in) {}

  // Holds one of max_connections while a connection task (started or not) exists: a
  // parameter of that task, so it is released however the task's frame ends.
  class Slot {
   public:
    explicit Slot(Impl& server) : server_(&server) { ++server.open; }
    Slot(Slot&& other) noexcept : server_(std::exchange(other.server_, nullptr)) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (!server_) return;
      --server_->open;
      server_->connection_ended.set();
    }

   private:
    Impl* server_;
  };

  static Task<void> serve(std::shared_ptr<Impl> self, std::stop_token stop);
  Task<bool> wait_for_free_slot(std::stop_token stop);
  Task<AsioResult> accept(ConnectionPtr connection, std::stop_token stop);
  Task<void> drain();

  Task<void> run_connection(ConnectionPtr connection, Slot slot, std::stop_token stop);
  Task<bool> handshake(ConnectionPtr connection, std::stop_token stop);
  Task<ReadOutcome> read_request(ConnectionPtr connection, std::stop_token stop);
  Task<bool> write_response(ConnectionPtr connection, BeastResponse message);
  Task<void> close_gracefully(ConnectionPtr connection);
  Task<void> send_close_notify(ConnectionPtr connection);
  Task<void> linger(ConnectionPtr connection);

  // One operation on a connection's socket, aborted by closing it, bounded by idle_timeout.
  template <class Initiate>
  auto on_connection(const ConnectionPtr& connection, std::stop_token stop, Initiate initiate) {
    return asio_await(io, std::move(stop), deadline_after(runtime, options.idle_timeout), connection,
                      std::move(initiate), closer(connection));
  }

  AsioRuntime& runtime;
  asio::io_context& io;
  HttpServerOptions options;
  tcp::acceptor acceptor;
  // With options.tls, from listen(): what every connection's session is made from.
  std::shared_ptr<asio::ssl::context> tls_context;
  std::uint16_t bound_port = 0;
  std::uint64_t accepted = 0;
  std::size_t open = 0;
  // Set whenever a connection ends: a slot is free, or one fewer is left to wait for.
  Event connection_ended;
};

Task<void> HttpServer::Impl::serve(std::shared_ptr<Impl> self, std::stop_token stop) {
  Impl& server = *self;
  assert(server.acceptor.is_open() && "HttpServer::serve() before a successful listen()");
  Scope connections(server.runtime, stop);  // its token stops idle connections with `stop`
  for (;;) {
    const bool may_accept = co_await server.wait_for_free_slot(stop);
    if (!may_accept) break;
    auto connection = std::make_shared<ServerConnection>(server.io, server.tls_context);
    const AsioResult accepted = co_await server.accept(connection, stop);
    if (accepted.cancelled() || !server.acceptor.is_open()) break;
    if (accepted.error) {
      const WaitResult paused = co_await sleep_for(server.runtime, kAcceptRetryDelay, stop);
      if (paused == WaitResult::cancelled) break;
      continue;
    }
    ++server.accepted;
    error_code ignored;
    connection->socket().set_option(tcp::no_delay(true), ignored);
    connections.spawn(server.run_connection(std::move(connection), Slot(server), connections.token()));
  }
  error_code ignored;
  server.acceptor.close(ignored);
  co_await server.drain();
  // Leaving destroys `connections`: what is still running is closed and its frames destroyed.
}

Task<bool> HttpServer::Impl::wait_for_free_slot(std::stop_token stop) {
  while (open >= options.max_connections) {
    connection_ended.reset();
    const WaitResult ended = co_await connection_ended.wait(stop);
    if (ended == WaitResult::cancelled) co_return false;
  }
  co_return !stop.stop_requested();
}

Task<AsioResult> HttpServer::Impl::accept(ConnectionPtr connection, std::stop_token stop) {
  // Closing the listener is both how a stop ends a pending accept and what a stop asks for.
  co_return co_await asio_await(
      io, std::move(stop), kNoDeadline, connection,
      [this, socket = &connection->socket()](AsioHandler done) { acceptor.async_accept(*socket, std::move(done)); },
      [this] {
        error_code ignored;
        acceptor.close(ignored);
      });
}

Task<void> HttpServer::Impl::drain() {
  const MonoTime give_up = deadline_after(runtime, options.shutdown_grace);
  while (open > 0) {
    connection_ended.reset();
    const WaitResult ended = co_await connection_ended.wait({}, give_up);
    if (ended == WaitResult::deadline) co_return;
  }
}

Task<void> HttpServer::Impl::run_connection(ConnectionPtr connection, Slot slot, std::stop_token stop) {
  (void)slot;  // held for the task's lifetime
  if (connection->secure) {
    // Here, in the connection's own task: a slow or failed handshake holds up no other client.
    const bool secured = co_await handshake(connection, stop);
    if (!secured) {
      error_code ignored;
      connection->socket().close(ignored);
      co_return;
    }
  }
  for (;;) {
    ReadOutcome read = co_await read_request(connection, stop);
    if (read.rejection) {
      const bool sent = co_await write_response(connection, to_message(std::move(*read.rejection), 11, false, false));
      if (sent) co_await close_gracefully(connection);
      break;
    }
    if (!read.request) break;

    IncomingRequest incoming = std::move(*read.request);
    http::Response response = co_await options.handler(std::move(incoming.request));
    // A stopping server answers what it was asked, then closes.
    const bool keep_alive = incoming.keep_alive && !stop.stop_requested() && !asks_to_close(response);
    const bool sent =
        co_await write_response(connection, to_message(std::move(response), incoming.version, keep_alive, incoming.head));
    if (!sent) break;
    if (!keep_alive) {
      co_await close_gracefully(connection);
      break;
    }
  }
  error_code ignored;
  connection->socket().close(ignored);
}

Task<bool> HttpServer::Impl::handshake(ConnectionPtr connection, std::stop_token stop) {
  ServerConnection* raw = connection.get();
  const AsioResult shaken = co_await on_connection(connection, std::move(stop), [raw](AsioHandler done) {
    raw->secure->async_handshake(asio::ssl::stream_base::server, std::move(done));
  });
  if (!shaken.error) {
    raw->handshake_done = true;
    co_return true;
  }
  if (shaken.aborted != AsioAbort::none) co_return false;  // stopping, or the peer went quiet
  const bool plain_http = shaken.error.category() == asio::error::get_ssl_category() &&
                          tls::is_plain_http_request(shaken.error.value());
  if (!plain_http) {
    // The alert saying why is on its way to the client: closing with its bytes unread would
    // reset the connection and could destroy the alert first.
    co_await linger(connection);
    co_return false;
  }
  // Not through the TLS stream: the client would not understand it.
  const std::stop_token unstoppable;
  const AsioResult answered = co_await on_connection(connection, unstoppable, [raw](AsioHandler done) {
    asio::async_write(raw->socket(), asio::buffer(kPlainHttpToTls), std::move(done));
  });
  if (!answered.error) co_await linger(connection);
  co_return false;
}

Task<ReadOutcome> HttpServer::Impl::read_request(ConnectionPtr connection, std::stop_token stop) {
  ServerConnection* raw = connection.get();
  raw->parser.emplace();
  raw->parser->body_limit(std::uint64_t(options.body_limit_bytes));
  raw->parser->header_limit(std::uint32_t(std::min<std::size_t>(options.header_limit_bytes, std::numeric_limits<std::uint32_t>::max())));

  // The header first: a body over the limit is refused from its Content-Length, unread, and a
  // client that sent Expect: 100-continue learns it may send the body.
  const AsioResult header = co_await on_connection(connection, stop, [raw](AsioHandler done) {
    on_stream(*raw, [&](auto& stream) { bhttp::async_read_header(stream, raw->buffer, *raw->parser, std::move(done)); });
  });
  if (header.error) co_return failed_read(header);
  if (!raw->parser->is_done()) {
    if (expects_continue(raw->parser->get())) {
      const AsioResult sent = co_await on_connection(connection, stop, [raw](AsioHandler done) {
        on_stream(*raw, [&](auto& stream) { asio::async_write(stream, asio::buffer(kContinue), std::move(done)); });
      });
      if (sent.error) co_return ReadOutcome{};
    }
    const AsioResult body = co_await on_connection(connection, stop, [raw](AsioHandler done) {
      on_stream(*raw, [&](auto& stream) { bhttp::async_read(stream, raw->buffer, *raw->parser, std::move(done)); });
    });
    if (body.error) co_return failed_read(body);
  }

  const BeastRequest& message = raw->parser->get();
  IncomingRequest incoming{.version = message.version(),
                           .keep_alive = message.keep_alive(),
                           .head = message.method() == bhttp::verb::head};
  incoming.request = to_request(raw->parser->release());
  raw->parser.reset();
  co_return ReadOutcome{std::move(incoming), std::nullopt};
}

Task<bool> HttpServer::Impl::write_response(ConnectionPtr connection, BeastResponse message) {
  ServerConnection* raw = connection.get();
  raw->response.emplace(std::move(message));
  // No stop token: a request being answered is finished even when the server stops (the
  // grace period bounds it); idle_timeout bounds a client that will not read.
  const AsioResult written = co_await on_connection(connection, {}, [raw](AsioHandler done) {
    on_stream(*raw, [&](auto& stream) { bhttp::async_write(stream, *raw->response, std::move(done)); });
  });
  raw->response.reset();
  co_return !written.error;
}

Task<void> HttpServer::Impl::close_gracefully(ConnectionPtr connection) {
  if (connection->secure && connection->handshake_done) co_await send_close_notify(connection);
  co_await linger(connection);
}

// TLS's end of the session, so that a client reading to the end knows nothing was cut off.
// Asio's shutdown sends close_notify and then awaits the client's; a client that closes
// instead (most do), or sends more, or stays silent past kLingerTimeout, ends it as well.
Task<void> HttpServer::Impl::send_close_notify(ConnectionPtr connection) {
  ServerConnection* raw = connection.get();
  const AsioResult ended = co_await asio_await(
      io, {}, deadline_after(runtime, kLingerTimeout), connection,
      [raw](AsioHandler done) { raw->secure->async_shutdown(std::move(done)); }, closer(connection));
  (void)ended;  // whichever way it ended, the TCP connection is closed next
}

Task<void> HttpServer::Impl::linger(ConnectionPtr connection) {
  ServerConnection* raw = connection.get();
  error_code ignored;
  raw->socket().shutdown(tcp::socket::shutdown_send, ignored);
  raw->discarded.resize(kLingerChunkBytes);
  for (std::size_t drained_bytes = 0; drained_bytes < kLingerLimitBytes;) {
    const AsioResult read = co_await asio_await(
        io, {}, deadline_after(runtime, kLingerTimeout), connection,
        [raw](AsioHandler done) { raw->socket().async_read_some(asio::buffer(raw->discarded), std::move(done)); },
        closer(connection));
    if (read.error) break;  // the client closed its side, or fell silent
    drained_bytes += read.bytes;
  }
  raw->socket().close(ignored);
}

HttpServer::HttpServer(AsioRuntime& runtime, HttpServerOptions options)
    : impl_(std::make_shared<Impl>(runtime, std::move(options))) {
  assert(impl_->options.handler && "HttpServerOptions::handler is required");
}

HttpServer::~HttpServer() = default;

std::optional<std::string> HttpServer::listen() {
  Impl& server = *impl_;
  server.tls_context.reset();
  if (server.options.tls) {
    tls::LoadedContext loaded = tls::server_context(*server.options.tls);
    if (loaded.index() == 1) {
      error_code ignored;
      server.acceptor.close(ignored);
      return std::move(std::get<1>(loaded));
    }
    // The asio context takes the OpenSSL context over.
    server.tls_context = std::make_shared<asio::ssl::context>(std::get<0>(loaded).release());
  }
  error_code error;
  const asio::ip::address address = asio::ip::make_address(server.options.address, error);
  if (error) return "invalid listen address \"" + server.options.address + "\": " + error.message();
  const tcp::endpoint endpoint(address, server.options.port);
  const auto failed = [&](std::string_view step) {
    error_code ignored;
    server.acceptor.close(ignored);
    return std::string(step) + " " + describe(endpoint) + ": " + error.message();
  };

  if (server.acceptor.is_open()) server.acceptor.close(error);
  server.acceptor.open(endpoint.protocol(), error);
  if (error) return failed("open a socket for");
  // Lets a restarted daemon bind its port while the previous one's connections sit in TIME_WAIT.
  server.acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (error) return failed("set SO_REUSEADDR on");
  server.acceptor.bind(endpoint, error);
  if (error) return failed("bind");
  server.acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) return failed("listen on");
  const tcp::endpoint bound = server.acceptor.local_endpoint(error);
  if (error) return failed("read the bound address of");
  server.bound_port = bound.port();
  return std::nullopt;
}

std::uint16_t HttpServer::port() const { return impl_->bound_port; }

Task<void> HttpServer::serve(std::stop_token stop) { return Impl::serve(impl_, std::move(stop)); }

std::uint64_t HttpServer::connections_accepted() const { return impl_->accepted; }

std::size_t HttpServer::connections_open() const { return impl_->open; }

}  // namespace baton
