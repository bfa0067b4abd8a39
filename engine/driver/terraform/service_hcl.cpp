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
void start_attribute(Tokens& tokens, std::string name) {
  tokens.push_back(identifier_token(std::move(name)));
  tokens.push_back(Token{TokenType::equal, "="});
}
void end_attribute(Tokens& tokens) { tokens.push_back(Token{TokenType::newline, "\n"}); }

void add_string(Tokens& tokens, std::string name, const std::string& value) {
  start_attribute(tokens, std::move(name));
  append_string_tokens(tokens, value);
  end_attribute(tokens);
}
void add_string_map(Tokens& tokens, std::string name, const std::map<std::string, std::string>& value) {
  start_attribute(tokens, std::move(name));
  append_string_map_tokens(tokens, value);
  end_attribute(tokens);
}
void add_number(Tokens& tokens, std::string name, int value) {
  start_attribute(tokens, std::move(name));
  tokens.push_back(Token{TokenType::number, std::to_string(value)});
  end_attribute(tokens);
}

}  // namespace

std::string hcl_service(const ServiceInstance& s) {
  std::vector<std::string> tags = s.tags;
  std::sort(tags.begin(), tags.end());  // hcat's deepCopyAndSortTags
  Tokens tokens;
  tokens.reserve(128);
  // gohcl.EncodeIntoBody writes the fields in the struct's order.
  add_string(tokens, "id", s.id);
  add_string(tokens, "name", s.name);
  add_string(tokens, "kind", s.kind);
  add_string(tokens, "address", s.address.empty() ? s.node_address : s.address);
  add_number(tokens, "port", s.port);
  add_string_map(tokens, "meta", s.meta);
  start_attribute(tokens, "tags");
  append_string_list_tokens(tokens, tags);
  end_attribute(tokens);
  add_string(tokens, "namespace", s.namespace_name);
  add_string(tokens, "status", s.status);
  add_string(tokens, "node", s.node);
  add_string(tokens, "node_id", s.node_id);
  add_string(tokens, "node_address", s.node_address);
  add_string(tokens, "node_datacenter", s.node_datacenter);
  add_string_map(tokens, "node_tagged_addresses", s.node_tagged_addresses);
  add_string_map(tokens, "node_meta", s.node_meta);
  add_string_map(tokens, "cts_user_defined_meta", s.cts_user_defined_meta);
  std::string text = formatted(std::move(tokens));
  // strings.TrimSpace: only the final newline can be there.
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

namespace {

// hcat's `indent`: `spaces` spaces before every line that is not empty.
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
