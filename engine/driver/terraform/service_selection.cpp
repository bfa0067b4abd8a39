#include "engine/driver/terraform/service_selection.hpp"

#include <algorithm>
#include <tuple>

#include "engine/driver/terraform/service_hcl.hpp"

namespace baton::driver::terraform {
namespace {

bool is_passing(const ServiceInstance& instance) { return instance.status == "passing"; }

// hcat sorts by node then id. Consul never sends two instances that tie on both within one
// query (their namespace would differ), but the fallback order keeps the output independent of
// the input's order even then: namespace, datacenter, then the rendered text itself.
bool before(const ServiceInstance* a, const ServiceInstance* b) {
  const auto key = [](const ServiceInstance* s) {
    return std::tie(s->node, s->id, s->namespace_name, s->node_datacenter);
  };
  if (key(a) != key(b)) return key(a) < key(b);
  return service_entry(*a) < service_entry(*b);
}

void sort_by_node_then_id(std::vector<const ServiceInstance*>& selected) {
  std::stable_sort(selected.begin(), selected.end(), before);
}

}  // namespace

bool passing_only(std::string_view filter) { return filter.find("Checks.Status") == std::string_view::npos; }

std::vector<const ServiceInstance*> select_services(const ServicesTemplate& tmpl,
                                                    const std::vector<ServiceInstance>& instances) {
  std::vector<ServiceQuery> queries = tmpl.services;
  std::stable_sort(queries.begin(), queries.end(),
                   [](const ServiceQuery& a, const ServiceQuery& b) { return a.name < b.name; });
  std::vector<const ServiceInstance*> out;
  for (const ServiceQuery& query : queries) {
    std::vector<const ServiceInstance*> matching;
    for (const ServiceInstance& instance : instances) {
      if (instance.name != query.name) continue;
      if (passing_only(query.filter) && !is_passing(instance)) continue;
      matching.push_back(&instance);
    }
    sort_by_node_then_id(matching);
    out.insert(out.end(), matching.begin(), matching.end());
  }
  return out;
}

std::vector<const ServiceInstance*> select_services(const ServicesRegexTemplate&,
                                                    const std::vector<ServiceInstance>& instances) {
  std::vector<const ServiceInstance*> out;
  for (const ServiceInstance& instance : instances) {
    if (is_passing(instance)) out.push_back(&instance);
  }
  sort_by_node_then_id(out);
  return out;
}

}  // namespace baton::driver::terraform
