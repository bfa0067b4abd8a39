#include "engine/config/cts/finalize.hpp"

#include <utility>

#include "engine/config/cts/defaults.hpp"
#include "engine/config/cts/go_path.hpp"

namespace baton::config::cts {
namespace {

// StringPresent: set and not empty.
bool present(const Opt<std::string>& value) { return value && !value->empty(); }

template <class T>
void default_to(Opt<T>& field, T value) {
  if (!field) field = std::move(value);
}

void default_from_env(Opt<std::string>& field, const Environment& env, std::initializer_list<std::string_view> names) {
  if (!field) field = env.first_set(names).value_or("");
}

void finalize_syslog(SyslogConfig& c) {
  default_to(c.enabled, present(c.facility) || present(c.name));
  default_to(c.facility, std::string(kDefaultSyslogFacility));
  default_to(c.name, std::string(kDefaultSyslogName));
}

void finalize_auth(AuthConfig& c) {
  default_to(c.enabled, present(c.username) || present(c.password));
  default_to(c.username, std::string());
  default_to(c.password, std::string());
}

bool any_tls_setting(const TlsConfig& c) {
  return present(c.cert) || present(c.ca_cert) || present(c.ca_path) || present(c.key) || present(c.server_name) ||
         c.verify.has_value();
}

// TLSConfig.FinalizeConsul.
void finalize_consul_tls(TlsConfig& c, const Environment& env) {
  default_to(c.enabled, any_tls_setting(c));
  default_from_env(c.cert, env, {"CONSUL_CLIENT_CERT"});
  default_from_env(c.ca_cert, env, {"CONSUL_CACERT"});
  default_from_env(c.ca_path, env, {"CONSUL_CAPATH"});
  default_from_env(c.key, env, {"CONSUL_CLIENT_KEY"});
  default_from_env(c.server_name, env, {"CONSUL_TLS_SERVER_NAME"});
  default_to(c.verify, true);
}

// TLSConfig.FinalizeVault: Vault assumes TLS.
void finalize_vault_tls(TlsConfig& c, const Environment& env) {
  default_to(c.enabled, true);
  default_from_env(c.ca_cert, env, {"VAULT_CACERT"});
  default_from_env(c.ca_path, env, {"VAULT_CAPATH"});
  default_from_env(c.cert, env, {"VAULT_CLIENT_CERT"});
  default_from_env(c.key, env, {"VAULT_CLIENT_KEY"});
  default_from_env(c.server_name, env, {"VAULT_TLS_SERVER_NAME"});
  if (!c.verify) {
    // antiboolFromEnv: skip-verify set means verify off.
    const auto skip = env.first_bool({"VAULT_SKIP_VERIFY", "VAULT_SKIP_VERIFY"});
    c.verify = skip ? !*skip : true;
  }
}

void finalize_transport(TransportConfig& c) {
  default_to(c.dial_keep_alive, Duration(std::chrono::seconds(30)));
  default_to(c.dial_timeout, Duration(std::chrono::seconds(30)));
  default_to(c.disable_keep_alives, false);
  default_to(c.idle_conn_timeout, Duration(std::chrono::seconds(5)));
  default_to(c.max_idle_conns, std::int64_t{0});
  default_to(c.max_idle_conns_per_host, std::int64_t{100});
  default_to(c.tls_handshake_timeout, Duration(std::chrono::seconds(10)));
}

void finalize_default_check(DefaultCheckConfig& c) {
  default_to(c.enabled, true);
  default_to(c.address, std::string());
}

void finalize_service_registration(ServiceRegistrationConfig& c) {
  default_to(c.enabled, true);
  default_to(c.service_name, std::string(kDefaultServiceName));
  default_to(c.address, std::string());
  default_to(c.namespace_name, std::string());
  // CTS finalizes default_check only when it creates it: a written `default_check {}` keeps
  // whatever it (and the merged defaults) had.
  if (!c.default_check) finalize_default_check(c.default_check.ensure());
}

void finalize_consul(ConsulConfig& c, const Environment& env) {
  if (!c.address) c.address = env.first_set({"CONSUL_HTTP_ADDR"}).value_or(kDefaultConsulAddress);
  finalize_auth(c.auth.ensure());
  default_to(c.kv_namespace, std::string());
  default_to(c.kv_path, std::string(kDefaultConsulKvPath));
  finalize_consul_tls(c.tls.ensure(), env);
  default_from_env(c.token, env, {"CONSUL_TOKEN", "CONSUL_HTTP_TOKEN"});
  finalize_transport(c.transport.ensure());
  finalize_service_registration(c.service_registration.ensure());
}

void finalize_vault(VaultConfig& c, const Environment& env) {
  default_from_env(c.address, env, {"VAULT_ADDR"});
  default_from_env(c.namespace_name, env, {"VAULT_NAMESPACE"});
  finalize_vault_tls(c.tls.ensure(), env);
  default_from_env(c.token, env, {"VAULT_TOKEN"});
  if (!c.renew_token) {
    const bool renew_by_default = !c.vault_agent_token_file && !c.token->empty();
    c.renew_token = env.first_bool({"VAULT_RENEW_TOKEN"}).value_or(renew_by_default);
  }
  finalize_transport(c.transport.ensure());
  if (!c.unwrap_token) c.unwrap_token = env.first_bool({"VAULT_UNWRAP_TOKEN"}).value_or(false);
  default_to(c.enabled, present(c.address));
}

hcl::GoValue go_string(std::string value) {
  hcl::GoValue go;
  go.kind = hcl::GoKind::string;
  go.string = std::move(value);
  return go;
}

void put(hcl::GoValue& map, std::string key, hcl::GoValue value) {
  for (hcl::GoEntry& entry : map.entries) {
    if (entry.key == key) {
      entry.value = std::move(value);
      return;
    }
  }
  map.entries.push_back(hcl::GoEntry{std::move(key), {}, std::move(value)});
}

// terraform.go DefaultTerraformBackend: the consul backend's arguments.
hcl::GoValue default_consul_backend(const ConsulConfig& consul) {
  std::string kv_path = kDefaultTerraformBackendKvPath;
  if (present(consul.kv_path)) {
    kv_path = consul.kv_path->ends_with("/terraform") ? *consul.kv_path : go_path_join(*consul.kv_path, "terraform");
  }
  hcl::GoValue backend = empty_go_map().value;
  put(backend, "address", go_string(consul.address.value_or_zero()));
  put(backend, "path", go_string(kv_path));
  hcl::GoValue gzip;
  gzip.kind = hcl::GoKind::boolean;
  gzip.boolean = true;
  put(backend, "gzip", gzip);
  if (consul.tls && consul.tls->enabled.value_or_zero()) {
    put(backend, "scheme", go_string("https"));
    if (!consul.tls->ca_cert.value_or_zero().empty()) put(backend, "ca_file", go_string(*consul.tls->ca_cert));
    if (!consul.tls->cert.value_or_zero().empty()) put(backend, "cert_file", go_string(*consul.tls->cert));
    if (!consul.tls->key.value_or_zero().empty()) put(backend, "key_file", go_string(*consul.tls->key));
  }
  return backend;
}

void finalize_terraform(TerraformConfig& c, const ConsulConfig& consul, const Environment& env) {
  default_to(c.version, std::string());
  default_to(c.log, false);
  default_to(c.persist_log, false);
  if (!present(c.path)) c.path = env.working_directory;
  if (!c.backend) c.backend = empty_go_map();
  const hcl::GoValue consul_backend = default_consul_backend(consul);
  if (c.backend->value.entries.empty()) {
    put(c.backend->value, "consul", consul_backend);
  } else {
    for (hcl::GoEntry& entry : c.backend->value.entries) {
      if (entry.key != "consul" || entry.value.kind != hcl::GoKind::map) continue;
      // mergeMaps(default, configured): what the user wrote wins.
      hcl::GoValue merged = consul_backend;
      for (const hcl::GoEntry& argument : entry.value.entries) put(merged, argument.key, argument.value);
      entry.value = std::move(merged);
    }
  }
  if (!c.required_providers) c.required_providers = empty_go_map();
}

void finalize_buffer_period_from(BufferPeriodConfig& c, const BufferPeriodConfig& parent);

void finalize_services_monitor(ServicesMonitorConfig& c) {
  default_to(c.names, StringList{});
  default_to(c.datacenter, std::string());
  default_to(c.namespace_name, std::string());
  default_to(c.filter, std::string());
  default_to(c.cts_user_defined_meta, StringMap{});
}

void finalize_consul_kv_monitor(ConsulKvMonitorConfig& c) {
  default_to(c.path, std::string());
  default_to(c.recurse, false);
  default_to(c.datacenter, std::string());
  default_to(c.namespace_name, std::string());
}

// source_includes_var, deprecated, fills use_as_module_input when that is unset.
void finalize_use_as_module_input(Opt<bool>& use, const Opt<bool>& deprecated) {
  if (deprecated && !use) use = deprecated;
  default_to(use, true);
}

struct FinalizeCondition {
  void operator()(ServicesCondition& c) const {
    finalize_use_as_module_input(c.use_as_module_input, c.source_includes_var);
    finalize_services_monitor(c.monitor);
  }
  void operator()(CatalogServicesCondition& c) const {
    finalize_use_as_module_input(c.use_as_module_input, c.source_includes_var);
    default_to(c.datacenter, std::string());
    default_to(c.namespace_name, std::string());
    default_to(c.node_meta, StringMap{});
  }
  void operator()(ConsulKvCondition& c) const {
    finalize_use_as_module_input(c.use_as_module_input, c.source_includes_var);
    finalize_consul_kv_monitor(c.monitor);
  }
  void operator()(ScheduleCondition& c) const { default_to(c.cron, std::string()); }
  void operator()(NoCondition&) const {}
};

void finalize_module_input(ModuleInputConfig& input) {
  if (auto* services = std::get_if<ServicesModuleInput>(&input.input)) finalize_services_monitor(services->monitor);
  if (auto* kv = std::get_if<ConsulKvModuleInput>(&input.input)) finalize_consul_kv_monitor(kv->monitor);
}

void finalize_tfc_workspace(TerraformCloudWorkspaceConfig& c) {
  default_to(c.execution_mode, std::string());
  default_to(c.agent_pool_id, std::string());
  default_to(c.agent_pool_name, std::string());
  default_to(c.terraform_version, std::string());
}

void finalize_task(TaskConfig& c) {
  default_to(c.description, std::string());
  default_to(c.name, std::string());
  default_to(c.providers, StringList{});
  default_to(c.services, StringList{});
  default_to(c.module, std::string());
  if (present(c.source) && c.module->empty()) c.module = c.source;
  default_to(c.variable_files, StringList{});
  default_to(c.variables, StringMap{});
  default_to(c.version, std::string());
  finalize_tfc_workspace(c.terraform_cloud_workspace.ensure());
  default_to(c.terraform_version, std::string());
  default_to(c.enabled, true);
  if (!c.condition) c.condition = Condition(NoCondition{});
  std::visit(FinalizeCondition{}, *c.condition);
  if (c.source_inputs) {
    if (!c.source_inputs->empty()) {
      if (!c.module_inputs) c.module_inputs = std::vector<ModuleInputConfig>{};
      c.module_inputs->insert(c.module_inputs->end(), c.source_inputs->begin(), c.source_inputs->end());
    }
    c.source_inputs.reset();
  }
  default_to(c.module_inputs, std::vector<ModuleInputConfig>{});
  for (ModuleInputConfig& input : *c.module_inputs) finalize_module_input(input);
  // A schedule triggers on its own clock: buffering its runs means nothing.
  if (std::holds_alternative<ScheduleCondition>(*c.condition)) {
    c.buffer_period = BufferPeriodConfig{.enabled = false, .min = Duration::zero(), .max = Duration::zero()};
  }
}

void finalize_service(ServiceConfig& c) {
  default_to(c.datacenter, std::string());
  default_to(c.description, std::string());
  default_to(c.name, std::string());
  if (!c.id) c.id = c.name;
  default_to(c.namespace_name, std::string());
  default_to(c.filter, std::string());
  default_to(c.cts_user_defined_meta, StringMap{});
}

void finalize_cts_tls(CtsTlsConfig& c) {
  default_to(c.enabled, present(c.cert) || present(c.ca_cert) || present(c.ca_path) || present(c.key) ||
                            c.verify_incoming.has_value());
  default_to(c.ca_cert, std::string());
  default_to(c.ca_path, std::string());
  default_to(c.cert, std::string());
  default_to(c.key, std::string());
  default_to(c.verify_incoming, false);
}

// buffer_period.go inheritParentConfig.
void finalize_buffer_period_from(BufferPeriodConfig& c, const BufferPeriodConfig& parent) {
  if (c.enabled && !*c.enabled) {
    c.min = Duration::zero();
    c.max = Duration::zero();
    return;
  }
  if (!c.enabled && !c.min && !c.max) {
    c.min = parent.min;
    c.max = parent.max;
    c.enabled = parent.enabled;
    return;
  }
  c.enabled = true;  // a min or max was written: the user means it on
  if (!c.min) c.min = parent.enabled.value_or_zero() ? parent.min : Opt<Duration>(kDefaultBufferPeriodMin);
  if (!c.max) c.max = Opt<Duration>(4 * *c.min);
  if (*c.min > *c.max) c.max = Opt<Duration>(*c.min, c.max.position());
}

void finalize_high_availability(HighAvailabilityConfig& c) {
  ClusterConfig& cluster = c.cluster.ensure();
  ConsulStorageConfig& storage = cluster.storage.ensure().consul.ensure();
  default_to(storage.parent_path, std::string(kDefaultHaParentPath));
  default_to(storage.namespace_name, std::string(kDefaultHaNamespace));
  default_to(storage.session_ttl, kDefaultSessionTtl);
  default_to(storage.renew_interval, Duration(*storage.session_ttl / 2));
  default_to(storage.lock_delay, kDefaultLockDelay);
  default_to(c.instance.ensure().address, std::string());
}

}  // namespace

void finalize(Config& c, const Environment& env) {
  default_to(c.port, kDefaultPort);
  default_to(c.client_type, std::string());
  default_to(c.id, "cts-" + env.hostname);
  finalize_syslog(c.syslog.ensure());
  if (!c.consul) c.consul = default_config().consul;
  finalize_consul(*c.consul, env);
  if (!c.vault) c.vault = VaultConfig{.tls = TlsConfig{.enabled = true}, .transport = TransportConfig{}};
  finalize_vault(*c.vault, env);
  // The driver after Consul: the default backend is built from Consul's final settings.
  DriverConfig& driver = c.driver.ensure();
  if (!driver.terraform) {
    driver.terraform = TerraformConfig{.log = false, .persist_log = false, .path = env.working_directory,
                                       .backend = empty_go_map(), .required_providers = empty_go_map()};
  }
  finalize_terraform(*driver.terraform, *c.consul, env);
  default_to(c.working_dir, std::string(kDefaultWorkingDir));
  if (!c.buffer_period) c.buffer_period = default_config().buffer_period;
  finalize_buffer_period_from(*c.buffer_period, *default_config().buffer_period);
  for (TaskConfig& task : c.tasks.ensure()) finalize_task(task);
  for (ServiceConfig& service : c.services.ensure()) finalize_service(service);
  c.terraform_providers.ensure();
  finalize_cts_tls(c.tls.ensure());
  if (c.high_availability) finalize_high_availability(*c.high_availability);
}

TaskConfig inherit_parent_config(const TaskConfig& task, const std::string& parent_working_dir,
                                 const BufferPeriodConfig& parent_buffer_period) {
  TaskConfig inherited = task;
  if (!inherited.working_dir) inherited.working_dir = go_path_join(parent_working_dir, inherited.name.value_or_zero());
  if (!inherited.buffer_period) inherited.buffer_period = parent_buffer_period;
  finalize_buffer_period_from(*inherited.buffer_period, parent_buffer_period);
  return inherited;
}

std::string ha_storage_prefix(const HighAvailabilityConfig& high_availability) {
  const std::string parent = high_availability.cluster->storage->consul->parent_path.value_or_zero();
  return go_path_join(parent, high_availability.cluster->name.value_or_zero());
}

}  // namespace baton::config::cts
