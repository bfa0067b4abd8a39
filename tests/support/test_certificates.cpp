#include "tests/support/test_certificates.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace baton::test {
namespace {

namespace fs = std::filesystem;

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

[[noreturn]] void fail(const std::string& step) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  throw std::runtime_error("test certificates: " + step + ": " + (reason != nullptr ? reason : "failed"));
}

void check(int result, const std::string& step) {
  if (result != 1) fail(step);
}

KeyPtr new_key() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail("generating a P-256 key");
  return key;
}

void add_extension(X509* certificate, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) fail(std::string("making extension ") + value);
  const int added = X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
  check(added, std::string("adding extension ") + value);
}

struct Signed {
  KeyPtr key;
  X509Ptr certificate;
};

enum class Kind { authority, server, client };

// A certificate for `common_name` of the given kind, signed by `issuer` (self-signed when null).
Signed make_certificate(const std::string& common_name, Kind kind, const Signed* issuer, long serial) {
  Signed made{new_key(), X509Ptr(X509_new())};
  X509* certificate = made.certificate.get();
  if (certificate == nullptr) fail("allocating a certificate");
  check(X509_set_version(certificate, 2), "setting the version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(certificate), serial), "setting the serial");
  if (X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) == nullptr) fail("setting notBefore");
  if (X509_gmtime_adj(X509_getm_notAfter(certificate), 30L * 24 * 3600) == nullptr) fail("setting notAfter");
  check(X509_set_pubkey(certificate, made.key.get()), "setting the public key");
  X509_NAME* subject = X509_get_subject_name(certificate);
  check(X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("baton tests"),
                                   -1, -1, 0),
        "naming the organisation");
  check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0),
        "naming " + common_name);
  X509* issuer_certificate = issuer != nullptr ? issuer->certificate.get() : certificate;
  check(X509_set_issuer_name(certificate, X509_get_subject_name(issuer_certificate)), "setting the issuer");

  add_extension(certificate, issuer_certificate, NID_subject_key_identifier, "hash");
  add_extension(certificate, issuer_certificate, NID_authority_key_identifier, "keyid:always");
  switch (kind) {
    case Kind::authority:
      add_extension(certificate, issuer_certificate, NID_basic_constraints, "critical,CA:TRUE");
      add_extension(certificate, issuer_certificate, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case Kind::server:
      add_extension(certificate, issuer_certificate, NID_basic_constraints, "critical,CA:FALSE");
      add_extension(certificate, issuer_certificate, NID_key_usage, "critical,digitalSignature");
      add_extension(certificate, issuer_certificate, NID_ext_key_usage, "serverAuth");
      add_extension(certificate, issuer_certificate, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
      break;
    case Kind::client:
      add_extension(certificate, issuer_certificate, NID_basic_constraints, "critical,CA:FALSE");
      add_extension(certificate, issuer_certificate, NID_key_usage, "critical,digitalSignature");
      add_extension(certificate, issuer_certificate, NID_ext_key_usage, "clientAuth");
      break;
  }
  EVP_PKEY* signing_key = issuer != nullptr ? issuer->key.get() : made.key.get();
  if (X509_sign(certificate, signing_key, EVP_sha256()) == 0) fail("signing " + common_name);
  return made;
}

std::FILE* open_for_writing(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) throw std::runtime_error("test certificates: creating " + path);
  return file;
}

void write_certificate(const std::string& path, const X509* certificate) {
  std::FILE* file = open_for_writing(path);
  const int written = PEM_write_X509(file, certificate);
  std::fclose(file);
  check(written, "writing " + path);
}

void write_key(const std::string& path, const EVP_PKEY* key) {
  std::FILE* file = open_for_writing(path);
  const int written = PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(file);
  check(written, "writing " + path);
}

}  // namespace

TestCertificates::TestCertificates() {
  std::string pattern = (fs::temp_directory_path() / "baton-tls-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("test certificates: mkdtemp " + pattern);
  directory = pattern;
  try {
    make_all();
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(directory, ignored);
    throw;
  }
}

void TestCertificates::make_all() {
  const auto path = [this](const char* name) { return (fs::path(directory) / name).string(); };

  const Signed ca = make_certificate("baton test CA", Kind::authority, nullptr, 1);
  const Signed server = make_certificate("localhost", Kind::server, &ca, 2);
  const Signed client = make_certificate("baton test client", Kind::client, &ca, 3);
  const Signed other_ca = make_certificate("unrelated test CA", Kind::authority, nullptr, 1);
  const Signed other_client = make_certificate("unrelated test client", Kind::client, &other_ca, 2);

  ca_file = path("ca.pem");
  write_certificate(ca_file, ca.certificate.get());
  ca_directory = path("cas");
  fs::create_directory(ca_directory);
  write_certificate((fs::path(ca_directory) / "baton-test-ca.crt").string(), ca.certificate.get());
  server_cert_file = path("server.pem");
  write_certificate(server_cert_file, server.certificate.get());
  server_key_file = path("server-key.pem");
  write_key(server_key_file, server.key.get());
  client_cert_file = path("client.pem");
  write_certificate(client_cert_file, client.certificate.get());
  client_key_file = path("client-key.pem");
  write_key(client_key_file, client.key.get());

  other_ca_file = path("other-ca.pem");
  write_certificate(other_ca_file, other_ca.certificate.get());
  other_client_cert_file = path("other-client.pem");
  write_certificate(other_client_cert_file, other_client.certificate.get());
  other_client_key_file = path("other-client-key.pem");
  write_key(other_client_key_file, other_client.key.get());
}

TestCertificates::~TestCertificates() {
  std::error_code ignored;
  fs::remove_all(directory, ignored);
}

}  // namespace baton::test
