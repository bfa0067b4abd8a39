// HCL1 native syntax as CTS reads it (engine/config/hcl/native_parser.hpp): every syntax
// feature, its quirks, positions, and whole CTS configurations.
#include <gtest/gtest.h>

#include <string>

#include "engine/config/hcl/parse.hpp"
#include "engine/config/hcl/printer.hpp"
#include "hcl_test_support.hpp"

namespace baton::config::hcl {
namespace {

using testing::dump;
using testing::parse_ok;

const Attribute& attribute_at(const Body& body, std::size_t index) {
  return std::get<Attribute>(body.items.at(index));
}
const Block& block_at(const Body& body, std::size_t index) {
  return std::get<Block>(body.items.at(index));
}
Position at(int line, int column) { return Position{"t.hcl", line, column}; }

TEST(HclParse, EmptyFilesAndCommentOnlyFilesHaveEmptyBodies) {
  EXPECT_TRUE(parse_ok("t.hcl", "").body.items.empty());
  EXPECT_TRUE(parse_ok("t.hcl", " \n\t\r\n").body.items.empty());
  EXPECT_TRUE(parse_ok("t.hcl", "# one\n// two\n/* three\n four */").body.items.empty());
}

TEST(HclParse, AttributesOfEveryScalarType) {
  const File file = parse_ok("t.hcl", "log_level = \"INFO\"\nport = 8558\nratio = 0.5\nenabled = true\n");
  EXPECT_EQ(file.syntax, Syntax::native);
  EXPECT_EQ(dump(file.body),
            "\"log_level\" = str(\"INFO\")\n"
            "\"port\" = int(8558 \"8558\")\n"
            "\"ratio\" = float(0.5 \"0.5\")\n"
            "\"enabled\" = true\n");
}

TEST(HclParse, PositionsOfAttributesAndValuesAreOneBasedLineAndColumn) {
  const File file = parse_ok("t.hcl", "a = 1\n  bb   = \"x\"\n");
  EXPECT_EQ(attribute_at(file.body, 0).position, at(1, 1));
  EXPECT_EQ(attribute_at(file.body, 0).value.position(), at(1, 5));
  EXPECT_EQ(attribute_at(file.body, 1).position, at(2, 3));
  EXPECT_EQ(attribute_at(file.body, 1).value.position(), at(2, 10));
}

TEST(HclParse, ColumnsCountCodePointsAndTabsAsOne) {
  const File file = parse_ok("t.hcl", "x = \"é→\" y = 1\n\tz = 2\n");
  EXPECT_EQ(attribute_at(file.body, 1).position, at(1, 10));
  EXPECT_EQ(attribute_at(file.body, 2).position, at(2, 2));
}

TEST(HclParse, CrlfLineEndingsParseAndKeepPositions) {
  const File file = parse_ok("t.hcl", "a = 1\r\nb = <<EOF\r\nline\r\nEOF\r\nc = 3\r\n");
  EXPECT_EQ(dump(file.body),
            "\"a\" = int(1 \"1\")\n\"b\" = heredoc(\"line\\x0a\")\n\"c\" = int(3 \"3\")\n");
  EXPECT_EQ(attribute_at(file.body, 2).position, at(5, 1));
}

TEST(HclParse, BlocksWithAndWithoutLabels) {
  const File file = parse_ok("t.hcl",
                             "consul {\n  address = \"localhost:8500\"\n}\n"
                             "condition \"services\" {\n  names = [\"web\"]\n}\n"
                             "storage consul {}\n"
                             "a \"b\" c \"d\" {}\n");
  const Block& consul = block_at(file.body, 0);
  EXPECT_EQ(consul.type, "consul");
  EXPECT_TRUE(consul.labels.empty());
  EXPECT_EQ(consul.position, at(1, 1));
  EXPECT_EQ(attribute_at(consul.body, 0).position, at(2, 3));

  const Block& condition = block_at(file.body, 1);
  EXPECT_EQ(condition.type, "condition");
  ASSERT_EQ(condition.labels.size(), 1u);
  EXPECT_EQ(condition.labels[0].value, "services");
  EXPECT_EQ(condition.labels[0].position, at(4, 11));

  // HCL1 takes bare identifiers as labels too.
  EXPECT_EQ(block_at(file.body, 2).labels.at(0).value, "consul");
  const Block& many = block_at(file.body, 3);
  ASSERT_EQ(many.labels.size(), 3u);
  EXPECT_EQ(many.labels[2].value, "d");
  EXPECT_EQ(many.labels[2].position, at(8, 9));
}

TEST(HclParse, BlockAndObjectAssignmentAreBothKeptAsWritten) {
  // HCL1 decodes the two alike; the model keeps which one was written (go_value.hpp and
  // block_view.hpp treat them alike).
  const File file = parse_ok("t.hcl", "syslog { enabled = true }\nsyslog = { enabled = false }\n");
  EXPECT_EQ(dump(file.body),
            "block \"syslog\" {\n  \"enabled\" = true\n}\n"
            "\"syslog\" = {\n  \"enabled\" = false\n}\n");
  EXPECT_EQ(attribute_at(file.body, 1).value.position(), at(2, 10));
}

TEST(HclParse, RepeatedBlocksAndAttributesAreAllKeptInOrder) {
  const File file = parse_ok("t.hcl", "task { name = \"a\" }\nport = 1\ntask { name = \"b\" }\nport = 2\n");
  ASSERT_EQ(file.body.blocks_of_type("task").size(), 2u);
  EXPECT_EQ(attribute_at(file.body.blocks_of_type("task")[1]->body, 0).value.as_string(), "b");
  const auto ports = file.body.attributes_named("port");
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(ports[1]->value.as_number().integer, 2);
}

TEST(HclParse, ItemsNeedNoNewlinesAndMayBeSeparatedByCommas) {
  const File file = parse_ok("t.hcl", "a = 1 b = 2, c { d = 3, e = 4 }, f = 5");
  EXPECT_EQ(dump(file.body),
            "\"a\" = int(1 \"1\")\n\"b\" = int(2 \"2\")\nblock \"c\" {\n"
            "  \"d\" = int(3 \"3\")\n  \"e\" = int(4 \"4\")\n}\n\"f\" = int(5 \"5\")\n");
}

TEST(HclParse, IdentifiersMayHoldDashesAndDotsAndKeysMayBeQuoted) {
  const File file = parse_ok("t.hcl", "foo.bar-baz_1 = 1\n\"a b\" = 2\n\"task\" \"x\" { }\n_u = 3\n");
  EXPECT_EQ(attribute_at(file.body, 0).name, "foo.bar-baz_1");
  EXPECT_EQ(attribute_at(file.body, 1).name, "a b");
  EXPECT_EQ(block_at(file.body, 2).type, "task");
  EXPECT_EQ(attribute_at(file.body, 3).name, "_u");
}

TEST(HclParse, AllThreeCommentStylesAnywhere) {
  const File file = parse_ok("t.hcl",
                             "# hash\n"
                             "a = 1 // slashes\n"
                             "/* block\n   comment */ b /* between */ = /* before value */ 2\n"
                             "list = [ # in a list\n  1, // after an element\n  /* c */ 2\n]\n"
                             "c { # in a block\n}\n"
                             "d = \"# not a comment // nor this\"\n"
                             "/**/ e = 3 /***/\n");
  EXPECT_EQ(dump(file.body),
            "\"a\" = int(1 \"1\")\n\"b\" = int(2 \"2\")\n"
            "\"list\" = [int(1 \"1\"), int(2 \"2\")]\n"
            "block \"c\" {\n}\n"
            "\"d\" = str(\"# not a comment // nor this\")\n"
            "\"e\" = int(3 \"3\")\n");
}

TEST(HclParse, StringEscapes) {
  const File file = parse_ok("t.hcl",
                             R"(a = "line\nnext\ttab \"quoted\" back\\slash"
b = "\u00e9\U0001F600 \x41\101 \a\b\f\r\v"
c = "é raw → UTF-8"
d = ""
)");
  EXPECT_EQ(attribute_at(file.body, 0).value.as_string(), "line\nnext\ttab \"quoted\" back\\slash");
  EXPECT_EQ(attribute_at(file.body, 1).value.as_string(), "é😀 AA \a\b\f\r\v");
  EXPECT_EQ(attribute_at(file.body, 2).value.as_string(), "é raw → UTF-8");
  EXPECT_EQ(attribute_at(file.body, 3).value.as_string(), "");
}

TEST(HclParse, EscapesFollowGoSemanticsForBytesAndSurrogates) {
  // \x and octal escapes give raw bytes; a surrogate \u gives U+FFFD (Go's EncodeRune).
  // A \U value from 0x80000000 up wraps negative in Go's int32 and leaves its low byte.
  const File file = parse_ok("t.hcl", R"(a = "\xff\377" b = "\ud800" c = "\Ue001F641")");
  EXPECT_EQ(attribute_at(file.body, 0).value.as_string(), "\xff\xff");
  EXPECT_EQ(attribute_at(file.body, 1).value.as_string(), "\xEF\xBF\xBD");
  EXPECT_EQ(attribute_at(file.body, 2).value.as_string(), "A");
}

TEST(HclParse, InterpolationsAreKeptVerbatim) {
  // CTS never evaluates ${...}: the text inside stays as written, escapes, quotes, braces and
  // newlines included. HCL1 knows no $${ or %{ escapes: they stay too.
  const File file = parse_ok("t.hcl",
                             "a = \"x-${var.name}-y\"\n"
                             "b = \"${lookup(map, \"k\")}\"\n"
                             "c = \"${ {a = 1} } \\n\"\n"
                             "d = \"$${not} %{if x}y%{endif} $ {}\"\n"
                             "e = \"${a\\nb}\"\n"
                             "f = \"${\nmulti\nline}\"\n");
  EXPECT_EQ(attribute_at(file.body, 0).value.as_string(), "x-${var.name}-y");
  EXPECT_EQ(attribute_at(file.body, 1).value.as_string(), "${lookup(map, \"k\")}");
  EXPECT_EQ(attribute_at(file.body, 2).value.as_string(), "${ {a = 1} } \n");
  EXPECT_EQ(attribute_at(file.body, 3).value.as_string(), "$${not} %{if x}y%{endif} $ {}");
  EXPECT_EQ(attribute_at(file.body, 4).value.as_string(), "${a\\nb}");
  EXPECT_EQ(attribute_at(file.body, 5).value.as_string(), "${\nmulti\nline}");
  EXPECT_EQ(attribute_at(file.body, 5).position, at(6, 1));
}

TEST(HclParse, Heredocs) {
  const File file = parse_ok("t.hcl",
                             "a = <<EOF\nline one\n  line two\nEOF\n"
                             "b = <<EOF\nEOF\n"
                             "c = <<-EOT\n    indented\n      more\n    EOT\n"
                             "d = <<-EOT\n    kept\n  short\n    EOT\n"
                             "e = <<EOF\nx\n  EOF\n"
                             "f = <<A1\n\"quotes\" ${x} \\n\nA1\n"
                             "g = 1\n");
  EXPECT_EQ(attribute_at(file.body, 0).value.as_string(), "line one\n  line two\n");
  EXPECT_EQ(attribute_at(file.body, 0).value.string_style(), StringStyle::heredoc);
  EXPECT_EQ(attribute_at(file.body, 1).value.as_string(), "");
  // <<- removes the closing line's indentation from every line...
  EXPECT_EQ(attribute_at(file.body, 2).value.as_string(), "indented\n  more\n");
  // ...unless a line lacks it: then nothing is removed and trailing blanks are trimmed.
  EXPECT_EQ(attribute_at(file.body, 3).value.as_string(), "    kept\n  short\n");
  // An indented closing line ends a plain heredoc too; HCL1 keeps its indentation (quirk).
  EXPECT_EQ(attribute_at(file.body, 4).value.as_string(), "x\n  ");
  EXPECT_EQ(attribute_at(file.body, 5).value.as_string(), "\"quotes\" ${x} \\n\n");
  EXPECT_EQ(attribute_at(file.body, 6).position, at(21, 1));
}

TEST(HclParse, HeredocsInListsAndWithEmptyLines) {
  const File file = parse_ok("t.hcl", "l = [<<EOF\na\n\nb\nEOF\n, \"x\"]\n"
                                      "m = <<-EOF\n  a\n\n  b\n  EOF\n");
  EXPECT_EQ(dump(attribute_at(file.body, 0).value), "[heredoc(\"a\\x0a\\x0ab\\x0a\"), str(\"x\")]");
  // An empty line lacks the indentation, so HCL1 removes none (then trims the last blanks).
  EXPECT_EQ(attribute_at(file.body, 1).value.as_string(), "  a\n\n  b\n");
}

TEST(HclParse, Numbers) {
  const File file = parse_ok("t.hcl",
                             "a = 42 b = -7 c = 0 d = 0x1F e = -0x10 f = 0755 g = 00\n"
                             "h = 1.5 i = -2.25 j = 1e3 k = 2.5E-2 l = -1e+2 m = 1. n = .5 o = 0.0\n"
                             "p = 9223372036854775807 q = -9223372036854775808 r = 1e-400\n");
  EXPECT_EQ(dump(file.body),
            "\"a\" = int(42 \"42\")\n\"b\" = int(-7 \"-7\")\n\"c\" = int(0 \"0\")\n"
            "\"d\" = int(31 \"0x1F\")\n\"e\" = int(-16 \"-0x10\")\n\"f\" = int(493 \"0755\")\n"
            "\"g\" = int(0 \"00\")\n"
            "\"h\" = float(1.5 \"1.5\")\n\"i\" = float(-2.25 \"-2.25\")\n"
            "\"j\" = float(1000 \"1e3\")\n\"k\" = float(0.025000000000000001 \"2.5E-2\")\n"
            "\"l\" = float(-100 \"-1e+2\")\n\"m\" = float(1 \"1.\")\n\"n\" = float(0.5 \".5\")\n"
            "\"o\" = float(0 \"0.0\")\n"
            "\"p\" = int(9223372036854775807 \"9223372036854775807\")\n"
            "\"q\" = int(-9223372036854775808 \"-9223372036854775808\")\n"
            "\"r\" = float(0 \"1e-400\")\n");
}

TEST(HclParse, BoolsAndWordsThatOnlyStartLikeThem) {
  const File file = parse_ok("t.hcl", "a = true\nb = false\ntrue-ish = 1\nfalsey { }\n");
  EXPECT_TRUE(attribute_at(file.body, 0).value.as_bool());
  EXPECT_FALSE(attribute_at(file.body, 1).value.as_bool());
  EXPECT_EQ(attribute_at(file.body, 2).name, "true-ish");
  EXPECT_EQ(block_at(file.body, 3).type, "falsey");
}

TEST(HclParse, Lists) {
  const File file = parse_ok("t.hcl",
                             "a = []\n"
                             "b = [\"x\", \"y\",]\n"
                             "c = [\n  1,\n  2.5,\n  true,\n  <<EOF\nh\nEOF\n  ,\n]\n"
                             "d = [[1, 2], [], [[3]]]\n"
                             "e = [{ name = \"web\" }, { name = \"api\", port = 80 }]\n");
  EXPECT_EQ(dump(file.body),
            "\"a\" = []\n"
            "\"b\" = [str(\"x\"), str(\"y\")]\n"
            "\"c\" = [int(1 \"1\"), float(2.5 \"2.5\"), true, heredoc(\"h\\x0a\")]\n"
            "\"d\" = [[int(1 \"1\"), int(2 \"2\")], [], [[int(3 \"3\")]]]\n"
            "\"e\" = [{\n  \"name\" = str(\"web\")\n}, {\n  \"name\" = str(\"api\")\n"
            "  \"port\" = int(80 \"80\")\n}]\n");
  const Value& e = attribute_at(file.body, 4).value;
  EXPECT_EQ(e.position(), at(13, 5));
  EXPECT_EQ(e.as_list()[1].position(), at(13, 24));
}

TEST(HclParse, ListQuirksHcl1Accepts) {
  // Leading and repeated commas, and no comma after a nested list (hcl/parser listType).
  const File file = parse_ok("t.hcl", "a = [, 1,, 2]\nb = [[1] [2] \"x\"]\n");
  EXPECT_EQ(dump(file.body),
            "\"a\" = [int(1 \"1\"), int(2 \"2\")]\n"
            "\"b\" = [[int(1 \"1\")], [int(2 \"2\")], str(\"x\")]\n");
}

TEST(HclParse, ObjectsHoldBodiesWithQuotedKeysAndBlocks) {
  const File file = parse_ok("t.hcl",
                             "meta = { a = 1, \"b\" = 2 }\n"
                             "required_providers {\n"
                             "  local = {\n    source = \"hashicorp/local\"\n    version = \"2.1.0\"\n  }\n"
                             "}\n"
                             "x = { y { z = 1 } w \"l\" { } }\n"
                             "empty = {}\n");
  EXPECT_EQ(dump(file.body),
            "\"meta\" = {\n  \"a\" = int(1 \"1\")\n  \"b\" = int(2 \"2\")\n}\n"
            "block \"required_providers\" {\n  \"local\" = {\n"
            "    \"source\" = str(\"hashicorp/local\")\n    \"version\" = str(\"2.1.0\")\n  }\n}\n"
            "\"x\" = {\n  block \"y\" {\n    \"z\" = int(1 \"1\")\n  }\n  block \"w\" \"l\" {\n  }\n}\n"
            "\"empty\" = {\n}\n");
}

// The example configuration of /work/shared/seeds/000_0312a2abe8afc081.txt ("Run
// Consul-Terraform-Sync with high availability"), exactly as the seed file holds it: the page
// mirror lost the indentation, which HCL does not need.
constexpr std::string_view kHighAvailabilitySeed = R"(high_availability {
cluster {
name = "cts-cluster"
storage "consul" {
parent_path = "cts"
namespace = "ns"
session_ttl = "30s"
}
}
instance {
address = "cts-01.example.com"
}
}
)";

