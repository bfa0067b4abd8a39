// Production binding: OpenSSL contexts for the HTTP client and server (see tls_context.hpp).
#include "engine/bindings/http/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

namespace baton::tls {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct OctetsFree {
  void operator()(ASN1_OCTET_STRING* octets) const { ASN1_OCTET_STRING_free(octets); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

// Clears OpenSSL's error queue when it goes out of scope, whichever way the load ended.
struct ClearErrorsOnExit {
  ClearErrorsOnExit() = default;
  ClearErrorsOnExit(const ClearErrorsOnExit&) = delete;
  ClearErrorsOnExit& operator=(const ClearErrorsOnExit&) = delete;
  ~ClearErrorsOnExit() { ERR_clear_error(); }
};

// The reason of the most recent OpenSSL error, or `fallback` when the queue is empty.
std::string last_reason(const char* fallback) {
  const unsigned long code = ERR_peek_last_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : fallback;
}

std::string errno_text(int error) { return std::generic_category().message(error); }

// The whole file, or the system's reason it could not be read ("No such file or directory",
// "Is a directory").
std::variant<std::string, std::string> read_whole_file(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return std::variant<std::string, std::string>(std::in_place_index<1>, errno_text(errno));
  std::string bytes;
  char chunk[16384];
  for (;;) {
    const std::size_t got = std::fread(chunk, 1, sizeof chunk, file);
    bytes.append(chunk, got);
    if (got < sizeof chunk) break;
  }
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) return std::variant<std::string, std::string>(std::in_place_index<1>, errno_text(error));
  return std::variant<std::string, std::string>(std::in_place_index<0>, std::move(bytes));
}

BioPtr memory_bio(const std::string& bytes) { return BioPtr(BIO_new_mem_buf(bytes.data(), int(bytes.size()))); }

bool is_end_of_pem(unsigned long code) {
  return ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE;
}

// Every certificate in PEM `bytes` (blocks of other kinds, such as a key, are skipped), or why
// there is none.
std::variant<std::vector<X509Ptr>, std::string> parse_certificates(const std::string& bytes) {
  using Parsed = std::variant<std::vector<X509Ptr>, std::string>;
  std::vector<X509Ptr> certificates;
  const BioPtr bio = memory_bio(bytes);
  if (!bio) return Parsed(std::in_place_index<1>, last_reason("out of memory"));
  for (;;) {
    X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!certificate) break;
    certificates.push_back(std::move(certificate));
  }
  const unsigned long code = ERR_peek_last_error();
  if (code != 0 && !is_end_of_pem(code)) return Parsed(std::in_place_index<1>, last_reason("malformed PEM"));
  ERR_clear_error();
  if (certificates.empty()) return Parsed(std::in_place_index<1>, std::string("no PEM certificate in it"));
  return Parsed(std::in_place_index<0>, std::move(certificates));
}

// Never prompts for a passphrase (OpenSSL's default would read the terminal).
int no_passphrase(char*, int, int, void*) { return 0; }

std::string loading(const char* option, const std::string& path, const std::string& reason) {
  return std::string("tls: loading ") + option + " " + path + ": " + reason;
}

// Loads the certificates of `path` (a file) into `out`. nullopt on success.
std::optional<std::string> load_certificate_file(const char* option, const std::string& path,
                                                 std::vector<X509Ptr>& out) {
  auto bytes = read_whole_file(path);
  if (bytes.index() == 1) return loading(option, path, std::get<1>(bytes));
  auto parsed = parse_certificates(std::get<0>(bytes));
  if (parsed.index() == 1) return loading(option, path, std::get<1>(parsed));
  for (X509Ptr& certificate : std::get<0>(parsed)) out.push_back(std::move(certificate));
  return std::nullopt;
}

// Loads every certificate of every regular file under the directory `path`.
std::optional<std::string> load_certificate_directory(const std::string& path, std::vector<X509Ptr>& out) {
  namespace fs = std::filesystem;
  std::error_code error;
  std::vector<fs::path> files;
  // Symbolic links to files are read; to directories, not followed (no cycles), as Go's Walk.
  fs::recursive_directory_iterator walk(path, error);
  if (error) return loading("ca_path", path, error.message());
  for (; walk != fs::recursive_directory_iterator(); walk.increment(error)) {
    if (error) return loading("ca_path", path, error.message());
    std::error_code ignored;
    if (walk->is_regular_file(ignored)) files.push_back(walk->path());
  }
  if (error) return loading("ca_path", path, error.message());
  std::sort(files.begin(), files.end());
  const std::size_t before = out.size();
  for (const fs::path& file : files) {
    auto bytes = read_whole_file(file.string());
    if (bytes.index() == 1) return loading("ca_path", path, file.string() + ": " + std::get<1>(bytes));
    auto parsed = parse_certificates(std::get<0>(bytes));
    if (parsed.index() == 1) return loading("ca_path", path, file.string() + ": " + std::get<1>(parsed));
    for (X509Ptr& certificate : std::get<0>(parsed)) out.push_back(std::move(certificate));
  }
  if (out.size() == before) return loading("ca_path", path, "no certificate file in it");
  return std::nullopt;
}

// Trusts the CAs of ca_file and ca_path on `context`; with `advertise`, also names them to
// clients as the CAs a client certificate must come from. nullopt on success.
std::optional<std::string> load_authorities(SSL_CTX* context, const std::string& ca_file, const std::string& ca_path,
                                            bool advertise) {
  std::vector<X509Ptr> authorities;
  if (!ca_file.empty()) {
    if (auto error = load_certificate_file("ca_file", ca_file, authorities)) return error;
  }
  if (!ca_path.empty()) {
    if (auto error = load_certificate_directory(ca_path, authorities)) return error;
  }
  X509_STORE* store = SSL_CTX_get_cert_store(context);
  for (const X509Ptr& authority : authorities) {
    if (X509_STORE_add_cert(store, authority.get()) != 1) {
      return "tls: trusting a CA from " + (ca_file.empty() ? ca_path : ca_file) + ": " + last_reason("rejected");
    }
    if (advertise) SSL_CTX_add_client_CA(context, authority.get());
  }
  return std::nullopt;
}

// Presents cert_file (and the intermediates after the first certificate in it) with key_file.
std::optional<std::string> load_identity(SSL_CTX* context, const std::string& cert_file, const std::string& key_file) {
  std::vector<X509Ptr> chain;
  if (auto error = load_certificate_file("cert_file", cert_file, chain)) return error;
  if (SSL_CTX_use_certificate(context, chain.front().get()) != 1) {
    return loading("cert_file", cert_file, last_reason("certificate refused"));
  }
  for (std::size_t i = 1; i < chain.size(); ++i) {
    if (SSL_CTX_add1_chain_cert(context, chain[i].get()) != 1) {
      return loading("cert_file", cert_file, last_reason("intermediate certificate refused"));
    }
  }

  auto bytes = read_whole_file(key_file);
  if (bytes.index() == 1) return loading("key_file", key_file, std::get<1>(bytes));
  const std::string& key_text = std::get<0>(bytes);
  // OpenSSL's own reasons for these ("unsupported", "bad decrypt") would not say what is wrong.
  if (key_text.find("PRIVATE KEY-----") == std::string::npos) {
    return loading("key_file", key_file, "no PEM private key in it");
  }
  if (key_text.find("ENCRYPTED") != std::string::npos) {
    return loading("key_file", key_file, "the key is encrypted, and a passphrase is not supported");
  }
  const BioPtr bio = memory_bio(key_text);
  if (!bio) return loading("key_file", key_file, last_reason("out of memory"));
  const KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) return loading("key_file", key_file, last_reason("malformed private key"));
  // Also checks the key against the certificate.
  if (SSL_CTX_use_PrivateKey(context, key.get()) != 1) {
    const std::string reason = last_reason("key refused");
    return "tls: key_file " + key_file + " does not go with cert_file " + cert_file + ": " + reason;
  }
  return std::nullopt;
}

