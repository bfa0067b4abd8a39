// `baton task enable|disable|create|delete` (engine/cli/task_commands) against a real
// HttpServer on loopback playing CTS's API from a script: the requests each command sends,
// its output and prompts on injected streams, its exit codes, errors from the server, a refused
// connection, and TLS with certificates made at run time. The server runs on its own
// AsioRuntime in a second thread; the command runs its own on the test's thread.
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/http/http_client.hpp"
#include "engine/bindings/http/http_server.hpp"
#include "engine/cli/task_commands.hpp"
#include "tests/support/test_certificates.hpp"

namespace baton::cli {
namespace {

struct Recorded {
  std::string method;
  std::string target;
  std::string body;
  std::string content_type;
};

http::Response json_response(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.set_header("Content-Type", "application/json");
  return response;
}

// A CTS API from a script: each request is recorded and answered with the next response.
class FakeCts {
 public:
  explicit FakeCts(std::optional<HttpServerTls> tls = std::nullopt) {
    HttpServerOptions options;
    options.tls = std::move(tls);
    options.handler = [this](http::Request request) { return handle(this, std::move(request)); };
    server_ = std::make_unique<HttpServer>(runtime_, std::move(options));
    const auto error = server_->listen();
    if (error) throw std::runtime_error(*error);
    port_ = server_->port();
    thread_ = std::thread([this] {
      runtime_.scope().spawn(server_->serve(stop_.get_token()));
      runtime_.run();
    });
  }
  ~FakeCts() {
    stop();
    server_.reset();
  }

  void answer(http::Response response) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(response));
  }
  std::vector<Recorded> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  static Task<http::Response> handle(FakeCts* self, http::Request request) {
    if (request.target == "/__stop") {
      self->stop_.request_stop();
      co_return http::Response{};
    }
    std::lock_guard lock(self->mutex_);
    self->requests_.push_back(Recorded{request.method, request.target, request.body,
                                       std::string(request.header("Content-Type").value_or(""))});
    if (self->script_.empty()) co_return json_response(500, R"({"error":{"message":"unscripted request"}})");
    http::Response response = std::move(self->script_.front());
    self->script_.pop_front();
    co_return response;
  }

  // Asks the server, from its own thread, to stop (a stop request from this thread would race
  // the runtime), then joins it.
  void stop() {
    if (!thread_.joinable()) return;
    {
      AsioRuntime runtime;
      HttpClientOptions options;
      options.tls = stop_tls_;
      HttpClient client(runtime, "127.0.0.1", port_, options);
      runtime.scope().spawn(send_stop(client));
      runtime.run();
    }
    thread_.join();
  }
  static Task<void> send_stop(HttpClient& client) {
    http::Request request;
    request.method = "GET";
    request.target = "/__stop";
    (void)co_await client.send(std::move(request), {}, std::chrono::seconds(30));
  }

 public:
  // How the stop request reaches a TLS server (with a client certificate under verify_incoming).
  std::optional<HttpClientTls> stop_tls_;

 private:
  AsioRuntime runtime_;
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
  std::stop_source stop_;
  std::thread thread_;
  std::mutex mutex_;
  std::deque<http::Response> script_;
  std::vector<Recorded> requests_;
};

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

Outcome run_cli(const std::vector<std::string>& args, const std::string& input, std::map<std::string, std::string> env) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  CliContext context{in, out, err, [env](const std::string& name) -> std::optional<std::string> {
                       const auto found = env.find(name);
                       if (found == env.end()) return std::nullopt;
                       return found->second;
                     }};
  Outcome result;
  result.code = run_task_command(args, context);
  result.out = out.str();
  result.err = err.str();
  return result;
}

const std::string kPlan = "Plan: 1 to add, 0 to change, 0 to destroy.";

