// Our side of the differential check: decode_config_file, printed as cts_decode.go prints
// CTS's decoded Config (one "path = value" per set field, sorted).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "engine/config/cts/decode.hpp"
#include "engine/config/hcl/go_value.hpp"
#include "engine/config/hcl/parse.hpp"

namespace cts = baton::config::cts;
namespace hcl = baton::config::hcl;

namespace {

std::string hex(const std::string& text) {
  static const char* digits = "0123456789abcdef";
  std::string out = "s";
  for (const unsigned char c : text) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string go_value(const hcl::GoValue& value) {
  switch (value.kind) {
    case hcl::GoKind::nil: return "nil";
    case hcl::GoKind::boolean: return value.boolean ? "true" : "false";
    case hcl::GoKind::integer: return std::to_string(value.integer);
    case hcl::GoKind::floating: {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &value.floating, sizeof bits);
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "float(%016llx)", static_cast<unsigned long long>(bits));
      return buffer;
    }
    case hcl::GoKind::string: return hex(value.string);
    case hcl::GoKind::slice:
    case hcl::GoKind::map_slice: {
      std::string out = value.kind == hcl::GoKind::slice ? "[" : "[]map[";
      for (std::size_t i = 0; i < value.elements.size(); ++i) out += (i ? " " : "") + go_value(value.elements[i]);
      return out + "]";
    }
    case hcl::GoKind::map: {
      std::vector<std::string> parts;
      for (const auto& entry : value.entries) parts.push_back(hex(entry.key) + ":" + go_value(entry.value));
      std::sort(parts.begin(), parts.end());
      std::string out = "map[";
      for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " " : "") + parts[i];
      return out + "]";
    }
  }
  return "?";
}

class Dump {
 public:
  std::vector<std::string> lines;

  void line(const std::string& path, const std::string& value) { lines.push_back(path + " = " + value); }
  static std::string at(const std::string& path, const char* field) { return path.empty() ? field : path + "." + field; }