ContextPtr new_context(const SSL_METHOD* method) {
  ContextPtr context(SSL_CTX_new(method));
  if (!context) return context;
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  return context;
}

LoadedContext failed(std::string error) { return LoadedContext(std::in_place_index<1>, std::move(error)); }

}  // namespace

void ContextDeleter::operator()(ssl_ctx_st* context) const { SSL_CTX_free(context); }

LoadedContext client_context(const HttpClientTls& options) {
  const ClearErrorsOnExit clear;
  ContextPtr context = new_context(TLS_client_method());
  if (!context) return failed("tls: making a client context: " + last_reason("out of memory"));
  if (options.ca_file.empty() && options.ca_path.empty()) {
    if (SSL_CTX_set_default_verify_paths(context.get()) != 1) {
      return failed("tls: loading the system's CAs: " + last_reason("not found"));
    }
  } else if (auto error = load_authorities(context.get(), options.ca_file, options.ca_path, false)) {
    return failed(std::move(*error));
  }
  if (options.cert_file.empty() != options.key_file.empty()) {
    return failed("tls: a client certificate needs both cert_file and key_file");
  }
  if (!options.cert_file.empty()) {
    if (auto error = load_identity(context.get(), options.cert_file, options.key_file)) return failed(std::move(*error));
  }
  SSL_CTX_set_verify(context.get(), options.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  return LoadedContext(std::in_place_index<0>, std::move(context));
}

LoadedContext server_context(const HttpServerTls& options) {
  const ClearErrorsOnExit clear;
  if (options.cert_file.empty() || options.key_file.empty()) {
    return failed("tls: serving TLS needs both cert_file and key_file");
  }
  if (options.verify_incoming && options.ca_file.empty() && options.ca_path.empty()) {
    return failed("tls: verify_incoming needs ca_file or ca_path to verify client certificates against");
  }
  ContextPtr context = new_context(TLS_server_method());
  if (!context) return failed("tls: making a server context: " + last_reason("out of memory"));
  SSL_CTX_set_options(context.get(), SSL_OP_NO_RENEGOTIATION);
  if (auto error = load_identity(context.get(), options.cert_file, options.key_file)) return failed(std::move(*error));
  if (auto error = load_authorities(context.get(), options.ca_file, options.ca_path, options.verify_incoming)) {
    return failed(std::move(*error));
  }
  if (options.verify_incoming) {
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  // Sessions resumed with a verified client certificate need an id context.
  static constexpr unsigned char kSessionContext[] = "baton";
  SSL_CTX_set_session_id_context(context.get(), kSessionContext, sizeof kSessionContext - 1);
  return LoadedContext(std::in_place_index<0>, std::move(context));
}

std::optional<std::string> prepare_client(ssl_st* connection, const std::string& server_name, bool verify) {
  const ClearErrorsOnExit clear;
  const std::unique_ptr<ASN1_OCTET_STRING, OctetsFree> ip(a2i_IPADDRESS(server_name.c_str()));
  if (!ip && SSL_set_tlsext_host_name(connection, server_name.c_str()) != 1) {
    return "tls: setting the server name " + server_name + ": " + last_reason("refused");
  }
  if (!verify) return std::nullopt;
  X509_VERIFY_PARAM* param = SSL_get0_param(connection);
  if (ip) {
    if (X509_VERIFY_PARAM_set1_ip_asc(param, server_name.c_str()) != 1) {
      return "tls: setting the address to verify " + server_name + ": " + last_reason("refused");
    }
    return std::nullopt;
  }
  // As Go's crypto/tls: a wildcard stands for one whole label, never part of one.
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (X509_VERIFY_PARAM_set1_host(param, server_name.c_str(), server_name.size()) != 1) {
    return "tls: setting the name to verify " + server_name + ": " + last_reason("refused");
  }
  return std::nullopt;
}

std::string describe_error(int code, ssl_st* connection) {
  const auto packed = static_cast<unsigned long>(static_cast<unsigned int>(code));
  const char* reason = ERR_reason_error_string(packed);
  std::string text = reason != nullptr ? reason : "TLS error " + std::to_string(packed);
  if (connection != nullptr && ERR_GET_LIB(packed) == ERR_LIB_SSL &&
      ERR_GET_REASON(packed) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    const long verified = SSL_get_verify_result(connection);
    if (verified != X509_V_OK) text += std::string(": ") + X509_verify_cert_error_string(verified);
  }
  return text;
}

bool is_plain_http_request(int code) {
  const auto packed = static_cast<unsigned long>(static_cast<unsigned int>(code));
  return ERR_GET_LIB(packed) == ERR_LIB_SSL && ERR_GET_REASON(packed) == SSL_R_HTTP_REQUEST;
}

}  // namespace baton::tls