TEST(TaskCommands, DisableSendsEnabledFalse) {
  FakeCts cts;
  cts.answer(json_response(200, "{}"));
  const Outcome r = run_cli({"disable", "web"}, "", {{"CTS_ADDRESS", cts.url()}});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "==> Waiting to disable 'web'...\n\n==> 'web' disable complete!\n");
  EXPECT_EQ(r.err, "");
  const auto requests = cts.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PATCH");
  EXPECT_EQ(requests[0].target, "/v1/tasks/web");
  EXPECT_EQ(requests[0].body, R"({"Enabled":false})");
}

std::string inspect_answer(bool changes) {
  return std::string(R"({"inspect":{"changes_present":)") + (changes ? "true" : "false") + R"(,"plan":")" + kPlan + R"("}})";
}

TEST(TaskCommands, EnableInspectsAsksAndRunsOnYes) {
  FakeCts cts;
  cts.answer(json_response(200, inspect_answer(true)));
  cts.answer(json_response(200, "{}"));
  const Outcome r = run_cli({"enable", "-http-addr", cts.url(), "web"}, "yes\n", {});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "==> Inspecting changes to resource if enabling 'web'...\n\n"
            "    Generating plan that Consul-Terraform-Sync will use Terraform to execute\n\n"
            "    " + kPlan + "\n"
            "==> Enabling the task will perform the actions described above.\n"
            "    Do you want to perform these actions for 'web'?\n"
            "     - This action cannot be undone.\n"
            "     - Consul-Terraform-Sync cannot guarantee Terraform will perform\n"
            "       these exact actions if monitored services have changed.\n\n"
            "    Only 'yes' will be accepted to approve, enter 'no' or leave blank to reject.\n\n"
            "Enter a value: \n"
            "==> Enabling and running 'web'...\n\n"
            "==> 'web' enable complete!\n");
  const auto requests = cts.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/v1/tasks/web?run=inspect");
  EXPECT_EQ(requests[0].body, R"({"Enabled":true})");
  EXPECT_EQ(requests[1].method, "PATCH");
  EXPECT_EQ(requests[1].target, "/v1/tasks/web?run=now");
}

TEST(TaskCommands, EnableCancelledOnAnythingButYes) {
  for (const std::string input : {"no\n", "\n", "YES\n"}) {
    FakeCts cts;
    cts.answer(json_response(200, inspect_answer(true)));
    const Outcome r = run_cli({"enable", "web"}, input, {{"CTS_ADDRESS", cts.url()}});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("Enter a value: \n    Cancelled enabling task 'web'\n"), std::string::npos) << r.out;
    EXPECT_EQ(cts.requests().size(), 1u);
  }
}

TEST(TaskCommands, PromptWithoutAnswerIsAnError) {
  FakeCts cts;
  cts.answer(json_response(200, inspect_answer(true)));
  const Outcome r = run_cli({"enable", "web"}, "yes", {{"CTS_ADDRESS", cts.url()}});  // no newline: EOF
  EXPECT_EQ(r.code, 11);
  EXPECT_EQ(r.err, "==> Error asking for approval: EOF\n");
}

TEST(TaskCommands, EnableWithoutChangesJustEnables) {
  FakeCts cts;
  cts.answer(json_response(200, inspect_answer(false)));
  cts.answer(json_response(200, "{}"));
  const Outcome r = run_cli({"enable", "web"}, "", {{"CTS_ADDRESS", cts.url()}});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.find("Enter a value"), std::string::npos);
  const auto requests = cts.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].target, "/v1/tasks/web");
}

TEST(TaskCommands, EnableAutoApprove) {
  FakeCts cts;
  cts.answer(json_response(200, inspect_answer(true)));
  cts.answer(json_response(200, "{}"));
  const Outcome r = run_cli({"enable", "-auto-approve", "web"}, "", {{"CTS_ADDRESS", cts.url()}});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.find("Enter a value"), std::string::npos);
  EXPECT_EQ(cts.requests().size(), 2u);
}

