#include "engine/config/cts/printer.hpp"

#include <utility>

#include "engine/config/cts/go_text.hpp"
#include "engine/config/hcl/printer.hpp"
#include "engine/time/go_duration.hpp"

namespace baton::config::cts {
namespace {

using hcl::GoKind;
using hcl::GoValue;

bool is_identifier(std::string_view key) {
  if (key.empty() || key == "true" || key == "false") return false;
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!letter(key[0])) return false;
  for (const char c : key) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') return false;
  }
  return true;
}

std::string key_text(std::string_view key) { return is_identifier(key) ? std::string(key) : hcl::quote_native(key); }

// Writes one body: attributes and blocks, indented.
class Writer {
 public:
  std::string text() && { return std::move(out_); }

  void line(const std::string& content) { out_ += std::string(depth_ * 2, ' ') + content + "\n"; }

  template <class Body>
  void block(const std::string& header, Body body) {
    line(header + " {");
    ++depth_;
    body();
    --depth_;
    line("}");
  }

  void attribute(std::string_view key, const std::string& value) { line(key_text(key) + " = " + value); }

  void put(std::string_view key, const Opt<std::string>& value) {
    if (value) attribute(key, hcl::quote_native(*value));
  }
  void put(std::string_view key, const Opt<bool>& value) {
    if (value) attribute(key, *value ? "true" : "false");
  }
  void put(std::string_view key, const Opt<std::int64_t>& value) {
    if (value) attribute(key, std::to_string(*value));
  }
  void put(std::string_view key, const Opt<Duration>& value) {
    if (value) attribute(key, hcl::quote_native(format_go_duration(*value)));
  }
  void put(std::string_view key, const Opt<StringList>& value) {
    if (!value) return;
    std::string list = "[";
    for (std::size_t i = 0; i < value->size(); ++i) list += (i > 0 ? ", " : "") + hcl::quote_native((*value)[i]);
    attribute(key, list + "]");
  }
  void put(std::string_view key, const Opt<StringMap>& value) {
    if (!value) return;
    if (value->empty()) {
      attribute(key, "{}");
      return;
    }
    line(key_text(key) + " = {");
    ++depth_;
    for (const auto& [name, text] : *value) attribute(name, hcl::quote_native(text));
    --depth_;
    line("}");
  }
  // A map[string]interface{} field, written as a block whose body is the map.
  void put(std::string_view key, const Opt<GoObject>& value) {
    if (value) block(key_text(key), [&] { go_entries(value->value); });
  }

  // The entries of a Go map as a body.
  void go_entries(const GoValue& map) {
    for (const hcl::GoEntry& entry : map.entries) go_entry(entry.key, entry.value);
  }

  void go_entry(const std::string& key, const GoValue& value) {
    if (value.kind == GoKind::map) {
      block(key_text(key), [&] { go_entries(value); });
    } else if (value.kind == GoKind::map_slice) {
      for (const GoValue& element : value.elements) block(key_text(key), [&] { go_entries(element); });
    } else {
      attribute(key, go_inline(value));
    }
  }

  // A Go value written inline: inside lists, maps are objects.
  std::string go_inline(const GoValue& value) {
    switch (value.kind) {
      case GoKind::nil: return "null";
      case GoKind::boolean: return value.boolean ? "true" : "false";
      case GoKind::integer: return std::to_string(value.integer);
      case GoKind::floating: return float_text(value.floating);
      case GoKind::string: return hcl::quote_native(value.string);
      case GoKind::slice:
      case GoKind::map_slice: {
        std::string list = "[";
        for (std::size_t i = 0; i < value.elements.size(); ++i) list += (i > 0 ? ", " : "") + go_inline(value.elements[i]);
        return list + "]";
      }
      case GoKind::map: {
        std::string object = "{";
        for (const hcl::GoEntry& entry : value.entries) object += " " + key_text(entry.key) + " = " + go_inline(entry.value);
        return object + (value.entries.empty() ? "}" : " }");
      }
    }
    return "null";
  }

  // A float64 written so that HCL reads a float back (HCL1 types numbers by their syntax).
  static std::string float_text(double value) {
    std::string text = go_format_float_g(value);
    if (text.find_first_of(".eIN") == std::string::npos) text += ".0";
    return text;
  }

 private:
  std::string out_;
  std::size_t depth_ = 0;
};

void print_tls(Writer& w, const std::string& key, const Opt<TlsConfig>& tls) {
  if (!tls) return;
  w.block(key, [&] {
    w.put("enabled", tls->enabled);
    w.put("ca_cert", tls->ca_cert);
    w.put("ca_path", tls->ca_path);
    w.put("cert", tls->cert);
    w.put("key", tls->key);
    w.put("server_name", tls->server_name);
    w.put("verify", tls->verify);
  });
}

void print_transport(Writer& w, const Opt<TransportConfig>& t) {
  if (!t) return;
  w.block("transport", [&] {
    w.put("dial_keep_alive", t->dial_keep_alive);
    w.put("dial_timeout", t->dial_timeout);
    w.put("disable_keep_alives", t->disable_keep_alives);
    w.put("idle_conn_timeout", t->idle_conn_timeout);
    w.put("max_idle_conns", t->max_idle_conns);
    w.put("max_idle_conns_per_host", t->max_idle_conns_per_host);
    w.put("tls_handshake_timeout", t->tls_handshake_timeout);
  });
}

