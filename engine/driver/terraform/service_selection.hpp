#pragma once
// Which instances a services template renders, in which order: what hcat's `service` and CTS's
// `servicesRegex` template functions return for the instances Consul sent.
#include <string_view>
#include <vector>

#include "engine/driver/terraform/service_instance.hpp"
#include "engine/driver/terraform/task_input.hpp"

namespace baton::driver::terraform {

// hcat asks Consul for passing instances only (?passing) unless the query's filter mentions
// Checks.Status. servicesRegex always asks for passing instances.
bool passing_only(std::string_view filter);

// Per query, by name in sorted order: the instances of that name (passing ones unless the
// query's filter mentions Checks.Status), sorted by node then id.
std::vector<const ServiceInstance*> select_services(const ServicesTemplate& tmpl,
                                                    const std::vector<ServiceInstance>& instances);

// All passing instances, sorted by node then id.
std::vector<const ServiceInstance*> select_services(const ServicesRegexTemplate& tmpl,
                                                    const std::vector<ServiceInstance>& instances);

}  // namespace baton::driver::terraform
