// The Terraform driver's files against CTS v0.9.0's own generators run on random inputs
// (tests/unit/testdata/tftmpl/differential/README.md).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/driver/terraform/files.hpp"

namespace baton::driver::terraform {
namespace {

using nlohmann::json;

Value value_of(const json& j) {
  if (j.contains("null")) return Value::null();
  if (j.contains("bool")) return Value::boolean(j["bool"].get<bool>());
  if (j.contains("int")) return Value::integer(std::stoll(j["int"].get<std::string>()));
  if (j.contains("float")) return Value::floating(std::strtod(j["float"].get<std::string>().c_str(), nullptr));
  if (j.contains("lit")) return Value::decimal(j["lit"].get<std::string>()).value();
  if (j.contains("str")) return Value::string(j["str"].get<std::string>());
  if (j.contains("tuple") || j.contains("list")) {
    std::vector<Value> elements;
    for (const json& e : j.contains("tuple") ? j["tuple"] : j["list"]) elements.push_back(value_of(e));
    return j.contains("tuple") ? Value::tuple(std::move(elements)) : Value::list(std::move(elements));
  }
  std::vector<Value::Member> members;
  for (const json& e : j.contains("map") ? j["map"] : j["object"]) {
    members.push_back({e[0].get<std::string>(), value_of(e[1])});
  }
  return j.contains("map") ? Value::map(std::move(members)) : Value::object(std::move(members));
}

std::map<std::string, std::string> string_map(const json& j) {
  std::map<std::string, std::string> out;
  if (!j.is_null()) out = j.get<std::map<std::string, std::string>>();
  return out;
}

std::vector<std::string> string_list(const json& j) {
  return j.is_null() ? std::vector<std::string>{} : j.get<std::vector<std::string>>();
}

Template template_of(const json& t) {
  const std::string kind = t["kind"];
  if (kind == "services") {
    ServicesTemplate s{{}, t["render"]};
    for (const json& q : t["queries"]) s.services.push_back({q["name"], q["dc"], q["ns"], q["filter"]});
    return s;
  }
  if (kind == "regex") return ServicesRegexTemplate{t["regexp"], t["dc"], t["ns"], t["filter"], t["render"]};
  if (kind == "catalog") {
    return CatalogServicesTemplate{t["regexp"], t["dc"], t["ns"], string_map(t["node_meta"]), t["render"]};
  }
  return ConsulKvTemplate{t["path"], t["recurse"], t["dc"], t["ns"], t["render"]};
}

TaskInput task_of(const json& in) {
  TaskInput task;
  task.name = in["task"]["name"];
  task.description = in["task"]["description"];
  task.module_source = in["task"]["module"];
  task.module_version = in["task"]["version"];
  if (!in["tf_version"].is_null()) {
    task.terraform_version = TerraformVersion{in["tf_version"][0], in["tf_version"][1], in["tf_version"][2]};
  }
  if (in.contains("backend")) {
    task.backend = Backend{"consul", {}};
    for (const json& e : in["backend"]) task.backend->arguments[e[0].get<std::string>()] = value_of(e[1]);
  }
  for (const json& e : in["required_providers"]) task.required_providers[e[0].get<std::string>()] = value_of(e[1]);
  for (const json& p : in["providers"]) {
    Provider provider{p["name"], {}};
    for (const json& e : p["args"]) provider.arguments[e[0].get<std::string>()] = value_of(e[1]);
    task.providers.push_back(std::move(provider));
  }
  for (const json& e : in["variables"]) task.variables[e[0].get<std::string>()] = value_of(e[1]);
  for (const json& t : in["templates"]) task.templates.push_back(template_of(t));
  return task;
}

ServiceInstance instance_of(const json& s) {
  ServiceInstance i;
  i.id = s["ID"];
  i.name = s["Name"];
  i.kind = s["Kind"];
  i.address = s["Address"];
  i.port = s["Port"];
  i.meta = string_map(s["Meta"]);
  i.tags = string_list(s["Tags"]);
  i.namespace_name = s["Namespace"];
  i.status = s["Status"];
  i.node = s["Node"];
  i.node_id = s["NodeID"];
  i.node_address = s["NodeAddress"];
  i.node_datacenter = s["NodeDatacenter"];
  i.node_tagged_addresses = string_map(s["NodeTaggedAddresses"]);
  i.node_meta = string_map(s["NodeMeta"]);
  i.cts_user_defined_meta = string_map(s["CtsMeta"]);
  return i;
}

ConsulData data_of(const json& in) {
  ConsulData data;
  for (const json& s : in["services"]) data.services.push_back(instance_of(s));
  for (const auto& [name, tags] : in["catalog"].items()) data.catalog_services[name] = string_list(tags);
  data.consul_kv = string_map(in["kv"]);
  return data;
}

std::string render(const std::string& file, const TaskInput& task, const ConsulData& data) {
  if (file == "main.tf") return render_main_tf(task);
  if (file == "variables.tf") return render_variables_tf(task);
  if (file == "variables.module.tf") return render_module_variables_tf(task);
  if (file == "terraform.tfvars.tmpl") return render_tfvars_template(task);
  if (file == "providers.auto.tfvars") return render_providers_tfvars(task);
  if (file == "variables.auto.tfvars") return render_variables_tfvars(task);
  if (file == "terraform.tfvars") return render_tfvars(task, data);
  ADD_FAILURE() << "unknown file " << file;
  return "";
}

TEST(TfDifferential, EveryFileOfEveryCaseMatchesCts) {
  std::ifstream corpus(std::string(BATON_TFTMPL_TESTDATA) + "/differential/cases.jsonl");
  ASSERT_TRUE(corpus.good());
  int cases = 0;
  int files = 0;
  for (std::string line; std::getline(corpus, line); ++cases) {
    const json c = json::parse(line);
    const TaskInput task = task_of(c["input"]);
    const ConsulData data = data_of(c["input"]);
    for (const auto& [file, expected] : c["files"].items()) {
      ++files;
      EXPECT_EQ(render(file, task, data), expected.get<std::string>()) << "case " << cases << ", " << file;
    }
  }
  EXPECT_EQ(cases, 32);
  // terraform.tfvars is missing where Go's template parser rejected a generated query.
  EXPECT_GE(files, 32 * 6);
}

}  // namespace
}  // namespace baton::driver::terraform
