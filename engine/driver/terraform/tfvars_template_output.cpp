// What Go's text/template renders from each template of terraform.tfvars.tmpl, given the
// Consul data. Every text node inside a template is trimmed by a neighbouring `{{-` or `-}}`
// except the ones kept below; an empty result skips a `with` body entirely.
#include <algorithm>
#include <string>
#include <vector>

#include "engine/driver/terraform/service_hcl.hpp"
#include "engine/driver/terraform/service_selection.hpp"
#include "engine/driver/terraform/tfvars_templates.hpp"

namespace baton::driver::terraform {
namespace {

// A template whose var is set: "\n<var> = {" {{- actions }} "\n}\n". Without the var, only
// "\n" {{- actions }} "\n" remains, and the actions render nothing.
TemplateOutput set_var(const std::string& variable, std::string body) {
  return {"\n" + variable + " = {", true, std::move(body), "\n}\n"};
}

TemplateOutput no_var() { return {"\n", true, "", "\n"}; }

std::string services_body(const std::vector<const ServiceInstance*>& instances) {
  std::string body;
  for (const ServiceInstance* instance : instances) {
    append_service_entry(body, *instance);
    // Entries are alike in size: room for all after the first saves the doublings, and some
    // slack for the text render_tfvars puts in front.
    if (instance == instances.front()) body.reserve(body.size() * instances.size() * 5 / 4 + 4096);
  }
  return body;
}

// HCLServiceTags: each tag quoted (not escaped), sorted as quoted strings, comma separated.
std::string catalog_tags(const std::vector<std::string>& tags) {
  std::vector<std::string> quoted;
  for (const std::string& tag : tags) quoted.push_back("\"" + tag + "\"");
  std::sort(quoted.begin(), quoted.end());
  std::string out = "[";
  for (std::size_t i = 0; i < quoted.size(); ++i) out += (i > 0 ? ", " : "") + quoted[i];
  return out + "]";
}

TemplateOutput services_output(const ServicesTemplate& t, const ConsulData& data) {
  // Without a single query the template has no action: it is plain text.
  if (t.services.empty()) return {t.render_var ? "\nservices = {\n}\n" : "\n", false, "", ""};
  if (!t.render_var) return no_var();
  return set_var("services", services_body(select_services(t, data.services)));
}

TemplateOutput services_regex_output(const ServicesRegexTemplate& t, const ConsulData& data) {
  if (!t.render_var) return no_var();
  return set_var("services", services_body(select_services(t, data.services)));
}

TemplateOutput catalog_services_output(const CatalogServicesTemplate& t, const ConsulData& data) {
  if (!t.render_var) return no_var();
  std::string body;
  for (const auto& [name, tags] : data.catalog_services) body += "\n  \"" + name + "\" = " + catalog_tags(tags);
  return set_var("catalog_services", std::move(body));
}

// keyExistsGet reads the one key; `keys` lists every key under the path, as a plain string
// prefix, in Consul's (bytewise) order. Keys and values are written raw: CTS's template does
// not escape them.
TemplateOutput consul_kv_output(const ConsulKvTemplate& t, const ConsulData& data) {
  if (!t.render_var) return no_var();
  std::string body;
  for (const auto& [path, value] : data.consul_kv) {
    const bool shown = t.recurse ? path.compare(0, t.path.size(), t.path) == 0 : path == t.path;
    if (shown) body += "\n  \"" + path + "\" = \"" + value + "\"";
  }
  return set_var("consul_kv", std::move(body));
}

}  // namespace

TemplateOutput template_output(const Template& tmpl, const ConsulData& data) {
  struct Visitor {
    const ConsulData& data;
    TemplateOutput operator()(const ServicesTemplate& t) const { return services_output(t, data); }
    TemplateOutput operator()(const ServicesRegexTemplate& t) const { return services_regex_output(t, data); }
    TemplateOutput operator()(const CatalogServicesTemplate& t) const { return catalog_services_output(t, data); }
    TemplateOutput operator()(const ConsulKvTemplate& t) const { return consul_kv_output(t, data); }
  };
  return std::visit(Visitor{data}, tmpl);
}

}  // namespace baton::driver::terraform