TEST(HclParse, HighAvailabilityExampleFromTheSeedParsesVerbatim) {
  const File file = parse_ok("cts-config.hcl", kHighAvailabilitySeed);
  EXPECT_EQ(dump(file.body),
            "block \"high_availability\" {\n"
            "  block \"cluster\" {\n"
            "    \"name\" = str(\"cts-cluster\")\n"
            "    block \"storage\" \"consul\" {\n"
            "      \"parent_path\" = str(\"cts\")\n"
            "      \"namespace\" = str(\"ns\")\n"
            "      \"session_ttl\" = str(\"30s\")\n"
            "    }\n"
            "  }\n"
            "  block \"instance\" {\n"
            "    \"address\" = str(\"cts-01.example.com\")\n"
            "  }\n"
            "}\n");
  const Block& ha = block_at(file.body, 0);
  const Block& cluster = block_at(ha.body, 0);
  const Block& storage = block_at(cluster.body, 1);
  EXPECT_EQ(storage.position, (Position{"cts-config.hcl", 4, 1}));
  EXPECT_EQ(storage.labels.at(0).position, (Position{"cts-config.hcl", 4, 9}));
  EXPECT_EQ(attribute_at(storage.body, 2).value.position(), (Position{"cts-config.hcl", 7, 15}));
}

