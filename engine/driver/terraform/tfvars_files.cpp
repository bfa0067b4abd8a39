// providers.auto.tfvars and variables.auto.tfvars (templates/tftmpl/tfvars.go), written with
// hclwrite's File.WriteTo (formatted tokens, no re-lexing).
#include <algorithm>
#include <vector>

#include "engine/driver/terraform/files.hpp"
#include "engine/driver/terraform/hcl_body.hpp"
#include "engine/driver/terraform/hcl_format.hpp"

namespace baton::driver::terraform {

std::string render_providers_tfvars(const TaskInput& task) {
  std::vector<Provider> providers = task.providers;
  std::stable_sort(providers.begin(), providers.end(),
                   [](const Provider& a, const Provider& b) { return a.name < b.name; });
  Body root;
  root.append_newline();
  for (std::size_t i = 0; i < providers.size(); ++i) {
    std::vector<Value::Member> members;
    for (const auto& [name, value] : providers[i].arguments) members.push_back({name, value});
    root.set_attribute_value(providers[i].name, Value::object(std::move(members)));
    if (i + 1 != providers.size()) root.append_newline();
  }
  return preamble(task) + formatted(root.build());
}

std::string render_variables_tfvars(const TaskInput& task) {
  Body root;
  root.append_newline();
  for (const auto& [name, value] : task.variables) root.set_attribute_value(name, value);
  root.append_newline();
  return preamble(task) + formatted(root.build());
}

}  // namespace baton::driver::terraform
