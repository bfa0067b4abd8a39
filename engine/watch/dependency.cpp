#include "engine/watch/dependency.hpp"

#include <algorithm>
#include <string_view>

#include "engine/driver/terraform/service_selection.hpp"
#include "engine/text/go_regex.hpp"

namespace baton::watch {

namespace tf = driver::terraform;

namespace {

// Fields are joined with a separator no Consul name contains; the filter goes last since it may
// contain anything.
std::string join_key(std::initializer_list<std::string> parts) {
  std::string key;
  for (const std::string& part : parts) {
    if (!key.empty()) key += '\x1f';
    key += part;
  }
  return key;
}

std::string node_meta_text(const std::map<std::string, std::string>& node_meta) {
  std::string text;
  for (const auto& [name, value] : node_meta) text += name + "=" + value + ";";
  return text;
}

void add_unique(std::vector<Dependency>& dependencies, Dependency dependency) {
  const std::string key = dependency_key(dependency);
  const bool seen = std::any_of(dependencies.begin(), dependencies.end(),
                                [&key](const Dependency& d) { return dependency_key(d) == key; });
  if (!seen) dependencies.push_back(std::move(dependency));
}

}  // namespace

std::string dependency_key(const Dependency& dependency) {
  struct Visitor {
    std::string operator()(const HealthServiceDependency& d) const {
      return join_key({"health", d.name, d.datacenter, d.namespace_name, d.passing_only ? "passing" : "all", d.filter});
    }
    std::string operator()(const CatalogServicesDependency& d) const {
      return join_key({"catalog", d.datacenter, d.namespace_name, node_meta_text(d.node_meta)});
    }
    std::string operator()(const KvDependency& d) const {
      return join_key({"kv", d.recurse ? "recurse" : "key", d.datacenter, d.namespace_name, d.path});
    }
  };
  return std::visit(Visitor{}, dependency);
}

std::vector<Dependency> template_dependencies(const tf::Template& tmpl) {
  std::vector<Dependency> dependencies;
  if (const auto* services = std::get_if<tf::ServicesTemplate>(&tmpl)) {
    for (const tf::ServiceQuery& query : services->services) {
      add_unique(dependencies, HealthServiceDependency{query.name, query.datacenter, query.namespace_name, query.filter,
                                                       tf::passing_only(query.filter)});
    }
  } else if (const auto* regexp = std::get_if<tf::ServicesRegexTemplate>(&tmpl)) {
    add_unique(dependencies, CatalogServicesDependency{regexp->datacenter, regexp->namespace_name, {}});
  } else if (const auto* catalog = std::get_if<tf::CatalogServicesTemplate>(&tmpl)) {
    add_unique(dependencies, CatalogServicesDependency{catalog->datacenter, catalog->namespace_name, catalog->node_meta});
  } else if (const auto* kv = std::get_if<tf::ConsulKvTemplate>(&tmpl)) {
    add_unique(dependencies, KvDependency{kv->path, kv->recurse, kv->datacenter, kv->namespace_name});
  }
  return dependencies;
}

std::vector<Dependency> task_dependencies(const tf::TaskInput& task) {
  std::vector<Dependency> dependencies;
  for (const tf::Template& tmpl : task.templates) {
    for (Dependency& dependency : template_dependencies(tmpl)) add_unique(dependencies, std::move(dependency));
  }
  return dependencies;
}

std::vector<Dependency> regexp_health_dependencies(const tf::ServicesRegexTemplate& tmpl,
                                                   const std::map<std::string, std::vector<std::string>>& catalog) {
  std::vector<Dependency> dependencies;
  // strings.TrimSpace, on ASCII white space (Go's also trims Unicode spaces such as U+00A0).
  std::string_view pattern = tmpl.regexp;
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; };
  while (!pattern.empty() && is_space(pattern.front())) pattern.remove_prefix(1);
  while (!pattern.empty() && is_space(pattern.back())) pattern.remove_suffix(1);
  auto compiled = text::GoRegex::compile(pattern);
  const auto* regex = std::get_if<std::shared_ptr<const text::GoRegex>>(&compiled);
  if (regex == nullptr) return dependencies;
  for (const auto& [name, tags] : catalog) {
    if (!(*regex)->search(name)) continue;
    dependencies.push_back(HealthServiceDependency{name, tmpl.datacenter, tmpl.namespace_name, tmpl.filter, true});
  }
  return dependencies;
}

}  // namespace baton::watch