void print_consul(Writer& w, const Opt<ConsulConfig>& c) {
  if (!c) return;
  w.block("consul", [&] {
    w.put("address", c->address);
    w.put("token", c->token);
    w.put("kv_namespace", c->kv_namespace);
    w.put("kv_path", c->kv_path);
    if (c->auth) {
      w.block("auth", [&] {
        w.put("enabled", c->auth->enabled);
        w.put("username", c->auth->username);
        w.put("password", c->auth->password);
      });
    }
    print_tls(w, "tls", c->tls);
    print_transport(w, c->transport);
    if (const auto& r = c->service_registration) {
      w.block("service_registration", [&] {
        w.put("enabled", r->enabled);
        w.put("service_name", r->service_name);
        w.put("address", r->address);
        w.put("namespace", r->namespace_name);
        if (r->default_check) {
          w.block("default_check", [&] {
            w.put("enabled", r->default_check->enabled);
            w.put("address", r->default_check->address);
          });
        }
      });
    }
  });
}

void print_vault(Writer& w, const Opt<VaultConfig>& v) {
  if (!v) return;
  w.block("vault", [&] {
    w.put("enabled", v->enabled);
    w.put("address", v->address);
    w.put("namespace", v->namespace_name);
    w.put("token", v->token);
    w.put("vault_agent_token_file", v->vault_agent_token_file);
    w.put("renew_token", v->renew_token);
    w.put("unwrap_token", v->unwrap_token);
    print_tls(w, "tls", v->tls);
    print_transport(w, v->transport);
  });
}

void print_buffer_period(Writer& w, const Opt<BufferPeriodConfig>& b) {
  if (!b) return;
  w.block("buffer_period", [&] {
    w.put("enabled", b->enabled);
    w.put("min", b->min);
    w.put("max", b->max);
  });
}

void print_driver(Writer& w, const Opt<DriverConfig>& d) {
  if (!d) return;
  if (!d->terraform) {
    w.block("driver", [] {});
    return;
  }
  const TerraformConfig& t = *d->terraform;
  w.block("driver \"terraform\"", [&] {
    w.put("version", t.version);
    w.put("path", t.path);
    w.put("log", t.log);
    w.put("persist_log", t.persist_log);
    w.put("backend", t.backend);
    w.put("required_providers", t.required_providers);
  });
}

void print_services_monitor(Writer& w, const ServicesMonitorConfig& m) {
  w.put("regexp", m.regexp);
  w.put("names", m.names);
  w.put("datacenter", m.datacenter);
  w.put("namespace", m.namespace_name);
  w.put("filter", m.filter);
  w.put("cts_user_defined_meta", m.cts_user_defined_meta);
}

void print_consul_kv_monitor(Writer& w, const ConsulKvMonitorConfig& m) {
  w.put("path", m.path);
  w.put("recurse", m.recurse);
  w.put("datacenter", m.datacenter);
  w.put("namespace", m.namespace_name);
}

void print_condition(Writer& w, const Condition& condition) {
  const std::string header = std::string("condition ") + hcl::quote_native(condition_type(condition));
  w.block(header, [&] {
    struct Visitor {
      Writer& w;
      void operator()(const ServicesCondition& c) const {
        print_services_monitor(w, c.monitor);
        w.put("use_as_module_input", c.use_as_module_input);
        w.put("source_includes_var", c.source_includes_var);
      }
      void operator()(const CatalogServicesCondition& c) const {
        w.put("regexp", c.regexp);
        w.put("datacenter", c.datacenter);
        w.put("namespace", c.namespace_name);
        w.put("node_meta", c.node_meta);
        w.put("use_as_module_input", c.use_as_module_input);
        w.put("source_includes_var", c.source_includes_var);
      }
      void operator()(const ConsulKvCondition& c) const {
        print_consul_kv_monitor(w, c.monitor);
        w.put("use_as_module_input", c.use_as_module_input);
        w.put("source_includes_var", c.source_includes_var);
      }
      void operator()(const ScheduleCondition& c) const { w.put("cron", c.cron); }
      void operator()(const NoCondition&) const {}
    };
    std::visit(Visitor{w}, condition);
  });
}

void print_module_inputs(Writer& w, std::string_view key, const Opt<std::vector<ModuleInputConfig>>& inputs) {
  if (!inputs) return;
  if (inputs->empty()) w.attribute(key, "[]");
  for (const ModuleInputConfig& input : *inputs) {
    w.block(std::string(key) + " " + hcl::quote_native(module_input_type(input)), [&] {
      if (const auto* s = std::get_if<ServicesModuleInput>(&input.input)) print_services_monitor(w, s->monitor);
      if (const auto* k = std::get_if<ConsulKvModuleInput>(&input.input)) print_consul_kv_monitor(w, k->monitor);
    });
  }
}

