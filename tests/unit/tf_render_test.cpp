// The Terraform driver's renderer beyond CTS's golden files: how instances become the services
// variable, escaping, catalog_services and consul_kv, the other files' corners, determinism and
// the working-directory plan.
#include <gtest/gtest.h>

#include "engine/driver/terraform/consul_backend.hpp"
#include "engine/driver/terraform/files.hpp"
#include "engine/driver/terraform/hcl_tokens_for.hpp"
#include "engine/driver/terraform/service_hcl.hpp"
#include "engine/driver/terraform/service_selection.hpp"
#include "engine/driver/terraform/working_dir.hpp"
#include "tests/unit/tf_fixtures.hpp"

namespace baton::driver::terraform {
namespace {

using namespace fixtures;

ServiceInstance bare(std::string id, std::string name, std::string node) {
  ServiceInstance s;
  s.id = std::move(id);
  s.name = std::move(name);
  s.node = std::move(node);
  s.status = "passing";
  return s;
}

// The rendered tfvars without the preamble.
std::string tfvars_body(const std::vector<Template>& templates, const ConsulData& data) {
  TaskInput task = golden_task();
  task.templates = templates;
  return render_tfvars(task, data).substr(preamble(task).size());
}

std::vector<std::string> ids(const std::vector<const ServiceInstance*>& selected) {
  std::vector<std::string> out;
  for (const ServiceInstance* s : selected) out.push_back(s->id + "@" + s->node);
  return out;
}

TEST(TfServiceKey, JoinsIdNodeNamespaceDatacenterDroppingEmptyParts) {
  ServiceInstance s = bare("api", "api", "worker-01");
  s.node_datacenter = "dc1";
  EXPECT_EQ(service_key(s), "api.worker-01.dc1");
  s.namespace_name = "ns1";
  EXPECT_EQ(service_key(s), "api.worker-01.ns1.dc1");
  s.node.clear();
  EXPECT_EQ(service_key(s), "api.ns1.dc1");
  EXPECT_EQ(service_key(ServiceInstance{}), "");
}

TEST(TfServiceHcl, EmptyMapsAndTagsRenderAsEmptyLiteralsAndAddressFallsBack) {
  ServiceInstance s = bare("web", "web", "n1");
  s.node_address = "10.0.0.1";
  EXPECT_EQ(hcl_service(s),
            "id                    = \"web\"\n"
            "name                  = \"web\"\n"
            "kind                  = \"\"\n"
            "address               = \"10.0.0.1\"\n"
            "port                  = 0\n"
            "meta                  = {}\n"
            "tags                  = []\n"
            "namespace             = \"\"\n"
            "status                = \"passing\"\n"
            "node                  = \"n1\"\n"
            "node_id               = \"\"\n"
            "node_address          = \"10.0.0.1\"\n"
            "node_datacenter       = \"\"\n"
            "node_tagged_addresses = {}\n"
            "node_meta             = {}\n"
            "cts_user_defined_meta = {}");
  s.address = "10.0.0.2";
  EXPECT_NE(hcl_service(s).find("address               = \"10.0.0.2\""), std::string::npos);
}

TEST(TfServiceHcl, TagsSortedAndMapsBrokenOverLinesWithAlignedKeys) {
  ServiceInstance s = bare("web", "web", "n1");
  s.tags = {"b", "a", "B"};
  s.meta = {{"version", "1"}, {"x", "2"}};
  s.cts_user_defined_meta = {{"owner", "team"}};
  const std::string hcl = hcl_service(s);
  // tags to node_meta align on node_tagged_addresses; the multi-line maps break the chains.
  EXPECT_NE(hcl.find("\ntags" + std::string(18, ' ') + "= [\"B\", \"a\", \"b\"]\n"), std::string::npos) << hcl;
  EXPECT_NE(hcl.find("meta = {\n  version = \"1\"\n  x       = \"2\"\n}\n"), std::string::npos) << hcl;
  EXPECT_NE(hcl.find("cts_user_defined_meta = {\n  owner = \"team\"\n}"), std::string::npos) << hcl;
}

// One `key = value` line of a map nested one level: `spaces` before the `=`.
std::string row(const std::string& key, std::size_t spaces, const std::string& value) {
  return "  " + key + std::string(spaces, ' ') + "= " + value + "\n";
}

TEST(TfServiceHcl, KeysThatAreNotIdentifiersAreQuoted) {
  ServiceInstance s = bare("web", "web", "n1");
  s.meta = {{"a.b", "1"}, {"1st", "2"}, {"", "3"}, {"_ok", "4"}, {"with-dash", "5"}, {"-lead", "6"},
            {"\xC3\xA9t\xC3\xA9", "7"}, {"say \"hi\"", "8"}};
  // Bytewise key order; `=` one column after the widest key, `"say \"hi\""`.
  const std::string expected = "meta = {\n" + row("\"\"", 11, "\"3\"") + row("\"-lead\"", 6, "\"6\"") +
                               row("\"1st\"", 8, "\"2\"") + row("_ok", 10, "\"4\"") + row("\"a.b\"", 8, "\"1\"") +
                               row("\"say \\\"hi\\\"\"", 1, "\"8\"") + row("with-dash", 4, "\"5\"") +
                               row("\xC3\xA9t\xC3\xA9", 10, "\"7\"") + "}\n";
  EXPECT_NE(hcl_service(s).find(expected), std::string::npos) << hcl_service(s);
}

TEST(TfServiceHcl, AlignmentCountsGraphemeClustersNotBytes) {
  ServiceInstance s = bare("web", "web", "n1");
  // e + combining acute accent: an identifier one column wide. A flag (two regional
  // indicators) is not an identifier character: quoted, and one column.
  s.meta = {{"e\xCC\x81", "1"}, {"ab", "2"}, {"f\xF0\x9F\x87\xA8\xF0\x9F\x87\xA6", "3"}};
  const std::string expected = row("ab", 3, "\"2\"") + row("e\xCC\x81", 4, "\"1\"") +
                               row("\"f\xF0\x9F\x87\xA8\xF0\x9F\x87\xA6\"", 1, "\"3\"");
  EXPECT_NE(hcl_service(s).find(expected), std::string::npos) << hcl_service(s);
}

TEST(TfEscaping, QuotedStringsEscapeAsHclwriteDoes) {
  EXPECT_EQ(escape_quoted_string("plain"), "plain");
  EXPECT_EQ(escape_quoted_string("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(escape_quoted_string("C:\\dir"), "C:\\\\dir");
  EXPECT_EQ(escape_quoted_string("${var.x} %{if} $5 100% $"), "$${var.x} %%{if} $5 100% $");
  EXPECT_EQ(escape_quoted_string("a\nb\r\tc"), "a\\nb\\r\\tc");
  EXPECT_EQ(escape_quoted_string(std::string("nul\0x", 5)), "nul\\u0000x");
  EXPECT_EQ(escape_quoted_string("\x7f"), "\\u007f");
  const std::string printable = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";  // é, €, 😀 stay as they are
  EXPECT_EQ(escape_quoted_string(printable), printable);
  EXPECT_EQ(escape_quoted_string("nb\xC2\xA0sp"), "nb\\u00a0sp");               // U+00A0 is a space, not printable
  EXPECT_EQ(escape_quoted_string("soft\xC2\xADhyphen"), "soft\\u00adhyphen");   // U+00AD, format
  EXPECT_EQ(escape_quoted_string("line\xE2\x80\xA8sep"), "line\\u2028sep");      // U+2028
  EXPECT_EQ(escape_quoted_string("tag\xF3\xA0\x80\x81"), "tag\\U000e0001");      // U+E0001, format
  EXPECT_EQ(escape_quoted_string("bad\xFF\xC3"), "bad\xEF\xBF\xBD\xEF\xBF\xBD");  // invalid UTF-8: U+FFFD
}

TEST(TfEscaping, ServiceValuesAreEscapedButKeysAndKvAreWrittenRawAsCtsDoes) {
  ServiceInstance s = bare("web\"1", "web", "n1");
  s.status = "passing";
  s.meta = {{"cmd", "echo \"${HOME}\"\n"}};
  const std::string body = tfvars_body({ServicesTemplate{{{"web"}}}}, {{s}, {}, {}});
  EXPECT_NE(body.find("\n  \"web\"1.n1\" = {\n    id      = \"web\\\"1\"\n"), std::string::npos) << body;
  EXPECT_NE(body.find("cmd = \"echo \\\"$${HOME}\\\"\\n\""), std::string::npos) << body;
}

TEST(TfSelection, ServicesByNameSortedThenByNodeThenId) {
  const std::vector<ServiceInstance> instances{bare("web-2", "web", "b"), bare("web-1", "web", "b"),
                                               bare("api", "api", "z"), bare("web-3", "web", "a"),
                                               bare("db", "db", "a")};
  const ServicesTemplate tmpl{{{"web"}, {"api"}}};
  EXPECT_EQ(ids(select_services(tmpl, instances)),
            (std::vector<std::string>{"api@z", "web-3@a", "web-1@b", "web-2@b"}));
}

TEST(TfSelection, PassingOnlyUnlessTheFilterMentionsCheckStatus) {
  ServiceInstance warning = bare("web-2", "web", "n");
  warning.status = "warning";
  ServiceInstance critical = bare("web-3", "web", "n");
  critical.status = "critical";
  const std::vector<ServiceInstance> instances{bare("web-1", "web", "n"), warning, critical};
  EXPECT_EQ(ids(select_services(ServicesTemplate{{{"web"}}}, instances)), (std::vector<std::string>{"web-1@n"}));
  const ServicesTemplate all{{{"web", "", "", "Checks.Status != \"critical\""}}};
  EXPECT_EQ(ids(select_services(all, instances)), (std::vector<std::string>{"web-1@n", "web-2@n", "web-3@n"}));
  // servicesRegex always asks Consul for passing instances.
  const ServicesRegexTemplate regex{".*", "", "", "Checks.Status != \"critical\"", true};
  EXPECT_EQ(ids(select_services(regex, instances)), (std::vector<std::string>{"web-1@n"}));
  EXPECT_TRUE(passing_only("Service.Tags contains \"x\""));
  EXPECT_FALSE(passing_only("Checks.Status == \"warning\""));
}

TEST(TfSelection, RegexInterleavesServicesByNodeThenId) {
  const std::vector<ServiceInstance> instances{bare("web", "web", "b"), bare("api", "api", "b"),
                                               bare("web", "web", "a")};
  EXPECT_EQ(ids(select_services(ServicesRegexTemplate{".*"}, instances)),
            (std::vector<std::string>{"web@a", "api@b", "web@b"}));
}

TEST(TfCatalogServices, NamesSortedTagsSortedAsQuotedStringsWrittenRaw) {
  const ConsulData data{{}, {{"web", {"b", "a!", "a"}}, {"api", {}}, {"odd\"name", {"x"}}}, {}};
  EXPECT_EQ(tfvars_body({CatalogServicesTemplate{.regexp = ".*"}}, data),
            "\ncatalog_services = {\n"
            "  \"api\" = []\n"
            "  \"odd\"name\" = [\"x\"]\n"
            "  \"web\" = [\"a!\", \"a\", \"b\"]\n"
            "}\n"
            "\nservices = {\n}\n");
}

TEST(TfCatalogServices, EmptyCatalogRendersAnEmptyMap) {
  EXPECT_EQ(tfvars_body({CatalogServicesTemplate{.regexp = ".*"}}, {}),
            "\ncatalog_services = {\n}\n\nservices = {\n}\n");
}

TEST(TfConsulKv, PairsInKeyOrderValuesWrittenRaw) {
  const ConsulData data{{}, {}, {{"app/b", "two words"}, {"app/a", "say \"x\""}, {"app/", ""}}};
  EXPECT_EQ(tfvars_body({ConsulKvTemplate{.path = "app", .recurse = true}}, data),
            "\nconsul_kv = {\n"
            "  \"app/\" = \"\"\n"
            "  \"app/a\" = \"say \"x\"\"\n"
            "  \"app/b\" = \"two words\"\n"
            "}\n"
            "\nservices = {\n}\n");
  EXPECT_EQ(tfvars_body({ConsulKvTemplate{.path = "app"}}, {}), "\nconsul_kv = {\n}\n\nservices = {\n}\n");
}

TEST(TfTemplateText, AnUnusedFirstTemplateTrimsThePreambleAsGoTemplatesDo) {
  TaskInput task = golden_task();
  task.description = "trailing spaces  ";
  task.templates = {ConsulKvTemplate{.path = "k", .render_var = false}, ServicesTemplate{{{"web"}}}};
  const std::string rendered = render_tfvars(task, {});
  EXPECT_EQ(rendered.substr(rendered.find("# Description:")), "# Description: trailing spaces\n\nservices = {\n}\n");
  task.templates = {ServicesTemplate{{{"web"}}}, ConsulKvTemplate{.path = "k", .render_var = false}};
  EXPECT_EQ(render_tfvars(task, {}).substr(preamble(task).size()), "\nservices = {\n}\n");
}

TEST(TfTemplateText, ServicesTemplateWithoutNamesIsPlainText) {
  EXPECT_EQ(tfvars_body({ServicesTemplate{{}, true}}, {}), "\nservices = {\n}\n");
  EXPECT_EQ(tfvars_body({ServicesTemplate{{}, false}}, {}), "\n\nservices = {\n}\n");
}

TEST(TfMainTf, ProviderObjectsBecomeBlocksAliasDroppedVariablesReferenced) {
  TaskInput task = golden_task();
  task.description.clear();
  task.module_version.clear();
  task.providers = {Provider{"b", {{"auto_commit", Value::boolean(true)}, {"token", Value::string("t")}}},
                    Provider{"a", {{"alias", Value::string("x")},
                                   {"list", Value::tuple({Value::integer(1)})},
                                   {"nested", Value::object({{"z", Value::integer(1)},
                                                             {"inner", Value::object({})}})}}}};
  task.variables = {{"source", Value::string("overrides in place")}, {"zone", Value::string("z")}};
  EXPECT_EQ(render_main_tf(task).substr(preamble(task).size()),
            "\n"
            "terraform {\n"
            "  required_version = \">= 0.13.0, <= 1.14.3\"\n"
            "}\n"
            "\n"
            "provider \"a\" {\n"
            "  list = var.a.list\n"
            "  nested {\n"
            "    inner = var.a.nested.inner\n"
            "    z     = var.a.nested.z\n"
            "  }\n"
            "}\n"
            "\n"
            "provider \"b\" {\n"
            "  token = var.b.token\n"
            "}\n"
            "\n"
            "module \"test\" {\n"
            "  source   = var.source\n"
            "  services = var.services\n"
            "\n"
            "  zone = var.zone\n"
            "}\n");
}

TEST(TfMainTf, DefaultConsulBackend) {
  TaskInput task = golden_task();
  task.backend = default_consul_backend({.address = "localhost:8500"});
  EXPECT_NE(render_main_tf(task).find("  backend \"consul\" {\n"
                                      "    address = \"localhost:8500\"\n"
                                      "    gzip    = true\n"
                                      "    path    = \"consul-terraform-sync/terraform\"\n"
                                      "  }\n"),
            std::string::npos);
}

TEST(TfBackend, KvPathAndTls) {
  const Backend plain = default_consul_backend({.address = "a:8500", .kv_path = "custom//dir/"});
  EXPECT_EQ(plain.arguments.at("path"), Value::string("custom/dir/terraform"));
  EXPECT_EQ(plain.arguments.count("scheme"), 0u);
  EXPECT_EQ(default_consul_backend({.kv_path = "x/terraform"}).arguments.at("path"), Value::string("x/terraform"));
  const Backend tls =
      default_consul_backend({.address = "a:8501", .tls_enabled = true, .ca_cert = "ca.pem", .key = "k.pem"});
  EXPECT_EQ(tls.arguments.at("scheme"), Value::string("https"));
  EXPECT_EQ(tls.arguments.at("ca_file"), Value::string("ca.pem"));
  EXPECT_EQ(tls.arguments.count("cert_file"), 0u);
  EXPECT_EQ(tls.arguments.at("key_file"), Value::string("k.pem"));
  EXPECT_EQ(clean_slash_path("a/./b/../c"), "a/c");
  EXPECT_EQ(clean_slash_path("/../a"), "/a");
  EXPECT_EQ(clean_slash_path("../a/.."), "..");
  EXPECT_EQ(clean_slash_path(""), ".");
}

TEST(TfVariablesTf, SensitiveOnlyFromTerraform014) {
  TaskInput task = golden_task();
  task.providers = {Provider{"p", {{"k", Value::string("v")}}}};
  EXPECT_EQ(render_variables_tf(task).find("sensitive"), std::string::npos);
  task.terraform_version = TerraformVersion{0, 13, 7};
  EXPECT_EQ(render_variables_tf(task).find("sensitive"), std::string::npos);
  task.terraform_version = TerraformVersion{1, 5, 0};
  EXPECT_NE(render_variables_tf(task).find("  sensitive   = true\n  type = object({\n    k = string\n  })\n"),
            std::string::npos)
      << render_variables_tf(task);
}

TEST(TfModuleVariablesTf, TypesOfEveryKind) {
  TaskInput task = golden_task();
  task.variables = {{"n", Value::null()},
                    {"e", Value::object({})},
                    {"t", Value::tuple({Value::tuple({}), Value::map({}), Value::null()})}};
  EXPECT_EQ(render_module_variables_tf(task).substr(preamble(task).size()),
            "\n"
            "variable \"e\" {\n"
            "  default = null\n"
            "  type    = object({})\n"
            "}\n"
            "\n"
            "variable \"n\" {\n"
            "  default = null\n"
            "  type    = unknown\n"
            "}\n"
            "\n"
            "variable \"t\" {\n"
            "  default = null\n"
            "  type    = tuple([tuple([]), map(any), unknown])\n"
            "}\n");
}

TEST(TfValue, NumbersPrintAsCtyDoes) {
  EXPECT_EQ(Value::decimal("10")->text(), "10");
  EXPECT_EQ(Value::decimal("1.50")->text(), "1.5");
  EXPECT_EQ(Value::decimal("007")->text(), "7");
  EXPECT_EQ(Value::decimal("1e3")->text(), "1000");
  EXPECT_EQ(Value::decimal("1.5E-3")->text(), "0.0015");
  EXPECT_EQ(Value::decimal("-0.520")->text(), "-0.52");
  EXPECT_EQ(Value::decimal("0.000")->text(), "0");
  EXPECT_EQ(Value::decimal(".5")->text(), "0.5");
  EXPECT_EQ(Value::decimal("12345678901234567890123")->text(), "12345678901234567890123");
  for (const char* bad : {"", "-", "abc", "1e", "1.2.3", "1e+", "0x10", "1e99999"}) {
    EXPECT_FALSE(Value::decimal(bad).has_value()) << bad;
  }
  EXPECT_EQ(Value::floating(0.1).text(), "0.1");
  EXPECT_EQ(Value::floating(-0.52).text(), "-0.52");
  EXPECT_EQ(Value::floating(1e21).text(), "1000000000000000000000");
  EXPECT_EQ(Value::floating(2.0).text(), "2");
  EXPECT_EQ(Value::floating(-0.0).text(), "-0");
  EXPECT_EQ(Value::floating(1e-7).text(), "0.0000001");
  // big.Float keeps 53 bits even for a subnormal: 16 digits where strconv would print one.
  EXPECT_EQ(Value::floating(5e-324).text(), "0." + std::string(323, '0') + "4940656458412465");
  EXPECT_EQ(Value::floating(1.7976931348623157e308).text(), "17976931348623157" + std::string(292, '0'));
  // math/big's shortest digits, then zeros: neither the exact binary value nor the closest
  // 17-digit decimal (to_chars would print ...688 and ...570).
  EXPECT_EQ(Value::floating(3.179025563033067e17).text(), "317902556303306700");
  EXPECT_EQ(Value::floating(4.2045014143806957e17).text(), "420450141438069560");
  EXPECT_EQ(Value::integer(-42).text(), "-42");
}

TEST(TfMainTf, AKeyStartingWithAByteOrderMarkIsRelexedAsHclwriteFormatDoes) {
  // hclsyntax accepts "\uFEFFkey" as an identifier (its scanner skips a leading mark), but
  // hclwrite.Format, lexing the whole file, reads the mark as a token of its own.
  TaskInput task = golden_task();
  task.required_providers = {
      {"p", Value::object({{"\xEF\xBB\xBFkey", Value::integer(1)}, {"source", Value::string("s")}})}};
  task.providers = {Provider{"p", {{"\xEF\xBB\xBFkey", Value::integer(1)}}}};
  EXPECT_NE(render_main_tf(task).find("\n      source = \"s\"\n      \xEF\xBB\xBF key  = 1\n"), std::string::npos)
      << render_main_tf(task);
  EXPECT_NE(render_providers_tfvars(task).find("\n  \xEF\xBB\xBFkey = 1\n"), std::string::npos)
      << render_providers_tfvars(task);
}

TEST(TfValue, MapKeysSortedBytewiseLastDuplicateWins) {
  const Value v = Value::object({{"b", Value::integer(1)}, {"B", Value::integer(2)}, {"b", Value::integer(3)},
                                 {"\xC3\xA9", Value::integer(4)}});
  ASSERT_EQ(v.members().size(), 3u);
  EXPECT_EQ(v.members()[0].key, "B");
  EXPECT_EQ(v.members()[1].key, "b");
  EXPECT_EQ(v.members()[1].value, Value::integer(3));
  EXPECT_EQ(v.members()[2].key, "\xC3\xA9");
}

TaskInput rich_task() {
  TaskInput task = golden_task();
  task.backend = default_consul_backend({.address = "localhost:8500"});
  task.providers = {test_provider_with_object()};
  task.variables = golden_variables();
  task.templates = {ServicesTemplate{{{"web"}, {"api"}}}, ConsulKvTemplate{.path = "key-path"}};
  return task;
}

TEST(TfWorkingDir, PlansTheFilesCtsWritesDeterministically) {
  const ConsulData data{{api(), web()}, {}, {{"key-path", "red"}}};
  const std::vector<PlannedFile> plan = plan_working_dir(rich_task(), data);
  std::vector<std::string> names;
  for (const PlannedFile& f : plan) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"main.tf", "variables.tf", "variables.module.tf",
                                             "terraform.tfvars.tmpl", "providers.auto.tfvars",
                                             "variables.auto.tfvars", "terraform.tfvars"}));
  EXPECT_EQ(plan, plan_working_dir(rich_task(), data));
  TaskInput without_variables = rich_task();
  without_variables.variables.clear();
  EXPECT_EQ(plan_working_dir(without_variables, data).size(), 5u);
}

TEST(TfWorkingDir, UnchangedFilesAreNotRewritten) {
  const ConsulData before{{api()}, {}, {}};
  const std::vector<PlannedFile> plan = plan_working_dir(rich_task(), before);
  std::map<std::string, std::string> disk;
  for (const PlannedFile& f : plan) disk[f.name] = f.content;
  disk["unrelated.tf"] = "kept";
  EXPECT_TRUE(files_to_write(plan, disk).empty());

  const std::vector<PlannedFile> after = plan_working_dir(rich_task(), {{api(), web()}, {}, {}});
  const std::vector<PlannedFile> changed = files_to_write(after, disk);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].name, "terraform.tfvars");

  disk.erase("main.tf");
  disk["variables.tf"] += "# edited by hand\n";
  std::vector<std::string> names;
  for (const PlannedFile& f : files_to_write(plan, disk)) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"main.tf", "variables.tf"}));
}

}  // namespace
}  // namespace baton::driver::terraform
