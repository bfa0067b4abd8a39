#include "engine/cli/task_commands.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <variant>

#include <nlohmann/json.hpp>

#include "engine/api/model/go_json.hpp"
#include "engine/api/model/task_json.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/http/http_client.hpp"
#include "engine/cli/go_flags.hpp"
#include "engine/config/cts/go_strconv.hpp"
#include "engine/config/cts/go_url.hpp"
#include "engine/http/message.hpp"

namespace baton::cli {

namespace {

using nlohmann::json;

constexpr const char* kDefaultUrl = "http://localhost:8558";
constexpr std::int64_t kDefaultPort = 8558;
constexpr std::size_t kWidth = 78;
// Go's http.Client has no timeout; a run=now request lasts as long as the task's apply. A day
// bounds a request that would otherwise never end.
constexpr Duration kRequestTimeout = std::chrono::hours(24);
constexpr const char* kErrCreatingRequest = "Error: unable to create request";
constexpr const char* kErrCreatingClient = "Error: unable to create client";

// --- mitchellh/cli's PrefixedUi over BasicUi -------------------------------------------------

class Ui {
 public:
  explicit Ui(CliContext& context) : context_(context) {}
  void info(const std::string& message) { line(context_.out, message.empty() ? "" : "==> " + message); }
  void output(const std::string& message) { line(context_.out, message.empty() ? "" : "    " + message); }
  void error(const std::string& message) { line(context_.err, message.empty() ? "" : "==> " + message); }
  void warn(const std::string& message) { line(context_.err, message); }
  // BasicUi.Ask: the query and a space, then one line; a line without its newline (the input
  // ended) is an error, "EOF", as bufio's ReadString gives it.
  std::variant<std::string, std::string> ask(const std::string& query) {
    context_.out << query << " " << std::flush;
    std::string answer;
    std::getline(context_.in, answer);
    if (context_.in.eof() || context_.in.fail()) return std::variant<std::string, std::string>(std::in_place_index<1>, "EOF");
    while (!answer.empty() && (answer.back() == '\r' || answer.back() == '\n')) answer.pop_back();
    return std::variant<std::string, std::string>(std::in_place_index<0>, answer);
  }

