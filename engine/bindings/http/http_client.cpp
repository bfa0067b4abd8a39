// Production binding: HttpClient on Boost.Beast (see http_client.hpp). One of the two Beast
// translation units; keep Beast out of every other file.
#include "engine/bindings/http/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
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
#include <chrono>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

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

// One connection and everything its pending operations reference; shared with those
// operations' handlers (see asio_await.hpp), so it may outlive the send() frame using it.
struct ClientConnection {
  // TLS when `tls_context_in` is set, plain TCP otherwise.
  ClientConnection(asio::io_context& io, std::shared_ptr<asio::ssl::context> tls_context_in)
      : tls_context(std::move(tls_context_in)) {
    if (tls_context) {
      secure.emplace(io, *tls_context);
    } else {
      plain.emplace(io);
    }
  }

  // The TCP socket, under TLS or not: what connects, and what closing aborts.
  tcp::socket& socket() { return secure ? secure->next_layer() : *plain; }

  std::shared_ptr<asio::ssl::context> tls_context;  // before `secure`, which uses it
  // Exactly one is set.
  std::optional<tcp::socket> plain;
  std::optional<beast::ssl_stream<tcp::socket>> secure;
  beast::flat_buffer buffer;
  std::optional<BeastRequest> request;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser;
};
using ConnectionPtr = std::shared_ptr<ClientConnection>;

// Runs `operation` on the connection's stream: the TLS stream, or the socket itself.
template <class Operation>
void on_stream(ClientConnection& connection, Operation&& operation) {
  if (connection.secure) {
    operation(*connection.secure);
  } else {
    operation(*connection.plain);
  }
}

// A name lookup in progress, for the same reason.
struct Resolution {
  explicit Resolution(asio::io_context& io) : resolver(io) {}

  tcp::resolver resolver;
  tcp::resolver::results_type results;
};

// The abort functions are made by named functions, never by a lambda written inside a co_await
// expression: GCC 12.2 destroys such a lambda twice when it captures anything with a destructor
// (a shared_ptr's count would drop below its owners).
std::function<void()> canceller(const std::shared_ptr<Resolution>& resolution) {
  return [resolution] { resolution->resolver.cancel(); };
}

std::function<void()> closer(const ConnectionPtr& connection) {
  return [connection] {
    error_code ignored;
    connection->socket().close(ignored);
  };
}

// Where an exchange stood when it failed.
enum class Step { connect, handshake, write, read };

struct Failure {
  Step step = Step::connect;
  AsioResult result;
  // Nothing of a response had arrived: the request may be sent again on a fresh connection.
  bool before_response = false;
  // Why, when result.error's own message would not say it well (TLS), or when there is no
  // error code at all.
  std::string cause;
};

// What an error says, for a message. OpenSSL's reasons lose Asio's " (SSL routines)" and, for
// a certificate that failed verification on `tls`, gain why.
std::string cause_of(const error_code& error, ssl_st* tls = nullptr) {
  if (error.category() == asio::error::get_ssl_category()) return tls::describe_error(error.value(), tls);
  return error.message();
}

// One exchange's outcome: a response, or how it failed.
struct Exchange {
  std::optional<http::Response> response;
  bool reusable = false;  // the connection may carry another request
  Failure failure;
};

const char* doing(Step step) {
  switch (step) {
    case Step::connect: return "connect";
    case Step::handshake: return "tls handshake with";
    case Step::write: return "write to";
    case Step::read: return "read from";
  }
  return "talk to";
}

HttpFailure as_failure(Step step) {
  switch (step) {
    case Step::connect:
    case Step::handshake: return HttpFailure::connect;
    case Step::write: return HttpFailure::write;
    case Step::read: return HttpFailure::read;
  }
  return HttpFailure::read;
}