TEST(TaskCommands, DeleteAsksThenDeletes) {
  FakeCts cts;
  cts.answer(json_response(202, R"({"request_id":"bb63cd70-8f45-4f42-b27b-bc2a6f4931e6"})"));
  const Outcome r = run_cli({"delete", "web"}, "yes\n", {{"CTS_ADDRESS", cts.url()}});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "==> Do you want to delete 'web'?\n"
            "     - This action cannot be undone.\n"
            "     - Deleting a task will not destroy the infrastructure managed by the task.\n"
            "     - If the task is not running, it will be deleted immediately.\n"
            "     - If the task is running, it will be deleted once it has completed.\n"
            "    Only 'yes' will be accepted to approve, enter 'no' or leave blank to reject.\n\n"
            "Enter a value: \n"
            "==> Marking task 'web' for deletion...\n\n"
            "==> Task 'web' has been marked for deletion and will be deleted when not running.\n");
  const auto requests = cts.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "DELETE");
  EXPECT_EQ(requests[0].target, "/v1/tasks/web");
}

TEST(TaskCommands, DeleteRefusedByTheServer) {
  FakeCts cts;
  cts.answer(json_response(404, R"({"error":{"message":"a task with name 'web' does not exist or has not been )"
                                R"(initialized yet"},"request_id":"bb63cd70-8f45-4f42-b27b-bc2a6f4931e6"})"));
  const Outcome r = run_cli({"delete", "-auto-approve", "web"}, "", {{"CTS_ADDRESS", cts.url()}});
  EXPECT_EQ(r.code, 11);
  EXPECT_EQ(r.err, "==> Error: unable to delete 'web'\n");
  EXPECT_NE(r.out.find("    404 Not Found: a task with name 'web' does not exist or has not been\n"
                       "initialized yet, see logs for more details (Request ID:\nbb63cd70-8f45-4f42-b27b-bc2a6f4931e6)\n"),
            std::string::npos)
      << r.out;
}

TEST(TaskCommands, DisableErrorFromServer) {
  FakeCts cts;
  cts.answer(json_response(400, R"({"error":{"message":"redirect requests to leader"}})"));
  const Outcome r = run_cli({"disable", "web"}, "", {{"CTS_ADDRESS", cts.url()}});
  EXPECT_EQ(r.code, 11);
  EXPECT_EQ(r.err, "==> Error: unable to disable 'web'\n");
  EXPECT_EQ(r.out,
            "==> Waiting to disable 'web'...\n\n"
            "    request returned 400 status code with error: redirect requests to leader\n");
}

class TaskFile {
 public:
  explicit TaskFile(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("baton-task-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".hcl");
    std::ofstream(path_) << text;
  }
  ~TaskFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

const std::string kTaskHcl = R"(task {
  name = "web"
  module = "org/m"
  condition "services" {
    names = ["api"]
  }
}
)";

