// fake-consul: the fake Consul served over real HTTP on loopback, started like a Consul dev
// agent (`fake-consul agent -dev -client 127.0.0.1 -http-port 8500`), so that the production
// daemon, Terraform's consul backend and third-party clients can run on a machine with no
// Consul. Flags are Go-style (-flag value, -flag=value); see --help.
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/http/http_server.hpp"
#include "engine/bindings/log_output.hpp"
#include "engine/time/go_duration.hpp"
#include "fakes/consul/api/http_api.hpp"
#include "fakes/consul/cli/realtime_cluster.hpp"

namespace {

using namespace baton;
using namespace baton::fakes::consul;

struct Flags {
  bool dev = false;
  std::string client_address = "127.0.0.1";
  int http_port = 8500;
  int servers = 1;
  std::string session_ttl_min = "10s";
  std::string node_name = "fake-consul";
  std::string datacenter = "dc1";
  std::string log_level = "info";
  std::optional<std::uint64_t> seed;
  std::string acl_master_token;
  std::string acl_default_policy = "allow";
  int raft_multiplier = 1;
};

// Go's flag package takes -name and --name alike; CLI11 wants --name for long options.
std::vector<std::string> go_style_to_cli11(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() > 2 && arg[0] == '-' && arg[1] != '-') arg = "-" + arg;
    args.push_back(std::move(arg));
  }
  std::reverse(args.begin(), args.end());  // CLI11's parse(vector) takes them reversed
  return args;
}

LogLevel parse_log_level(const std::string& text) {
  if (text == "trace") return LogLevel::trace;
  if (text == "debug") return LogLevel::debug;
  if (text == "warn") return LogLevel::warn;
  if (text == "error") return LogLevel::error;
  return LogLevel::info;
}

// Whatever answers the requests: the dev-mode server's HttpApi, or the cluster's client agent.
using Answer = std::function<Task<http::Response>(http::Request)>;

Task<http::Response> logged(const Answer& answer, Runtime& runtime, Logger log, http::Request request) {
  const MonoTime started = runtime.now();
  const std::string method = request.method;
  const std::string url = request.target;
  http::Response response = co_await answer(std::move(request));
  const auto latency_us = std::chrono::duration_cast<std::chrono::microseconds>(runtime.now() - started).count();
  log.debug("Request finished", "method", method, "url", url, "status", response.status, "latency", std::to_string(latency_us) + "us");
  co_return response;
}

Task<void> stop_on_signal(AsioRuntime& runtime, Logger log, std::stop_source& stop) {
  const std::optional<int> signal_number = co_await runtime.next_signal(stop.get_token());
  if (signal_number) log.info("Caught", "signal", *signal_number == SIGINT ? "interrupt" : "terminated");
  log.info("Graceful shutdown");
  stop.request_stop();
}