TEST(HclParse, HighAvailabilityExampleAsTheDocsIndentItWithATask) {
  const std::string text = R"(high_availability {
  cluster {
    name = "cts-cluster"
    storage "consul" {
      parent_path = "cts"
      namespace = "ns"
      session_ttl = "30s"
    }
  }
  instance {
    address = "cts-01.example.com"
  }
}

task {
  name = "config-task"
  module = "./modules/config"
  condition "services" {
    names = ["web", "api"]
  }
}
)";
  const File indented = parse_ok("cts-config.hcl", text);
  const File seed = parse_ok("cts-config.hcl", kHighAvailabilitySeed);
  Body first_only = indented.body;
  first_only.items.erase(first_only.items.begin() + 1, first_only.items.end());
  EXPECT_EQ(dump(first_only), dump(seed.body));
  const Block& task = block_at(indented.body, 1);
  EXPECT_EQ(task.type, "task");
  EXPECT_EQ(block_at(task.body, 2).labels.at(0).value, "services");
  EXPECT_EQ(block_at(task.body, 2).position, (Position{"cts-config.hcl", 18, 3}));
}

// A full CTS configuration in the shape of CTS's config/testdata/long.hcl and the
// configuration reference: global options, consul with tls/auth/transport, the terraform
// driver with a backend and required_providers, providers, and tasks with every condition and
// module_input form.
constexpr std::string_view kFullConfig = R"(# CTS configuration
log_level   = "INFO"
port        = 8558
working_dir = "sync-tasks"
id          = "cts-01"