  void put(const std::string& p, const cts::Opt<std::string>& v) { if (v) line(p, hex(*v)); }
  void put(const std::string& p, const cts::Opt<bool>& v) { if (v) line(p, *v ? "true" : "false"); }
  void put(const std::string& p, const cts::Opt<std::int64_t>& v) { if (v) line(p, std::to_string(*v)); }
  void put(const std::string& p, const cts::Opt<baton::Duration>& v) { if (v) line(p, "d" + std::to_string(v->count())); }
  void put(const std::string& p, const cts::Opt<cts::StringList>& v) {
    if (!v) return;
    std::string out = "[";
    for (std::size_t i = 0; i < v->size(); ++i) out += (i ? " " : "") + hex((*v)[i]);
    line(p, out + "]");
  }
  void put(const std::string& p, const cts::Opt<cts::StringMap>& v) {
    if (!v) return;
    std::vector<std::string> parts;
    for (const auto& [key, value] : *v) parts.push_back(hex(key) + ":" + hex(value));
    std::sort(parts.begin(), parts.end());
    std::string out = "map[";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " " : "") + parts[i];
    line(p, out + "]");
  }
  void put(const std::string& p, const cts::Opt<cts::GoObject>& v) { if (v) line(p, go_value(v->value)); }

  template <class T, class Fields>
  void block(const std::string& p, const cts::Opt<T>& v, Fields fields) {
    if (!v) return;
    line(p, "{}");
    fields(p, *v);
  }

  void tls(const std::string& p, const cts::Opt<cts::TlsConfig>& v) {
    block(p, v, [&](const std::string& q, const cts::TlsConfig& c) {
      put(at(q, "ca_cert"), c.ca_cert); put(at(q, "ca_path"), c.ca_path); put(at(q, "cert"), c.cert);
      put(at(q, "enabled"), c.enabled); put(at(q, "key"), c.key); put(at(q, "server_name"), c.server_name);
      put(at(q, "verify"), c.verify);
    });
  }
  void transport(const std::string& p, const cts::Opt<cts::TransportConfig>& v) {
    block(p, v, [&](const std::string& q, const cts::TransportConfig& c) {
      put(at(q, "dial_keep_alive"), c.dial_keep_alive); put(at(q, "dial_timeout"), c.dial_timeout);
      put(at(q, "disable_keep_alives"), c.disable_keep_alives); put(at(q, "idle_conn_timeout"), c.idle_conn_timeout);
      put(at(q, "max_idle_conns"), c.max_idle_conns); put(at(q, "max_idle_conns_per_host"), c.max_idle_conns_per_host);
      put(at(q, "tls_handshake_timeout"), c.tls_handshake_timeout);
    });
  }
  void buffer_period(const std::string& p, const cts::Opt<cts::BufferPeriodConfig>& v) {
    block(p, v, [&](const std::string& q, const cts::BufferPeriodConfig& c) {
      put(at(q, "enabled"), c.enabled); put(at(q, "min"), c.min); put(at(q, "max"), c.max);
    });
  }
  void services_monitor(const std::string& q, const cts::ServicesMonitorConfig& c) {
    put(at(q, "regexp"), c.regexp); put(at(q, "names"), c.names); put(at(q, "datacenter"), c.datacenter);
    put(at(q, "namespace"), c.namespace_name); put(at(q, "filter"), c.filter);
    put(at(q, "cts_user_defined_meta"), c.cts_user_defined_meta);
  }
  void kv_monitor(const std::string& q, const cts::ConsulKvMonitorConfig& c) {
    put(at(q, "path"), c.path); put(at(q, "recurse"), c.recurse); put(at(q, "datacenter"), c.datacenter);
    put(at(q, "namespace"), c.namespace_name);
  }
  void condition(const std::string& q, const cts::Condition& condition) {
    line(q, cts::condition_type(condition));
    if (const auto* c = std::get_if<cts::ServicesCondition>(&condition)) {
      services_monitor(q, c->monitor);
      put(at(q, "use_as_module_input"), c->use_as_module_input);
      put(at(q, "source_includes_var"), c->source_includes_var);
    } else if (const auto* c = std::get_if<cts::CatalogServicesCondition>(&condition)) {
      put(at(q, "regexp"), c->regexp); put(at(q, "datacenter"), c->datacenter);
      put(at(q, "namespace"), c->namespace_name); put(at(q, "node_meta"), c->node_meta);
      put(at(q, "use_as_module_input"), c->use_as_module_input);
      put(at(q, "source_includes_var"), c->source_includes_var);
    } else if (const auto* c = std::get_if<cts::ConsulKvCondition>(&condition)) {
      kv_monitor(q, c->monitor);
      put(at(q, "use_as_module_input"), c->use_as_module_input);
      put(at(q, "source_includes_var"), c->source_includes_var);
    } else if (const auto* c = std::get_if<cts::ScheduleCondition>(&condition)) {
      put(at(q, "cron"), c->cron);
    }
  }
  void module_inputs(const std::string& p, const cts::Opt<std::vector<cts::ModuleInputConfig>>& v) {
    if (!v) return;
    line(p, "list(" + std::to_string(v->size()) + ")");
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string q = p + "[" + std::to_string(i) + "]";
      line(q, cts::module_input_type((*v)[i]));
      if (const auto* s = std::get_if<cts::ServicesModuleInput>(&(*v)[i].input)) services_monitor(q, s->monitor);
      if (const auto* k = std::get_if<cts::ConsulKvModuleInput>(&(*v)[i].input)) kv_monitor(q, k->monitor);
    }
  }
  void task(const std::string& q, const cts::TaskConfig& t) {
    line(q, "{}");
    put(at(q, "description"), t.description); put(at(q, "name"), t.name); put(at(q, "providers"), t.providers);
    put(at(q, "services"), t.services); put(at(q, "module"), t.module); put(at(q, "source"), t.source);
    module_inputs(at(q, "module_input"), t.module_inputs); module_inputs(at(q, "source_input"), t.source_inputs);
    put(at(q, "variable_files"), t.variable_files); put(at(q, "variables"), t.variables);
    put(at(q, "version"), t.version); put(at(q, "terraform_version"), t.terraform_version);
    block(at(q, "terraform_cloud_workspace"), t.terraform_cloud_workspace,
          [&](const std::string& r, const cts::TerraformCloudWorkspaceConfig& c) {
            put(at(r, "execution_mode"), c.execution_mode); put(at(r, "agent_pool_id"), c.agent_pool_id);
            put(at(r, "agent_pool_name"), c.agent_pool_name); put(at(r, "terraform_version"), c.terraform_version);
          });
    buffer_period(at(q, "buffer_period"), t.buffer_period);
    put(at(q, "enabled"), t.enabled);
    if (t.condition) condition(at(q, "condition"), *t.condition);
    put(at(q, "working_dir"), t.working_dir);
  }

  void config(const cts::Config& c) {
    put("log_level", c.log_level); put("client_type", c.client_type); put("port", c.port);
    put("working_dir", c.working_dir); put("id", c.id);
    block("syslog", c.syslog, [&](const std::string& q, const cts::SyslogConfig& s) {
      put(at(q, "enabled"), s.enabled); put(at(q, "facility"), s.facility); put(at(q, "name"), s.name);
    });
    block("consul", c.consul, [&](const std::string& q, const cts::ConsulConfig& s) {
      put(at(q, "address"), s.address);
      block(at(q, "auth"), s.auth, [&](const std::string& r, const cts::AuthConfig& a) {
        put(at(r, "enabled"), a.enabled); put(at(r, "username"), a.username); put(at(r, "password"), a.password);
      });
      put(at(q, "kv_namespace"), s.kv_namespace); put(at(q, "kv_path"), s.kv_path);
      tls(at(q, "tls"), s.tls); put(at(q, "token"), s.token); transport(at(q, "transport"), s.transport);
      block(at(q, "service_registration"), s.service_registration,
            [&](const std::string& r, const cts::ServiceRegistrationConfig& g) {
              put(at(r, "enabled"), g.enabled); put(at(r, "service_name"), g.service_name);
              put(at(r, "address"), g.address); put(at(r, "namespace"), g.namespace_name);
              block(at(r, "default_check"), g.default_check, [&](const std::string& u, const cts::DefaultCheckConfig& d) {
                put(at(u, "enabled"), d.enabled); put(at(u, "address"), d.address);
              });
            });
    });
    block("vault", c.vault, [&](const std::string& q, const cts::VaultConfig& v) {
      put(at(q, "address"), v.address); put(at(q, "enabled"), v.enabled); put(at(q, "namespace"), v.namespace_name);
      put(at(q, "renew_token"), v.renew_token); tls(at(q, "tls"), v.tls); put(at(q, "token"), v.token);
      put(at(q, "vault_agent_token_file"), v.vault_agent_token_file); transport(at(q, "transport"), v.transport);
      put(at(q, "unwrap_token"), v.unwrap_token);
    });
    block("driver", c.driver, [&](const std::string& q, const cts::DriverConfig& d) {
      block(at(q, "terraform"), d.terraform, [&](const std::string& r, const cts::TerraformConfig& t) {
        put(at(r, "version"), t.version); put(at(r, "log"), t.log); put(at(r, "persist_log"), t.persist_log);
        put(at(r, "path"), t.path); put(at(r, "backend"), t.backend);
        put(at(r, "required_providers"), t.required_providers);
      });
    });
    if (c.tasks) {
      line("task", "list(" + std::to_string(c.tasks->size()) + ")");
      for (std::size_t i = 0; i < c.tasks->size(); ++i) task("task[" + std::to_string(i) + "]", (*c.tasks)[i]);
    }
    if (c.services) {
      line("service", "list(" + std::to_string(c.services->size()) + ")");
      for (std::size_t i = 0; i < c.services->size(); ++i) {
        const std::string q = "service[" + std::to_string(i) + "]";
        const cts::ServiceConfig& s = (*c.services)[i];
        line(q, "{}");
        put(at(q, "datacenter"), s.datacenter); put(at(q, "description"), s.description); put(at(q, "id"), s.id);
        put(at(q, "name"), s.name); put(at(q, "namespace"), s.namespace_name); put(at(q, "filter"), s.filter);
        put(at(q, "cts_user_defined_meta"), s.cts_user_defined_meta);
      }
    }
    if (c.terraform_providers) {
      line("terraform_provider", "list(" + std::to_string(c.terraform_providers->size()) + ")");
      for (std::size_t i = 0; i < c.terraform_providers->size(); ++i) {
        const hcl::GoValue& blocks = (*c.terraform_providers)[i].blocks.value;
        line("terraform_provider[" + std::to_string(i) + "]", go_value(blocks.kind == hcl::GoKind::nil ? hcl::GoValue{} : blocks));
      }
    }
    buffer_period("buffer_period", c.buffer_period);
    block("tls", c.tls, [&](const std::string& q, const cts::CtsTlsConfig& t) {
      put(at(q, "enabled"), t.enabled); put(at(q, "cert"), t.cert); put(at(q, "key"), t.key);
      put(at(q, "verify_incoming"), t.verify_incoming); put(at(q, "ca_cert"), t.ca_cert); put(at(q, "ca_path"), t.ca_path);
    });
    block("high_availability", c.high_availability, [&](const std::string& q, const cts::HighAvailabilityConfig& h) {
      block(at(q, "cluster"), h.cluster, [&](const std::string& r, const cts::ClusterConfig& cl) {
        put(at(r, "name"), cl.name);
        block(at(r, "storage"), cl.storage, [&](const std::string& s, const cts::StorageConfig& st) {
          block(at(s, "consul"), st.consul, [&](const std::string& u, const cts::ConsulStorageConfig& k) {
            put(at(u, "parent_path"), k.parent_path); put(at(u, "namespace"), k.namespace_name);
            put(at(u, "session_ttl"), k.session_ttl); put(at(u, "renew_interval"), k.renew_interval);
            put(at(u, "lock_delay"), k.lock_delay);
          });
        });
      });
      block(at(q, "instance"), h.instance, [&](const std::string& r, const cts::InstanceConfig& in) {
        put(at(r, "address"), in.address);
      });
    });
  }
};

