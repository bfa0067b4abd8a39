#include "engine/driver/terraform/consul_backend.hpp"

#include <algorithm>
#include <vector>

namespace baton::driver::terraform {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string backend_kv_path(const std::string& configured) {
  if (configured.empty()) return kDefaultBackendKvPath;
  if (ends_with(configured, "/terraform")) return configured;
  return clean_slash_path(configured + "/terraform");
}

}  // namespace

std::string clean_slash_path(const std::string& path) {
  const bool rooted = !path.empty() && path[0] == '/';
  std::vector<std::string> kept;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string element = path.substr(start, slash - start);
    start = slash + 1;
    if (element.empty() || element == ".") continue;
    if (element != "..") {
      kept.push_back(element);
    } else if (!kept.empty() && kept.back() != "..") {
      kept.pop_back();
    } else if (!rooted) {
      kept.push_back("..");  // a relative path may climb; a rooted one stops at the root
    }
  }
  std::string out = rooted ? "/" : "";
  for (std::size_t i = 0; i < kept.size(); ++i) out += (i > 0 ? "/" : "") + kept[i];
  return out.empty() ? "." : out;
}

Backend default_consul_backend(const ConsulBackendSettings& settings) {
  Backend backend{"consul", {}};
  backend.arguments.emplace("address", Value::string(settings.address));
  backend.arguments.emplace("path", Value::string(backend_kv_path(settings.kv_path)));
  backend.arguments.emplace("gzip", Value::boolean(true));
  if (!settings.tls_enabled) return backend;
  backend.arguments.emplace("scheme", Value::string("https"));
  if (!settings.ca_cert.empty()) backend.arguments.emplace("ca_file", Value::string(settings.ca_cert));
  if (!settings.cert.empty()) backend.arguments.emplace("cert_file", Value::string(settings.cert));
  if (!settings.key.empty()) backend.arguments.emplace("key_file", Value::string(settings.key));
  return backend;
}

}  // namespace baton::driver::terraform
