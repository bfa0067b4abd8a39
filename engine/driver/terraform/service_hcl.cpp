#include "engine/driver/terraform/service_hcl.hpp"

#include <algorithm>

#include "engine/driver/terraform/hcl_body.hpp"
#include "engine/driver/terraform/hcl_format.hpp"

namespace baton::driver::terraform {

std::string service_key(const ServiceInstance& instance) {
  std::string key;
  for (const std::string* part : {&instance.id, &instance.node, &instance.namespace_name, &instance.node_datacenter}) {
    if (part->empty()) continue;
    if (!key.empty()) key += '.';
    key += *part;
  }
  return key;
}

std::string hcl_service(const ServiceInstance& s) {
  std::vector<std::string> tags = s.tags;
  std::sort(tags.begin(), tags.end());  // hcat's deepCopyAndSortTags
  Body body;
  // gohcl.EncodeIntoBody writes the fields in the struct's order.
  body.set_attribute_value("id", Value::string(s.id));
  body.set_attribute_value("name", Value::string(s.name));
  body.set_attribute_value("kind", Value::string(s.kind));
  body.set_attribute_value("address", Value::string(s.address.empty() ? s.node_address : s.address));
  body.set_attribute_value("port", Value::integer(s.port));
  body.set_attribute_value("meta", Value::string_map(s.meta));
  body.set_attribute_value("tags", Value::string_list(tags));
  body.set_attribute_value("namespace", Value::string(s.namespace_name));
  body.set_attribute_value("status", Value::string(s.status));
  body.set_attribute_value("node", Value::string(s.node));
  body.set_attribute_value("node_id", Value::string(s.node_id));
  body.set_attribute_value("node_address", Value::string(s.node_address));
  body.set_attribute_value("node_datacenter", Value::string(s.node_datacenter));
  body.set_attribute_value("node_tagged_addresses", Value::string_map(s.node_tagged_addresses));
  body.set_attribute_value("node_meta", Value::string_map(s.node_meta));
  body.set_attribute_value("cts_user_defined_meta", Value::string_map(s.cts_user_defined_meta));
  std::string text = formatted(body.build());
  // strings.TrimSpace: only the final newline can be there.
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

std::string indent_lines(std::string_view text, std::size_t spaces) {
  std::string out;
  bool line_start = true;
  for (const char c : text) {
    if (line_start && c != '\n') out.append(spaces, ' ');
    out += c;
    line_start = c == '\n';
  }
  return out;
}

std::string service_entry(const ServiceInstance& instance) {
  return "\n  \"" + service_key(instance) + "\" = {\n" + indent_lines(hcl_service(instance), 4) + "\n  },";
}

}  // namespace baton::driver::terraform
