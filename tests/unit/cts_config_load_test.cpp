// Building a configuration from several -config-file and -config-dir arguments, as CTS v0.9.0's
// BuildConfig does: which files are read, in which order, and how they merge.
#include <gtest/gtest.h>

#include "cts_config_test_support.hpp"
#include "engine/config/cts/load.hpp"
#include "engine/config/cts/merge.hpp"

namespace baton::config::cts {
namespace {

using namespace std::chrono_literals;
using testing::decode_ok;

ConfigPath file(std::string name, std::string text) {
  return ConfigPath{name, false, {ConfigFile{name, std::move(text)}}};
}

ConfigPath directory(std::string path, std::vector<ConfigFile> files) {
  return ConfigPath{std::move(path), true, std::move(files)};
}

Config build_ok(const std::vector<ConfigPath>& paths) {
  auto built = build_config(paths);
  if (!built) {
    ADD_FAILURE() << hcl::to_string(built.error());
    return {};
  }
  return built.value();
}

TEST(CtsLoad, LaterFilesOverrideScalarsAndDirectoriesReadInNameOrder) {
  // CTS's testdata/override: b.hcl after a.hcl, whatever order the directory lists them in.
  const Config c = build_ok({directory("override", {{"override/b.hcl", "log_level = \"DEBUG\"\nport = 8505\n"},
                                                    {"override/a.hcl", "log_level = \"ERR\"\nport = 8504\n"}})});
  EXPECT_EQ(*c.log_level, "DEBUG");
  EXPECT_EQ(*c.port, 8505);
  const Config flags = build_ok({file("b.hcl", "port = 1\n"), file("a.hcl", "port = 2\n")});
  EXPECT_EQ(*flags.port, 2);  // -config-file arguments keep the order they were given in
}

TEST(CtsLoad, TasksAndProvidersAccumulate) {
  // CTS's testdata/merge.
  const Config c = build_ok({directory("merge", {
      {"merge/taskA.hcl", "terraform_provider \"tf_providerA\" { }\nterraform_provider \"tf_providerB\" { }\n"
                          "task {\n  name = \"taskA\"\n  condition \"services\" {\n    names = [\"serviceA\", \"serviceB\"]\n  }\n}\n"},
      {"merge/taskB.hcl", "terraform_provider \"tf_providerC\" { }\n"
                          "task {\n  name = \"taskB\"\n  condition \"services\" {\n    names = [\"serviceC\", \"serviceD\"]\n  }\n}\n"}})});
  ASSERT_EQ(c.tasks->size(), 2u);
  EXPECT_EQ(*(*c.tasks)[0].name, "taskA");
  EXPECT_EQ(*(*c.tasks)[1].name, "taskB");
  ASSERT_EQ(c.terraform_providers->size(), 3u);
  EXPECT_EQ(go_sprint((*c.terraform_providers)[2].blocks.value), "map[tf_providerC:map[]]");
}

TEST(CtsLoad, BlocksMergeFieldByField) {
  // CTS's testdata/simple, and nested blocks.
  const Config c = build_ok({directory("simple", {{"simple/a.hcl", "log_level = \"ERR\"\nport = 8503\n"},
                                                  {"simple/b.hcl", "buffer_period {\n  enabled = true\n  min = \"10s\"\n  max = \"30s\"\n}\n"},
                                                  {"simple/ignore", "not a configuration"}}),
                             file("consul1.hcl", "consul {\n  address = \"a:1\"\n  tls {\n    cert = \"c\"\n  }\n}\n"),
                             file("consul2.hcl", "consul {\n  tls {\n    key = \"k\"\n  }\n}\n")});
  EXPECT_EQ(*c.log_level, "ERR");
  EXPECT_EQ(*c.port, 8503);
  EXPECT_EQ(*c.buffer_period, (BufferPeriodConfig{.enabled = true, .min = Duration(10s), .max = Duration(30s)}));
  EXPECT_EQ(*c.consul->address, "a:1");
  EXPECT_EQ(*c.consul->tls->cert, "c");
  EXPECT_EQ(*c.consul->tls->key, "k");
  EXPECT_EQ(*c.consul->kv_path, "consul-terraform-sync/");  // from default_config()
}

TEST(CtsLoad, BackendsAndRequiredProvidersMergeByKey) {
  const Config c = build_ok({file("1.hcl", "driver \"terraform\" {\n  backend \"consul\" {\n    path = \"a\"\n    gzip = false\n  }\n"
                                           "  required_providers {\n    aws = \"1.0\"\n    gcp = \"2.0\"\n  }\n}\n"),
                             file("2.hcl", "driver \"terraform\" {\n  backend \"consul\" {\n    path = \"b\"\n  }\n"
                                           "  required_providers {\n    aws = { source = \"x/aws\" }\n  }\n}\n")});
  EXPECT_EQ(go_sprint(c.driver->terraform->backend->value), "map[consul:map[gzip:false path:b]]");
  EXPECT_EQ(go_sprint(c.driver->terraform->required_providers->value), "map[aws:map[source:x/aws] gcp:2.0]");
}

TEST(CtsLoad, HighAvailabilityMerges) {
  const Config c = build_ok({file("1.hcl", "high_availability {\n  cluster {\n    name = \"a\"\n  }\n}\n"),
                             file("2.hcl", "high_availability {\n  cluster {\n    storage \"consul\" {\n      session_ttl = \"20s\"\n    }\n  }\n}\n")});
  EXPECT_EQ(*c.high_availability->cluster->name, "a");
  EXPECT_EQ(*c.high_availability->cluster->storage->consul->session_ttl, 20s);
}

TEST(CtsLoad, ClientTypeIsDroppedByMergeAsInCts) {
  // Config.Merge copies every field but client_type from the later configuration.
  EXPECT_FALSE(build_ok({file("c.hcl", "client_type = \"development\"\n")}).client_type);
  EXPECT_EQ(*decode_ok("client_type = \"development\"\n").client_type, "development");
}

TEST(CtsLoad, WhichFilesAreRead) {
  // An empty -config-file is skipped; an empty file in a directory is read (and HCL accepts it).
  EXPECT_EQ(hcl::to_string(build_config({file("empty.hcl", "")}).error()), "no configuration files found");
  EXPECT_TRUE(build_config({directory("d", {{"d/empty.hcl", ""}})}).ok());
  // encoding/json refuses an empty document.
  EXPECT_FALSE(build_config({directory("d", {{"d/empty.json", ""}})}).ok());
  EXPECT_EQ(hcl::to_string(build_config({directory("d", {{"d/notes.txt", "x"}})}).error()), "no configuration files found");
  EXPECT_EQ(hcl::to_string(build_config({}).error()), "no configuration files found");
}

TEST(CtsLoad, ErrorsNameTheFileTheyAreIn) {
  const auto built = build_config({directory("conf.d", {{"conf.d/1.hcl", "port = 1\n"}, {"conf.d/2.hcl", "prot = 2\n"}})});
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(hcl::to_string(built.error()), "conf.d/2.hcl:1:1: '2.hcl' has invalid keys: prot");
}

TEST(CtsLoad, JsonAndHclFilesTogether) {
  const Config c = build_ok({directory("d", {{"d/a.json", R"({"port": 9000, "task": [{"name": "j"}]})"},
                                             {"d/b.hcl", "task {\n  name = \"h\"\n}\n"}})});
  EXPECT_EQ(*c.port, 9000);
  ASSERT_EQ(c.tasks->size(), 2u);
  EXPECT_EQ(*(*c.tasks)[0].name, "j");
  EXPECT_EQ(*(*c.tasks)[1].name, "h");
}

TEST(CtsMerge, MergeIsWhatLoadingTwoFilesDoes) {
  const Config a = decode_ok("port = 1\ntask {\n  name = \"x\"\n}\n");
  const Config b = decode_ok("log_level = \"WARN\"\ntask {\n  name = \"y\"\n}\n");
  const Config merged = merge(a, b);
  EXPECT_EQ(*merged.port, 1);
  EXPECT_EQ(*merged.log_level, "WARN");
  EXPECT_EQ(merged.tasks->size(), 2u);
  EXPECT_EQ(merge(Config{}, a), a);
  EXPECT_EQ(merge(a, Config{}), a);
}

}  // namespace
}  // namespace baton::config::cts