int run(const Flags& flags) {
  AsioRuntime runtime(AsioRuntimeOptions{.name = flags.node_name, .seed = flags.seed});
  Logger log(make_stderr_log_output(flags.node_name, parse_log_level(flags.log_level)), runtime);
  const std::optional<Duration> ttl_min = parse_go_duration(flags.session_ttl_min);
  if (!ttl_min || *ttl_min <= Duration::zero()) {
    std::cerr << "fake-consul: invalid -session-ttl-min \"" << flags.session_ttl_min << "\": want a Go duration such as 10s\n";
    return 2;
  }
  // ACLs are on once either ACL flag is given, as with acl.enabled in Consul's config.
  const AclOptions acl{.enabled = !flags.acl_master_token.empty() || flags.acl_default_policy == "deny",
                       .default_access = flags.acl_default_policy == "deny" ? Access::deny : Access::write,
                       .management_token = flags.acl_master_token};
  const ConsulServerOptions server_options{.node_name = flags.node_name, .datacenter = flags.datacenter,
                                           .address = flags.client_address, .session_ttl_min = *ttl_min, .acl = acl};
  // One dev-mode server answering itself, or a cluster of servers behind a client agent.
  std::optional<ConsulServer> dev_server;
  std::optional<HttpApi> dev_api;
  std::optional<RealTimeCluster> cluster;
  Answer answer;
  if (flags.servers == 1) {
    dev_server.emplace(runtime, server_options);
    dev_api.emplace(*dev_server, AgentIdentity{.node_name = flags.node_name});
    answer = [&](http::Request request) { return dev_api->handle(std::move(request)); };
  } else {
    cluster.emplace(runtime, RealTimeClusterOptions{.servers = std::size_t(flags.servers),
                                                    .seed = flags.seed.value_or(runtime.rng().next_u64()),
                                                    .agent_name = flags.node_name,
                                                    .agent_address = flags.client_address,
                                                    .raft_multiplier = flags.raft_multiplier,
                                                    .server = server_options});
    if (!cluster->formed()) {
      log.error("the Consul servers did not form a cluster", "servers", flags.servers);
      return 1;
    }
    answer = [&](http::Request request) { return cluster->handle(std::move(request)); };
  }
  Logger http_log = log.named("agent.http");
  HttpServer http_server(runtime, HttpServerOptions{
                                      .address = flags.client_address,
                                      .port = std::uint16_t(flags.http_port),
                                      .handler = [&](http::Request request) { return logged(answer, runtime, http_log, std::move(request)); },
                                  });
  if (std::optional<std::string> error = http_server.listen()) {
    log.error("failed to start the HTTP server", "error", *error);
    return 1;
  }
  log.named("agent").info("Started HTTP server", "address", flags.client_address + ":" + std::to_string(http_server.port()),
                          "network", "tcp");
  std::stop_source stop;
  runtime.watch_signals({SIGINT, SIGTERM});
  if (dev_server) runtime.scope().spawn(dev_server->run(stop.get_token()));
  if (cluster) runtime.scope().spawn(cluster->drive(stop.get_token()));
  runtime.scope().spawn(http_server.serve(stop.get_token()));
  runtime.scope().spawn(stop_on_signal(runtime, log.named("agent"), stop));
  runtime.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fake-consul: an in-process Consul (KV, sessions, txn, catalog, health) served over HTTP"};
  app.require_subcommand(1);
  Flags flags;
  CLI::App* agent = app.add_subcommand("agent", "Run the agent, as `consul agent -dev` does");
  agent->add_flag("--dev", flags.dev, "Development mode (accepted for compatibility; -servers decides the shape)");
  agent->add_option("--client", flags.client_address, "Address the HTTP API binds to")->capture_default_str();
  agent->add_option("--http-port", flags.http_port, "HTTP API port; 0 picks a free one")->capture_default_str()->check(CLI::Range(0, 65535));
  agent->add_option("--servers", flags.servers,
                    "Consul servers: 1 is a dev-mode server; N > 1 runs N servers over Raft in real time behind a "
                    "client agent, with /v1/fake/servers to crash, restart, pause and resume them")
      ->capture_default_str()
      ->check(CLI::Range(1, 15));
  agent->add_option("--raft-multiplier", flags.raft_multiplier, "Consul's performance.raft_multiplier, with -servers N")
      ->capture_default_str()
      ->check(CLI::Range(1, 10));
  agent->add_option("--session-ttl-min", flags.session_ttl_min, "Smallest session TTL accepted (Consul's session_ttl_min)")->capture_default_str();
  agent->add_option("--node", flags.node_name, "This agent's node name")->capture_default_str();
  agent->add_option("--datacenter", flags.datacenter, "Datacenter name")->capture_default_str();
  agent->add_option("--log-level", flags.log_level, "trace, debug, info, warn or error; debug logs every request")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  agent->add_option("--seed", flags.seed, "Seed of session ids and query jitter (random when absent)");
  agent->add_option("--acl-master-token", flags.acl_master_token, "Enable ACLs with this management token");
  agent->add_option("--acl-default-policy", flags.acl_default_policy, "allow or deny, for requests without a matching rule")
      ->capture_default_str()
      ->check(CLI::IsMember({"allow", "deny"}));
  try {
    app.parse(go_style_to_cli11(argc, argv));
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  return run(flags);
}
