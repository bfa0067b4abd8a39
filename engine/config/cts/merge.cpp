#include "engine/config/cts/merge.hpp"

#include <utility>

namespace baton::config::cts {
namespace {

template <class T>
void take(Opt<T>& result, const Opt<T>& later) {
  if (later) result = later;
}

// A *Struct field whose Merge is `r.X = r.X.Merge(o.X)`.
template <class T, class Merge>
void merge_block(Opt<T>& result, const Opt<T>& later, Merge merge_fields) {
  if (!later) return;
  if (!result) {
    result = later;
    return;
  }
  merge_fields(*result, *later);
  // A block the defaults created is placed where a file first wrote it.
  if (result.position().line == 0 && later.position().line > 0) {
    T merged = std::move(*result);
    result.set(std::move(merged), later.position());
  }
}

template <class T>
void append(Opt<std::vector<T>>& result, const Opt<std::vector<T>>& later) {
  if (!later) return;
  if (!result) {
    result = later;
    return;
  }
  result->insert(result->end(), later->begin(), later->end());
}

void merge_tls(TlsConfig& r, const TlsConfig& o) {
  take(r.cert, o.cert);
  take(r.ca_cert, o.ca_cert);
  take(r.ca_path, o.ca_path);
  take(r.enabled, o.enabled);
  take(r.key, o.key);
  take(r.server_name, o.server_name);
  take(r.verify, o.verify);
}

void merge_auth(AuthConfig& r, const AuthConfig& o) {
  take(r.enabled, o.enabled);
  take(r.username, o.username);
  take(r.password, o.password);
}

void merge_transport(TransportConfig& r, const TransportConfig& o) {
  take(r.dial_keep_alive, o.dial_keep_alive);
  take(r.dial_timeout, o.dial_timeout);
  take(r.disable_keep_alives, o.disable_keep_alives);
  take(r.idle_conn_timeout, o.idle_conn_timeout);
  take(r.max_idle_conns, o.max_idle_conns);
  take(r.max_idle_conns_per_host, o.max_idle_conns_per_host);
  take(r.tls_handshake_timeout, o.tls_handshake_timeout);
}

void merge_default_check(DefaultCheckConfig& r, const DefaultCheckConfig& o) {
  take(r.enabled, o.enabled);
  take(r.address, o.address);
}

void merge_service_registration(ServiceRegistrationConfig& r, const ServiceRegistrationConfig& o) {
  take(r.enabled, o.enabled);
  take(r.service_name, o.service_name);
  take(r.address, o.address);
  take(r.namespace_name, o.namespace_name);
  merge_block(r.default_check, o.default_check, merge_default_check);
}

void merge_consul(ConsulConfig& r, const ConsulConfig& o) {
  take(r.address, o.address);
  merge_block(r.auth, o.auth, merge_auth);
  take(r.kv_namespace, o.kv_namespace);
  take(r.kv_path, o.kv_path);
  merge_block(r.tls, o.tls, merge_tls);
  take(r.token, o.token);
  merge_block(r.transport, o.transport, merge_transport);
  merge_block(r.service_registration, o.service_registration, merge_service_registration);
}

void merge_syslog(SyslogConfig& r, const SyslogConfig& o) {
  take(r.enabled, o.enabled);
  take(r.facility, o.facility);
  take(r.name, o.name);
}

void merge_cts_tls(CtsTlsConfig& r, const CtsTlsConfig& o) {
  take(r.cert, o.cert);
  take(r.ca_cert, o.ca_cert);
  take(r.ca_path, o.ca_path);
  take(r.enabled, o.enabled);
  take(r.key, o.key);
  take(r.verify_incoming, o.verify_incoming);
}

void merge_vault(VaultConfig& r, const VaultConfig& o) {
  take(r.address, o.address);
  take(r.enabled, o.enabled);
  take(r.namespace_name, o.namespace_name);
  take(r.renew_token, o.renew_token);
  merge_block(r.tls, o.tls, merge_tls);
  take(r.token, o.token);
  take(r.vault_agent_token_file, o.vault_agent_token_file);
  merge_block(r.transport, o.transport, merge_transport);
  take(r.unwrap_token, o.unwrap_token);
}

hcl::GoEntry* find_entry(hcl::GoValue& map, const std::string& key) {
  for (hcl::GoEntry& entry : map.entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

// mergeMaps(r[k], o[k]) for each backend type. CTS panics when either side is not a map (or the
// type is new and the backend map already had others); here the later value then replaces.
void merge_backend(Opt<GoObject>& result, const Opt<GoObject>& later) {
  if (!later) return;
  if (!result) {
    result = later;
    return;
  }
  for (const hcl::GoEntry& type : later->value.entries) {
    hcl::GoEntry* existing = find_entry(result->value, type.key);
    if (existing == nullptr) {
      result->value.entries.push_back(type);
    } else if (existing->value.kind == hcl::GoKind::map && type.value.kind == hcl::GoKind::map) {
      for (const hcl::GoEntry& argument : type.value.entries) {
        if (hcl::GoEntry* old = find_entry(existing->value, argument.key)) {
          old->value = argument.value;
        } else {
          existing->value.entries.push_back(argument);
        }
      }
    } else {
      existing->value = type.value;
    }
  }
}

// required_providers: each later key replaces.
void merge_by_key(Opt<GoObject>& result, const Opt<GoObject>& later) {
  if (!later) return;
  if (!result) {
    result = later;
    return;
  }
  for (const hcl::GoEntry& entry : later->value.entries) {
    if (hcl::GoEntry* existing = find_entry(result->value, entry.key)) {
      existing->value = entry.value;
    } else {
      result->value.entries.push_back(entry);
    }
  }
}

void merge_terraform(TerraformConfig& r, const TerraformConfig& o) {
  take(r.version, o.version);
  take(r.log, o.log);
  take(r.persist_log, o.persist_log);
  take(r.path, o.path);
  merge_backend(r.backend, o.backend);
  merge_by_key(r.required_providers, o.required_providers);
}

void merge_driver(DriverConfig& r, const DriverConfig& o) { merge_block(r.terraform, o.terraform, merge_terraform); }

void merge_buffer_period(BufferPeriodConfig& r, const BufferPeriodConfig& o) {
  take(r.enabled, o.enabled);
  take(r.min, o.min);
  take(r.max, o.max);
}

void merge_consul_storage(ConsulStorageConfig& r, const ConsulStorageConfig& o) {
  take(r.parent_path, o.parent_path);
  take(r.namespace_name, o.namespace_name);
  take(r.session_ttl, o.session_ttl);
  take(r.renew_interval, o.renew_interval);
  take(r.lock_delay, o.lock_delay);
}

void merge_storage(StorageConfig& r, const StorageConfig& o) { merge_block(r.consul, o.consul, merge_consul_storage); }

void merge_cluster(ClusterConfig& r, const ClusterConfig& o) {
  take(r.name, o.name);
  merge_block(r.storage, o.storage, merge_storage);
}

void merge_instance(InstanceConfig& r, const InstanceConfig& o) { take(r.address, o.address); }

void merge_high_availability(HighAvailabilityConfig& r, const HighAvailabilityConfig& o) {
  merge_block(r.cluster, o.cluster, merge_cluster);
  merge_block(r.instance, o.instance, merge_instance);
}

}  // namespace

Config merge(const Config& earlier, const Config& later) {
  Config r = earlier;
  take(r.log_level, later.log_level);
  take(r.port, later.port);
  take(r.working_dir, later.working_dir);
  take(r.id, later.id);
  merge_block(r.syslog, later.syslog, merge_syslog);
  merge_block(r.consul, later.consul, merge_consul);
  merge_block(r.vault, later.vault, merge_vault);
  merge_block(r.driver, later.driver, merge_driver);
  append(r.tasks, later.tasks);
  append(r.services, later.services);
  append(r.terraform_providers, later.terraform_providers);
  merge_block(r.buffer_period, later.buffer_period, merge_buffer_period);
  merge_block(r.tls, later.tls, merge_cts_tls);
  merge_block(r.high_availability, later.high_availability, merge_high_availability);
  return r;
}

}  // namespace baton::config::cts
