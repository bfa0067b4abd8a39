#pragma once
// Certificates for TLS tests, made at run time with OpenSSL's C API (P-256 keys, SHA-256,
// valid from an hour ago for 30 days) into a fresh temporary directory that the destructor
// removes: nothing secret or expiring is checked in, and no openssl command is needed.
//
// Two unrelated CAs. The first signs a server certificate for localhost (DNS:localhost,
// IP:127.0.0.1, IP:::1; serverAuth) and a client certificate (clientAuth); the second signs a
// client certificate of its own, which a server trusting only the first must refuse.
#include <string>

namespace baton::test {

struct TestCertificates {
  // Throws std::runtime_error, naming the step, when OpenSSL or the disk fails.
  TestCertificates();
  ~TestCertificates();
  TestCertificates(const TestCertificates&) = delete;
  TestCertificates& operator=(const TestCertificates&) = delete;

  std::string directory;  // everything below lives here

  std::string ca_file;       // the first CA's certificate (PEM)
  std::string ca_directory;  // a directory holding only the first CA's certificate, for ca_path
  std::string server_cert_file;
  std::string server_key_file;
  std::string client_cert_file;
  std::string client_key_file;

  std::string other_ca_file;  // the second, unrelated CA
  std::string other_client_cert_file;
  std::string other_client_key_file;

 private:
  void make_all();
};

}  // namespace baton::test