syslog {
  enabled = true
  name    = "consul-terraform-sync"
}

buffer_period {
  enabled = true
  min     = "5s"
  max     = "20s"
}

tls {
  enabled         = true
  cert            = "/etc/cts/cert.pem"
  key             = "/etc/cts/key.pem"
  verify_incoming = true
  ca_cert         = "/etc/cts/ca.pem"
}

consul {
  address = "consul.example.com:8501"
  token   = "${env.CONSUL_HTTP_TOKEN}"
  kv_path = "consul-terraform-sync/"

  auth {
    enabled  = true
    username = "admin"
    password = "s3cr3t"
  }

  tls {
    enabled     = true
    verify      = true
    ca_cert     = "/etc/consul/ca.pem"
    cert        = "/etc/consul/cert.pem"
    key         = "/etc/consul/key.pem"
    server_name = "consul.example.com"
  }

  transport {
    dial_keep_alive         = "5s"
    dial_timeout            = "10s"
    disable_keep_alives     = false
    idle_conn_timeout       = "1m"
    max_idle_conns_per_host = 100
    tls_handshake_timeout   = "10s"
  }

  service_registration {
    enabled      = true
    service_name = "cts"
    default_check {
      enabled = true
      address = "https://cts.example.com:8558"
    }
  }
}

