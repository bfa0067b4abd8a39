// terraform.tfvars.tmpl's text, template by template: the Go constants of
// templates/tftmpl/template_services.go, template_services_regex.go,
// template_catalog_services.go and template_consul_kv.go, with their hcat queries.
#include <algorithm>
#include <string_view>
#include <vector>

#include "engine/driver/terraform/tfvars_templates.hpp"

namespace baton::driver::terraform {
namespace {

constexpr std::string_view kServiceBase =
    "\n{{- with $srv := service %s }}\n  {{- range $s := $srv}}\n"
    "  \"{{ joinStrings \".\" .ID .Node .Namespace .NodeDatacenter }}\" = {\n"
    "{{ HCLService $s | indent 4 }}\n  },\n  {{- end}}\n{{- end}}";
constexpr std::string_view kServiceEmpty =
    "\n{{- with $srv := service %s }}\n  {{- range $s := $srv}}\n"
    "  {{- /* Empty template. Detects changes in Services */ -}}\n  {{- end}}\n{{- end}}";
constexpr std::string_view kServicesRegexSetVar =
    "\nservices = {\n{{- with $srv := servicesRegex %s }}\n  {{- range $s := $srv}}\n"
    "  \"{{ joinStrings \".\" .ID .Node .Namespace .NodeDatacenter }}\" = {\n"
    "{{ HCLService $s | indent 4 }}\n  },\n  {{- end}}\n{{- end}}\n}\n";
constexpr std::string_view kServicesRegexEmpty =
    "\n{{- with $srv := servicesRegex %s }}\n  {{- range $s := $srv}}\n"
    "  {{- /* Empty template. Detects changes in Services */ -}}\n  {{- end}}\n{{- end}}\n";
constexpr std::string_view kCatalogServicesSetVar =
    "\ncatalog_services = {\n{{- with $catalogServices := catalogServicesRegistration %s}}\n"
    "  {{- range $cs := $catalogServices }}\n  \"{{ $cs.Name }}\" = {{ HCLServiceTags $cs.Tags }}\n"
    "{{- end}}{{- end}}\n}\n";
constexpr std::string_view kCatalogServicesEmpty =
    "\n{{- with $catalogServices := catalogServicesRegistration %s}}\n"
    "  {{- range $cs := $catalogServices }}\n"
    "    {{- /* Empty template. Detects changes in catalog-services */ -}}\n{{- end}}{{- end}}\n";
constexpr std::string_view kConsulKvBase =
    "\n{{- with $kv := keyExistsGet %s }}\n  {{- if .Exists }}\n"
    "  \"{{ .Path }}\" = \"{{ .Value }}\"\n  {{- end}}\n{{- end}}\n";
constexpr std::string_view kConsulKvRecurseBase =
    "\n{{- with $kv := keys %s }}\n  {{- range $k := $kv }}\n"
    "  \"{{ .Path }}\" = \"{{ .Value }}\"\n  {{- end}}\n{{- end}}\n";
constexpr std::string_view kConsulKvEmpty =
    "\n{{- with $kv := keyExistsGet %s }}\n  {{- /* Empty template. Detects changes in Consul KV */ -}}\n"
    "{{- end}}\n";
constexpr std::string_view kConsulKvRecurseEmpty =
    "\n{{- with $kv := keys %s }}\n  {{- range $k, $v := $kv }}\n"
    "  {{- /* Empty template. Detects changes in Consul KV */ -}}\n  {{- end}}\n{{- end}}\n";

// fmt.Sprintf with a single %s.
std::string fill(std::string_view format, std::string_view query) {
  const std::size_t at = format.find("%s");
  return std::string(format.substr(0, at)) + std::string(query) + std::string(format.substr(at + 2));
}

// `"a" "b" "c"`, or "" without options.
std::string quoted_options(const std::vector<std::string>& options) {
  if (options.empty()) return "";
  std::string out = "\"";
  for (std::size_t i = 0; i < options.size(); ++i) out += (i > 0 ? "\" \"" : "") + options[i];
  return out + "\"";
}

void add_location(std::vector<std::string>& options, const std::string& datacenter, const std::string& ns) {
  if (!datacenter.empty()) options.push_back("dc=" + datacenter);
  if (!ns.empty()) options.push_back("ns=" + ns);
}

// The filter goes inside a Go string literal: quotes escaped, surrounding newlines dropped.
void add_filter(std::vector<std::string>& options, const std::string& filter) {
  if (filter.empty()) return;
  std::string escaped;
  for (const char c : filter) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  const std::size_t first = escaped.find_first_not_of('\n');
  if (first == std::string::npos) escaped.clear();
  else escaped = escaped.substr(first, escaped.find_last_not_of('\n') - first + 1);
  options.push_back(escaped);
}

std::string services_source(const ServicesTemplate& t) {
  std::vector<ServiceQuery> queries = t.services;
  std::stable_sort(queries.begin(), queries.end(),
                   [](const ServiceQuery& a, const ServiceQuery& b) { return a.name < b.name; });
  std::string calls;
  for (const ServiceQuery& q : queries) {
    std::vector<std::string> options{q.name};
    add_location(options, q.datacenter, q.namespace_name);
    add_filter(options, q.filter);
    calls += fill(t.render_var ? kServiceBase : kServiceEmpty, quoted_options(options));
  }
  calls += "\n";
  return t.render_var ? "\nservices = {" + calls + "}\n" : calls;
}

std::string services_regex_source(const ServicesRegexTemplate& t) {
  std::vector<std::string> options{"regexp=" + t.regexp};
  add_location(options, t.datacenter, t.namespace_name);
  add_filter(options, t.filter);
  return fill(t.render_var ? kServicesRegexSetVar : kServicesRegexEmpty, quoted_options(options));
}

std::string catalog_services_source(const CatalogServicesTemplate& t) {
  std::vector<std::string> options;
  if (!t.regexp.empty()) options.push_back("regexp=" + t.regexp);
  add_location(options, t.datacenter, t.namespace_name);
  // CTS ranges over a Go map here (random order); sorted keys are one of its orders.
  for (const auto& [key, value] : t.node_meta) options.push_back("node-meta=" + key + ":" + value);
  std::string query = quoted_options(options);
  if (!query.empty()) query += " ";  // CTS's "deliberate space at end"
  return fill(t.render_var ? kCatalogServicesSetVar : kCatalogServicesEmpty, query);
}

std::string consul_kv_source(const ConsulKvTemplate& t) {
  std::vector<std::string> options{t.path};
  add_location(options, t.datacenter, t.namespace_name);
  const std::string query = quoted_options(options);
  if (!t.render_var) return fill(t.recurse ? kConsulKvRecurseEmpty : kConsulKvEmpty, query);
  return "\nconsul_kv = {" + fill(t.recurse ? kConsulKvRecurseBase : kConsulKvBase, query) + "}\n";
}

}  // namespace

std::string template_source(const Template& tmpl) {
  struct Visitor {
    std::string operator()(const ServicesTemplate& t) const { return services_source(t); }
    std::string operator()(const ServicesRegexTemplate& t) const { return services_regex_source(t); }
    std::string operator()(const CatalogServicesTemplate& t) const { return catalog_services_source(t); }
    std::string operator()(const ConsulKvTemplate& t) const { return consul_kv_source(t); }
  };
  return std::visit(Visitor{}, tmpl);
}

bool sets_services_variable(const Template& tmpl) {
  if (const auto* services = std::get_if<ServicesTemplate>(&tmpl)) return services->render_var;
  if (const auto* regex = std::get_if<ServicesRegexTemplate>(&tmpl)) return regex->render_var;
  return false;
}

}  // namespace baton::driver::terraform
