#pragma once
// HttpServer: an HTTP/1.1 server on Boost.Beast, run by an AsioRuntime. It turns each request
// into an http::Request, awaits the handler's Task, and writes its http::Response back: the
// production face of anything the engine serves over HTTP (the CTS-compatible API, and
// fake-consul when run as a real process).
//
// Connections are keep-alive; requests on one connection, pipelined or not, are answered one
// at a time in order. Bodies over body_limit_bytes get 413, headers over header_limit_bytes
// get 431, anything else Beast cannot parse gets 400; each of those closes the connection.
// Every response carries Content-Length, and Content-Type: application/json unless the handler
// set a Content-Type.
//
// TLS (HttpServerOptions::tls): listen() loads the certificate files, and reports a file that
// fails to load as its error. Each accepted connection then shakes hands in its own task,
// within idle_timeout, so a slow or failing handshake holds up nobody else; a failed one closes
// its connection only. A client speaking plain HTTP to it is answered as Go's server answers
// it: "HTTP/1.0 400 Bad Request", "Client sent an HTTP request to an HTTPS server.". A
// connection ending after a response first sends TLS's close_notify.
//
// Beast stays behind a pimpl: this header is cheap to include.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "engine/async/task.hpp"
#include "engine/http/message.hpp"
#include "engine/ports/time.hpp"

namespace baton {

class AsioRuntime;

// TLS for the server, with the meaning of Consul's agent settings (and baton's own API block
// `tls { enabled, cert, key, verify_incoming, ca_cert, ca_path }`). Paths name PEM files; what
// is read from them is in bindings/http/tls_context.hpp. TLS 1.2 at least.
struct HttpServerTls {
  // The server's certificate (any intermediates after it in the file) and its unencrypted
  // key. Both required.
  std::string cert_file;
  std::string key_file;
  // Require every client to present a certificate signed by a CA from ca_file or ca_path (one
  // of them is then required); a client without one is refused in the handshake.
  bool verify_incoming = false;
  std::string ca_file;
  std::string ca_path;
};

struct HttpServerOptions {
  // The IP address to bind (IPv4 or IPv6 literal, not a host name).
  std::string address = "127.0.0.1";
  // The TCP port to bind; 0 lets the system pick one (read it back with port()).
  std::uint16_t port = 0;
  // Largest request body accepted, in bytes; a larger one is answered 413 without being read.
  std::size_t body_limit_bytes = std::size_t(4) << 20;
  // Largest request line plus headers accepted, in bytes; larger is answered 431.
  std::size_t header_limit_bytes = std::size_t(64) << 10;
  // Connections served at once. When this many are open the server stops accepting until one
  // closes: new clients wait in the kernel's listen backlog (and may time out there) rather
  // than being refused or answered 503, as Go's netutil.LimitListener does.
  std::size_t max_connections = 1024;
  // How long a connection may sit waiting for the peer: for the next request on a kept-alive
  // connection (Go's IdleTimeout), for the rest of a request, or to take a response's bytes.
  // The connection is closed when it passes.
  Duration idle_timeout = std::chrono::seconds(90);
  // On stop, how long requests already in a handler get to finish and be answered before
  // their connections are closed anyway (and their handler frames destroyed unresumed).
  Duration shutdown_grace = std::chrono::seconds(5);
  // Set: connections speak TLS (https). Unset: plain HTTP.
  std::optional<HttpServerTls> tls;
  // Answers one request. It runs on the server's AsioRuntime and may await anything; an
  // exception escaping it is a bug (Runtime::fail), not a 500.
  std::function<Task<http::Response>(http::Request)> handler;
};

class HttpServer {
 public:
  // `runtime` must outlive the server, and the server must be destroyed before its runtime.
  HttpServer(AsioRuntime& runtime, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS files (options.tls), binds and listens. nullopt on success; otherwise what
  // failed, as a sentence: "bind 127.0.0.1:8500: Address already in use", "tls: loading
  // cert_file /etc/baton/cert.pem: No such file or directory". Listening again reloads them.
  [[nodiscard]] std::optional<std::string> listen();

  // The bound port once listen() succeeded (the system's pick when options.port was 0), else 0.
  std::uint16_t port() const;

  // Accepts and serves connections until `stop` is requested; call after listen() succeeded.
  // On stop it closes the listener and idle connections at once, gives requests in a handler
  // up to shutdown_grace to be answered (with Connection: close), then closes the rest and
  // returns. To serve again, listen() again.
  Task<void> serve(std::stop_token stop);

  // Connections accepted since construction; connections open now.
  std::uint64_t connections_accepted() const;
  std::size_t connections_open() const;

 private:
  struct Impl;
  // Shared with serve()'s frames, so that destroying the server before a torn-down serve()
  // frame cannot leave it pointing at freed state.
  std::shared_ptr<Impl> impl_;
};

}  // namespace baton
