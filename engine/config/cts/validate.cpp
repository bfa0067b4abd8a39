// Config.Validate (config.go) and the checks of the other blocks: driver (terraform.go),
// services (service.go), providers (provider.go, config.go validateTaskProvider), dynamic
// configuration (config.go validateDynamicConfigs), CTS's API TLS (tls_cts.go), Consul
// (consul.go, service_registration.go, default_check.go), then baton's own.
#include "engine/config/cts/validate.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "engine/config/cts/finalize.hpp"
#include "engine/config/cts/go_object.hpp"
#include "engine/config/cts/go_semver.hpp"
#include "engine/config/cts/go_text.hpp"
#include "engine/config/cts/go_url.hpp"
#include "engine/time/go_duration.hpp"

namespace baton::config::cts {
namespace {

using hcl::Error;
using hcl::GoKind;
using hcl::GoValue;

hcl::Position at(const hcl::Position& value, const hcl::Position& block) { return value.line > 0 ? value : block; }

std::optional<Error> fail(const hcl::Position& position, std::string message) {
  return Error::at(position, std::move(message));
}

std::optional<Error> validate_terraform_version(const Opt<std::string>& version) {
  if (version.value_or_zero().empty()) return std::nullopt;
  const auto parsed = parse_semver(*version);
  if (const auto* error = std::get_if<std::string>(&parsed)) return fail(version.position(), *error);
  const SemVersion& semver = std::get<SemVersion>(parsed);
  if (std::count(version->begin(), version->end(), '.') < 2) {  // len(strings.Split(v, ".")) < 3
    return fail(version.position(), "provide the exact Terraform version to install: " + *version);
  }
  if (!satisfies_terraform_constraint(semver)) {
    return fail(version.position(), std::string("Terraform version is not supported by Consul-Terraform-Sync, try "
                                                "updating to a different version (") +
                                        kCompatibleTerraformVersionConstraint + "): " + *version);
  }
  return std::nullopt;
}

std::optional<Error> validate_driver(const Opt<DriverConfig>& driver) {
  if (!driver) return fail({}, "missing driver configuration");
  const Opt<TerraformConfig>& terraform = driver->terraform;
  if (!terraform) return fail(driver.position(), "missing Terraform driver configuration");
  if (auto error = validate_terraform_version(terraform->version)) return error;
  if (!terraform->backend) return fail(terraform.position(), "missing Terraform backend configuration");
  static const std::set<std::string> kSupported = {"azurerm", "consul", "cos",  "gcs", "kubernetes",
                                                   "local",   "manta",  "pg",   "s3"};
  for (const hcl::GoEntry& entry : terraform->backend->value.entries) {
    if (!kSupported.contains(entry.key)) {
      return fail(at(entry.key_position, terraform->backend.position()),
                  "unsupported Terraform backend by Sync " + go_quote(entry.key));
    }
  }
  return std::nullopt;
}

std::optional<Error> validate_tasks(const Opt<std::vector<TaskConfig>>& tasks) {
  std::set<std::string> names;
  for (const TaskConfig& task : tasks.value_or_zero()) {
    if (auto error = validate_task(task)) return error;
    if (!names.insert(*task.name).second) {
      return fail(at(task.name.position(), task.where.position), "duplicate task name: " + *task.name);
    }
  }
  return std::nullopt;
}

std::optional<Error> validate_services(const Opt<std::vector<ServiceConfig>>& services) {
  if (!services) return fail({}, "missing services configuration");
  std::set<std::string> ids;
  for (const ServiceConfig& service : *services) {
    if (service.name.value_or_zero().empty()) {
      return fail(at(service.name.position(), service.where.position), "logical name for the Consul service is required");
    }
    const std::string id = service.id ? *service.id : *service.name;
    if (!ids.insert(id).second) {
      return fail(at(service.id.position(), service.where.position), "unique service IDs are required: " + id);
    }
  }
  return std::nullopt;
}

// provider.go id(): "<name>.<alias>" when the block has a string alias.
std::string provider_id(const TerraformProviderConfig& provider) {
  if (provider.blocks.value.entries.empty()) return "";
  const hcl::GoEntry& last = provider.blocks.value.entries.back();
  if (last.value.kind != GoKind::map) return last.key;
  const GoValue* alias = last.value.find("alias");
  if (alias == nullptr || alias->kind != GoKind::string) return last.key;
  return last.key + "." + alias->string;
}

std::optional<Error> validate_provider(const TerraformProviderConfig& provider) {
  const hcl::Position& where = provider.where.position;
  const auto& labels = provider.blocks.value.entries;
  if (labels.empty()) return fail(where, "missing provider name for the terraform_provider block");
  if (labels.size() > 1) {
    std::string names;
    for (const hcl::GoEntry& label : labels) names += (names.empty() ? "" : ",") + label.key;
    return fail(where, "unexpected terraform_provider block labels: " + names);
  }
  const GoValue& block = labels.front().value;
  if (block.kind != GoKind::map) return fail(at(block.position, where), "unexpected terraform_provider block format");
  if (const GoValue* task_env = block.find("task_env")) {
    if (task_env->kind != GoKind::map) {
      return fail(at(task_env->position, where), "unexpected task_env block format: task_env should be a map of strings");
    }
    for (const hcl::GoEntry& entry : task_env->entries) {
      if (entry.value.kind != GoKind::string) {
        return fail(at(entry.value.position, where),
                    "unexpected task_env block format: value for " + go_quote(entry.key) + " should be a string");
      }
    }
  }
  return std::nullopt;
}

std::optional<Error> validate_providers(const Opt<std::vector<TerraformProviderConfig>>& providers) {
  if (!providers) return fail({}, "missing provider configuration");
  std::set<std::string> ids;
  for (const TerraformProviderConfig& provider : *providers) {
    if (auto error = validate_provider(provider)) return error;
    const std::string id = provider_id(provider);
    if (!ids.insert(id).second) return fail(provider.where.position, "duplicate provider configuration: " + id);
  }
  return std::nullopt;
}

// config.go validateTaskProvider: a provider with auto_commit may serve one task only.
std::optional<Error> validate_auto_commit(const Config& config) {
  std::map<std::string, bool> auto_commit;
  for (const TerraformProviderConfig& provider : config.terraform_providers.value_or_zero()) {
    for (const hcl::GoEntry& entry : provider.blocks.value.entries) {
      std::string name = entry.key;
      if (const GoValue* alias = entry.value.find("alias")) name += "." + go_sprint(*alias);
      if (const GoValue* flag = entry.value.find("auto_commit"); flag != nullptr && flag->kind == GoKind::boolean) {
        auto_commit[name] = flag->boolean;
      }
    }
  }
  std::set<std::string> used;
  for (const TaskConfig& task : config.tasks.value_or_zero()) {
    for (const std::string& provider : task.providers.value_or_zero()) {
      const auto found = auto_commit.find(provider);
      if (found == auto_commit.end() || !found->second) continue;
      if (!used.insert(provider).second) {
        return fail(at(task.providers.position(), task.where.position),
                    "provider with autocommit (" + provider + ") cannot be used by more than one task");
      }
    }
  }
  return std::nullopt;
}

bool is_regexp_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

// hcltmpl's `\{\{\s*(env|key|with secret)\s+\\?\".+\\?\"\s*\}\}` (or only `with secret`).
bool contains_template(std::string_view s, bool vault_only) {
  for (std::size_t open = s.find("{{"); open != std::string_view::npos; open = s.find("{{", open + 1)) {
    std::size_t i = open + 2;
    while (i < s.size() && is_regexp_space(s[i])) ++i;
    std::size_t keyword_end = 0;
    for (const std::string_view keyword : {"env", "key", "with secret"}) {
      if (vault_only && keyword != "with secret") continue;
      if (s.substr(i).starts_with(keyword)) keyword_end = i + keyword.size();
    }
    if (keyword_end == 0 || keyword_end >= s.size() || !is_regexp_space(s[keyword_end])) continue;
    i = keyword_end;
    while (i < s.size() && is_regexp_space(s[i])) ++i;
    if (i < s.size() && s[i] == '\\') ++i;
    if (i >= s.size() || s[i] != '"') continue;
    // `.+` then `\\?"` then `\s*}}`: some later quote on the same line, after at least one
    // character, followed by optional space and "}}".
    const std::size_t line_end = s.find('\n', i + 1);
    for (std::size_t quote = s.find('"', i + 2); quote != std::string_view::npos && quote < line_end;
         quote = s.find('"', quote + 1)) {
      std::size_t j = quote + 1;
      while (j < s.size() && is_regexp_space(s[j])) ++j;
      if (s.substr(j).starts_with("}}")) return true;
    }
  }
  return false;
}

// A string of the configuration and where it was written.
struct PlacedText {
  std::string text;
  hcl::Position position;
};
using Texts = std::vector<PlacedText>;

void collect_strings(const GoValue& value, Texts& out) {
  if (value.kind == GoKind::string) out.push_back({value.string, value.position});
  for (const GoValue& element : value.elements) collect_strings(element, out);
  for (const hcl::GoEntry& entry : value.entries) {
    out.push_back({entry.key, entry.key_position});
    collect_strings(entry.value, out);
  }
}

void add(Texts& out, const Opt<std::string>& value) {
  if (value) out.push_back({*value, value.position()});
}
void add(Texts& out, const Opt<StringList>& values) {
  for (const std::string& value : values.value_or_zero()) out.push_back({value, values.position()});
}
void add(Texts& out, const Opt<StringMap>& values) {
  for (const auto& [key, value] : values.value_or_zero()) {
    out.push_back({key, values.position()});
    out.push_back({value, values.position()});
  }
}

void add_services_monitor(Texts& out, const ServicesMonitorConfig& c) {
  add(out, c.regexp);
  add(out, c.names);
  add(out, c.datacenter);
  add(out, c.namespace_name);
  add(out, c.filter);
  add(out, c.cts_user_defined_meta);
}

void add_consul_kv_monitor(Texts& out, const ConsulKvMonitorConfig& c) {
  add(out, c.path);
  add(out, c.datacenter);
  add(out, c.namespace_name);
}

void add_task(Texts& out, const TaskConfig& task) {
  add(out, task.name);
  add(out, task.description);
  add(out, task.providers);
  add(out, task.services);
  add(out, task.module);
  add(out, task.variable_files);
  add(out, task.version);
  add(out, task.terraform_version);
  if (task.condition) {
    if (const auto* c = std::get_if<ServicesCondition>(&*task.condition)) add_services_monitor(out, c->monitor);
    if (const auto* c = std::get_if<ConsulKvCondition>(&*task.condition)) add_consul_kv_monitor(out, c->monitor);
    if (const auto* c = std::get_if<ScheduleCondition>(&*task.condition)) add(out, c->cron);
    if (const auto* c = std::get_if<CatalogServicesCondition>(&*task.condition)) {
      add(out, c->regexp);
      add(out, c->datacenter);
      add(out, c->namespace_name);
      add(out, c->node_meta);
    }
  }
  for (const ModuleInputConfig& input : task.module_inputs.value_or_zero()) {
    if (const auto* i = std::get_if<ServicesModuleInput>(&input.input)) add_services_monitor(out, i->monitor);
    if (const auto* i = std::get_if<ConsulKvModuleInput>(&input.input)) add_consul_kv_monitor(out, i->monitor);
  }
}

void add_consul(Texts& out, const ConsulConfig& consul) {
  add(out, consul.address);
  add(out, consul.kv_namespace);
  add(out, consul.kv_path);
  if (consul.auth) add(out, consul.auth->username);
  if (const auto& tls = consul.tls) {
    for (const auto* field : {&tls->ca_cert, &tls->ca_path, &tls->cert, &tls->key, &tls->server_name}) add(out, *field);
  }
  if (const auto& registration = consul.service_registration) {
    add(out, registration->service_name);
    add(out, registration->address);
    add(out, registration->namespace_name);
    if (registration->default_check) add(out, registration->default_check->address);
  }
}

// The strings of Config.GoString: everything but provider arguments (redacted there) and
// secrets (tokens and passwords).
Texts printed_strings(const Config& c) {
  Texts out;
  add(out, c.log_level);
  add(out, c.working_dir);
  add(out, c.id);
  if (c.syslog) {
    add(out, c.syslog->facility);
    add(out, c.syslog->name);
  }
  if (c.consul) add_consul(out, *c.consul);
  if (c.vault) {
    add(out, c.vault->address);
    add(out, c.vault->namespace_name);
  }
  if (c.driver && c.driver->terraform) {
    add(out, c.driver->terraform->version);
    add(out, c.driver->terraform->path);
    if (c.driver->terraform->backend) collect_strings(c.driver->terraform->backend->value, out);
    if (c.driver->terraform->required_providers) collect_strings(c.driver->terraform->required_providers->value, out);
  }
  for (const TaskConfig& task : c.tasks.value_or_zero()) add_task(out, task);
  for (const ServiceConfig& service : c.services.value_or_zero()) {
    for (const auto* field : {&service.name, &service.namespace_name, &service.datacenter, &service.filter,
                              &service.description}) {
      add(out, *field);
    }
    add(out, service.cts_user_defined_meta);
  }
  if (c.tls) {
    for (const auto* field : {&c.tls->ca_cert, &c.tls->ca_path, &c.tls->cert, &c.tls->key}) add(out, *field);
  }
  return out;
}

std::optional<Error> validate_dynamic_configs(const Config& config) {
  if (config.vault && !config.vault->enabled.value_or_zero()) {
    for (const TerraformProviderConfig& provider : config.terraform_providers.value_or_zero()) {
      if (contains_template(go_sprint(provider.blocks.value), /*vault_only=*/true)) {
        return fail(provider.where.position, "detected dynamic configuration using Vault: missing Vault configuration");
      }
    }
  }
  for (const PlacedText& placed : printed_strings(config)) {
    if (contains_template(placed.text, /*vault_only=*/false)) {
      return fail(placed.position,
                  "dynamic configuration using template syntax is only supported for terraform_provider blocks");
    }
  }
  return std::nullopt;
}

std::optional<Error> validate_cts_tls(const Opt<CtsTlsConfig>& tls) {
  if (!tls) return std::nullopt;
  const std::string key = tls->key.value_or_zero();
  const std::string cert = tls->cert.value_or_zero();
  if (tls->enabled.value_or_zero() && (key.empty() || cert.empty())) {
    return fail(at(tls->enabled.position(), tls.position()), "key and cert are required if TLS is enabled on the CTS API");
  }
  if (!cert.empty() && key.empty()) {
    return fail(at(tls->cert.position(), tls.position()), "key is required if cert is configured for TLS on the CTS API");
  }
  if (tls->verify_incoming.value_or_zero() && tls->ca_cert.value_or_zero().empty() && tls->ca_path.value_or_zero().empty()) {
    return fail(at(tls->verify_incoming.position(), tls.position()),
                "either ca_cert or ca_path is required if verify_incoming is enabled on the CTS API");
  }
  return std::nullopt;
}

std::optional<Error> validate_consul(const Opt<ConsulConfig>& consul) {
  if (!consul || !consul->service_registration || !consul->service_registration->default_check) return std::nullopt;
  const Opt<std::string>& address = consul->service_registration->default_check->address;
  if (address.value_or_zero().empty()) return std::nullopt;
  std::string lower = *address;
  for (char& ch : lower) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  if (!lower.starts_with("http")) {
    return fail(address.position(), "default check address must include scheme (http or https)");
  }
  if (auto error = go_parse_request_uri_error(*address)) {
    return fail(address.position(), "error with address for default check: " + *error);
  }
  return std::nullopt;
}

// baton's checks of the high_availability block (CTS Enterprise's own are not public).
std::optional<Error> validate_high_availability(const Opt<HighAvailabilityConfig>& ha) {
  if (!ha) return std::nullopt;
  const Opt<ClusterConfig>& cluster = ha->cluster;
  if (!cluster || cluster->name.value_or_zero().empty()) {
    const hcl::Position block = cluster ? at(cluster.position(), ha.position()) : ha.position();
    return fail(cluster ? at(cluster->name.position(), block) : block, "high_availability.cluster.name is required");
  }
  if (!cluster->storage || !cluster->storage->consul) return std::nullopt;
  const ConsulStorageConfig& storage = *cluster->storage->consul;
  const std::string prefix = "high_availability.cluster.storage \"consul\": ";
  const Duration ttl = storage.session_ttl.value_or(kDefaultSessionTtl);
  if (ttl <= Duration::zero() || ttl > kConsulSessionTtlMax) {
    return fail(storage.session_ttl.position(), prefix + "session_ttl must be more than 0s and at most " +
                                                    format_go_duration(kConsulSessionTtlMax) + ", got " +
                                                    format_go_duration(ttl));
  }
  const Duration renew = storage.renew_interval.value_or(ttl / 2);
  if (renew <= Duration::zero() || renew >= ttl) {
    return fail(storage.renew_interval.position(), prefix + "renew_interval must be more than 0s and less than "
                                                   "session_ttl (" + format_go_duration(ttl) + "), got " +
                                                   format_go_duration(renew));
  }
  const Duration lock_delay = storage.lock_delay.value_or(kDefaultLockDelay);
  if (lock_delay < Duration::zero() || lock_delay > kConsulLockDelayMax) {
    return fail(storage.lock_delay.position(), prefix + "lock_delay must be between 0s and " +
                                                   format_go_duration(kConsulLockDelayMax) + ", got " +
                                                   format_go_duration(lock_delay));
  }
  return std::nullopt;
}

// What CTS checks when it builds each task's driver (TaskConfig.ValidateForDriver).
std::optional<Error> validate_tasks_for_driver(const Config& config) {
  for (const TaskConfig& task : config.tasks.value_or_zero()) {
    const TaskConfig inherited = inherit_parent_config(task, config.working_dir.value_or_zero(),
                                                       config.buffer_period.value_or_zero());
    if (auto error = validate_buffer_period(inherited.buffer_period)) return error;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> validate(const Config& config) {
  if (auto error = validate_driver(config.driver)) return error;
  if (auto error = validate_tasks(config.tasks)) return error;
  if (auto error = validate_services(config.services)) return error;
  if (auto error = validate_providers(config.terraform_providers)) return error;
  if (auto error = validate_buffer_period(config.buffer_period)) return error;
  if (auto error = validate_auto_commit(config)) return error;
  if (auto error = validate_dynamic_configs(config)) return error;
  if (auto error = validate_cts_tls(config.tls)) return error;
  if (auto error = validate_consul(config.consul)) return error;
  if (auto error = validate_high_availability(config.high_availability)) return error;
  return validate_tasks_for_driver(config);
}

}  // namespace baton::config::cts
