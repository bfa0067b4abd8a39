#include "engine/config/cts/decode.hpp"

#include <optional>
#include <string>
#include <utility>

#include "engine/config/cts/decode_monitors.hpp"
#include "engine/config/cts/mapstructure.hpp"
#include "engine/config/hcl/go_value.hpp"
#include "engine/config/hcl/parse.hpp"

namespace baton::config::cts {
namespace {

// A *Struct field read by `read`.
template <class T, class Read>
void struct_field(StructReader& reader, std::string_view key, Opt<T>& out, Read read) {
  std::string path;
  const GoValue* value = reader.take(key, path);
  if (value != nullptr) decode_struct(reader.decoding(), path, *value, out, read);
}

void read_tls(StructReader& r, TlsConfig& c) {
  r.field("ca_cert", c.ca_cert);
  r.field("ca_path", c.ca_path);
  r.field("cert", c.cert);
  r.field("enabled", c.enabled);
  r.field("key", c.key);
  r.field("server_name", c.server_name);
  r.field("verify", c.verify);
}

void read_auth(StructReader& r, AuthConfig& c) {
  r.field("enabled", c.enabled);
  r.field("username", c.username);
  r.field("password", c.password);
}

void read_transport(StructReader& r, TransportConfig& c) {
  r.field("dial_keep_alive", c.dial_keep_alive);
  r.field("dial_timeout", c.dial_timeout);
  r.field("disable_keep_alives", c.disable_keep_alives);
  r.field("idle_conn_timeout", c.idle_conn_timeout);
  r.field("max_idle_conns", c.max_idle_conns);
  r.field("max_idle_conns_per_host", c.max_idle_conns_per_host);
  r.field("tls_handshake_timeout", c.tls_handshake_timeout);
}

void read_default_check(StructReader& r, DefaultCheckConfig& c) {
  r.field("enabled", c.enabled);
  r.field("address", c.address);
}

void read_service_registration(StructReader& r, ServiceRegistrationConfig& c) {
  r.field("enabled", c.enabled);
  r.field("service_name", c.service_name);
  r.field("address", c.address);
  r.field("namespace", c.namespace_name);
  struct_field(r, "default_check", c.default_check, read_default_check);
}

void read_consul(StructReader& r, ConsulConfig& c) {
  r.field("address", c.address);
  struct_field(r, "auth", c.auth, read_auth);
  r.field("kv_namespace", c.kv_namespace);
  r.field("kv_path", c.kv_path);
  struct_field(r, "tls", c.tls, read_tls);
  r.field("token", c.token);
  struct_field(r, "transport", c.transport, read_transport);
  struct_field(r, "service_registration", c.service_registration, read_service_registration);
}

void read_syslog(StructReader& r, SyslogConfig& c) {
  r.field("enabled", c.enabled);
  r.field("facility", c.facility);
  r.field("name", c.name);
}

void read_cts_tls(StructReader& r, CtsTlsConfig& c) {
  r.field("enabled", c.enabled);
  r.field("cert", c.cert);
  r.field("key", c.key);
  r.field("verify_incoming", c.verify_incoming);
  r.field("ca_cert", c.ca_cert);
  r.field("ca_path", c.ca_path);
}

void read_vault(StructReader& r, VaultConfig& c) {
  r.field("address", c.address);
  r.field("enabled", c.enabled);
  r.field("namespace", c.namespace_name);
  r.field("renew_token", c.renew_token);
  struct_field(r, "tls", c.tls, read_tls);
  r.field("token", c.token);
  r.field("vault_agent_token_file", c.vault_agent_token_file);
  struct_field(r, "transport", c.transport, read_transport);
  r.field("unwrap_token", c.unwrap_token);
}

void read_terraform(StructReader& r, TerraformConfig& c) {
  r.field("version", c.version);
  r.field("log", c.log);
  r.field("persist_log", c.persist_log);
  r.field("path", c.path);
  r.field("backend", c.backend);
  r.field("required_providers", c.required_providers);
}

void read_driver(StructReader& r, DriverConfig& c) { struct_field(r, "terraform", c.terraform, read_terraform); }

void read_buffer_period(StructReader& r, BufferPeriodConfig& c) {
  r.field("enabled", c.enabled);
  r.field("min", c.min);
  r.field("max", c.max);
}

void read_tfc_workspace(StructReader& r, TerraformCloudWorkspaceConfig& c) {
  r.field("execution_mode", c.execution_mode);
  r.field("agent_pool_id", c.agent_pool_id);
  r.field("agent_pool_name", c.agent_pool_name);
  r.field("terraform_version", c.terraform_version);
}

void read_task(StructReader& r, TaskConfig& c) {
  r.field("description", c.description);
  r.field("name", c.name);
  r.field("providers", c.providers);
  r.field("services", c.services);
  r.field("module", c.module);
  r.field("source", c.source);
  std::string path;
  if (const GoValue* value = r.take("module_input", path); value != nullptr) {
    decode_module_inputs(r.decoding(), path, *value, c.module_inputs);
  }
  if (const GoValue* value = r.take("source_input", path); value != nullptr) {
    decode_module_inputs(r.decoding(), path, *value, c.source_inputs);
  }
  r.field("variable_files", c.variable_files);
  r.field("variables", c.variables);
  r.field("version", c.version);
  r.field("terraform_version", c.terraform_version);
  struct_field(r, "terraform_cloud_workspace", c.terraform_cloud_workspace, read_tfc_workspace);
  struct_field(r, "buffer_period", c.buffer_period, read_buffer_period);
  r.field("enabled", c.enabled);
  if (const GoValue* value = r.take("condition", path); value != nullptr) {
    decode_condition(r.decoding(), path, *value, c.condition);
  }
  r.field("working_dir", c.working_dir);
}

void read_service(StructReader& r, ServiceConfig& c) {
  r.field("Datacenter", c.datacenter);  // misspelt tag in CTS: see read_services_monitor
  r.field("description", c.description);
  r.field("id", c.id);
  r.field("name", c.name);
  r.field("namespace", c.namespace_name);
  r.field("filter", c.filter);
  r.field("cts_user_defined_meta", c.cts_user_defined_meta);
}

void read_consul_storage(StructReader& r, ConsulStorageConfig& c) {
  r.field("parent_path", c.parent_path);
  r.field("namespace", c.namespace_name);
  r.field("session_ttl", c.session_ttl);
  r.field("renew_interval", c.renew_interval);
  r.field("lock_delay", c.lock_delay);
}

void read_storage(StructReader& r, StorageConfig& c) { struct_field(r, "consul", c.consul, read_consul_storage); }

void read_cluster(StructReader& r, ClusterConfig& c) {
  r.field("name", c.name);
  struct_field(r, "storage", c.storage, read_storage);
}

void read_instance(StructReader& r, InstanceConfig& c) { r.field("address", c.address); }

void read_high_availability(StructReader& r, HighAvailabilityConfig& c) {
  struct_field(r, "cluster", c.cluster, read_cluster);
  struct_field(r, "instance", c.instance, read_instance);
}

// *TerraformProviderConfigs: a list of *map[string]interface{}.
void decode_providers(Decoding& d, const std::string& name, const GoValue& in,
                      Opt<std::vector<TerraformProviderConfig>>& out) {
  const auto elements = slice_elements(d, in, 1);
  if (!elements) return;
  const std::size_t errors_before = d.error_count();
  std::vector<TerraformProviderConfig> decoded;
  for (std::size_t i = 0; i < elements->size(); ++i) {
    Opt<GoObject> blocks;
    const GoValue& element = after_slice_hook(d, *(*elements)[i], 1);  // the pointer's level
    decode_field(d, element_path(name, i), element, blocks);
    decoded.push_back(TerraformProviderConfig{blocks ? std::move(*blocks) : GoObject{}, Where{element.position}});
  }
  if (d.error_count() == errors_before) out.set(std::move(decoded), after_slice_hook(d, in, 1).position);
}

void read_config(StructReader& r, Config& c) {
  r.field("log_level", c.log_level);
  r.field("client_type", c.client_type);
  r.field("port", c.port);
  r.field("working_dir", c.working_dir);
  r.field("id", c.id);
  struct_field(r, "syslog", c.syslog, read_syslog);
  struct_field(r, "consul", c.consul, read_consul);
  struct_field(r, "vault", c.vault, read_vault);
  struct_field(r, "driver", c.driver, read_driver);
  std::string path;
  if (const GoValue* value = r.take("task", path); value != nullptr) {
    decode_struct_list(r.decoding(), path, *value, c.tasks, read_task);
  }
  if (const GoValue* value = r.take("service", path); value != nullptr) {
    decode_struct_list(r.decoding(), path, *value, c.services, read_service);
  }
  if (const GoValue* value = r.take("terraform_provider", path); value != nullptr) {
    decode_providers(r.decoding(), path, *value, c.terraform_providers);
  }
  struct_field(r, "buffer_period", c.buffer_period, read_buffer_period);
  struct_field(r, "tls", c.tls, read_cts_tls);
  struct_field(r, "high_availability", c.high_availability, read_high_availability);
}

std::string base_name(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// decode.go decodeError: when mapstructure's text names a block written twice where one is
// allowed, that is the whole message.
std::optional<Error> repeated_block_error(const Decoding& decoding) {
  static constexpr std::string_view kSliceForMap = "' expected a map, got 'slice'";
  for (const DecodeError& error : decoding.sorted_errors()) {
    const std::string& text = error.go_text;
    for (std::size_t at = text.find(kSliceForMap); at != std::string::npos; at = text.find(kSliceForMap, at + 1)) {
      const std::size_t open = at == 0 ? std::string::npos : text.rfind('\'', at - 1);
      if (open == std::string::npos || open + 1 >= at) continue;
      return Error::at(error.position, "only one '" + text.substr(open + 1, at - open - 1) + "' block can be configured");
    }
  }
  return std::nullopt;
}

// decode.go processUnusedConfigKeys, with its hints for keys of other products and editions.
std::string unused_keys_message(const std::string& file, const std::vector<UnusedKey>& unused) {
  std::string keys;
  for (const UnusedKey& key : unused) keys += (keys.empty() ? "" : ", ") + key.name;
  const std::string message = "'" + file + "' has invalid keys: " + keys;
  for (const UnusedKey& key : unused) {
    if (key.name == "provider") {
      return message +
             "\n\n'provider' is an invalid key for Consul-Terraform-Sync (CTS) configuration,\n"
             "try 'terraform_provider'. The terraform_provider configuration blocks are\n"
             "similar to provider blocks in Terraform but have additional features\n"
             "supported only by CTS.";
    }
    if (key.name == "driver.terraform-cloud") {
      return message +
             "\n\nTerraform Cloud is a Consul-Terraform-Sync (CTS) Enterprise feature.\n"
             "Upgrade to Consul Enterprise to enable CTS Enterprise features.";
    }
    if (key.name == "license_path") {
      return message + "\n\n'license_path' is a Consul-Terraform-Sync (CTS) Enterprise configuration.";
    }
    if (key.name == "license") {
      return message + "\n\n'license' is a Consul-Terraform-Sync (CTS) Enterprise configuration.";
    }
  }
  return message;
}

}  // namespace

Result<Config> decode_config_file(std::string_view name, std::string_view text) {
  auto file = hcl::parse_config_file(name, text);
  if (!file) return file.error();
  auto raw = hcl::to_go_value(file.value());
  if (!raw) return raw.error();
  Decoding decoding(/*weak_decode_from_slice=*/!name.ends_with(".json"));
  Opt<Config> config;
  decode_struct(decoding, "", raw.value(), config, read_config, /*levels=*/0);
  if (decoding.failed()) {
    if (auto repeated = repeated_block_error(decoding)) return *repeated;
    const DecodeError first = decoding.first_error();
    return Error::at(first.position, first.message);
  }
  const std::vector<UnusedKey> unused = decoding.sorted_unused();
  if (!unused.empty()) return Error::at(unused.front().position, unused_keys_message(base_name(name), unused));
  return config ? std::move(*config) : Config{};
}

}  // namespace baton::config::cts