void print_task(Writer& w, const TaskConfig& t) {
  w.block("task", [&] {
    w.put("name", t.name);
    w.put("description", t.description);
    w.put("module", t.module);
    w.put("source", t.source);
    w.put("version", t.version);
    w.put("providers", t.providers);
    w.put("services", t.services);
    w.put("variable_files", t.variable_files);
    w.put("variables", t.variables);
    w.put("enabled", t.enabled);
    w.put("working_dir", t.working_dir);
    w.put("terraform_version", t.terraform_version);
    if (const auto& tfc = t.terraform_cloud_workspace) {
      w.block("terraform_cloud_workspace", [&] {
        w.put("execution_mode", tfc->execution_mode);
        w.put("agent_pool_id", tfc->agent_pool_id);
        w.put("agent_pool_name", tfc->agent_pool_name);
        w.put("terraform_version", tfc->terraform_version);
      });
    }
    print_buffer_period(w, t.buffer_period);
    if (t.condition) print_condition(w, *t.condition);
    print_module_inputs(w, "module_input", t.module_inputs);
    print_module_inputs(w, "source_input", t.source_inputs);
  });
}

void print_service(Writer& w, const ServiceConfig& s) {
  w.block("service", [&] {
    w.put("name", s.name);
    w.put("id", s.id);
    w.put("description", s.description);
    w.put("datacenter", s.datacenter);
    w.put("namespace", s.namespace_name);
    w.put("filter", s.filter);
    w.put("cts_user_defined_meta", s.cts_user_defined_meta);
  });
}

bool is_single_labelled_block(const TerraformProviderConfig& provider) {
  return provider.blocks.value.entries.size() == 1 && provider.blocks.value.entries.front().value.kind == GoKind::map;
}

void print_providers(Writer& w, const Opt<std::vector<TerraformProviderConfig>>& providers) {
  if (!providers) return;
  bool as_blocks = !providers->empty();
  for (const TerraformProviderConfig& provider : *providers) as_blocks = as_blocks && is_single_labelled_block(provider);
  if (as_blocks) {
    for (const TerraformProviderConfig& provider : *providers) {
      const hcl::GoEntry& label = provider.blocks.value.entries.front();
      w.block("terraform_provider " + hcl::quote_native(label.key), [&] { w.go_entries(label.value); });
    }
    return;
  }
  std::string list = "[";
  for (std::size_t i = 0; i < providers->size(); ++i) list += (i > 0 ? ", " : "") + w.go_inline((*providers)[i].blocks.value);
  w.attribute("terraform_provider", list + "]");
}

void print_high_availability(Writer& w, const Opt<HighAvailabilityConfig>& ha) {
  if (!ha) return;
  w.block("high_availability", [&] {
    if (const auto& cluster = ha->cluster) {
      w.block("cluster", [&] {
        w.put("name", cluster->name);
        if (const auto& storage = cluster->storage) {
          if (!storage->consul) {
            w.block("storage", [] {});
            return;
          }
          const ConsulStorageConfig& consul = *storage->consul;
          w.block("storage \"consul\"", [&] {
            w.put("parent_path", consul.parent_path);
            w.put("namespace", consul.namespace_name);
            w.put("session_ttl", consul.session_ttl);
            w.put("renew_interval", consul.renew_interval);
            w.put("lock_delay", consul.lock_delay);
          });
        }
      });
    }
    if (const auto& instance = ha->instance) w.block("instance", [&] { w.put("address", instance->address); });
  });
}

void print_top_level_scalars(Writer& w, const Config& c) {
  w.put("log_level", c.log_level);
  w.put("client_type", c.client_type);
  w.put("port", c.port);
  w.put("working_dir", c.working_dir);
  w.put("id", c.id);
}

template <class T, class Print>
void print_list(Writer& w, std::string_view key, const Opt<std::vector<T>>& items, Print print) {
  if (!items) return;
  if (items->empty()) w.attribute(key, "[]");
  for (const T& item : *items) print(w, item);
}

}  // namespace

std::string print_config(const Config& c) {
  Writer w;
  print_top_level_scalars(w, c);
  if (c.syslog) {
    w.block("syslog", [&] {
      w.put("enabled", c.syslog->enabled);
      w.put("facility", c.syslog->facility);
      w.put("name", c.syslog->name);
    });
  }
  print_buffer_period(w, c.buffer_period);
  if (c.tls) {
    w.block("tls", [&] {
      w.put("enabled", c.tls->enabled);
      w.put("cert", c.tls->cert);
      w.put("key", c.tls->key);
      w.put("verify_incoming", c.tls->verify_incoming);
      w.put("ca_cert", c.tls->ca_cert);
      w.put("ca_path", c.tls->ca_path);
    });
  }
  print_consul(w, c.consul);
  print_vault(w, c.vault);
  print_driver(w, c.driver);
  print_high_availability(w, c.high_availability);
  print_list(w, "service", c.services, print_service);
  print_providers(w, c.terraform_providers);
  print_list(w, "task", c.tasks, print_task);
  return std::move(w).text();
}

}  // namespace baton::config::cts