driver "terraform" {
  log         = false
  persist_log = false
  path        = "/usr/local/bin/"

  backend "consul" {
    gzip = true
  }

  required_providers {
    panos = {
      source  = "paloaltonetworks/panos"
      version = "1.8.0"
    }
    local = {
      source = "hashicorp/local"
    }
  }
}

terraform_provider "panos" {
  hostname = "10.0.0.1"
  username = "{{ with secret \"panos/creds\" }}{{ .Data.data.username }}{{ end }}"
}

terraform_provider "local" {}

task {
  name        = "web-firewall"
  description = "update the firewall when web instances change"
  module      = "paloaltonetworks/dag-nia/panos"
  version     = "0.5.0"
  providers   = ["panos"]

  condition "services" {
    names      = ["web", "api"]
    datacenter = "dc1"
    filter     = "Service.Tags contains \"prod\""
    cts_user_defined_meta = {
      owner = "network-team"
    }
  }

  module_input "consul-kv" {
    path    = "firewall/settings"
    recurse = true
  }

  variable_files = ["/etc/cts/web.tfvars"]
  buffer_period {
    min = "10s"
  }
}

task {
  name   = "catalog-watch"
  module = "./modules/catalog"
  condition "catalog-services" {
    regexp              = "^web.*"
    use_as_module_input = true
    node_meta {
      "rack" = "r1"
    }
  }
  module_input "services" {
    names = ["db"]
  }
}

