// Properties of the Terraform driver's renderer: the same inputs give the same bytes, and the
// order Consul happens to list instances, catalog services or tags in changes nothing.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "engine/driver/terraform/files.hpp"
#include "engine/driver/terraform/hcl_tokens_for.hpp"
#include "engine/driver/terraform/working_dir.hpp"
#include "tests/unit/tf_fixtures.hpp"

namespace baton::driver::terraform {
namespace {

// Short strings over an alphabet that exercises escaping, quoting and alignment.
rc::Gen<std::string> small_text() {
  static const std::vector<std::string> pieces{"a", "b", "-", ".", "_", "1", " ", "\"", "\\", "${", "%{",
                                               "\n", "\xC3\xA9", "\xCC\x81", "\xF0\x9F\x98\x80", "\xC2\xA0"};
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(pieces)),
                      [](const std::vector<std::string>& parts) {
                        std::string out;
                        for (std::size_t i = 0; i < parts.size() && i < 4; ++i) out += parts[i];
                        return out;
                      });
}

rc::Gen<std::map<std::string, std::string>> small_map() {
  return rc::gen::resize(6, rc::gen::container<std::map<std::string, std::string>>(small_text(), small_text()));
}

rc::Gen<std::vector<std::string>> small_list() {
  return rc::gen::resize(6, rc::gen::container<std::vector<std::string>>(small_text()));
}

rc::Gen<ServiceInstance> instance() {
  return rc::gen::apply(
      [](std::string id, std::string name, std::string node, std::string status, std::string address,
         std::vector<std::string> tags, std::map<std::string, std::string> meta, std::string ns) {
        ServiceInstance s;
        s.id = std::move(id);
        s.name = std::move(name);
        s.node = std::move(node);
        s.status = std::move(status);
        s.address = std::move(address);
        s.node_address = "10.0.0.1";
        s.tags = std::move(tags);
        s.meta = std::move(meta);
        s.namespace_name = std::move(ns);
        return s;
      },
      rc::gen::elementOf(std::vector<std::string>{"a", "b", "c"}),
      rc::gen::elementOf(std::vector<std::string>{"api", "web"}),
      rc::gen::elementOf(std::vector<std::string>{"n1", "n2"}),
      rc::gen::elementOf(std::vector<std::string>{"passing", "warning", "critical"}), small_text(),
      small_list(), small_map(),
      rc::gen::elementOf(std::vector<std::string>{"", "ns1"}));
}

TaskInput task_watching_everything(bool regex) {
  TaskInput task = fixtures::golden_task();
  if (regex) task.templates.push_back(ServicesRegexTemplate{".*"});
  else task.templates.push_back(ServicesTemplate{{{"web"}, {"api", "", "", "Checks.Status != \"x\""}}});
  task.templates.push_back(CatalogServicesTemplate{.regexp = ".*"});
  task.templates.push_back(ConsulKvTemplate{.path = "p", .recurse = true});
  return task;
}

template <typename T>
std::vector<T> shuffled(std::vector<T> items) {
  const auto keys = *rc::gen::container<std::vector<int>>(items.size(), rc::gen::arbitrary<int>());
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&keys](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  std::vector<T> out;
  for (const std::size_t i : order) out.push_back(items[i]);
  return out;
}

RC_GTEST_PROP(TfProperty, RenderingIsDeterministicAndIgnoresConsulsOrder, ()) {
  const auto instances = *rc::gen::resize(12, rc::gen::container<std::vector<ServiceInstance>>(instance()));
  const auto catalog = *rc::gen::resize(
      6, rc::gen::container<std::map<std::string, std::vector<std::string>>>(small_text(), small_list()));
  const auto kv = *small_map();
  const bool regex = *rc::gen::arbitrary<bool>();
  const TaskInput task = task_watching_everything(regex);

  const ConsulData data{instances, catalog, kv};
  const std::string rendered = render_tfvars(task, data);
  RC_ASSERT(render_tfvars(task, data) == rendered);
  RC_ASSERT(plan_working_dir(task, data) == plan_working_dir(task, data));

  ConsulData permuted{shuffled(instances), {}, kv};
  for (auto& [name, tags] : catalog) permuted.catalog_services[name] = shuffled(tags);
  for (ServiceInstance& s : permuted.services) s.tags = shuffled(s.tags);
  RC_ASSERT(render_tfvars(task, permuted) == rendered);
}

bool same_tokens(const Tokens& a, const Tokens& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].type != b[i].type || a[i].bytes != b[i].bytes) return false;
  }
  return true;
}

// The direct token writers the instance renderer uses are TokensForValue on the Values they
// stand for, token for token.
RC_GTEST_PROP(HclTokens, DirectWritersMatchTokensForValue, ()) {
  const auto text = *small_text();
  const auto entries = *small_map();
  const auto elements = *small_list();
  Tokens direct;
  append_string_tokens(direct, text);
  RC_ASSERT(same_tokens(direct, tokens_for_value(Value::string(text))));
  direct.clear();
  append_string_map_tokens(direct, entries);
  RC_ASSERT(same_tokens(direct, tokens_for_value(Value::string_map(entries))));
  direct.clear();
  append_string_list_tokens(direct, elements);
  RC_ASSERT(same_tokens(direct, tokens_for_value(Value::string_list(elements))));
}

}  // namespace
}  // namespace baton::driver::terraform