 private:
  static void line(std::ostream& stream, const std::string& text) { stream << text << "\n" << std::flush; }
  CliContext& context_;
};

// --- Go texts ----------------------------------------------------------------------------------

// net/http's StatusText, for resp.Status ("400 Bad Request").
std::string status_line(int status) {
  static const std::map<int, const char*> texts = {
      {200, "OK"}, {201, "Created"}, {202, "Accepted"}, {204, "No Content"}, {301, "Moved Permanently"},
      {302, "Found"}, {304, "Not Modified"}, {400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"},
      {404, "Not Found"}, {405, "Method Not Allowed"}, {409, "Conflict"}, {413, "Request Entity Too Large"},
      {415, "Unsupported Media Type"}, {429, "Too Many Requests"}, {500, "Internal Server Error"},
      {501, "Not Implemented"}, {502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Gateway Timeout"}};
  const auto found = texts.find(status);
  return std::to_string(status) + " " + (found != texts.end() ? found->second : "");
}

// What encoding/json's Decoder.Decode says of a body that does not hold a JSON value: "EOF"
// for an empty one; otherwise the start of Go's syntax error (the rest is approximated).
std::optional<std::string> go_json_decode_error(const std::string& body, json& value) {
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "EOF";
  value = json::parse(body, nullptr, false);
  if (!value.is_discarded()) return std::nullopt;
  const char c = body[first];
  if (c != '{' && c != '[' && c != '"' && c != '-' && !(c >= '0' && c <= '9') && c != 't' && c != 'f' && c != 'n') {
    return std::string("invalid character '") + c + "' looking for beginning of value";
  }
  return std::string("unexpected EOF");
}

// The http.Client error for a request that got no response: *url.Error's
// `Patch "http://127.0.0.1:8558/v1/tasks/web": dial tcp 127.0.0.1:8558: connect: connection refused`.
std::string go_transport_error(const std::string& method, const std::string& url, const HttpTransportError& error) {
  std::string op = method.substr(0, 1);
  for (std::size_t i = 1; i < method.size(); ++i) op += char(std::tolower(static_cast<unsigned char>(method[i])));
  std::string reason = error.message;
  if (reason.rfind("connect ", 0) == 0) {
    // "connect H:P: Connection refused" -> "dial tcp H:P: connect: connection refused"
    const auto colon = reason.find(": ", 8);
    if (colon != std::string::npos) {
      std::string why = reason.substr(colon + 2);
      if (!why.empty()) why[0] = char(std::tolower(static_cast<unsigned char>(why[0])));
      reason = "dial tcp " + reason.substr(8, colon - 8) + ": connect: " + why;
    }
  } else if (reason.find("end of stream") != std::string::npos || reason.find("stream truncated") != std::string::npos) {
    reason = "EOF";
  }
  return op + " \"" + url + "\": " + reason;
}

// processEOFError (command/helpers.go).
std::string process_eof_error(const std::string& scheme, std::string message) {
  if (message.find("EOF") != std::string::npos && scheme == "http") {
    message += ". Scheme http was used, client may have sent an HTTP request to an HTTPS server. This error can be "
               "caused by a client using HTTP to connect to a CTS server with TLS enabled, consider using HTTPS "
               "scheme instead";
  }
  return message;
}

// --- the client (api/client.go, api/task_lifecycle_client.go) --------------------------------

struct TlsSettings {
  std::string ca_path;
  std::string ca_cert;
  std::string client_cert;
  std::string client_key;
  bool ssl_verify = true;
};

struct ClientConfig {
  std::string url = kDefaultUrl;
  TlsSettings tls;
};

struct ParsedUrl {
  std::string scheme;
  std::string host;  // Go's u.Host: "localhost:8558", "[::1]:8558"
  std::string hostname;
  std::uint16_t port = 0;
};

// url.Parse's split of scheme://host..., after ParseRequestURI accepted the text.
ParsedUrl split_url(const std::string& url) {
  ParsedUrl parsed;
  const auto scheme_end = url.find(':');
  parsed.scheme = url.substr(0, scheme_end);
  for (char& c : parsed.scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
  std::string rest = url.substr(scheme_end + 1);
  if (rest.rfind("//", 0) == 0) {
    rest = rest.substr(2);
    const auto end = rest.find_first_of("/?#");
    parsed.host = rest.substr(0, end);
    const auto at = parsed.host.rfind('@');
    if (at != std::string::npos) parsed.host = parsed.host.substr(at + 1);
  }
  std::string port_text;
  if (!parsed.host.empty() && parsed.host[0] == '[') {
    const auto close = parsed.host.find(']');
    parsed.hostname = parsed.host.substr(1, close - 1);
    if (close + 1 < parsed.host.size() && parsed.host[close + 1] == ':') port_text = parsed.host.substr(close + 2);
  } else {
    const auto colon = parsed.host.rfind(':');
    parsed.hostname = parsed.host.substr(0, colon);
    if (colon != std::string::npos) port_text = parsed.host.substr(colon + 1);
  }
  if (port_text.empty()) {
    parsed.port = parsed.scheme == "https" ? 443 : 80;
  } else {
    parsed.port = static_cast<std::uint16_t>(std::stoul(port_text));
  }
  return parsed;
}

// parseURL: ParseRequestURI, then http or https, then a host.
std::variant<ParsedUrl, std::string> parse_url(const std::string& url) {
  if (auto error = config::cts::go_parse_request_uri_error(url)) return *error;
  ParsedUrl parsed = split_url(url);
  if (parsed.scheme != "http" && parsed.scheme != "https") return "unknown protocol scheme: " + parsed.scheme;
  if (parsed.host.empty()) return std::string("invalid address, host value is empty");
  return parsed;
}

struct Reply {
  int status = 0;
  std::string content_type;
  std::string body;
};

Task<void> exchange(HttpClient& client, http::Request request, std::optional<HttpResult>& result) {
  const std::stop_token never;  // named: GCC 12 mishandles braced temporaries in co_await operands
  HttpResult sent = co_await client.send(std::move(request), never, kRequestTimeout);
  result.emplace(std::move(sent));
}

class Client {
 public:
  Client(ClientConfig config, ParsedUrl url)
      : config_(std::move(config)), url_(std::move(url)), runtime_(AsioRuntimeOptions{.name = "baton-cli"}) {
    HttpClientOptions options;
    if (url_.scheme == "https") {
      HttpClientTls tls;
      tls.ca_file = config_.tls.ca_cert;
      tls.ca_path = config_.tls.ca_path;
      tls.cert_file = config_.tls.client_cert;
      tls.key_file = config_.tls.client_key;
      tls.verify = config_.tls.ssl_verify;
      options.tls = tls;
    }
    http_ = std::make_unique<HttpClient>(runtime_, url_.hostname, url_.port, options);
  }
  ~Client() { http_.reset(); }  // before the runtime
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const std::optional<std::string>& error() const { return http_->error(); }
  const std::string& scheme() const { return url_.scheme; }

  // One request; a transport failure is Go's *url.Error text.
  std::variant<Reply, std::string> send(const std::string& method, const std::string& path_and_query,
                                        std::string body, bool json_content) {
    http::Request request;
    request.method = method;
    request.target = path_and_query;
    request.body = std::move(body);
    request.headers.push_back({"Host", url_.host});
    request.headers.push_back({"User-Agent", "Go-http-client/1.1"});
    if (json_content) request.headers.push_back({"Content-Type", "application/json"});
    std::optional<HttpResult> result;
    runtime_.scope().spawn(exchange(*http_, std::move(request), result));
    runtime_.run();
    if (!result || !result->ok()) {
      const HttpTransportError failure =
          result ? result->error() : HttpTransportError{HttpFailure::cancelled, "the request did not end"};
      return go_transport_error(method, url_.scheme + "://" + url_.host + path_and_query, failure);
    }
    const http::Response& response = result->response();
    Reply reply{response.status, std::string(response.header("Content-Type").value_or("")), response.body};
    return reply;
  }

 private:
  ClientConfig config_;
  ParsedUrl url_;
  AsioRuntime runtime_;
  std::unique_ptr<HttpClient> http_;
};

// The old api.Client's request(): a 4xx/5xx is an error made of the body's error.message.
std::variant<json, std::string> old_client_request(Client& client, const std::string& method, const std::string& target,
                                                   const std::string& body) {
  auto sent = client.send(method, target, body, false);
  if (auto* failure = std::get_if<std::string>(&sent)) return *failure;
  const Reply& reply = std::get<Reply>(sent);
  json value;
  if (reply.status >= 400) {
    if (auto error = go_json_decode_error(reply.body, value)) return *error;
    std::string message;
    if (value.is_object() && value.contains("error") && value["error"].is_object()) {
      const json& object = value["error"];
      if (object.contains("message") && object["message"].is_string()) message = object["message"].get<std::string>();
    }
    if (!message.empty()) {
      return "request returned " + std::to_string(reply.status) + " status code with error: " + message;
    }
    return "request returned " + std::to_string(reply.status) + " status code";
  }
  if (auto error = go_json_decode_error(reply.body, value)) return *error;
  return value;
}

// TaskLifecycleHTTPClient.Do: a 4xx/5xx is "<status>: <message>, see logs ... (Request ID: id)".
std::variant<Reply, std::string> lifecycle_request(Client& client, const std::string& method, const std::string& target,
                                                   const std::string& body, bool json_content) {
  auto sent = client.send(method, target, body, json_content);
  if (auto* failure = std::get_if<std::string>(&sent)) return *failure;
  Reply reply = std::get<Reply>(std::move(sent));
  if (reply.status >= 400 && reply.status < 600) {
    std::string message;
    if (reply.content_type == "application/json") {
      json value;
      if (auto error = go_json_decode_error(reply.body, value)) return *error;
      std::string text;
      std::string request_id = "00000000-0000-0000-0000-000000000000";
      if (value.is_object()) {
        if (value.contains("error") && value["error"].is_object() && value["error"].contains("message") &&
            value["error"]["message"].is_string()) {
          text = value["error"]["message"].get<std::string>();
        }
        if (value.contains("request_id") && value["request_id"].is_string()) {
          request_id = value["request_id"].get<std::string>();
        }
      }
      message = text + ", see logs for more details (Request ID: " + request_id + ")";
    } else {
      message = reply.body;
    }
    if (message.empty()) return status_line(reply.status);
    return status_line(reply.status) + ": " + message;
  }
  return reply;
}

std::string request_id_of(const json& value) {
  if (value.is_object() && value.contains("request_id") && value["request_id"].is_string()) {
    return value["request_id"].get<std::string>();
  }
  return "00000000-0000-0000-0000-000000000000";
}

// --- the commands -------------------------------------------------------------------------------

enum class Command { enable, disable, create, remove };

const char* command_name(Command command) {
  switch (command) {
    case Command::enable: return "task enable";
    case Command::disable: return "task disable";
    case Command::create: return "task create";
    case Command::remove: return "task delete";
  }
  return "task";
}

const char* synopsis(Command command) {
  switch (command) {
    case Command::enable: return "Enables existing tasks to run.";
    case Command::disable: return "Disables existing tasks from running.";
    case Command::create: return "Creates a new task.";
    case Command::remove: return "Deletes an existing task.";
  }
  return "";
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string trim_space(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n\v\f");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n\v\f");
  return text.substr(first, last - first + 1);
}

class TaskCommand {
 public:
  TaskCommand(Command command, CliContext& context) : command_(command), context_(context), ui_(context), flags_(command_name(command)) {
    // meta.defaultFlagSet
    flags_.add_int("port", kDefaultPort,
                   "[Deprecated] The port to use for the Consul-Terraform-Sync API server, \n\t\tit is preferred to use the "
                   "http-addr field instead.");
    flags_.add_string("http-addr", kDefaultUrl,
                      "The `address` and port of the CTS daemon. The value can be an IP address \n\t\tor DNS address, but "
                      "it must also include the port. This can also be specified \n\t\tvia the CTS_ADDRESS environment "
                      "variable. The scheme can also be set to HTTPS \n\t\tby including https in the provided address "
                      "(eg. https://127.0.0.1:8558)");
    flags_.add_string("ca-path", "",
                      "Path to a directory of CA certificates to use for TLS when communicating \n\t\twith "
                      "Consul-Terraform-Sync. This can also be specified using the \n\t\tCTS_CAPATH environment variable.");
    flags_.add_string("ca-cert", "",
                      "Path to a CA file to use for TLS when communicating with Consul-Terraform-Sync. \n\t\tThis can also "
                      "be specified using the CTS_CACERT environment variable.");
    flags_.add_string("client-cert", "",
                      "Path to a client cert file to use for TLS when verify_incoming is enabled. \n\t\tThis can also be "
                      "specified using the CTS_CLIENT_CERT environment variable.");
    flags_.add_string("client-key", "",
                      "Path to a client key file to use for TLS when verify_incoming is enabled. \n\t\tThis can also be "
                      "specified using the CTS_CLIENT_KEY environment variable.");
    flags_.add_bool("ssl-verify", true,
                    "Boolean to verify SSL or not. Set to true to verify SSL. \n\t\tThis can also be specified using the "
                    "CTS_SSL_VERIFY environment variable.");
    switch (command_) {
      case Command::enable: flags_.add_bool("auto-approve", false, "Skip interactive approval of inspect plan"); break;
      case Command::create:
        flags_.add_bool("auto-approve", false, "Skip interactive approval of inspect plan");
        flags_.add_string("task-file", "", "[Required] A file containing the hcl or json definition of a task");
        break;
      case Command::remove: flags_.add_bool("auto-approve", false, "Skip interactive approval of deleting a task"); break;
      case Command::disable: break;
    }
    flags_.set_output(&context_.out);
  }

  std::string help() const {
    // meta.setHelpOptions: "\t-name [Default: value]\n  \t\tusage\n" per flag.
    std::vector<std::string> options;
    for (const FlagSet::Info& info : flags_.visit_all()) {
      const std::string default_text = info.value_text.empty() ? "" : "[Default: " + info.value_text + "]";
      options.push_back("\t-" + info.name + " " + default_text + "\n  \t\t" + info.usage + "\n");
    }
    const std::string joined = join(options, "\n");
    const std::string& p = context_.program;
    std::string text;
    switch (command_) {
      case Command::enable:
        text = "\nUsage: " + p +
               " task enable [-help] [options] <task name>\n\n"
               "  Task Enable is used to enable existing tasks. Once enabled, a task will\n"
               "  run and make changes to your network infrastructure resources. Before\n"
               "  enabling, the CLI will present the operator with a inspect plan and ask for\n"
               "  approval.\n\nOptions:\n" +
               joined +
               "\n\nExample:\n\n  $ " + p +
               " task enable my_task\n"
               "  ==> Inspecting the changes to resource if enabling task 'my_task' now...\n\n"
               "  // ... inspection details\n\n"
               "  ==> Enabling the task will perform the actions described above.\n"
               "      Do you want to perform these actions for 'my_task'?\n"
               "       - This action cannot be undone.\n"
               "       - Consul-Terraform-Sync cannot guarantee that these exact actions will be\n"
               "\t     performed if monitored services have changed.\n\n"
               "      Only 'yes' will be accepted to approve, enter 'no' or leave blank to reject.\n\n"
               "  Enter a value: yes\n\n"
               "  // ... output continues\n";
        break;
      case Command::disable:
        text = "\nUsage: " + p +
               " task disable [-help] [options] <task name>\n\n"
               "  Task Disable is used to disable existing tasks. Once disabled, a task will no\n"
               "  longer run and make changes to your network infrastructure resources.\n\nOptions:\n" +
               joined + "\n\nExample:\n\n  $ " + p +
               " task disable my_task\n"
               "    ==> Waiting to disable 'Test_2'...\n\n"
               "    ==> 'Test_2' disable complete!\n";
        break;
      case Command::create:
        text = "\nUsage: " + p +
               " task create [-help] [options] -task-file=<task config>\n\n"
               "  Task Create is used to create a new task. It is not to be used for updating a task, it will not "
               "create a task if the\n  task name already exists.\n\nOptions:\n" +
               joined + "\n\nExample:\n\n  $ " + p +
               " task create --task-file=\"task.hcl\"\n"
               "  ==> Inspecting changes to resource if creating task 'my_task'...\n\n"
               "  // ... inspection details\n\n"
               "  ==> Creating the task will perform the actions described above.\n"
               "      Do you want to perform these actions for 'my_task'?\n"
               "       - This action cannot be undone.\n"
               "       - Consul-Terraform-Sync cannot guarantee that these exact actions will be\n"
               "\t     performed if monitored services have changed.\n\n"
               "      Only 'yes' will be accepted to approve, enter 'no' or leave blank to reject.\n\n"
               "  Enter a value: yes\n  \n"
               "  // ... output continues\n";
        break;
      case Command::remove:
        text = "\nUsage: " + p +
               " task delete [-help] [options] <task name>\n\n"
               "  Task Delete is used to delete an existing task. If the task is not running,\n"
               "  then it is deleted immediately. Otherwise, it will be deleted once the task\n"
               "  is complete.\n\nOptions:\n" +
               joined + "\n\nExample:\n\n  $ " + p +
               " task delete my_task\n"
               "  ==> Do you want to delete 'my_task'?\n"
               "       - This action cannot be undone.\n"
               "       - Deleting a task will not destroy the infrastructure managed by the task.\n"
               "       - If the task is not running, it will be deleted immediately.\n"
               "       - If the task is running, it will be deleted once it has completed.\n"
               "      Only 'yes' will be accepted to approve, enter 'no' or leave blank to reject.\n\n"
               "  Enter a value: yes\n\n"
               "  ==> Marking task 'my_task' for deletion...\n\n"
               "  ==> Task 'my_task' has been marked for deletion and will be deleted when not running.\n";
        break;
    }
    return trim_space(text);
  }

  int run(const std::vector<std::string>& args) {
    if (command_ == Command::create) {
      flags_.set_usage([this] { ui_.output(help()); });
    } else {
      // meta.setFlagsUsage: the help is made before parsing.
      const std::string usage_help = help();
      flags_.set_usage([this, args, usage_help] {
        ui_.error("Error: unsupported arguments in flags '" + join(args, ", ") + "'");
        ui_.output("Please see --help information below for supported options:\n\n" + usage_help);
      });
    }
    if (flags_.parse(args)) return kExitParseFlags;
    switch (command_) {
      case Command::enable: return enable();
      case Command::disable: return disable();
      case Command::create: return create();
      case Command::remove: return remove();
    }
    return kExitError;
  }

 private:
  // meta.oneArgCheck
  bool one_arg_check() {
    const auto& rest = flags_.args();
    if (rest.size() == 1) return true;
    ui_.error("Error: this command requires one argument: [options] <task name>");
    if (rest.empty()) {
      ui_.output("No arguments were passed to the command");
    } else {
      ui_.output(std::to_string(rest.size()) + " arguments were passed to the command: '" + join(rest, ", ") + "'");
      ui_.output("All flags are required to appear before positional arguments if set\n");
    }
    ui_.output(wrap_string("For additional help try '" + context_.program + " " + command_name(command_) + " --help'", kWidth));
    return false;
  }

  // BaseClientConfig, then meta.clientConfig's flag overrides.
  std::variant<ClientConfig, std::string> client_config() {
    ClientConfig config;
    if (auto v = context_.getenv("CTS_ADDRESS")) config.url = *v;
    if (auto v = context_.getenv("CTS_CACERT")) config.tls.ca_cert = *v;
    if (auto v = context_.getenv("CTS_CAPATH")) config.tls.ca_path = *v;
    if (auto v = context_.getenv("CTS_CLIENT_CERT")) config.tls.client_cert = *v;
    if (auto v = context_.getenv("CTS_CLIENT_KEY")) config.tls.client_key = *v;
    if (auto v = context_.getenv("CTS_SSL_VERIFY")) {
      const auto parsed = config::cts::go_parse_bool(*v);
      if (const auto* b = std::get_if<bool>(&parsed)) config.tls.ssl_verify = *b;
    }
    if (flags_.is_set("port")) {
      ui_.warn(
          "Warning: 'port' option is deprecated and will be removed in a later version. It is preferred to use the "
          "'http-addr' option instead.\n");
      if (auto error = config::cts::go_parse_request_uri_error(config.url)) return *error;
      const ParsedUrl parsed = split_url(config.url);
      const bool v6 = parsed.hostname.find(':') != std::string::npos;
      const std::string host =
          (v6 ? "[" + parsed.hostname + "]" : parsed.hostname) + ":" + std::to_string(flags_.get_int("port"));
      // u.Host replaced; scheme and the rest kept.
      const auto authority = config.url.find(parsed.host, parsed.scheme.size());
      if (authority != std::string::npos && !parsed.host.empty()) {
        config.url.replace(authority, parsed.host.size(), host);
      }
    }
    if (flags_.is_set("http-addr")) config.url = flags_.get_string("http-addr");
    if (!flags_.get_string("ca-cert").empty()) config.tls.ca_cert = flags_.get_string("ca-cert");
    if (!flags_.get_string("ca-path").empty()) config.tls.ca_path = flags_.get_string("ca-path");
    if (!flags_.get_string("client-cert").empty()) config.tls.client_cert = flags_.get_string("client-cert");
    if (!flags_.get_string("client-key").empty()) config.tls.client_key = flags_.get_string("client-key");
    if (flags_.is_set("ssl-verify")) config.tls.ssl_verify = flags_.get_bool("ssl-verify");
    return config;
  }

  // meta.client / taskLifecycleClient: newHTTPClient (the key pair), then parseURL.
  std::variant<std::unique_ptr<Client>, std::string> make_client() {
    auto config = client_config();
    if (auto* error = std::get_if<std::string>(&config)) return *error;
    ClientConfig& settings = std::get<ClientConfig>(config);
    if (settings.tls.client_cert.empty() != settings.tls.client_key.empty()) {
      return std::string("both client cert and client key must be provided");
    }
    auto url = parse_url(settings.url);
    if (auto* error = std::get_if<std::string>(&url)) return *error;
    auto client = std::make_unique<Client>(std::move(settings), std::get<ParsedUrl>(std::move(url)));
    if (client->error()) return *client->error();
    return client;
  }

  // meta.requestUserApproval: {exit code, approved}.
  std::pair<int, bool> request_approval(const std::string& task_name, const std::string& action) {
    ui_.output("Only 'yes' will be accepted to approve, enter 'no' or leave blank to reject.\n");
    auto answer = ui_.ask("Enter a value:");
    ui_.output("");
    if (answer.index() == 1) {
      ui_.error("Error asking for approval: " + std::get<1>(answer));
      return {kExitError, false};
    }
    if (std::get<0>(answer) != "yes") {
      ui_.output("Cancelled " + action + " task '" + task_name + "'");
      return {kExitOk, false};
    }
    return {0, true};
  }

  void terraform_approval_warning(const std::string& task_name) {
    ui_.output("Do you want to perform these actions for '" + task_name + "'?");
    ui_.output(" - This action cannot be undone.");
    ui_.output(" - Consul-Terraform-Sync cannot guarantee Terraform will perform");
    ui_.output("   these exact actions if monitored services have changed.\n");
  }

  void fail_with(const std::string& headline, const std::string& message) {
    ui_.error(headline);
    ui_.output(wrap_string(message, kWidth));
  }

  static std::string task_path(const std::string& name) { return "/v1/tasks/" + http::percent_encode(name); }

  int enable() {
    if (!one_arg_check()) return kExitRequiredFlags;
    const std::string name = flags_.args().front();
    ui_.info("Inspecting changes to resource if enabling '" + name + "'...\n");
    ui_.output("Generating plan that Consul-Terraform-Sync will use Terraform to execute\n");
    auto made = make_client();
    if (auto* error = std::get_if<std::string>(&made)) {
      fail_with("Error: unable to create client for '" + name + "'", *error);
      return kExitError;
    }
    Client& client = *std::get<std::unique_ptr<Client>>(made);
    // UpdateTaskConfig has no json tags: encoding/json writes the Go field name.
    const std::string enable_body = R"({"Enabled":true})";
    auto inspected = old_client_request(client, "PATCH", task_path(name) + "?run=inspect", enable_body);
    if (auto* error = std::get_if<std::string>(&inspected)) {
      fail_with("Error: unable to generate plan for '" + name + "'", process_eof_error(client.scheme(), *error));
      return kExitError;
    }
    const json& plan_response = std::get<json>(inspected);
    if (!plan_response.is_object() || !plan_response.contains("inspect") || !plan_response["inspect"].is_object()) {
      ui_.error("Error: unable to retrieve a plan for '" + name + "'");
      return kExitError;
    }
    const json& inspect = plan_response["inspect"];
    ui_.output(inspect.value("plan", std::string()));
    if (!inspect.value("changes_present", false)) {
      auto enabled = old_client_request(client, "PATCH", task_path(name), enable_body);
      if (auto* error = std::get_if<std::string>(&enabled)) {
        fail_with("Error: unable to enable '" + name + "'", *error);
        return kExitError;
      }
      ui_.info("'" + name + "' enable complete!");
      return kExitOk;
    }
    if (!flags_.get_bool("auto-approve")) {
      ui_.info("Enabling the task will perform the actions described above.");
      terraform_approval_warning(name);
      const auto [code, approved] = request_approval(name, "enabling");
      if (!approved) return code;
    }
    ui_.info("Enabling and running '" + name + "'...\n");
    auto ran = old_client_request(client, "PATCH", task_path(name) + "?run=now", enable_body);
    if (auto* error = std::get_if<std::string>(&ran)) {
      fail_with("Error: unable to enable and run '" + name + "'", *error);
      return kExitError;
    }
    ui_.info("'" + name + "' enable complete!");
    return kExitOk;
  }

  int disable() {
    if (!one_arg_check()) return kExitRequiredFlags;
    const std::string name = flags_.args().front();
    ui_.info("Waiting to disable '" + name + "'...");
    ui_.output("");
    auto made = make_client();
    if (auto* error = std::get_if<std::string>(&made)) {
      fail_with("Error: unable to create client for '" + name + "'", *error);
      return kExitError;
    }
    Client& client = *std::get<std::unique_ptr<Client>>(made);
    auto disabled = old_client_request(client, "PATCH", task_path(name), R"({"Enabled":false})");
    if (auto* error = std::get_if<std::string>(&disabled)) {
      fail_with("Error: unable to disable '" + name + "'", process_eof_error(client.scheme(), *error));
      return kExitError;
    }
    ui_.info("'" + name + "' disable complete!");
    return kExitOk;
  }

  int remove() {
    if (!one_arg_check()) return kExitRequiredFlags;
    const std::string name = flags_.args().front();
    auto made = make_client();
    if (auto* error = std::get_if<std::string>(&made)) {
      ui_.error(kErrCreatingClient);
      ui_.output("client could not be created for '" + name + "'");
      ui_.output(wrap_string(*error, kWidth));
      return kExitError;
    }
    Client& client = *std::get<std::unique_ptr<Client>>(made);
    if (!flags_.get_bool("auto-approve")) {
      ui_.info("Do you want to delete '" + name + "'?");
      ui_.output(" - This action cannot be undone.");
      ui_.output(" - Deleting a task will not destroy the infrastructure managed by the task.");
      ui_.output(" - If the task is not running, it will be deleted immediately.");
      ui_.output(" - If the task is running, it will be deleted once it has completed.");
      const auto [code, approved] = request_approval(name, "deleting");
      if (!approved) return code;
    }
    ui_.info("Marking task '" + name + "' for deletion...\n");
    auto deleted = lifecycle_request(client, "DELETE", task_path(name), "", false);
    if (auto* error = std::get_if<std::string>(&deleted)) {
      fail_with("Error: unable to delete '" + name + "'", process_eof_error(client.scheme(), *error));
      return kExitError;
    }
    ui_.info("Task '" + name + "' has been marked for deletion and will be deleted when not running.");
    return kExitOk;
  }

  // Reads -task-file as config.BuildConfig would: a file, or a directory's files.
  std::variant<config::cts::ConfigPath, std::string> read_task_file(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return "stat " + path + ": no such file or directory";
    config::cts::ConfigPath contents{path, fs::is_directory(status), {}};
    const auto read = [](const std::string& file) -> std::optional<std::string> {
      std::ifstream stream(file, std::ios::binary);
      if (!stream) return std::nullopt;
      std::ostringstream text;
      text << stream.rdbuf();
      return text.str();
    };
    if (contents.is_directory) {
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (!entry.is_regular_file()) continue;
        auto text = read(entry.path().string());
        if (!text) return "open " + entry.path().string() + ": permission denied";
        contents.files.push_back({entry.path().string(), std::move(*text)});
      }
    } else {
      auto text = read(path);
      if (!text) return "open " + path + ": permission denied";
      contents.files.push_back({path, std::move(*text)});
    }
    return contents;
  }

  int create() {
    const std::string task_file = flags_.get_string("task-file");
    if (task_file.empty()) {
      ui_.error(kErrCreatingRequest);
      ui_.output("no task file provided");
      ui_.output(wrap_string("For additional help try '" + context_.program + " task create --help'", kWidth));
      return kExitRequiredFlags;
    }
    auto contents = read_task_file(task_file);
    if (auto* error = std::get_if<std::string>(&contents)) {
      ui_.error(kErrCreatingRequest);
      ui_.output("unable to read task file");
      ui_.output(wrap_string(*error, kWidth));
      return kExitError;
    }
    auto from_file = api::model::task_from_task_file(task_file, std::get<config::cts::ConfigPath>(contents));
    if (auto* error = std::get_if<api::model::TaskFileError>(&from_file)) {
      ui_.error(kErrCreatingRequest);
      ui_.output(error->headline);
      if (!error->detail.empty()) ui_.output(wrap_string(error->detail, kWidth));
      return kExitError;
    }
    config::cts::TaskConfig task = std::get<config::cts::TaskConfig>(std::move(from_file));

    std::vector<api::model::VariableFile> variable_files;
    std::optional<std::string> variables_error;
    for (const std::string& file : task.variable_files.value_or_zero()) {
      std::ifstream stream(file, std::ios::binary);
      if (!stream) {
        variables_error = "open " + file + ": no such file or directory";
        break;
      }
      std::ostringstream text;
      text << stream.rdbuf();
      variable_files.push_back({file, text.str()});
    }
    if (!variables_error) {
      auto set = api::model::set_task_variables(task, variable_files);
      if (auto* error = std::get_if<std::string>(&set)) variables_error = *error;
    }
    if (variables_error) {
      ui_.error(kErrCreatingRequest);
      ui_.output("task '" + task_file + "' is invalid");
      ui_.output(wrap_string(*variables_error, kWidth));
      return kExitError;
    }

    const auto deprecations = api::model::task_deprecation_messages(task);
    if (!deprecations.empty()) {
      for (const auto& group : deprecations) {
        ui_.error(kErrCreatingRequest);
        for (const std::string& message : group) ui_.output(message);
      }
      return kExitError;
    }

    const json request = api::model::task_request_to_json(task);
    const std::string body = api::model::go_json_marshal(request);
    auto made = make_client();
    if (auto* error = std::get_if<std::string>(&made)) {
      fail_with(kErrCreatingClient, *error);
      return kExitError;
    }
    Client& client = *std::get<std::unique_ptr<Client>>(made);

    const std::string name = task.name.value_or_zero();
    ui_.info("Inspecting changes to resource if creating task '" + name + "'...\n");
    ui_.output("Generating plan that Consul-Terraform-Sync will use Terraform to execute\n");
    auto inspected = lifecycle_request(client, "POST", "/v1/tasks?run=inspect", body, true);
    if (auto* error = std::get_if<std::string>(&inspected)) {
      fail_with("Error: unable to generate plan for '" + name + "'", *error);
      return kExitError;
    }
    json plan_response;
    {
      const Reply& reply = std::get<Reply>(inspected);
      const bool is_json = reply.content_type.find("json") != std::string::npos;
      if (is_json && reply.status == 200) {
        if (auto error = go_json_decode_error(reply.body, plan_response)) {
          fail_with("Error: unable to generate plan for '" + name + "'", *error);
          return kExitError;
        }
      } else {
        ui_.error("Error: received nil response with status " + status_line(reply.status));
        return kExitError;
      }
    }
    ui_.output("Request ID: " + request_id_of(plan_response));
    ui_.output("Request Payload:");
    ui_.output(api::model::go_json_marshal_indent(request, "    ", "  ") + "\n");
    std::string plan;
    std::optional<std::string> run_url;
    if (plan_response.is_object() && plan_response.contains("run") && plan_response["run"].is_object()) {
      const json& run = plan_response["run"];
      if (run.contains("plan") && run["plan"].is_string()) plan = run["plan"].get<std::string>();
      if (run.contains("tfc_run_url") && run["tfc_run_url"].is_string()) run_url = run["tfc_run_url"].get<std::string>();
    }
    ui_.output("Plan: \n" + plan);
    if (run_url) ui_.output("Terraform Cloud Run URL: " + *run_url + "\n");

    if (!flags_.get_bool("auto-approve")) {
      ui_.info("Creating the task will perform the actions described above.");
      terraform_approval_warning(name);
      const auto [code, approved] = request_approval(name, "creating");
      if (!approved) return code;
    }

    ui_.info("Creating and running task '" + name + "'...");
    ui_.output("The task creation request has been sent to the CTS server.");
    ui_.output("Please be patient as it may take some time to see a confirmation that this task has completed.");
    ui_.output("Warning: Terminating this process will not stop task creation.\n");
    auto created = lifecycle_request(client, "POST", "/v1/tasks?run=now", body, true);
    if (auto* error = std::get_if<std::string>(&created)) {
      fail_with("Error: unable to create '" + name + "'", *error);
      return kExitError;
    }
    json created_response;
    {
      const Reply& reply = std::get<Reply>(created);
      const bool is_json = reply.content_type.find("json") != std::string::npos;
      if (is_json && reply.status == 201) {
        if (auto error = go_json_decode_error(reply.body, created_response)) {
          fail_with("Error: unable to create '" + name + "'", *error);
          return kExitError;
        }
      } else {
        ui_.error("Error: received nil response with status " + status_line(reply.status));
        return kExitError;
      }
    }
    std::string created_name;
    if (created_response.is_object() && created_response.contains("task") && created_response["task"].is_object()) {
      created_name = created_response["task"].value("name", std::string());
    }
    ui_.info("Task '" + created_name + "' created");
    ui_.output("Request ID: '" + request_id_of(created_response) + "'");
    return kExitOk;
  }

  Command command_;
  CliContext& context_;
  Ui ui_;
  FlagSet flags_;
};

// mitchellh/cli's help for the placeholder "task" command and its subcommands.
std::string task_help() {
  const std::vector<std::pair<std::string, Command>> subcommands = {
      {"create", Command::create}, {"delete", Command::remove}, {"disable", Command::disable}, {"enable", Command::enable}};
  std::string text = "This command is accessed by using one of the subcommands below.\n\nSubcommands:";
  const std::size_t longest = std::string("task disable").size();
  for (const auto& [name, command] : subcommands) {
    const std::size_t key_length = std::string("task ").size() + name.size();
    text += "\n    " + name + std::string(longest - key_length, ' ') + "    " + synopsis(command);
  }
  return text + "\n";
}

bool is_help_flag(const std::string& arg) { return arg == "-h" || arg == "-help" || arg == "--help"; }

}  // namespace

std::string wrap_string(const std::string& text, std::size_t limit) {
  // Runes, not bytes, count towards the limit.
  std::string out;
  std::string word;
  std::string spaces;
  std::size_t word_length = 0;
  std::size_t space_length = 0;
  std::size_t current = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    if (lead >= 0xF0) {
      length = 4;
    } else if (lead >= 0xE0) {
      length = 3;
    } else if (lead >= 0xC0) {
      length = 2;
    }
    length = std::min(length, text.size() - i);
    const std::string rune = text.substr(i, length);
    i += length;
    // unicode.IsSpace, except the no-break space U+00A0.
    const bool space = rune == " " || rune == "\t" || rune == "\v" || rune == "\f" || rune == "\r" || rune == "\xC2\x85" ||
                       rune == "\xE2\x80\xA8" || rune == "\xE2\x80\xA9" || rune == "\xE3\x80\x80" ||
                       (rune.size() == 3 && rune[0] == '\xE2' && rune[1] == '\x80' &&
                        static_cast<unsigned char>(rune[2]) <= 0x8A) ||
                       rune == "\xE2\x80\xAF" || rune == "\xE2\x81\x9F" || rune == "\xE1\x9A\x80";
    if (rune == "\n") {
      if (word.empty()) {
        if (current + space_length <= limit) out += spaces;
        spaces.clear();
        space_length = 0;
      } else {
        out += spaces;
        spaces.clear();
        space_length = 0;
        out += word;
        word.clear();
        word_length = 0;
      }
      out += '\n';
      current = 0;
    } else if (space) {
      if (spaces.empty() || !word.empty()) {
        current += space_length + word_length;
        out += spaces;
        spaces.clear();
        space_length = 0;
        out += word;
        word.clear();
        word_length = 0;
      }
      spaces += rune;
      ++space_length;
    } else {
      word += rune;
      ++word_length;
      if (current + word_length + space_length > limit && word_length < limit) {
        out += '\n';
        current = 0;
        spaces.clear();
        space_length = 0;
      }
    }
  }
  if (word.empty()) {
    if (current + space_length <= limit) out += spaces;
  } else {
    out += spaces;
    out += word;
  }
  return out;
}

int run_task_command(const std::vector<std::string>& args, CliContext& context) {
  // mitchellh/cli: a help flag anywhere before "--" asks for the help of the command named.
  bool help = false;
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (is_help_flag(arg)) help = true;
  }
  std::optional<Command> command;
  if (!args.empty()) {
    if (args[0] == "enable") command = Command::enable;
    if (args[0] == "disable") command = Command::disable;
    if (args[0] == "create") command = Command::create;
    if (args[0] == "delete") command = Command::remove;
  }
  if (!command) {
    // The placeholder "task" command: RunResultHelp, its help on stderr and exit 1; with a
    // help flag, on stdout and exit 0.
    if (help) {
      context.out << task_help() << std::flush;
      return 0;
    }
    context.err << task_help() << std::flush;
    return 1;
  }
  TaskCommand task_command(*command, context);
  if (help) {
    context.out << task_command.help() << "\n" << std::flush;
    return 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  return task_command.run(rest);
}

}  // namespace baton::cli