HttpTransportError describe(const Failure& failure, const std::string& authority, Duration timeout) {
  const std::string what = std::string(doing(failure.step)) + " " + authority;
  if (failure.result.timed_out()) {
    const auto timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
    return {HttpFailure::timeout, "timeout after " + std::to_string(timeout_ms) + " ms: " + what};
  }
  if (failure.result.cancelled()) return {HttpFailure::cancelled, "cancelled: " + what};
  return {as_failure(failure.step), what + ": " + (failure.cause.empty() ? failure.result.error.message() : failure.cause)};
}

// Framing is the client's business, whatever the caller put in its headers.
bool is_framing_header(std::string_view name) {
  return beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding");
}

// Methods whose requests carry a body by definition: they get Content-Length even when empty.
bool expects_body(std::string_view method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

http::Response to_response(BeastResponse&& message) {
  http::Response response;
  response.status = int(message.result_int());
  for (const auto& field : message) {
    response.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  response.body = std::move(message.body());
  return response;
}

std::string authority_of(const std::string& host, std::uint16_t port) {
  const bool ipv6_literal = host.find(':') != std::string::npos;
  return (ipv6_literal ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

const char* to_string(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::connect: return "connect";
    case HttpFailure::write: return "write";
    case HttpFailure::read: return "read";
    case HttpFailure::timeout: return "timeout";
    case HttpFailure::cancelled: return "cancelled";
  }
  return "unknown";
}

struct HttpClient::Impl {
  Impl(AsioRuntime& runtime_in, std::string host_in, std::uint16_t port_in, HttpClientOptions options_in)
      : runtime(runtime_in),
        io(runtime_in.io_context()),
        host(std::move(host_in)),
        port(port_in),
        options(std::move(options_in)),
        authority(authority_of(host, port)) {
    if (!options.tls) return;
    server_name = options.tls->server_name.empty() ? host : options.tls->server_name;
    tls::LoadedContext loaded = tls::client_context(*options.tls);
    if (loaded.index() == 1) {
      load_error = std::move(std::get<1>(loaded));
      return;
    }
    // The asio context takes the OpenSSL context over.
    tls_context = std::make_shared<asio::ssl::context>(std::get<0>(loaded).release());
  }

  static Task<HttpResult> send(std::shared_ptr<Impl> self, http::Request request, std::stop_token stop,
                               Duration timeout);
  Task<std::optional<Failure>> connect(ConnectionPtr connection, MonoTime deadline, std::stop_token stop);
  Task<std::optional<Failure>> handshake(ConnectionPtr connection, MonoTime deadline, std::stop_token stop);
  Task<AsioResult> resolve(std::shared_ptr<Resolution> resolution, MonoTime deadline, std::stop_token stop);
  Task<Exchange> exchange(ConnectionPtr connection, BeastRequest message, MonoTime deadline, std::stop_token stop);

  BeastRequest to_message(http::Request request) const;
  ConnectionPtr take_idle();
  void give_back(ConnectionPtr connection);

  AsioRuntime& runtime;
  asio::io_context& io;
  std::string host;
  std::uint16_t port;
  HttpClientOptions options;
  std::string authority;  // host:port, for the Host header and error messages
  // With options.tls: the context every connection's session is made from (unset when its
  // files failed to load), and the name the server's certificate must carry.
  std::shared_ptr<asio::ssl::context> tls_context;
  std::string server_name;
  std::optional<std::string> load_error;  // see HttpClient::error()
  std::vector<ConnectionPtr> idle;
};

Task<HttpResult> HttpClient::Impl::send(std::shared_ptr<Impl> self, http::Request request, std::stop_token stop,
                                        Duration timeout) {
  Impl& client = *self;
  if (client.load_error) {
    HttpTransportError unusable{HttpFailure::connect, *client.load_error};
    co_return unusable;
  }
  const MonoTime deadline = deadline_after(client.runtime, timeout);
  const BeastRequest message = client.to_message(std::move(request));
  bool first_attempt = true;
  for (;;) {
    // The retry takes a fresh connection: the rest of the pool is as old as the stale one.
    ConnectionPtr connection = first_attempt ? client.take_idle() : nullptr;
    const bool reused = connection != nullptr;
    if (!connection) {
      connection = std::make_shared<ClientConnection>(client.io, client.tls_context);
      const std::optional<Failure> failed = co_await client.connect(connection, deadline, stop);
      if (failed) co_return describe(*failed, client.authority, timeout);
    }
    Exchange exchanged = co_await client.exchange(connection, message, deadline, stop);
    if (exchanged.response) {
      if (exchanged.reusable) client.give_back(std::move(connection));
      co_return std::move(*exchanged.response);
    }
    error_code ignored;
    connection->socket().close(ignored);
    if (!(reused && first_attempt && exchanged.failure.before_response)) {
      co_return describe(exchanged.failure, client.authority, timeout);
    }
    first_attempt = false;
  }
}

Task<std::optional<Failure>> HttpClient::Impl::connect(ConnectionPtr connection, MonoTime deadline,
                                                       std::stop_token stop) {
  std::vector<tcp::endpoint> endpoints;
  error_code literal_error;
  const asio::ip::address literal = asio::ip::make_address(host, literal_error);
  if (!literal_error) {
    endpoints.emplace_back(literal, port);
  } else {
    auto resolution = std::make_shared<Resolution>(io);
    const AsioResult resolved = co_await resolve(resolution, deadline, stop);
    if (resolved.error) co_return Failure{Step::connect, resolved};
    for (const auto& entry : resolution->results) endpoints.push_back(entry.endpoint());
  }

  AsioResult attempt;
  attempt.error = asio::error::host_not_found;  // in case the name resolved to no address
  ClientConnection* raw = connection.get();
  for (const tcp::endpoint& endpoint : endpoints) {  // in the resolver's order, as Go dials
    error_code ignored;
    raw->socket().close(ignored);  // after a failed attempt: async_connect opens a closed socket
    attempt = co_await asio_await(
        io, stop, deadline, connection,
        [raw, endpoint](AsioHandler done) { raw->socket().async_connect(endpoint, std::move(done)); },
        closer(connection));
    if (!attempt.error) {
      raw->socket().set_option(tcp::no_delay(true), ignored);
      if (!raw->secure) co_return std::nullopt;
      // One endpoint only: a server that refuses the session would refuse it at any address.
      co_return co_await handshake(std::move(connection), deadline, std::move(stop));
    }
    if (attempt.aborted != AsioAbort::none) break;
  }
  co_return Failure{Step::connect, attempt};
}

Task<std::optional<Failure>> HttpClient::Impl::handshake(ConnectionPtr connection, MonoTime deadline,
                                                         std::stop_token stop) {
  ClientConnection* raw = connection.get();
  std::optional<std::string> unprepared = tls::prepare_client(raw->secure->native_handle(), server_name, options.tls->verify);
  if (unprepared) {
    Failure failed{.step = Step::handshake, .cause = std::move(*unprepared)};
    co_return failed;
  }
  const AsioResult shaken = co_await asio_await(
      io, std::move(stop), deadline, connection,
      [raw](AsioHandler done) { raw->secure->async_handshake(asio::ssl::stream_base::client, std::move(done)); },
      closer(connection));
  if (!shaken.error) co_return std::nullopt;
  Failure failed{.step = Step::handshake, .result = shaken, .cause = cause_of(shaken.error, raw->secure->native_handle())};
  co_return failed;
}

Task<AsioResult> HttpClient::Impl::resolve(std::shared_ptr<Resolution> resolution, MonoTime deadline,
                                           std::stop_token stop) {
  Resolution* raw = resolution.get();
  // The resolver's handler also receives the results: store them, then complete as usual. The
  // Resolution lives as long as `done`, which owns it.
  co_return co_await asio_await(
      io, std::move(stop), deadline, resolution,
      [this, raw](AsioHandler done) {
        raw->resolver.async_resolve(
            host, std::to_string(port), tcp::resolver::numeric_service,
            [raw, done = std::move(done)](const error_code& error, tcp::resolver::results_type results) mutable {
              raw->results = std::move(results);
              done(error);
            });
      },
      canceller(resolution));
}

Task<Exchange> HttpClient::Impl::exchange(ConnectionPtr connection, BeastRequest message, MonoTime deadline,
                                          std::stop_token stop) {
  ClientConnection* raw = connection.get();
  const bool head = message.method() == bhttp::verb::head;
  raw->request.emplace(std::move(message));
  const AsioResult written = co_await asio_await(
      io, stop, deadline, connection,
      [raw](AsioHandler done) {
        on_stream(*raw, [&](auto& stream) { bhttp::async_write(stream, *raw->request, std::move(done)); });
      },
      closer(connection));
  raw->request.reset();
  if (written.error) {
    co_return Exchange{.failure = {Step::write, written, written.aborted == AsioAbort::none, cause_of(written.error)}};
  }

  raw->parser.emplace();
  raw->parser->body_limit(std::uint64_t(options.body_limit_bytes));
  raw->parser->header_limit(
      std::uint32_t(std::min<std::size_t>(options.header_limit_bytes, std::numeric_limits<std::uint32_t>::max())));
  raw->parser->skip(head);  // a response to HEAD announces a body it does not carry
  const AsioResult read = co_await asio_await(
      io, std::move(stop), deadline, connection,
      [raw](AsioHandler done) {
        on_stream(*raw, [&](auto& stream) { bhttp::async_read(stream, raw->buffer, *raw->parser, std::move(done)); });
      },
      closer(connection));
  if (read.error) {
    co_return Exchange{.failure = {Step::read, read, read.aborted == AsioAbort::none && !raw->parser->got_some(),
                                   cause_of(read.error)}};
  }

  // Reusable when the server keeps it open, the body's end was not the connection's end, and
  // nothing unasked-for followed the response.
  const bool reusable = raw->parser->get().keep_alive() && !raw->parser->need_eof() && raw->buffer.size() == 0;
  http::Response response = to_response(raw->parser->release());
  raw->parser.reset();
  co_return Exchange{.response = std::move(response), .reusable = reusable};
}

BeastRequest HttpClient::Impl::to_message(http::Request request) const {
  BeastRequest message;
  message.version(11);
  message.method_string(request.method);
  message.target(request.target);
  for (const http::Header& header : request.headers) {
    if (!is_framing_header(header.name)) message.insert(header.name, header.value);
  }
  if (!request.header("Host")) message.set(bhttp::field::host, authority);
  if (!request.body.empty() || expects_body(request.method)) message.content_length(request.body.size());
  message.body() = std::move(request.body);
  return message;
}

ConnectionPtr HttpClient::Impl::take_idle() {
  if (idle.empty()) return nullptr;
  // The most recently used: the least likely to have been closed by the server meanwhile.
  ConnectionPtr connection = std::move(idle.back());
  idle.pop_back();
  return connection;
}

void HttpClient::Impl::give_back(ConnectionPtr connection) {
  if (idle.size() < options.max_idle_connections && connection->socket().is_open()) {
    idle.push_back(std::move(connection));
    return;
  }
  error_code ignored;
  connection->socket().close(ignored);
}

HttpClient::HttpClient(AsioRuntime& runtime, std::string host, std::uint16_t port, HttpClientOptions options)
    : impl_(std::make_shared<Impl>(runtime, std::move(host), port, std::move(options))) {}

HttpClient::~HttpClient() = default;

Task<HttpResult> HttpClient::send(http::Request request, std::stop_token stop, Duration timeout) {
  return Impl::send(impl_, std::move(request), std::move(stop), timeout);
}

const std::optional<std::string>& HttpClient::error() const { return impl_->load_error; }

bool HttpClient::tls() const { return impl_->options.tls.has_value(); }

std::size_t HttpClient::idle_connections() const { return impl_->idle.size(); }

}  // namespace baton
