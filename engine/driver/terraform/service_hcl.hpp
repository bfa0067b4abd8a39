#pragma once
// How CTS's templates write one service instance into the `services` variable
// (templates/tftmpl/tmplfunc/hcl_service_func.go and the joinStrings/indent template functions).
#include <string>
#include <string_view>
#include <vector>

#include "engine/driver/terraform/service_instance.hpp"

namespace baton::driver::terraform {

// joinStrings "." .ID .Node .Namespace .NodeDatacenter: empty parts dropped ("api.worker-01.dc1").
std::string service_key(const ServiceInstance& instance);

// HCLService: the instance's 16 attributes as hclwrite formats them, without the final newline.
// Address falls back to the node address; meta maps and tags render {} and [] when empty;
// tags are sorted.
std::string hcl_service(const ServiceInstance& instance);

// One entry of `services = {...}` as the template renders it:
// "\n  \"<key>\" = {\n" + hcl_service indented by 4 + "\n  },". The key is not escaped (CTS
// writes it raw).
std::string service_entry(const ServiceInstance& instance);
// The same, appended to `out`: a catalog of thousands of instances is built in one buffer.
void append_service_entry(std::string& out, const ServiceInstance& instance);

}  // namespace baton::driver::terraform