std::string base64_decode(const std::string& in) {
  static const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int value = 0, bits = -8;
  for (const char c : in) {
    const auto position = chars.find(c);
    if (position == std::string::npos) break;
    value = (value << 6) + static_cast<int>(position);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

std::string escape_newlines(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

}  // namespace

int main() {
  std::string input;
  while (std::getline(std::cin, input)) {
    const auto tab = input.find('\t');
    const std::string name = input.substr(0, tab);
    const std::string text = base64_decode(input.substr(tab + 1));
    // Syntax errors are only classified here: the parser has its own differential check.
    auto file = hcl::parse_config_file(name, text);
    if (file) {
      if (auto raw = hcl::to_go_value(file.value()); !raw) file = raw.error();
    }
    if (!file) {
      std::cout << "ERR SYNTAX " << escape_newlines(file.error().message) << "\n";
      continue;
    }
    const auto decoded = cts::decode_config_file(name, text);
    if (!decoded) {
      const hcl::Error& error = decoded.error();
      std::cout << "ERR " << escape_newlines(error.message) << "\n";
      continue;
    }
    Dump dump;
    dump.config(decoded.value());
    std::sort(dump.lines.begin(), dump.lines.end());
    std::cout << "OK";
    for (const std::string& line : dump.lines) std::cout << "\t" << line;
    std::cout << "\n";
  }
}
