#include "engine/driver/terraform/service_hcl.hpp"

#include <algorithm>

#include "engine/driver/terraform/hcl_tokens_for.hpp"
#include "engine/driver/terraform/value.hpp"
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

namespace {

// What Body::set_attribute_value then Body::build produce for one attribute, written straight
// into one token list: a catalog of 10,000 instances renders each of them.
void add_attribute(Tokens& tokens, std::string name, const Value& value) {
  tokens.push_back(identifier_token(std::move(name)));
  tokens.push_back(Token{TokenType::equal, "="});
  Tokens expression = tokens_for_value(value);
  tokens.insert(tokens.end(), std::make_move_iterator(expression.begin()), std::make_move_iterator(expression.end()));
  tokens.push_back(Token{TokenType::newline, "\n"});
}

}  // namespace

std::string hcl_service(const ServiceInstance& s) {
  std::vector<std::string> tags = s.tags;
  std::sort(tags.begin(), tags.end());  // hcat's deepCopyAndSortTags
  Tokens tokens;
  tokens.reserve(128);
  // gohcl.EncodeIntoBody writes the fields in the struct's order.
  add_attribute(tokens, "id", Value::string(s.id));
  add_attribute(tokens, "name", Value::string(s.name));
  add_attribute(tokens, "kind", Value::string(s.kind));
  add_attribute(tokens, "address", Value::string(s.address.empty() ? s.node_address : s.address));
  add_attribute(tokens, "port", Value::integer(s.port));
  add_attribute(tokens, "meta", Value::string_map(s.meta));
  add_attribute(tokens, "tags", Value::string_list(tags));
  add_attribute(tokens, "namespace", Value::string(s.namespace_name));
  add_attribute(tokens, "status", Value::string(s.status));
  add_attribute(tokens, "node", Value::string(s.node));
  add_attribute(tokens, "node_id", Value::string(s.node_id));
  add_attribute(tokens, "node_address", Value::string(s.node_address));
  add_attribute(tokens, "node_datacenter", Value::string(s.node_datacenter));
  add_attribute(tokens, "node_tagged_addresses", Value::string_map(s.node_tagged_addresses));
  add_attribute(tokens, "node_meta", Value::string_map(s.node_meta));
  add_attribute(tokens, "cts_user_defined_meta", Value::string_map(s.cts_user_defined_meta));
  std::string text = formatted(std::move(tokens));
  // strings.TrimSpace: only the final newline can be there.
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

namespace {

void append_indented(std::string& out, std::string_view text, std::size_t spaces) {
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::size_t line_size = end == std::string_view::npos ? text.size() : end;
    if (line_size > 0) out.append(spaces, ' ');  // an empty line stays empty
    out.append(text.substr(0, line_size));
    if (end == std::string_view::npos) return;
    out += '\n';
    text.remove_prefix(end + 1);
  }
}

}  // namespace

std::string indent_lines(std::string_view text, std::size_t spaces) {
  std::string out;
  append_indented(out, text, spaces);
  return out;
}

void append_service_entry(std::string& out, const ServiceInstance& instance) {
  out += "\n  \"";
  out += service_key(instance);
  out += "\" = {\n";
  append_indented(out, hcl_service(instance), 4);
  out += "\n  },";
}

std::string service_entry(const ServiceInstance& instance) {
  std::string entry;
  append_service_entry(entry, instance);
  return entry;
}

}  // namespace baton::driver::terraform
