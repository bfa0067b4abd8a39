#pragma once
// HttpClient: the production HTTP/1.1 client on Boost.Beast that the Consul adapter sends its
// requests through. One host and port, and a small pool of kept-alive connections, so that a
// watcher's stream of short requests and long blocking queries reuses its connections.
//
// A connection taken from the pool may have been closed by the server while it sat idle
// (Consul, like any Go server, closes idle connections). When a reused connection fails before
// any byte of the response arrived, the request is sent once more on a fresh connection, as
// Go's Transport does; the server cannot have answered it, and an idle-closed connection
// cannot have delivered it.
//
// TLS (HttpClientOptions::tls): every connection, pooled or not, is a TLS session over its TCP
// connection; the handshake is part of connecting (its failure is HttpFailure::connect, within
// the same timeout and cancellation as the TCP connect), and the pool, the one retry, timeouts
// and cancellation behave exactly as for plain HTTP. The certificate files are loaded once, by
// the constructor, which never throws: a file that fails to load makes error() say which and
// why, and every send() fail at once with that sentence.
//
// Transport failures are values (HttpResult), never exceptions. Beast stays behind a pimpl:
// this header is cheap to include.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <variant>

#include "engine/async/task.hpp"
#include "engine/http/message.hpp"
#include "engine/ports/time.hpp"

namespace baton {

class AsioRuntime;

// What kept a response from arriving.
enum class HttpFailure {
  connect,    // resolving the host, connecting to it or the TLS handshake failed, or the
              // client's TLS files did not load (HttpClient::error())
  write,      // sending the request failed
  read,       // receiving the response failed (closed early, malformed, over the size limit)
  timeout,    // the timeout passed first, in whichever step
  cancelled,  // the stop token fired first
};

const char* to_string(HttpFailure failure);

struct HttpTransportError {
  HttpFailure failure = HttpFailure::connect;
  // What failed, for logs: "connect 127.0.0.1:8500: Connection refused", "tls handshake with
  // 127.0.0.1:8501: certificate verify failed: unable to get local issuer certificate".
  std::string message;
};

// A response (of any status: a 500 is a response) or the transport error that kept one from
// arriving. Implicit from either, so that coroutines can co_return one directly.
class HttpResult {
 public:
  HttpResult(http::Response response) : value_(std::move(response)) {}
  HttpResult(HttpTransportError error) : value_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<http::Response>(value_); }
  // Only when ok().
  const http::Response& response() const { return std::get<http::Response>(value_); }
  http::Response& response() { return std::get<http::Response>(value_); }
  // Only when !ok().
  const HttpTransportError& error() const { return std::get<HttpTransportError>(value_); }

 private:
  std::variant<http::Response, HttpTransportError> value_;
};

// TLS to the server, with the meaning of Consul's `consul { tls { ... } }` block in CTS (and
// CONSUL_CACERT, CONSUL_CAPATH, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY, CONSUL_TLS_SERVER_NAME,
// CONSUL_HTTP_SSL_VERIFY). Paths name PEM files; what is read from them is in
// bindings/http/tls_context.hpp. TLS 1.2 at least.
struct HttpClientTls {
  // The CAs that may sign the server's certificate: every certificate in this file, and in
  // every file under ca_path. With neither, the system's CAs.
  std::string ca_file;
  std::string ca_path;
  // The client certificate for mutual TLS (any intermediates after it in the file) and its
  // unencrypted key; both or neither. Under TLS 1.3 a server refuses a missing or untrusted
  // client certificate only after the client's side of the handshake is done, so that refusal
  // is the first read's failure (HttpFailure::read, "read from 127.0.0.1:8501: tlsv13 alert
  // certificate required"), not a connect failure.
  std::string cert_file;
  std::string key_file;
  // The name sent as SNI and that the server's certificate must carry; empty means the host
  // the client connects to. An IP literal must be an IP SAN of the certificate and is not sent
  // as SNI.
  std::string server_name;
  // false: the server's certificate is not verified at all, neither its CA nor its name
  // (Consul's tls.verify = false): the traffic is encrypted, the server not authenticated.
  bool verify = true;
};

struct HttpClientOptions {
  // Idle kept-alive connections kept for reuse; connections beyond this are closed when their
  // exchange ends.
  std::size_t max_idle_connections = 4;
  // Largest response body accepted, in bytes; a larger one fails the request as a read error.
  std::size_t body_limit_bytes = std::size_t(64) << 20;
  // Largest response status line plus headers accepted, in bytes.
  std::size_t header_limit_bytes = std::size_t(64) << 10;
  // Set: every connection speaks TLS (https). Unset: plain HTTP.
  std::optional<HttpClientTls> tls;
};

class HttpClient {
 public:
  // `host` is a name or an IP literal. `runtime` must outlive the client, and the client must
  // be destroyed before its runtime. Never throws for a bad TLS file: see error().
  HttpClient(AsioRuntime& runtime, std::string host, std::uint16_t port, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and awaits its response, within `timeout` for the whole exchange (connect,
  // write, read, and the one retry). Adds Host unless set, and Content-Length (replacing any
  // given) when there is a body or the method is POST, PUT or PATCH; like Go's client, a GET
  // without a body has none. Sends may run concurrently: each uses its own connection.
  Task<HttpResult> send(http::Request request, std::stop_token stop, Duration timeout);

  // nullopt when the client can send. Otherwise why it cannot, as a sentence naming the file:
  // "tls: loading ca_file /etc/consul/ca.pem: No such file or directory". Set by the
  // constructor and never changed; check it once after constructing. A client with an error
  // connects nowhere: each send() fails at once with HttpFailure::connect and this message.
  const std::optional<std::string>& error() const;

  // Whether connections speak TLS (options.tls was set).
  bool tls() const;

  // Kept-alive connections waiting in the pool now.
  std::size_t idle_connections() const;

 private:
  struct Impl;
  // Shared with send()'s frames, so that destroying the client before a torn-down send()
  // frame cannot leave it pointing at freed state.
  std::shared_ptr<Impl> impl_;
};

}  // namespace baton
