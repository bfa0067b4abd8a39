// The Terraform driver's files against CTS v0.9.0's own golden files
// (tests/unit/testdata/tftmpl/SOURCE.md), each built from the inputs CTS's tests use
// (templates/tftmpl/golden_test.go TestNewFiles, integration_test.go TestRenderTFVarsTmpl).
#include <gtest/gtest.h>

#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

#include "engine/driver/terraform/files.hpp"
#include "tests/unit/tf_fixtures.hpp"

namespace baton::driver::terraform {
namespace {

std::string golden(const std::string& relative) {
  std::ifstream in(std::string(BATON_TFTMPL_TESTDATA) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

using namespace fixtures;

TEST(TfGolden, MainTf) {
  TaskInput task = golden_task();
  task.backend = Backend{"consul", {{"scheme", Value::string("https")},
                                    {"path", Value::string("consul-terraform-sync/terraform")}}};
  task.providers = {test_provider_with_object()};
  task.required_providers = {
      {"testProvider", Value::object({{"version", Value::string("1.2.0")},
                                      {"source", Value::string("namespace/testProvider")}})}};
  task.variables = {{"one", Value::integer(1)}, {"bool_true", Value::boolean(true)}};
  EXPECT_EQ(render_main_tf(task), golden("main.tf"));
}

TEST(TfGolden, MainTfWithCatalogServicesVariable) {
  TaskInput task = golden_task();
  task.templates = {CatalogServicesTemplate{.regexp = ".*", .render_var = true}};
  EXPECT_EQ(render_main_tf(task), golden("catalog-services/main.tf"));
}

TEST(TfGolden, VariablesTf) {
  TaskInput task = golden_task();
  task.terraform_version = TerraformVersion{0, 99, 9};
  task.providers = {test_provider_with_object()};
  EXPECT_EQ(render_variables_tf(task), golden("variables.tf"));
}

TEST(TfGolden, VariablesTfWithCatalogServicesVariable) {
  TaskInput task = golden_task();
  task.terraform_version = TerraformVersion{0, 99, 9};
  task.templates = {CatalogServicesTemplate{.regexp = ".*", .render_var = true}};
  EXPECT_EQ(render_variables_tf(task), golden("catalog-services/variables_with_var.tf"));
}

TEST(TfGolden, VariablesTfWithConsulKvVariable) {
  TaskInput task = golden_task();
  task.terraform_version = TerraformVersion{0, 99, 9};
  task.templates = {ConsulKvTemplate{.path = "key-path", .datacenter = "dc1", .render_var = true}};
  EXPECT_EQ(render_variables_tf(task), golden("consul-kv/variables.tf"));
}

TEST(TfGolden, ProvidersTfvars) {
  TaskInput task = golden_task();
  task.providers = {Provider{"testProvider",
                             {{"alias", Value::string("tp")},
                              {"attr", Value::string("value")},
                              {"count", Value::integer(10)}}}};
  EXPECT_EQ(render_providers_tfvars(task), golden("providers.tfvars"));
}

TEST(TfGolden, ModuleVariablesTf) {
  TaskInput task = golden_task();
  task.variables = golden_variables();
  EXPECT_EQ(render_module_variables_tf(task), golden("variables.module.tf"));
}

TEST(TfGolden, VariablesAutoTfvars) {
  TaskInput task = golden_task();
  task.variables = golden_variables();
  EXPECT_EQ(render_variables_tfvars(task), golden("variables.auto.tfvars"));
}

struct TemplateCase {
  const char* golden_file;
  std::vector<Template> templates;
};

void PrintTo(const TemplateCase& c, std::ostream* os) { *os << c.golden_file; }

class TfGoldenTemplate : public testing::TestWithParam<TemplateCase> {};

TEST_P(TfGoldenTemplate, TfvarsTemplate) {
  TaskInput task = golden_task();
  task.templates = GetParam().templates;
  EXPECT_EQ(render_tfvars_template(task), golden(GetParam().golden_file));
}

INSTANTIATE_TEST_SUITE_P(
    Cts, TfGoldenTemplate,
    testing::Values(
        TemplateCase{"services/terraform.tfvars.tmpl",
                     {ServicesTemplate{{{"web", "dc1", "ns1", "\"tag\" in Service.Tags"},
                                        {"api", "dc1", "ns1", "\"tag\" in Service.Tags"}}}}},
        TemplateCase{"terraform.tfvars.tmpl", {deprecated_services()}},
        TemplateCase{"terraform_services_module_input.tmpl",
                     {ServicesRegexTemplate{".*", "dc1", "ns1", "some-filter", true}}},
        TemplateCase{"catalog-services/terraform.tfvars.tmpl",
                     {CatalogServicesTemplate{.regexp = ".*", .render_var = false}, deprecated_services()}},
        TemplateCase{"catalog-services/terraform_with_var.tfvars.tmpl",
                     {CatalogServicesTemplate{.regexp = "^web.*|^api.*"}, deprecated_services()}},
        TemplateCase{"catalog-services/terraform_filter.tfvars.tmpl",
                     {CatalogServicesTemplate{
                          .regexp = "^web.*|^api.*", .datacenter = "dc1", .node_meta = {{"k", "v"}}},
                      deprecated_services()}},
        TemplateCase{"catalog-services/terraform_no_services.tfvars.tmpl",
                     {CatalogServicesTemplate{.regexp = ".*", .render_var = false}}},
        TemplateCase{"consul-kv/terraform.tfvars.tmpl",
                     {ConsulKvTemplate{.path = "key-path", .datacenter = "dc1", .render_var = false},
                      deprecated_services()}},
        TemplateCase{"consul-kv/terraform_namespace.tfvars.tmpl",
                     {ConsulKvTemplate{.path = "key-path", .datacenter = "dc1", .namespace_name = "test-ns",
                                       .render_var = false},
                      deprecated_services()}},
        TemplateCase{"consul-kv/terraform_with_var.tfvars.tmpl",
                     {ConsulKvTemplate{.path = "key-path", .datacenter = "dc1"}, deprecated_services()}},
        TemplateCase{"consul-kv/terraform_recurse_true.tfvars.tmpl",
                     {ConsulKvTemplate{.path = "key-path", .recurse = true, .datacenter = "dc1"},
                      deprecated_services()}},
        TemplateCase{"consul-kv/terraform_recurse_true_no_var.tfvars.tmpl",
                     {ConsulKvTemplate{.path = "key-path", .recurse = true, .datacenter = "dc1", .render_var = false},
                      deprecated_services()}}));

struct RenderCase {
  const char* golden_file;
  std::vector<Template> templates;
  ConsulData data;
};

void PrintTo(const RenderCase& c, std::ostream* os) { *os << c.golden_file; }

class TfGoldenRender : public testing::TestWithParam<RenderCase> {};

TEST_P(TfGoldenRender, Tfvars) {
  TaskInput task = golden_task();
  task.templates = GetParam().templates;
  EXPECT_EQ(render_tfvars(task, GetParam().data), golden(GetParam().golden_file));
}

INSTANTIATE_TEST_SUITE_P(
    Cts, TfGoldenRender,
    testing::Values(
        RenderCase{"terraform.tfvars", {deprecated_services()}, {{api(), api_2(), web()}, {}, {}}},
        RenderCase{"consul-kv/terraform.tfvars",
                   {ConsulKvTemplate{.path = "key-path", .datacenter = "dc1"}, deprecated_services()},
                   {{api(), api_2(), web()}, {}, {{"key-path", "red"}}}},
        RenderCase{"consul-kv/terraform_recurse_true.tfvars",
                   {ConsulKvTemplate{.path = "key-path", .recurse = true, .datacenter = "dc1"}, deprecated_services()},
                   {{api(), api_2(), web()},
                    {},
                    {{"key-path/co", "Canada"}, {"key-path/pr", "BC"}, {"key-path/ci", "Vancouver"}}}},
        RenderCase{"services-regex/terraform.tfvars",
                   {ServicesRegexTemplate{"api", "dc1", "", "Service.ID == \"api-2\"", true}},
                   {{api_2()}, {}, {}}},
        RenderCase{"terraform.tfvars",
                   {CatalogServicesTemplate{.regexp = ".*", .render_var = false}, deprecated_services()},
                   {{api(), api_2(), web()}, {{"api", {"tag"}}, {"web", {"tag_a", "tag_b"}}}, {}}},
        RenderCase{"catalog-services/terraform_with_var.tfvars",
                   {CatalogServicesTemplate{.regexp = "^web.*|^api.*"}, deprecated_services()},
                   {{api(), api_2(), web()}, {{"web", {"tag_b", "tag_a"}}, {"api", {"tag"}}}, {}}},
        RenderCase{"catalog-services/terraform_filter.tfvars",
                   {CatalogServicesTemplate{.regexp = "^web.*|^api.*", .datacenter = "dc1", .node_meta = {{"k", "v"}}},
                    deprecated_services()},
                   {{web(), api_on_worker_02()}, {{"api", {"tag"}}}, {}}},
        RenderCase{"no_services.tfvars", {deprecated_services()}, {}},
        RenderCase{"only_web_service.tfvars", {deprecated_services()}, {{web()}, {}, {}}},
        RenderCase{"only_api_service.tfvars", {deprecated_services()},
                   {{api_on_worker_02(), api_2(), api()}, {}, {}}}));

}  // namespace
}  // namespace baton::driver::terraform
