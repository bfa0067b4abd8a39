#pragma once
// OpenSSL contexts for HttpClient and HttpServer, built from their TLS options. Every PEM file
// is read and checked here, once, so that a bad one is a single clear sentence naming it
// ("tls: loading ca_file /etc/consul/ca.pem: No such file or directory") before any
// connection is tried, never an exception and never a handshake that fails later for no
// visible reason.
//
// What is loaded, as Consul's agent and its Go clients do:
// - ca_file: every certificate in the PEM file. ca_path: every certificate in every regular
//   file under the directory, recursively (go-rootcerts' LoadCAPath; OpenSSL's own CApath
//   would need c_rehash'ed names). A client given neither trusts the system's CAs.
// - cert_file: the certificate, then any intermediates after it, sent in that order.
//   key_file: its private key, unencrypted (a passphrase is never prompted for).
// - TLS 1.2 at least (Consul's default tls_min_version).
//
// OpenSSL's per-thread error queue is left empty whatever happens here: a stale entry would
// be misread by the next TLS operation on the thread.
//
// Only the two Beast translation units (http_client.cpp, http_server.cpp) include this, and it
// includes no OpenSSL header; tls_context.cpp is the only file that calls OpenSSL directly.
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "engine/bindings/http/http_client.hpp"
#include "engine/bindings/http/http_server.hpp"

// OpenSSL's SSL_CTX and SSL.
struct ssl_ctx_st;
struct ssl_st;

namespace baton::tls {

struct ContextDeleter {
  void operator()(ssl_ctx_st* context) const;
};
using ContextPtr = std::unique_ptr<ssl_ctx_st, ContextDeleter>;

// A ready context, or why it could not be made: "tls: loading <option> <path>: <reason>".
using LoadedContext = std::variant<ContextPtr, std::string>;

// Verifies the server unless options.verify is false; presents cert_file when given. The name
// to verify is set per connection (prepare_client), since it depends on the host.
LoadedContext client_context(const HttpClientTls& options);

// Presents cert_file (required); with verify_incoming, requires a client certificate signed
// by a CA from ca_file or ca_path (one of which is then required).
LoadedContext server_context(const HttpServerTls& options);

// Before a client handshake on `connection`: sends `server_name` as SNI unless it is an IP
// literal (RFC 6066 allows host names only), and, when `verify`, has the handshake fail unless
// the certificate carries that name (a DNS SAN, or for an IP literal an IP SAN). nullopt on
// success, else what failed.
std::optional<std::string> prepare_client(ssl_st* connection, const std::string& server_name, bool verify);

// The reason text of an OpenSSL error code as Asio's ssl category carries it ("certificate
// verify failed"), without Asio's " (SSL routines)" suffix; for a failed verification of the
// peer's certificate on `connection` (when given), why it failed: "certificate verify failed:
// unable to get local issuer certificate", "certificate verify failed: hostname mismatch".
std::string describe_error(int code, ssl_st* connection = nullptr);

// Whether a failed server handshake failed because the peer spoke plain HTTP.
bool is_plain_http_request(int code);

}  // namespace baton::tls