task {
  name    = "nightly"
  enabled = false
  module  = "./modules/report"
  condition "schedule" {
    cron = "0 0 2 * * * *"
  }
  module_input "services" {
    regexp = ".*"
  }
}

task {
  name   = "kv-trigger"
  module = "./modules/kv"
  condition "consul-kv" {
    path                = "app/config"
    recurse             = false
    use_as_module_input = true
  }
}
)";

TEST(HclParse, FullCtsConfiguration) {
  const File file = parse_ok("config.hcl", kFullConfig);
  const Body& body = file.body;
  EXPECT_EQ(body.attributes_named("port").at(0)->value.as_number().integer, 8558);

  const Block& consul = *body.blocks_of_type("consul").at(0);
  EXPECT_EQ(consul.body.attributes_named("token").at(0)->value.as_string(), "${env.CONSUL_HTTP_TOKEN}");
  const Block& consul_tls = *consul.body.blocks_of_type("tls").at(0);
  EXPECT_EQ(consul_tls.body.attributes_named("server_name").at(0)->value.as_string(), "consul.example.com");
  EXPECT_EQ(consul_tls.position, (Position{"config.hcl", 37, 3}));

  const Block& driver = *body.blocks_of_type("driver").at(0);
  EXPECT_EQ(driver.labels.at(0).value, "terraform");
  const Block& providers = *driver.body.blocks_of_type("required_providers").at(0);
  const Body& panos = providers.body.attributes_named("panos").at(0)->value.as_object();
  EXPECT_EQ(panos.attributes_named("version").at(0)->value.as_string(), "1.8.0");

  const auto terraform_providers = body.blocks_of_type("terraform_provider");
  ASSERT_EQ(terraform_providers.size(), 2u);
  EXPECT_EQ(terraform_providers[0]->body.attributes_named("username").at(0)->value.as_string(),
            "{{ with secret \"panos/creds\" }}{{ .Data.data.username }}{{ end }}");
  EXPECT_TRUE(terraform_providers[1]->body.items.empty());

  const auto tasks = body.blocks_of_type("task");
  ASSERT_EQ(tasks.size(), 4u);
  const Block& web = *tasks[0];
  const Block& condition = *web.body.blocks_of_type("condition").at(0);
  EXPECT_EQ(condition.labels.at(0).value, "services");
  EXPECT_EQ(condition.body.attributes_named("filter").at(0)->value.as_string(),
            "Service.Tags contains \"prod\"");
  EXPECT_EQ(web.body.blocks_of_type("module_input").at(0)->labels.at(0).value, "consul-kv");
  EXPECT_EQ(tasks[1]->body.blocks_of_type("condition").at(0)->labels.at(0).value, "catalog-services");
  EXPECT_EQ(tasks[2]->body.blocks_of_type("condition").at(0)->labels.at(0).value, "schedule");
  EXPECT_EQ(tasks[3]->body.blocks_of_type("condition").at(0)->labels.at(0).value, "consul-kv");
  EXPECT_EQ(tasks[3]->position, (Position{"config.hcl", 146, 1}));
}

TEST(HclParse, PrintedConfigurationsParseBackToTheSameDocument) {
  for (const std::string_view text : {kFullConfig, kHighAvailabilitySeed}) {
    const File file = parse_ok("config.hcl", text);
    const std::string printed = print_native(file.body);
    EXPECT_EQ(dump(parse_ok("printed.hcl", printed).body), dump(file.body)) << printed;
  }
}

TEST(HclParse, FilesAreReadByExtensionAndHclFilesStartingWithABraceAreJson) {
  EXPECT_EQ(parse_ok("a.json", "{\"port\": 1}").syntax, Syntax::json);
  // hcl.Decode's lexMode: the first non-space character '{' means JSON.
  EXPECT_EQ(parse_ok("a.hcl", " \n {\"port\": 1}").syntax, Syntax::json);
  EXPECT_EQ(parse_ok("a.hcl", "port = 1").syntax, Syntax::native);
  EXPECT_EQ(parse_ok("a.conf", "port = 1").syntax, Syntax::native);
}

}  // namespace
}  // namespace baton::config::hcl