TEST(TaskCommands, CreateInspectsThenCreates) {
  FakeCts cts;
  TaskFile file(kTaskHcl);
  cts.answer(json_response(200, R"({"request_id":"11111111-2222-3333-4444-555555555555","run":{"changes_present":true,"plan":")" +
                                    kPlan + R"("},"task":{"name":"web","module":"org/m","condition":{}}})"));
  cts.answer(json_response(201, R"({"request_id":"66666666-2222-3333-4444-555555555555","task":{"name":"web","module":"org/m","condition":{}}})"));
  const Outcome r = run_cli({"create", "-task-file", file.path()}, "yes\n", {{"CTS_ADDRESS", cts.url()}});
  EXPECT_EQ(r.code, 0) << r.err << r.out;
  const std::string body = R"({"task":{"condition":{"services":{"names":["api"]}},"module":"org/m","name":"web","variables":{}}})";
  const auto requests = cts.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/tasks?run=inspect");
  EXPECT_EQ(requests[0].body, body);
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[1].target, "/v1/tasks?run=now");
  EXPECT_EQ(requests[1].body, body);
  EXPECT_NE(r.out.find("    Request ID: 11111111-2222-3333-4444-555555555555\n"
                       "    Request Payload:\n"
                       "    {\n"
                       "      \"task\": {\n"
                       "        \"condition\": {\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    Plan: \n" + kPlan + "\n==> Creating the task will perform the actions described above.\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("==> Task 'web' created\n    Request ID: '66666666-2222-3333-4444-555555555555'\n"), std::string::npos)
      << r.out;
}

TEST(TaskCommands, CreateFileErrors) {
  const Outcome missing = run_cli({"create"}, "", {});
  EXPECT_EQ(missing.code, 13);
  EXPECT_EQ(missing.err, "==> Error: unable to create request\n");
  EXPECT_EQ(missing.out, "    no task file provided\n    For additional help try 'baton task create --help'\n");

  TaskFile two(kTaskHcl + "task {\n name = \"b\"\n}\n");
  const Outcome many = run_cli({"create", "-task-file=" + two.path()}, "", {});
  EXPECT_EQ(many.code, 11);
  EXPECT_EQ(many.out, "    task file '" + two.path() + "' cannot contain more than 1 task, contains 2 tasks\n");

  const Outcome absent = run_cli({"create", "-task-file", "/nonexistent/t.hcl"}, "", {});
  EXPECT_EQ(absent.code, 11);
  EXPECT_EQ(absent.out, "    unable to read task file\n    stat /nonexistent/t.hcl: no such file or directory\n");
}

TEST(TaskCommands, CreateRefusedShowsStatusMessageAndRequestId) {
  FakeCts cts;
  TaskFile file(kTaskHcl);
  cts.answer(json_response(400, R"({"error":{"message":"task with name web already exists"},"request_id":"abc"})"));
  const Outcome r = run_cli({"create", "-auto-approve", "-task-file", file.path()}, "", {{"CTS_ADDRESS", cts.url()}});
  EXPECT_EQ(r.code, 11);
  EXPECT_EQ(r.err, "==> Error: unable to generate plan for 'web'\n");
  EXPECT_NE(r.out.find("    400 Bad Request: task with name web already exists, see logs for more details\n(Request ID: abc)\n"),
            std::string::npos)
      << r.out;
}

TEST(TaskCommands, ConnectionRefused) {
  std::uint16_t port = 0;
  { FakeCts closed; port = closed.port(); }
  const Outcome r = run_cli({"disable", "web"}, "", {{"CTS_ADDRESS", "http://127.0.0.1:" + std::to_string(port)}});
  EXPECT_EQ(r.code, 11);
  EXPECT_EQ(r.err, "==> Error: unable to disable 'web'\n");
  const std::string expected = "Patch \"http://127.0.0.1:" + std::to_string(port) + "/v1/tasks/web\": dial tcp 127.0.0.1:" +
                               std::to_string(port) + ": connect: connection refused";
  EXPECT_EQ(r.out, "==> Waiting to disable 'web'...\n\n    " + wrap_string(expected, 78) + "\n");
}

TEST(TaskCommands, BadAddressAndFlags) {
  const Outcome scheme = run_cli({"disable", "web"}, "", {{"CTS_ADDRESS", "ftp://x:1"}});
  EXPECT_EQ(scheme.code, 11);
  EXPECT_EQ(scheme.err, "==> Error: unable to create client for 'web'\n");
  EXPECT_NE(scheme.out.find("    unknown protocol scheme: ftp\n"), std::string::npos);

  const Outcome no_arg = run_cli({"disable"}, "", {});
  EXPECT_EQ(no_arg.code, 13);
  EXPECT_EQ(no_arg.err, "==> Error: this command requires one argument: [options] <task name>\n");
  EXPECT_EQ(no_arg.out, "    No arguments were passed to the command\n    For additional help try 'baton task disable --help'\n");

  const Outcome two = run_cli({"delete", "a", "b"}, "", {});
  EXPECT_EQ(two.code, 13);
  EXPECT_NE(two.out.find("    2 arguments were passed to the command: 'a, b'\n"), std::string::npos);

  const Outcome bad_flag = run_cli({"enable", "-bogus", "web"}, "", {});
  EXPECT_EQ(bad_flag.code, 14);
  EXPECT_EQ(bad_flag.err, "==> Error: unsupported arguments in flags '-bogus, web'\n");
  EXPECT_EQ(bad_flag.out.rfind("flag provided but not defined: -bogus\n    Please see --help information below for "
                               "supported options:\n\nUsage: baton task enable [-help] [options] <task name>", 0),
            0u)
      << bad_flag.out;
}

TEST(TaskCommands, TaskHelpAndUnknownSubcommand) {
  const std::string help =
      "This command is accessed by using one of the subcommands below.\n\nSubcommands:\n"
      "    create     Creates a new task.\n"
      "    delete     Deletes an existing task.\n"
      "    disable    Disables existing tasks from running.\n"
      "    enable     Enables existing tasks to run.\n";
  const Outcome none = run_cli({}, "", {});
  EXPECT_EQ(none.code, 1);
  EXPECT_EQ(none.err, help);
  const Outcome unknown = run_cli({"rename", "x"}, "", {});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_EQ(unknown.err, help);
  const Outcome asked = run_cli({"-help"}, "", {});
  EXPECT_EQ(asked.code, 0);
  EXPECT_EQ(asked.out, help);
  const Outcome command_help = run_cli({"delete", "web", "--help"}, "", {});
  EXPECT_EQ(command_help.code, 0);
  EXPECT_EQ(command_help.out.rfind("Usage: baton task delete [-help] [options] <task name>\n", 0), 0u);
  EXPECT_NE(command_help.out.find("\t-auto-approve [Default: false]\n  \t\tSkip interactive approval of deleting a task\n"),
            std::string::npos);
  EXPECT_NE(command_help.out.find("\t-http-addr [Default: http://localhost:8558]\n"), std::string::npos);
}

TEST(TaskCommands, TlsWithCaAndMutualTls) {
  test::TestCertificates certs;
  HttpServerTls tls{.cert_file = certs.server_cert_file, .key_file = certs.server_key_file,
                    .verify_incoming = true, .ca_file = certs.ca_file};
  FakeCts cts(tls);
  cts.stop_tls_ = HttpClientTls{.cert_file = certs.client_cert_file, .key_file = certs.client_key_file, .verify = false};
  const std::string address = "https://localhost:" + std::to_string(cts.port());
  cts.answer(json_response(200, "{}"));
  const Outcome ok = run_cli({"disable", "-ca-cert", certs.ca_file, "-client-cert", certs.client_cert_file, "-client-key",
                      certs.client_key_file, "web"},
                     "", {{"CTS_ADDRESS", address}});
  EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
  EXPECT_EQ(cts.requests().size(), 1u);

  // Environment variables instead of flags.
  cts.answer(json_response(200, "{}"));
  const Outcome env = run_cli({"disable", "web"}, "",
                      {{"CTS_ADDRESS", address}, {"CTS_CACERT", certs.ca_file}, {"CTS_CLIENT_CERT", certs.client_cert_file},
                       {"CTS_CLIENT_KEY", certs.client_key_file}});
  EXPECT_EQ(env.code, 0) << env.out << env.err;

  // The system's CAs do not know this server.
  const Outcome untrusted = run_cli({"disable", "web"}, "", {{"CTS_ADDRESS", address}});
  EXPECT_EQ(untrusted.code, 11);
  EXPECT_EQ(untrusted.err, "==> Error: unable to disable 'web'\n");

  // A client certificate without its key.
  const Outcome half = run_cli({"disable", "-client-cert", certs.client_cert_file, "web"}, "", {{"CTS_ADDRESS", address}});
  EXPECT_EQ(half.code, 11);
  EXPECT_NE(half.out.find("    both client cert and client key must be provided\n"), std::string::npos);
  EXPECT_EQ(cts.requests().size(), 2u);
}

TEST(WordWrap, AsGoWordwrap) {
  EXPECT_EQ(wrap_string("aaa bbb ccc", 7), "aaa bbb\nccc");
  EXPECT_EQ(wrap_string("short", 78), "short");
  EXPECT_EQ(wrap_string("a\nb  c", 3), "a\nb\nc");
}

}  // namespace
}  // namespace baton::cli
